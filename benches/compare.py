"""ontrack side by side with the tools users would otherwise pick.

One run, the same seeded synthetic panels for every tool: N yearly series (indicator x region,
2005-2024, trend plus noise, ~2 % null values, ~5 % missing years, one level target per series)
for N in --sizes. Every measurement runs in its own subprocess so that peak memory does not
mix between tools; wall times are the best of the warm repeats (the first, cold, run is shown
separately where it differs: numba JIT of statsforecast, first call of the extension).

    make bench                                    # everything, writes target/bench/compare.md
    .venv-bench/bin/python benches/compare.py --sizes 10000 --no-m1

Tools:
  (a) ontrack.assess: closed-form metrics + open_sdg, projection=None; and with the default
      projection (auto);
  (b) the Open SDG metrics the pandas loop computes as a plain polars expression pipeline
      (group_by().agg()); every closed-form column of assess (points, counts, progress, gaps,
      growth and change rates and ratios, trend test, Open SDG ratio, class, score, unified
      status) as a second one; and one polars aggregation pass (per-series mean) as the
      engine's floor;
  (c) a pandas per-series loop in the style of Open SDG's progress code;
  (d) ontrack.project (theta, damped_trend, drift) against statsforecast (Theta,
      AutoETS(model="AAN", damped=True), RandomWalkWithDrift), with the M1 yearly accuracy of
      both computed here on data/m1_yearly;
  (e) thread scaling: ontrack.assess with and without the projection on one thread, against
      the default (every core).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "target" / "bench" / "data"
REGIONS = 200
YEARS = list(range(2005, 2025))
TARGET_YEAR = 2030
H = 6  # projection horizon: 2025-2030, and the M1 test length
PROJ_METHODS = ["theta", "damped_trend", "drift"]


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def make_panel(n: int, seed: int = 7) -> None:
    """Write obs_N (with nulls and gaps), clean_N (full grid, no nulls) and targets_N."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed + n)
    t = len(YEARS)
    idx = np.arange(n)
    level = 10.0 + 90.0 * rng.random(n)
    slope = level * (0.04 * rng.random(n) - 0.01)
    step = np.arange(t)
    noise = 0.03 * level[:, None] * (rng.random((n, t)) - 0.5)
    values = level[:, None] + slope[:, None] * step[None, :] + noise
    series = np.repeat(idx, t)
    indicator = pl.Series("s", series // REGIONS).cast(pl.String)
    region = pl.Series("s", series % REGIONS).cast(pl.String)
    clean = pl.DataFrame(
        {
            "indicator": "ind_" + indicator.str.zfill(5),
            "region": "region_" + region.str.zfill(3),
            "year": np.tile(np.array(YEARS, dtype=np.int64), n),
            "value": values.ravel(),
        }
    )
    keep = rng.random(n * t) >= 0.05  # ~5 % missing years
    null = rng.random(n * t) < 0.02  # ~2 % null values
    obs = clean.with_columns(
        pl.when(pl.Series(null)).then(None).otherwise(pl.col("value")).alias("value")
    ).filter(pl.Series(keep))
    targets = pl.DataFrame(
        {
            "indicator": clean["indicator"].gather(idx * t),
            "region": clean["region"].gather(idx * t),
            "direction": np.where(slope >= 0, "increase", "decrease"),
            "target_value": level + slope * 25.0 * (0.6 + 0.8 * rng.random(n)),
            "target_year": np.full(n, TARGET_YEAR, dtype=np.int64),
        }
    )
    DATA.mkdir(parents=True, exist_ok=True)
    obs.write_parquet(DATA / f"obs_{n}.parquet")
    clean.write_parquet(DATA / f"clean_{n}.parquet")
    targets.write_parquet(DATA / f"targets_{n}.parquet")


def load(name: str, n: int) -> Any:
    import polars as pl

    return pl.read_parquet(DATA / f"{name}_{n}.parquet")


# --------------------------------------------------------------------------------------------
# The contenders
# --------------------------------------------------------------------------------------------


def polars_pipeline(obs: Any, targets: Any) -> Any:
    """The closed-form metrics of ontrack.assess (open_sdg) as a plain polars pipeline."""
    import polars as pl

    keys = ["indicator", "region"]
    pts = (
        obs.lazy()
        .filter(pl.col("value").is_not_null() & (pl.col("year") <= TARGET_YEAR))
        .group_by(keys)
        .agg(
            pl.col("year").min().alias("b"),
            pl.col("year").max().alias("t"),
            pl.col("value").sort_by("year").first().alias("yb"),
            pl.col("value").sort_by("year").last().alias("yt"),
        )
    )
    b, t, yb, yt = pl.col("b"), pl.col("t"), pl.col("yb"), pl.col("yt")
    tgt, ty = pl.col("target_value"), pl.col("target_year")
    d = pl.when(pl.col("direction") == "increase").then(1.0).otherwise(-1.0)

    def cagr(y0: pl.Expr, y1: pl.Expr, span: pl.Expr) -> pl.Expr:
        ok = (y0 != 0) & (y1 != 0) & ((y0 > 0) == (y1 > 0)) & (span != 0)
        return pl.when(ok).then((y1 / y0).pow(1.0 / span) - 1.0)

    ga, gr = cagr(yb, yt, t - b), cagr(yb, tgt, ty - b)
    met = pl.when(d > 0).then(yt >= tgt).otherwise(yt <= tgt)
    r = d * pl.col("achieved_growth") / pl.col("required_growth").abs()
    return (
        pts.join(targets.lazy(), on=keys, how="inner")
        .with_columns(
            progress=(yt - yb) / (tgt - yb),
            time_elapsed=(t - b) / (ty - b),
            achieved_growth=ga,
            required_growth=gr,
            needed_growth=cagr(yt, tgt, ty - t),
            met=met,
        )
        .with_columns(method_ratio=r)
        .with_columns(
            method_status=pl.when(pl.col("t") <= pl.col("b"))
            .then(pl.when(pl.col("met")).then(pl.lit("target_achieved")))
            .when(pl.col("met"))
            .then(pl.lit("target_achieved"))
            .when(pl.col("method_ratio") >= 0.95 - 1e-12)
            .then(pl.lit("substantial_progress"))
            .when(pl.col("method_ratio") >= 0.60 - 1e-12)
            .then(pl.lit("moderate_progress"))
            .when(pl.col("method_ratio") >= -1e-12)
            .then(pl.lit("limited_progress"))
            .otherwise(pl.lit("deterioration"))
        )
        .collect()
    )


# Open SDG's published thresholds and score lines (crates/ontrack-kernels/src/methods/open_sdg.rs)
# and the trend test's significance level (AssessOptions::trend_alpha).
OPEN_SDG_CLASSES = [
    ("substantial_progress", 0.95, "on_track"),
    ("moderate_progress", 0.60, "needs_acceleration"),
    ("limited_progress", 0.0, "off_track"),
]
TREND_ALPHA = 0.05


def polars_pipeline_full(obs: Any, targets: Any) -> Any:
    """Every closed-form column of ontrack.assess (open_sdg, level targets) in plain polars.

    One lazy join and group_by().agg() for the per-series points, counts and least-squares
    sums, vectorised expressions for the metrics and the Open SDG rule, and the Student-t
    p-value of the trend slope from scipy on the collected column.
    """
    import numpy as np
    import polars as pl
    from scipy.special import stdtr

    keys = ["indicator", "region"]
    col = pl.col
    v = col("value").cast(pl.Float64).fill_nan(None)  # NaN is a missing value too
    in_window = col("year") <= col("target_year")  # a passed deadline: assessed at it
    ok = in_window & v.is_not_null()
    # Row level: the usable points only (others null, which every aggregation skips), years
    # counted from the deadline so that the least-squares sums of products keep their precision.
    x = (col("year") - col("target_year")).cast(pl.Float64)
    per_series = (
        obs.lazy()
        .join(targets.lazy().select(*keys, "target_year"), on=keys)
        .select(
            *keys,
            yr=pl.when(ok).then(col("year")),
            y=pl.when(ok).then(v),
            x=pl.when(ok).then(x),
            xx=pl.when(ok).then(x * x),
            xy=pl.when(ok).then(x * v),
            yy=pl.when(ok).then(v * v),
            missing=in_window & v.is_null(),
        )
        .group_by(keys)
        .agg(
            n_points=col("y").count().cast(pl.UInt32),
            n_missing=col("missing").sum().cast(pl.UInt32),
            baseline_year=col("yr").min(),
            baseline_value=col("y").sort_by("yr", nulls_last=True).first(),
            latest_year=col("yr").max(),
            latest_value=col("y").sort_by("yr", descending=True, nulls_last=True).first(),
            sx=col("x").sum(),
            sy=col("y").sum(),
            sxx=col("xx").sum(),
            sxy=col("xy").sum(),
            syy=col("yy").sum(),
        )
    )

    def fin(e: pl.Expr) -> pl.Expr:  # ontrack's columns hold no inf/NaN: null instead
        return pl.when(e.is_finite()).then(e)

    def ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
        return fin(num / den)

    def cagr(y0: pl.Expr, y1: pl.Expr, span: pl.Expr) -> pl.Expr:
        ok = (y0 != 0) & (y1 != 0) & ((y0 > 0) == (y1 > 0)) & (span != 0)
        return pl.when(ok).then(fin((y1 / y0).pow(1.0 / span) - 1.0))

    def change(y0: pl.Expr, y1: pl.Expr, span: pl.Expr) -> pl.Expr:
        return pl.when(span != 0).then(fin((y1 - y0) / span))

    def published_growth(y0: pl.Expr, y1: pl.Expr, span: pl.Expr) -> pl.Expr:
        # Open SDG: defined for y0 != 0 and y1 of its sign or zero, on magnitudes.
        ok = (y0 != 0) & (span != 0) & ((y1 == 0) | ((y1 > 0) == (y0 > 0)))
        return pl.when(ok).then(fin((y1 / y0).abs().pow(1.0 / span) - 1.0))

    def zero_substituted(e: pl.Expr) -> pl.Expr:
        return pl.when(e == 0).then(0.001).otherwise(e)

    b, t = col("baseline_year").cast(pl.Float64), col("latest_year").cast(pl.Float64)
    yb, yt = col("baseline_value"), col("latest_value")
    tv, ty = col("target_value"), col("target_year").cast(pl.Float64)
    d, pace = col("d"), col("pace")

    def paced(e: pl.Expr) -> pl.Expr:
        return pl.when(pace).then(e)

    def reaches(y: pl.Expr, target: pl.Expr) -> pl.Expr:
        return pl.when(d > 0).then(y >= target).otherwise(y <= target).fill_null(False)

    # Open SDG as published: zero base and zero target replaced by 0.001, s = sign of the base.
    s = pl.when(yb < 0).then(-1.0).otherwise(1.0)
    ga_p, gr_p, r = col("ga_p"), col("gr_p"), col("r")
    classes = pl.when(~pace).then(
        pl.when(col("met")).then(pl.lit("target_achieved")).otherwise(pl.lit("insufficient_data"))
    )
    classes = classes.when(col("met_published")).then(pl.lit("target_achieved"))
    classes = classes.when(ga_p.is_null() | gr_p.is_null()).then(pl.lit("insufficient_data"))
    classes = classes.when(r.is_null()).then(pl.lit("deterioration"))
    for label, cut, _ in OPEN_SDG_CLASSES:
        classes = classes.when(r >= cut - 1e-12).then(pl.lit(label))
    unified = {label: status for label, _, status in OPEN_SDG_CLASSES}
    unified |= {"target_achieved": "achieved", "deterioration": "regressing"}
    unified["insufficient_data"] = "insufficient_data"
    score = pl.when(r >= 0.60).then(7.1429 * r - 4.2857).otherwise(4.1667 * r - 2.5).clip(-5.0, 5.0)
    status = col("method_status").replace_strict(unified, return_dtype=pl.String)
    # A deadline reached without meeting the target is off track whatever the pace.
    missed = (t >= ty) & ~col("met") & status.is_in(["on_track", "needs_acceleration"])

    # Ordinary least squares from the sums: slope, residual sum of squares, standard error.
    n = col("n_points").cast(pl.Float64)
    sxx = col("sxx") - col("sx") ** 2 / n
    sxy = col("sxy") - col("sx") * col("sy") / n
    syy = col("syy") - col("sy") ** 2 / n
    has_trend = (col("n_points") >= 3) & (sxx > 0)
    slope = sxy / sxx
    se = ((syy - slope * sxy).clip(lower_bound=0.0) / (n - 2.0) / sxx).sqrt()
    out = (
        per_series.join(
            targets.lazy().select(*keys, "direction", "target_value", "target_year"),
            on=keys,
            how="inner",
        )
        .with_columns(
            d=pl.when(col("direction") == "increase").then(1.0).otherwise(-1.0),
            # A pace needs a latest point after the baseline; one point says only where it
            # stands.
            pace=(t > b).fill_null(False),
            yb_s=zero_substituted(yb),
            tv_s=zero_substituted(tv),
        )
        .with_columns(
            ga_p=published_growth(col("yb_s"), yt, t - b),
            gr_p=published_growth(col("yb_s"), col("tv_s"), ty - b),
            met=reaches(yt, tv),
            met_published=reaches(yt, col("tv_s")),
            gap=fin(d * (tv - yt)),
        )
        .with_columns(r=ratio(s * d * ga_p, gr_p.abs()))
        .with_columns(
            progress=paced(ratio(yt - yb, tv - yb)),
            completion_rate=ratio(yt, tv),
            time_elapsed=paced(ratio(t - b, ty - b)),
            relative_gap=paced(ratio(col("gap"), (tv - yb).abs())),
            achieved_growth=paced(cagr(yb, yt, t - b)),
            required_growth=paced(cagr(yb, tv, ty - b)),
            needed_growth=cagr(yt, tv, ty - t),
            achieved_change=paced(change(yb, yt, t - b)),
            required_change=paced(change(yb, tv, ty - b)),
            needed_change=change(yt, tv, ty - t),
            method_ratio=paced(r),
            method_status=classes.otherwise(pl.lit("deterioration")),
            score=paced(pl.when(col("met_published")).then(5.0).otherwise(score)),
            trend_slope=pl.when(has_trend).then(fin(slope)),
            trend_se=pl.when(has_trend).then(se),
            trend_df=pl.when(has_trend).then(n - 2.0),
        )
        .with_columns(
            schedule_gap=col("progress") - col("time_elapsed"),
            growth_ratio=ratio(col("achieved_growth"), col("required_growth")),
            change_ratio=ratio(col("achieved_change"), col("required_change")),
            status=pl.when(missed).then(pl.lit("off_track")).otherwise(status),
        )
        .collect()
    )
    # Two-sided p-value of slope = 0 under Student's t with n - 2 degrees of freedom; an
    # exact fit (se = 0) is significant unless flat.
    tstat = (out["trend_slope"] / out["trend_se"]).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        p = 2.0 * stdtr(out["trend_df"].to_numpy(), -np.abs(tstat))
    slope_, se_ = col("trend_slope"), col("trend_se")
    p_value = (
        pl.when(se_ > 0)
        .then(col("p"))
        .when(se_ == 0)
        .then(pl.when(slope_ == 0).then(1.0).otherwise(0.0))
    )
    significant = pl.when(se_ > 0).then(col("trend_p_value") < TREND_ALPHA).otherwise(slope_ != 0)
    return (
        out.with_columns(p=pl.Series(p, nan_to_null=True))
        .with_columns(trend_p_value=p_value)
        .with_columns(
            trend=pl.when(significant.not_())
            .then(pl.lit("not_significant"))
            .when(d * slope_ > 0)
            .then(pl.lit("significant_right_way"))
            .when(slope_.is_not_null())
            .then(pl.lit("significant_wrong_way"))
        )
        .select(*keys, *FULL_COLUMNS)
    )


FULL_FLOATS = [
    "baseline_value", "latest_value", "target_value", "progress", "completion_rate",
    "time_elapsed", "schedule_gap", "gap", "relative_gap", "achieved_growth", "required_growth",
    "needed_growth", "achieved_change", "required_change", "needed_change", "growth_ratio",
    "change_ratio", "trend_slope", "trend_p_value", "method_ratio", "score",
]  # fmt: skip
FULL_EXACT = ["baseline_year", "latest_year", "target_year", "n_points", "n_missing"]
FULL_LABELS = ["trend", "method_status", "status"]
FULL_COLUMNS = FULL_EXACT[:3] + FULL_FLOATS + FULL_LABELS + FULL_EXACT[3:]


def polars_floor(obs: Any) -> Any:
    import polars as pl

    return obs.group_by(["indicator", "region"]).agg(pl.col("value").mean())


def pandas_loop(obs: Any, targets: Any) -> Any:
    """A per-series Python loop in the style of Open SDG's progress code."""
    import pandas as pd

    df = obs.to_pandas()
    tg = targets.to_pandas().set_index(["indicator", "region"])
    lookup = tg.to_dict("index")

    def growth(y0: float, y1: float, span: float) -> float | None:
        if y0 == 0 or y1 == 0 or (y0 > 0) != (y1 > 0) or span == 0:
            return None
        return float((y1 / y0) ** (1.0 / span) - 1.0)

    def measure(data: pd.DataFrame, target: dict[str, Any]) -> dict[str, Any]:
        data = data.dropna(subset=["value"])
        data = data[data["year"] <= target["target_year"]].sort_values("year")
        if data.empty:
            return {"method_status": "insufficient_data"}
        base_year, base_value = data["year"].iloc[0], data["value"].iloc[0]
        current_year, current_value = data["year"].iloc[-1], data["value"].iloc[-1]
        tv, ty = target["target_value"], target["target_year"]
        d = 1.0 if target["direction"] == "increase" else -1.0
        ga = growth(base_value, current_value, current_year - base_year)
        gr = growth(base_value, tv, ty - base_year)
        ratio = None if ga is None or gr is None or gr == 0 else d * ga / abs(gr)
        met = current_value >= tv if d > 0 else current_value <= tv
        if met:
            status = "target_achieved"
        elif ratio is None:
            status = "insufficient_data"
        elif ratio >= 0.95:
            status = "substantial_progress"
        elif ratio >= 0.6:
            status = "moderate_progress"
        elif ratio >= 0:
            status = "limited_progress"
        else:
            status = "deterioration"
        return {
            "progress": (current_value - base_value) / (tv - base_value),
            "time_elapsed": (current_year - base_year) / (ty - base_year),
            "achieved_growth": ga,
            "required_growth": gr,
            "needed_growth": growth(current_value, tv, ty - current_year),
            "method_ratio": ratio,
            "method_status": status,
        }

    rows = []
    for key, data in df.groupby(["indicator", "region"], sort=False):
        rows.append({"indicator": key[0], "region": key[1], **measure(data, lookup[key])})
    return pd.DataFrame(rows)


def ontrack_assess(
    obs: Any, targets: Any, projection: str | None, threads: int | None = None
) -> Any:
    import ontrack

    return ontrack.assess(
        obs, targets, method="open_sdg", by="region", projection=projection, threads=threads
    )


def ontrack_project(clean: Any, method: str) -> Any:
    import ontrack

    return ontrack.project(clean, method=method, until=TARGET_YEAR, by="region")


SF_MODELS = {
    "theta": ("Theta", lambda m: m.Theta()),
    "damped_trend": ("AutoETS", lambda m: m.AutoETS(model="AAN", damped=True)),
    "drift": ("RWD", lambda m: m.RandomWalkWithDrift()),
}


def sf_frame(clean: Any) -> Any:
    import polars as pl

    return clean.select(
        pl.concat_str("indicator", "region", separator="|").alias("unique_id"),
        pl.col("year").alias("ds"),
        pl.col("value").alias("y"),
    )


def statsforecast_run(frame: Any, method: str, levels: list[int] | None = (80, 95)) -> Any:  # type: ignore[assignment]
    import statsforecast.models as m
    from statsforecast import StatsForecast

    name, make = SF_MODELS[method]
    # A series too short for the model (AutoETS: "tiny datasets") falls back to drift, as
    # ontrack's own ladder does.
    sf = StatsForecast(
        models=[make(m)], freq=1, n_jobs=-1, fallback_model=m.RandomWalkWithDrift(alias=name)
    )
    return sf.forecast(df=frame, h=H, level=list(levels) if levels else None)


# --------------------------------------------------------------------------------------------
# Measuring (in a worker subprocess)
# --------------------------------------------------------------------------------------------


class PeakRss:
    """Peak resident memory of this process and its children, sampled every 20 ms."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        total = 0
        procs = [self.proc]
        with contextlib.suppress(Exception):
            procs += self.proc.children(recursive=True)
        for p in procs:
            with contextlib.suppress(Exception):
                total += p.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._sample())

    def __enter__(self) -> PeakRss:
        self.base = self._sample()
        self.peak = self.base
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        self.peak = max(self.peak, own)


def timed(fn: Callable[[], Any], repeats: int, budget: float) -> dict[str, Any]:
    """Cold run, then warm repeats while within the budget; best warm time."""
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    warm: list[float] = []
    spent = cold
    while len(warm) < repeats and spent + (warm[-1] if warm else cold) < budget:
        t0 = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t0)
        spent += warm[-1]
    return {"cold": cold, "warm": min(warm) if warm else None, "runs": 1 + len(warm)}


def task_function(task: str, n: int) -> Callable[[], Any]:
    """The call a task times, with only its own inputs loaded: the worker's peak memory is
    its inputs plus what the call itself allocates, never another tool's data."""
    if task.startswith(("ontrack_project", "statsforecast")):
        clean = load("clean", n)
        for m in PROJ_METHODS:
            if task == f"ontrack_project_{m}":
                return lambda: ontrack_project(clean, m)
            if task == f"statsforecast_{m}":
                sf = sf_frame(clean)
                del clean
                return lambda: statsforecast_run(sf, m)
        raise SystemExit(f"unknown task {task}")
    obs = load("obs", n)
    targets = load("targets", n)
    fns: dict[str, Callable[[], Any]] = {
        "ontrack_assess": lambda: ontrack_assess(obs, targets, None),
        "ontrack_assess_auto": lambda: ontrack_assess(obs, targets, "auto"),
        # thread scaling: the same calls on one thread (the default is every core)
        "ontrack_assess_1thread": lambda: ontrack_assess(obs, targets, None, threads=1),
        "ontrack_assess_auto_1thread": lambda: ontrack_assess(obs, targets, "auto", threads=1),
        "polars_pipeline": lambda: polars_pipeline(obs, targets),
        "polars_pipeline_full": lambda: polars_pipeline_full(obs, targets),
        "polars_floor": lambda: polars_floor(obs),
        "pandas_loop": lambda: pandas_loop(obs, targets),
    }
    return fns[task]


def worker(task: str, n: int, repeats: int, budget: float) -> dict[str, Any]:
    fn = task_function(task, n)
    if task.startswith("ontrack"):
        import ontrack  # noqa: F401  (import cost outside the timing)
    if task.startswith("statsforecast"):
        import statsforecast  # noqa: F401
    if task == "pandas_loop":
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    if task == "polars_pipeline_full":
        import scipy.special  # noqa: F401
    with PeakRss() as mem:
        res = timed(fn, repeats, budget)
    res["peak_mb"] = mem.peak / 2**20
    res["base_mb"] = mem.base / 2**20
    return res


def run_worker(task: str, n: int, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        task,
        "--n",
        str(n),
        "--repeats",
        str(args.repeats),
        "--budget",
        str(args.budget),
    ]
    print(f"  {task:<32} n={n:>9,} ...", end="", flush=True, file=sys.stderr)
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f" timeout after {args.timeout:.0f} s", file=sys.stderr)
        return {"error": f"timeout ({args.timeout:.0f} s)"}
    if out.returncode != 0:
        print(" failed", file=sys.stderr)
        print(out.stderr[-3000:], file=sys.stderr)
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed"}
    res: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    best = res["warm"] if res["warm"] is not None else res["cold"]
    print(
        f" {best:8.3f} s  (cold {res['cold']:.3f} s)  peak {res['peak_mb']:.0f} MB", file=sys.stderr
    )
    return res


# --------------------------------------------------------------------------------------------
# Agreement and accuracy
# --------------------------------------------------------------------------------------------


def agreement(n: int) -> dict[str, Any]:
    """Compare ontrack, the polars pipeline and the pandas loop on the first 2000 series."""
    import polars as pl

    obs, targets = load("obs", n), load("targets", n)
    keys = ["indicator", "region"]
    sample = targets.head(2000).select(keys)
    obs = obs.join(sample, on=keys)
    targets = targets.join(sample, on=keys)
    cols = ["progress", "time_elapsed", "achieved_growth", "required_growth", "needed_growth"]
    cols += ["method_ratio"]
    a = ontrack_assess(obs, targets, None).select([*keys, *cols, "method_status"])
    b = polars_pipeline(obs, targets).select([*keys, *cols, "method_status"])
    c = pl.from_pandas(pandas_loop(obs, targets)).select([*keys, *cols, "method_status"])
    out: dict[str, Any] = {"series": sample.height}
    out["polars_full"] = agree_full(ontrack_assess(obs, targets, None), obs, targets)
    eobs, etargets = edge_panel()
    out["edges"] = agree_full(ontrack_assess(eobs, etargets, None), eobs, etargets)
    out["edges"]["series"] = etargets.height
    for name, other in [("polars", b), ("pandas", c)]:
        j = a.join(other, on=keys, suffix="_o")
        worst = 0.0
        for col in cols:
            diff = (pl.col(col) - pl.col(f"{col}_o")).abs() / (1.0 + pl.col(col).abs())
            m = j.select(diff.max()).item()
            worst = max(worst, 0.0 if m is None or math.isnan(m) else m)
            nulls = j.select((pl.col(col).is_null() != pl.col(f"{col}_o").is_null()).sum()).item()
            if nulls:
                worst = math.inf
        status = j.select((pl.col("method_status") != pl.col("method_status_o")).sum()).item()
        out[name] = {"rows": j.height, "max_rel_diff": worst, "status_mismatches": status}
    return out


def edge_panel() -> tuple[Any, Any]:
    """A few series that take every branch of the rules: zero, negative and sign-changing
    values, one point, no point, NaN, a baseline equal to the target, exact and flat fits,
    two points, a passed deadline."""
    import polars as pl

    nan, rows, tgts = float("nan"), [], []
    cases: list[tuple[str, list[int], list[float | None], str, float, int]] = [
        ("zero_base", [2010, 2015, 2020], [0.0, 5.0, 8.0], "increase", 20.0, 2030),
        ("negative", [2010, 2011, 2012, 2013], [-10.0, -8.0, -6.5, -5.0], "increase", -2.0, 2030),
        ("negative_worse", [2010, 2011, 2012], [-10.0, -11.0, -12.5], "increase", -2.0, 2030),
        ("sign_change", [2010, 2012, 2014], [-2.0, 1.0, 3.0], "increase", 10.0, 2030),
        ("single", [2010, 2015, 2016], [None, 5.0, None], "increase", 10.0, 2030),
        ("single_met", [2015], [12.0], "increase", 10.0, 2030),
        ("all_null", [2010, 2011, 2012], [None, None, None], "increase", 10.0, 2030),
        ("with_nan", [2010, 2011, 2012, 2013], [10.0, nan, 12.0, 12.5], "increase", 20.0, 2030),
        ("base_is_target", [2010, 2011, 2012], [10.0, 12.0, 11.0], "decrease", 10.0, 2030),
        ("exact_line", [2010, 2011, 2012, 2013], [1.0, 2.0, 3.0, 4.0], "increase", 30.0, 2030),
        ("flat", [2010, 2011, 2012, 2013], [5.0, 5.0, 5.0, 5.0], "increase", 10.0, 2030),
        ("two_points", [2010, 2020], [10.0, 12.0], "decrease", 5.0, 2030),
        ("zero_latest", [2010, 2012, 2014], [10.0, 5.0, 0.0], "decrease", 1.0, 2030),
        ("zero_target", [2010, 2012, 2014], [10.0, 8.0, 6.0], "decrease", 0.0, 2030),
        ("met_early", [2010, 2012, 2014], [10.0, 15.0, 21.0], "increase", 20.0, 2030),
        ("deadline_passed", list(range(2010, 2025)), [10.0 + i for i in range(15)], "increase",
         18.5, 2018),
        ("all_after_deadline", [2010, 2011], [1.0, 2.0], "increase", 5.0, 2005),
        ("regressing", [2010, 2012, 2014, 2016], [10.0, 9.0, 8.5, 7.0], "increase", 20.0, 2030),
        ("limited", [2010, 2012, 2014, 2016], [10.0, 10.2, 10.1, 10.4], "increase", 20.0, 2030),
    ]  # fmt: skip
    for name, years, values, direction, target, year in cases:
        rows += [("edge", name, y, v) for y, v in zip(years, values, strict=True)]
        tgts.append(("edge", name, direction, target, year))
    obs = pl.DataFrame(
        rows,
        schema={"indicator": pl.String, "region": pl.String, "year": pl.Int64,
                "value": pl.Float64},
        orient="row",
    )  # fmt: skip
    targets = pl.DataFrame(
        tgts,
        schema={"indicator": pl.String, "region": pl.String, "direction": pl.String,
                "target_value": pl.Float64, "target_year": pl.Int64},
        orient="row",
    )  # fmt: skip
    return obs, targets


def agree_full(a: Any, obs: Any, targets: Any) -> dict[str, Any]:
    """The full polars pipeline against ontrack's result `a`: every closed-form column."""
    import polars as pl

    keys = ["indicator", "region"]
    b = polars_pipeline_full(obs, targets)
    j = a.select(*keys, *FULL_COLUMNS).join(b, on=keys, how="full", suffix="_o", coalesce=True)
    worst, worst_col, nulls, labels, exact = 0.0, "", 0, 0, 0
    for col in FULL_COLUMNS:
        x, y = pl.col(col), pl.col(f"{col}_o")
        nulls += j.select((x.is_null() != y.is_null()).sum()).item()
        if col in FULL_FLOATS:
            m = j.select(((x - y).abs() / (1.0 + x.abs())).max()).item()
            if m is not None and m > worst:
                worst, worst_col = m, col
        elif col in FULL_LABELS:
            labels += j.select((x != y).sum()).item()
        else:
            exact += j.select((x != y).sum()).item()
    missing = j.select((pl.col("status").is_null() | pl.col("status_o").is_null()).sum()).item()
    return {
        "rows": j.height,
        "rows_missing": missing,
        "columns": len(FULL_COLUMNS),
        "max_rel_diff": worst,
        "max_rel_diff_column": worst_col,
        "null_mismatches": nulls,
        "label_mismatches": labels,
        "exact_mismatches": exact,
        "agree": missing == nulls == labels == exact == 0 and worst < 1e-9,
    }


def m1_accuracy() -> dict[str, dict[str, float]]:
    """sMAPE and MASE on the 6-year M1 yearly test, for ontrack.project and statsforecast."""
    import numpy as np
    import polars as pl

    import ontrack

    m1 = pl.read_csv(ROOT / "data" / "m1_yearly" / "m1_yearly.csv")
    train = m1.filter(pl.col("split") == "train").sort("series_id", "year")
    test = m1.filter(pl.col("split") == "test").sort("series_id", "year")
    scale = train.group_by("series_id").agg(
        pl.col("value").diff().abs().mean().alias("scale"),
        pl.col("year").max().alias("last"),
    )
    test = (
        test.join(scale, on="series_id")
        .filter(pl.col("year") <= pl.col("last") + H)
        .with_columns(h=pl.col("year") - pl.col("last"))
    )

    def score(fc: pl.DataFrame) -> dict[str, float]:
        j = test.join(fc, on=["series_id", "h"], how="left")
        e = j.with_columns(
            smape=200
            * (pl.col("f") - pl.col("value")).abs()
            / (pl.col("f").abs() + pl.col("value").abs()),
            mase=(pl.col("f") - pl.col("value")).abs() / pl.col("scale"),
        )
        per = e.group_by("series_id").agg(pl.col("smape").mean(), pl.col("mase").mean())
        return {
            "smape": float(per["smape"].mean()),  # type: ignore[arg-type]
            "mase": float(per["mase"].mean()),  # type: ignore[arg-type]
            "series": per.height,
            "missing": int(e["f"].null_count()),
        }

    out: dict[str, dict[str, float]] = {}
    ot_in = train.select(pl.col("series_id").alias("indicator"), "year", "value")
    for m in PROJ_METHODS:
        p = ontrack.project(ot_in, method=m, horizon=H)
        fc = p.join(scale.rename({"series_id": "indicator"}), on="indicator").select(
            pl.col("indicator").alias("series_id"),
            (pl.col("year") - pl.col("last")).alias("h"),
            pl.col("point").alias("f"),
        )
        out[f"ontrack {m}"] = score(fc)
    sf_in = train.select(pl.col("series_id").alias("unique_id"), pl.col("year").alias("ds"))
    sf_in = sf_in.with_columns(y=train["value"])
    for m in PROJ_METHODS:
        col, _ = SF_MODELS[m]
        fc = statsforecast_run(sf_in, m, levels=None)
        fc = fc.join(scale.rename({"series_id": "unique_id"}), on="unique_id").select(
            pl.col("unique_id").alias("series_id"),
            (pl.col("ds") - pl.col("last")).cast(pl.Int64).alias("h"),
            pl.col(col).cast(pl.Float64).alias("f"),
        )
        out[f"statsforecast {SF_MODELS[m][0]}"] = score(fc)
    _ = np  # numpy is statsforecast's dependency; imported for its version below
    return out


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def machine() -> str:
    import numpy as np
    import polars as pl

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions = [f"Python {platform.python_version()}", f"polars {pl.__version__}"]
    versions.append(f"numpy {np.__version__}")
    for mod in ["ontrack", "pandas", "statsforecast", "coreforecast"]:
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except Exception:
            versions.append(f"{mod} (not installed)")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (`nproc`), {cpu}, {mem} RAM, {platform.system()} "
        f"{platform.release()}, load average at start {load}; " + ", ".join(versions)
    )


LABELS = {
    "ontrack_assess": "(a) ontrack.assess, open_sdg, projection=None",
    "ontrack_assess_auto": "(a) ontrack.assess, open_sdg + default projection (auto)",
    "polars_pipeline": "(b) polars group_by().agg() pipeline, same metrics",
    "polars_pipeline_full": "(b) polars pipeline, every closed-form column of assess",
    "polars_floor": "(b) polars floor: one group_by mean",
    "pandas_loop": "(c) pandas per-series loop (Open SDG style)",
    "ontrack_assess_1thread": "(e) ontrack.assess, projection=None, threads=1",
    "ontrack_assess_auto_1thread": "(e) ontrack.assess, default projection, threads=1",
}
for _m in PROJ_METHODS:
    LABELS[f"ontrack_project_{_m}"] = f"(d) ontrack.project {_m}"
    LABELS[f"statsforecast_{_m}"] = f"(d) statsforecast {SF_MODELS[_m][0]}" + (
        "(model='AAN', damped=True)" if _m == "damped_trend" else ""
    )


def fmt_t(res: dict[str, Any] | None) -> str:
    if res is None:
        return "not run"
    if "error" in res:
        return res["error"]
    best = res["warm"] if res["warm"] is not None else res["cold"]
    return f"{best:.3f}"


def best(res: dict[str, Any] | None) -> float | None:
    if not res or "error" in res:
        return None
    return res["warm"] if res["warm"] is not None else res["cold"]


def report(results: dict[str, Any], args: argparse.Namespace) -> str:
    sizes = args.sizes
    lines = [f"Machine: {results['machine']}", ""]
    lines.append(f"Command: `{results['command']}`")
    lines.append("")
    lines.append(
        "Wall time in seconds (best warm run; the cold first run in brackets where it is more "
        "than 1.5x the warm one), ratio to the ontrack row of its block (ontrack = 1; > 1 = "
        "slower than ontrack), peak RSS of the worker process and its children in MB."
    )
    # The default projection is in the closed-form block: its ratio is the price of the
    # default call. The thread-scaling block compares one thread with every core.
    blocks = [
        (
            "ontrack_assess",
            [
                "ontrack_assess",
                "ontrack_assess_auto",
                "polars_pipeline",
                "polars_pipeline_full",
                "polars_floor",
                "pandas_loop",
            ],
        ),
        ("ontrack_assess", ["ontrack_assess_1thread"]),
        ("ontrack_assess_auto", ["ontrack_assess_auto", "ontrack_assess_auto_1thread"]),
    ]
    blocks += [
        (f"ontrack_project_{m}", [f"ontrack_project_{m}", f"statsforecast_{m}"])
        for m in PROJ_METHODS
    ]
    head = "| tool |" + "".join(f" {n:,} s | ratio | peak MB |" for n in sizes)
    lines += ["", head, "|---|" + "---:|---:|---:|" * len(sizes)]
    for ref, tasks in blocks:
        for task in tasks:
            cells = []
            for n in sizes:
                r = results["runs"].get(f"{task}@{n}")
                base = best(results["runs"].get(f"{ref}@{n}"))
                b = best(r)
                t = fmt_t(r)
                if r and "error" not in r and r["warm"] is not None and r["cold"] > 1.5 * r["warm"]:
                    t += f" ({r['cold']:.2f})"
                ratio = f"{b / base:.2f}" if b is not None and base else "—"
                peak = f"{r['peak_mb']:.0f}" if r and "peak_mb" in r else "—"
                cells.append(f" {t} | {ratio} | {peak} |")
            lines.append(f"| {LABELS[task]} |" + "".join(cells))
    lines += [
        "",
        "Memory the call itself adds: peak minus the worker's resident memory before the "
        "first call, with its inputs loaded (MB):",
        "",
        "| tool |" + "".join(f" {n:,} |" for n in sizes),
        "|---|" + "---:|" * len(sizes),
    ]
    for task in ["ontrack_assess", "polars_pipeline", "polars_pipeline_full", "polars_floor"]:
        cells = []
        for n in sizes:
            r = results["runs"].get(f"{task}@{n}")
            ok = r and "peak_mb" in r and "base_mb" in r
            cells.append(f" {r['peak_mb'] - r['base_mb']:.0f} |" if ok else " — |")
        lines.append(f"| {LABELS[task]} |" + "".join(cells))
    if results.get("agreement"):
        a = results["agreement"]
        lines += ["", f"Agreement on {a['series']} series of the {sizes[0]:,} panel:"]
        for k in ["polars", "pandas"]:
            lines.append(
                f"- ontrack vs {k}: {a[k]['rows']} rows, max relative difference of progress, "
                f"time elapsed, achieved/required/needed CAGR and the Open SDG ratio "
                f"{a[k]['max_rel_diff']:.1e}, {a[k]['status_mismatches']} class mismatches"
            )
        for k, what in [("polars_full", "these series"), ("edges", "edge-case series")]:
            f = a.get(k)
            if not f:
                continue
            extra = f" ({f['series']} {what})" if k == "edges" else ""
            lines.append(
                f"- ontrack vs the full polars pipeline{extra}: {f['rows']} rows "
                f"({f['rows_missing']} on one side only), {f['columns']} columns; max relative "
                f"difference of the float columns {f['max_rel_diff']:.1e} "
                f"({f['max_rel_diff_column'] or '-'}), {f['null_mismatches']} null-pattern, "
                f"{f['label_mismatches']} status/label and {f['exact_mismatches']} year/count "
                f"mismatches: {'agree' if f['agree'] else 'DIFFER'}"
            )
    if results.get("m1"):
        lines += ["", "M1 yearly (181 series, 6-year test), computed in this run:", ""]
        lines += ["| method | sMAPE | MASE | series |", "|---|---:|---:|---:|"]
        for name, s in results["m1"].items():
            extra = f" ({s['missing']} forecasts missing)" if s["missing"] else ""
            lines.append(f"| {name} | {s['smape']:.2f} | {s['mase']:.3f} | {s['series']}{extra} |")
    if results.get("notes"):
        lines += [""] + [f"- {x}" for x in results["notes"]]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="10000,100000,1000000")
    p.add_argument("--sf-max", type=int, default=100_000, help="largest N for (d)")
    p.add_argument(
        "--auto-max", type=int, default=100_000, help="largest N for assess with projection"
    )
    p.add_argument(
        "--pandas-limit", type=float, default=300.0, help="seconds allowed per pandas run"
    )
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--budget", type=float, default=120.0, help="seconds per task for repeats")
    p.add_argument("--timeout", type=float, default=1800.0)
    p.add_argument("--only", default="", help="comma-separated tasks (default: all)")
    p.add_argument("--no-m1", action="store_true")
    p.add_argument("--out", default=str(ROOT / "target" / "bench" / "compare"))
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    p.add_argument("--make-panel", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.make_panel:
        make_panel(args.make_panel)
        return
    if args.worker:
        print(json.dumps(worker(args.worker, args.n, args.repeats, args.budget)))
        return
    args.sizes = [int(s) for s in args.sizes.split(",")]
    only = set(filter(None, args.only.split(",")))
    results: dict[str, Any] = {
        "machine": machine(),
        "command": " ".join(["python", "benches/compare.py", *sys.argv[1:]]),
        "runs": {},
        "notes": [],
    }
    for n in args.sizes:
        if not (DATA / f"targets_{n}.parquet").exists():
            print(f"generating the {n:,}-series panel", file=sys.stderr)
            # In a child process: Linux keeps a process's peak resident memory across fork and
            # exec, so workers started by a parent that once held the 10^6 panel would all
            # report its size as their peak.
            subprocess.run([sys.executable, __file__, "--make-panel", str(n)], check=True)
    pandas_time: float | None = None
    prev_n = 1
    for n in args.sizes:
        print(f"N = {n:,} series x {len(YEARS)} years", file=sys.stderr)
        tasks = ["ontrack_assess", "polars_pipeline", "polars_pipeline_full", "polars_floor"]
        tasks.append("pandas_loop")
        tasks.append("ontrack_assess_1thread")
        if n <= args.auto_max:
            tasks += ["ontrack_assess_auto", "ontrack_assess_auto_1thread"]
        if n <= args.sf_max:
            for m in PROJ_METHODS:
                tasks += [f"ontrack_project_{m}", f"statsforecast_{m}"]
        for task in tasks:
            if only and task not in only:
                continue
            if task == "pandas_loop" and pandas_time is not None:
                estimate = pandas_time * n / prev_n
                if estimate > args.pandas_limit:
                    results["notes"].append(
                        f"pandas loop not run on {n:,} series: the {prev_n:,} run took "
                        f"{pandas_time:.0f} s, so about {estimate:.0f} s expected "
                        f"(> {args.pandas_limit:.0f} s limit); not extrapolated in the table"
                    )
                    results["runs"][f"{task}@{n}"] = {"error": "not run (too slow)"}
                    continue
            res = run_worker(task, n, args)
            results["runs"][f"{task}@{n}"] = res
            if task == "pandas_loop" and best(res) is not None:
                pandas_time, prev_n = best(res), n
    if max(args.sizes) > args.auto_max:
        results["notes"].append(
            f"(a) with the default projection run up to {args.auto_max:,} series only"
        )
    if max(args.sizes) > args.sf_max:
        results["notes"].append(f"(d) run up to {args.sf_max:,} series only")
    if not only or "agreement" in only:
        results["agreement"] = agreement(args.sizes[0])
    if not args.no_m1:
        results["m1"] = m1_accuracy()
    text = report(results, args)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2))
    out.with_suffix(".md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
