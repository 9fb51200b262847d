"""The bad-input matrix: the mistakes people make in notebooks, across the whole API.

Every case is either *refused* — a specific :class:`ontrack.OntrackError` subclass whose
attribute (``column``, ``row``, ``series``, ``target_id``, ``option``, ``file``, ``line``,
...) names the culprit — or *accepted*, and then every input series is in the result (with
its ``status`` and ``reason`` where the function reports them). Nothing else is allowed: no
raw Python, Arrow or polars exception, no silently dropped series.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import polars as pl
import pytest

import ontrack
from ontrack import display, plot, report

Call = Callable[[], Any]


@dataclass(frozen=True)
class Refused:
    """The call raises ``error`` with these attribute values."""

    call: Call
    error: type[ontrack.OntrackError]
    attrs: dict[str, object]


@dataclass(frozen=True)
class Accepted:
    """The call returns a frame holding every series of ``observations``."""

    call: Call
    observations: pl.DataFrame
    keys: Sequence[str] = ("indicator",)
    statuses: bool = True
    reasons: bool = True
    extra: Callable[[pl.DataFrame], None] | None = field(default=None)


def obs_frame(
    values: Sequence[float | None] = (50.0, 55.0, 61.0, 64.0),
    indicators: Sequence[str] = ("a", "b"),
    years: Sequence[Any] = (2015, 2016, 2017, 2018),
) -> pl.DataFrame:
    """Two (or more) series of four points."""
    return pl.DataFrame(
        {
            "indicator": [i for i in indicators for _ in years],
            "year": list(years) * len(indicators),
            "value": [v for _ in indicators for v in values],
        },
        strict=False,
    )


def targets_frame(indicators: Sequence[str] = ("a", "b"), **override: Any) -> pl.DataFrame:
    """One level target per indicator."""
    n = len(indicators)
    data: dict[str, Any] = {
        "id": [f"T-{i}" for i in indicators],
        "indicator": list(indicators),
        "direction": ["increase"] * n,
        "target_value": [80.0] * n,
        "target_year": [2030] * n,
    }
    data.update(override)
    return pl.DataFrame(data, strict=False)


OBS = obs_frame()
TGT = targets_frame()


def assess(obs: Any = OBS, tgt: Any = TGT, **kw: Any) -> Call:
    return lambda: ontrack.assess(obs, tgt, **kw)


def project(obs: Any = OBS, **kw: Any) -> Call:
    kw.setdefault("horizon", 3)
    return lambda: ontrack.project(obs, **kw)


def compare(obs: Any = OBS, tgt: Any = TGT, **kw: Any) -> Call:
    kw.setdefault("method", ["open_sdg", "unsd_2023"])
    return lambda: ontrack.compare_methods(obs, tgt, **kw)


def sensitivity(obs: Any = OBS, tgt: Any = TGT, **kw: Any) -> Call:
    return lambda: ontrack.sensitivity(obs, tgt, **kw)


def result_frame() -> pl.DataFrame:
    result: pl.DataFrame = ontrack.assess(
        OBS, TGT.with_columns(group=pl.lit("g")), method=["open_sdg"]
    )
    return result


def rollup(result: Any = None, **kw: Any) -> Call:
    return lambda: ontrack.rollup(result_frame() if result is None else result, **kw)


def wrong(value: object) -> Any:
    """A value of the wrong type, passed as users pass it (unchecked)."""
    return value


def refused(call: Call, error: type[ontrack.OntrackError], **attrs: object) -> Refused:
    return Refused(call, error, attrs)


def accepted(call: Call, observations: pl.DataFrame = OBS, **kw: Any) -> Accepted:
    return Accepted(call, observations, **kw)


ArgType = ontrack.ArgumentTypeError
Opt = ontrack.OptionError

# --- assess: arguments of the wrong type --------------------------------------------------
ASSESS_TYPES = {
    "obs-none": refused(assess(obs=None), ArgType, option="observations"),
    "obs-dict": refused(assess(obs={"a": [1]}), ArgType, option="observations"),
    "obs-list": refused(assess(obs=[1, 2]), ArgType, option="observations"),
    "targets-path": refused(assess(tgt="targets.csv"), ArgType, option="targets"),
    "method-int": refused(assess(method=3), ArgType, option="method"),
    "method-list-int": refused(assess(method=["open_sdg", 3]), ArgType, option="method"),
    "method-dict": refused(assess(method={"open_sdg": 1}), ArgType, option="method"),
    "by-int": refused(assess(by=5), ArgType, option="by"),
    "indicator-int": refused(assess(indicator=1), ArgType, option="indicator"),
    "year-none": refused(assess(year=None), ArgType, option="year"),
    "value-list": refused(assess(value=["value"]), ArgType, option="value"),
    "base-year-text": refused(assess(base_year="2015"), ArgType, option="base_year"),
    "base-year-bool": refused(assess(base_year=True), ArgType, option="base_year"),
    "as-of-text": refused(assess(as_of="x"), ArgType, option="as_of"),
    "trend-alpha-text": refused(assess(trend_alpha="0.05"), ArgType, option="trend_alpha"),
    "levels-text": refused(assess(levels="0.8"), ArgType, option="levels"),
    "levels-mixed": refused(assess(levels=[0.8, "x"]), ArgType, option="levels"),
    "levels-dict": refused(assess(levels={0.8: 1}), ArgType, option="levels"),
    "untargeted-text": refused(
        assess(include_untargeted="yes"), ArgType, option="include_untargeted"
    ),
    "log-scale-int": refused(assess(log_scale=1), ArgType, option="log_scale"),
    "params-list": refused(assess(method_params=[1]), ArgType, option="method_params"),
    "params-scalar": refused(
        assess(method_params={"open_sdg": 0.5}), ArgType, option="method_params"
    ),
    "params-object": refused(
        assess(method_params={"open_sdg": {"substantial": object()}}),
        ArgType,
        option="method_params",
    ),
    "projection-int": refused(assess(projection=5), ArgType, option="projection"),
    "on-track-none": refused(
        assess(on_track_probability=None), ArgType, option="on_track_probability"
    ),
    "policy-none": refused(assess(baseline_policy=None), ArgType, option="baseline_policy"),
    "scale-int": refused(assess(scale=1), ArgType, option="scale"),
    "horizon-text": refused(assess(attainment_horizon="30"), ArgType, option="attainment_horizon"),
}

# --- assess: values out of range -----------------------------------------------------------
ASSESS_RANGES = {
    "method-unknown": refused(assess(method="nope"), Opt, option="method"),
    "method-twice": refused(assess(method=["open_sdg", "open_sdg"]), Opt, option="method"),
    "method-empty": refused(assess(method=[]), Opt, option="method"),
    "policy-unknown": refused(assess(baseline_policy="latest"), Opt, option="baseline_policy"),
    "alpha-above-1": refused(assess(trend_alpha=1.5), Opt, option="trend_alpha"),
    "alpha-nan": refused(assess(trend_alpha=math.nan), Opt, option="trend_alpha"),
    "level-above-1": refused(assess(levels=[1.5]), Opt, option="levels"),
    "level-zero": refused(assess(levels=[0.0]), Opt, option="levels"),
    "level-nan": refused(assess(levels=[math.nan]), Opt, option="levels"),
    "levels-same-name": refused(assess(levels=[0.8, 0.8]), Opt, option="levels"),
    "probability-above-1": refused(
        assess(on_track_probability=2.0), Opt, option="on_track_probability"
    ),
    "probabilities-crossed": refused(
        assess(on_track_probability=0.3, off_track_probability=0.6),
        Opt,
        option="on_track_probability",
    ),
    "attainment-negative": refused(assess(attainment_horizon=-1), Opt, option="attainment_horizon"),
    "attainment-inf": refused(
        assess(attainment_horizon=math.inf), Opt, option="attainment_horizon"
    ),
    "projection-unknown": refused(assess(projection="nope"), Opt, option="projection"),
    "params-unknown-name": refused(
        assess(method_params={"open_sdg": {"nope": 1}}), Opt, option="method_params"
    ),
    "params-not-selected": refused(
        assess(method_params={"unsd_2023": {"cuts": [0.9, 0.4]}}), Opt, option="method_params"
    ),
    "params-wrong-type": refused(
        assess(method_params={"open_sdg": {"substantial": "high"}}), Opt, option="method_params"
    ),
    "params-nan": refused(
        assess(method_params={"open_sdg": {"substantial": math.nan}}),
        Opt,
        option="method_params",
    ),
    "column-used-twice": refused(assess(by="indicator"), Opt, option="by"),
}

# --- assess: malformed frames ---------------------------------------------------------------
DUP_OBS = pl.concat([OBS, OBS.head(1)])
ASSESS_FRAMES = {
    "no-value": refused(assess(obs=OBS.drop("value")), ontrack.MissingColumnError, column="value"),
    "no-year": refused(assess(obs=OBS.drop("year")), ontrack.MissingColumnError, column="year"),
    "no-indicator": refused(
        assess(obs=OBS.drop("indicator")), ontrack.MissingColumnError, column="indicator"
    ),
    "no-by-column": refused(assess(by="region"), ontrack.MissingColumnError, column="region"),
    "no-scale-column": refused(assess(scale="scale"), ontrack.MissingColumnError, column="scale"),
    "no-target-value": refused(
        assess(tgt=TGT.drop("target_value")), ontrack.TargetError, column="target_value"
    ),
    "no-target-year": refused(
        assess(tgt=TGT.drop("target_year")), ontrack.TargetError, column="target_year"
    ),
    "no-direction": refused(
        assess(tgt=TGT.drop("direction")), ontrack.MissingColumnError, column="direction"
    ),
    "value-text": refused(
        assess(obs=OBS.with_columns(pl.col("value").cast(pl.String))),
        ontrack.ColumnTypeError,
        column="value",
    ),
    "year-text": refused(
        assess(obs=OBS.with_columns(pl.col("year").cast(pl.String))),
        ontrack.ColumnTypeError,
        column="year",
    ),
    "year-null": refused(
        assess(
            obs=OBS.with_columns(
                year=pl.when(pl.int_range(pl.len()) == 2).then(None).otherwise(pl.col("year"))
            )
        ),
        ontrack.NullValueError,
        column="year",
        row=2,
    ),
    "indicator-null": refused(
        assess(
            obs=OBS.with_columns(
                indicator=pl.when(pl.int_range(pl.len()) == 5)
                .then(None)
                .otherwise(pl.col("indicator"))
            )
        ),
        ontrack.NullValueError,
        column="indicator",
        row=5,
    ),
    "duplicate-observation": refused(
        assess(obs=DUP_OBS), ontrack.DuplicateObservationError, series="indicator=a", row=8
    ),
    "duplicate-target": refused(
        assess(tgt=pl.concat([TGT, TGT.head(1)])),
        ontrack.DuplicateTargetError,
        target_id="T-a",
        row=2,
    ),
    "direction-unknown": refused(
        assess(tgt=targets_frame(direction=["increase", "sideways"])),
        ontrack.TargetError,
        target_id="T-b",
        column="direction",
    ),
    "kind-unknown": refused(
        assess(tgt=targets_frame(kind=["level", "bogus"])),
        ontrack.TargetError,
        target_id="T-b",
        column="kind",
    ),
    "target-value-nan": refused(
        assess(tgt=targets_frame(target_value=[80.0, math.nan])),
        ontrack.TargetError,
        target_id="T-b",
        column="target_value",
    ),
    "target-value-inf": refused(
        assess(tgt=targets_frame(target_value=[math.inf, 80.0])),
        ontrack.TargetError,
        target_id="T-a",
        column="target_value",
    ),
    "target-year-null": refused(
        assess(tgt=targets_frame(target_year=[2030, None])),
        ontrack.TargetError,
        target_id="T-b",
        column="target_year",
    ),
    "target-year-text": refused(
        assess(tgt=targets_frame(target_year=["2030", "2031"])),
        ontrack.ColumnTypeError,
        column="target_year",
    ),
    "pandas-object-mixed": refused(
        assess(
            obs=pd.DataFrame(
                {"indicator": ["a"] * 3, "year": [2015, 2016, 2017], "value": [1.0, "2", 3.0]}
            )
        ),
        ontrack.ColumnTypeError,
        column="value",
        row=1,
    ),
    "pandas-object-mixed-year": refused(
        assess(
            obs=pd.DataFrame(
                {"indicator": ["a"] * 3, "year": [2015, "2016", 2017], "value": [1.0, 2.0, 3.0]}
            )
        ),
        ontrack.ColumnTypeError,
        column="year",
        row=1,
    ),
}


def _with(values: Sequence[float | None], **kw: Any) -> pl.DataFrame:
    return obs_frame(values=values, **kw)


EMPTY = OBS.clear()
UNICODE = obs_frame(indicators=("城镇化率", "👶 mortality"))
NULLABLE = OBS.to_pandas().astype({"value": "Float64", "year": "Int64"})
NULLABLE.loc[1, "value"] = pd.NA
DATES = obs_frame(years=[dt.date(2015 + i, 6, 30) for i in range(4)])
DATETIMES_TZ = obs_frame(
    years=[dt.datetime(2015 + i, 1, 1, tzinfo=dt.UTC) for i in range(4)]
).with_columns(pl.col("year").dt.convert_time_zone("Asia/Shanghai"))

# --- assess: accepted, odd but legal data ---------------------------------------------------
ASSESS_ACCEPTED = {
    "value-nan": accepted(assess(obs=_with([50.0, math.nan, 61.0, 64.0])), _with([1, 2, 3, 4])),
    "value-inf": accepted(assess(obs=_with([50.0, math.inf, 61.0, 64.0])), OBS),
    "value-neg-inf": accepted(assess(obs=_with([-math.inf, 55.0, 61.0, 64.0])), OBS),
    "values-all-null": accepted(assess(obs=_with([None, None, None, None])), OBS),
    "values-all-nan": accepted(assess(obs=_with([math.nan] * 4)), OBS),
    "values-zero": accepted(assess(obs=_with([0.0, 0.0, 0.0, 0.0])), OBS),
    "values-negative": accepted(assess(obs=_with([-5.0, -4.0, -3.0, -1.0])), OBS),
    "sign-change": accepted(assess(obs=_with([-5.0, -1.0, 2.0, 6.0])), OBS),
    "huge-values": accepted(assess(obs=_with([1e300, 1e301, 1e302, 1e303])), OBS),
    "tiny-values": accepted(assess(obs=_with([1e-300, 2e-300, 3e-300, 4e-300])), OBS),
    "single-point": accepted(assess(obs=OBS.filter(pl.col("year") == 2015)), OBS),
    "empty-observations": accepted(assess(obs=EMPTY), EMPTY),
    "empty-targets": accepted(assess(tgt=TGT.clear()), OBS),
    "untargeted-series": accepted(assess(tgt=TGT.head(1)), OBS),
    "target-without-data": accepted(assess(tgt=targets_frame(("a", "b", "c"))), OBS),
    "unicode-keys": accepted(assess(obs=UNICODE, tgt=targets_frame(("城镇化率",))), UNICODE),
    "huge-years": accepted(assess(obs=obs_frame(years=(9000, 9001, 9002, 9003))), OBS),
    "negative-years": accepted(
        assess(
            obs=obs_frame(years=(-503, -502, -501, -500)),
            tgt=targets_frame(target_year=[-400, -400]),
        ),
        OBS,
    ),
    "fractional-years": accepted(
        assess(obs=obs_frame(years=(2015.0, 2015.5, 2016.25, 2017.0))), OBS
    ),
    "dates": accepted(
        assess(obs=DATES, tgt=targets_frame(target_year=[dt.date(2030, 12, 31)] * 2)), OBS
    ),
    "datetimes-tz": accepted(
        assess(
            obs=DATETIMES_TZ,
            tgt=targets_frame(target_year=[dt.datetime(2030, 1, 1, tzinfo=dt.UTC)] * 2),
        ),
        OBS,
    ),
    "pandas-nullable": accepted(assess(obs=NULLABLE), OBS),
    "pandas-object-text": accepted(assess(obs=OBS.to_pandas().astype({"indicator": object})), OBS),
    "pandas-index-key": accepted(assess(obs=OBS.to_pandas().set_index("indicator")), OBS),
    "lazy-frames": accepted(assess(obs=OBS.lazy(), tgt=TGT.lazy()), OBS),
    "float32-values": accepted(assess(obs=OBS.with_columns(pl.col("value").cast(pl.Float32))), OBS),
    "decimal-values": accepted(
        assess(obs=OBS.with_columns(pl.col("value").cast(pl.Decimal(12, 3)))), OBS
    ),
    "python-decimal-base-year": accepted(assess(base_year=Decimal(2016)), OBS),
    "categorical-indicator": accepted(
        assess(obs=OBS.with_columns(pl.col("indicator").cast(pl.Categorical))), OBS
    ),
    "null-key": accepted(
        assess(obs=OBS.with_columns(region=pl.lit(None, dtype=pl.String)), by="region"),
        OBS.with_columns(region=pl.lit(None, dtype=pl.String)),
        keys=("indicator", "region"),
    ),
    "int-key": accepted(
        assess(obs=OBS.with_columns(region=pl.lit(7)), by="region"),
        OBS.with_columns(region=pl.lit(7)),
        keys=("indicator", "region"),
    ),
    "as-of-before-data": accepted(assess(as_of=1900), OBS),
    "base-year-after-data": accepted(assess(base_year=2100), OBS),
    "value-bool": accepted(assess(obs=OBS.with_columns(pl.col("value") > 55)), OBS),
    "every-method": accepted(assess(method=ontrack.methods()), OBS),
    "single-level": accepted(assess(levels=0.9), OBS),
    "no-projection": accepted(assess(projection=None), OBS),
    "log-scale-with-zero": accepted(assess(obs=_with([0.0, 1.0, 2.0, 3.0]), log_scale=True), OBS),
}

# --- project ----------------------------------------------------------------------------------
PROJECT = {
    "horizon-negative": refused(project(horizon=-1), Opt, option="horizon"),
    "horizon-zero": refused(project(horizon=0), Opt, option="horizon"),
    "horizon-huge": refused(project(horizon=5000), Opt, option="horizon"),
    "horizon-enormous": refused(project(horizon=10**30), Opt, option="horizon"),
    "horizon-fraction": refused(project(horizon=2.5), ArgType, option="horizon"),
    "horizon-text": refused(project(horizon="3"), ArgType, option="horizon"),
    "until-and-horizon": refused(project(until=2030), Opt, option="until"),
    "until-text": refused(project(horizon=None, until="2030"), ArgType, option="until"),
    "until-nan": refused(project(horizon=None, until=math.nan), Opt, option="until"),
    "method-unknown": refused(project(method="nope"), Opt, option="method"),
    "method-none-list": refused(project(method=[]), Opt, option="methods"),
    "levels-above-1": refused(project(levels=[2.0]), Opt, option="levels"),
    "levels-scalar-text": refused(project(levels="0.8"), ArgType, option="levels"),
    "bounds-crossed": refused(project(lower_bound=100, upper_bound=0), Opt, option="bounds"),
    "lower-bound-text": refused(project(lower_bound="0"), ArgType, option="lower_bound"),
    "obs-not-frame": refused(project(obs="obs.csv"), ArgType, option="observations"),
    "no-value": refused(project(obs=OBS.drop("value")), ontrack.MissingColumnError, column="value"),
    "value-text": refused(
        project(obs=OBS.with_columns(pl.col("value").cast(pl.String))),
        ontrack.ColumnTypeError,
        column="value",
    ),
    "duplicate-observation": refused(
        project(obs=DUP_OBS), ontrack.DuplicateObservationError, series="indicator=a"
    ),
    "log-scale-text": refused(project(log_scale="yes"), ArgType, option="log_scale"),
}

PROJECT_ACCEPTED = {
    "project-nan": accepted(project(obs=_with([50.0, math.nan, 61.0, 64.0])), OBS, statuses=False),
    "project-inf": accepted(project(obs=_with([50.0, math.inf, 61.0, 64.0])), OBS, statuses=False),
    "project-all-null": accepted(project(obs=_with([None] * 4)), OBS, statuses=False),
    "project-single-point": accepted(
        project(obs=OBS.filter(pl.col("year") == 2015)), OBS, statuses=False
    ),
    "project-constant": accepted(project(obs=_with([5.0] * 4)), OBS, statuses=False),
    "project-empty": accepted(project(obs=EMPTY), EMPTY, statuses=False),
    "project-dates": accepted(project(obs=DATES), OBS, statuses=False),
    "project-lazy": accepted(project(obs=OBS.lazy()), OBS, statuses=False),
    "project-pandas": accepted(project(obs=NULLABLE), OBS, statuses=False),
    "project-unicode": accepted(project(obs=UNICODE), UNICODE, statuses=False),
    "project-single-level": accepted(project(levels=0.8), OBS, statuses=False),
    "project-every-method": accepted(
        project(
            method=[
                "linear",
                "linear_weighted",
                "log_linear",
                "log_linear_weighted",
                "drift",
                "damped_trend",
                "theta",
                "auto",
            ]
        ),
        OBS,
        statuses=False,
    ),
    "project-bounded-at-bound": accepted(
        project(obs=_with([0.0, 50.0, 100.0, 100.0]), lower_bound=0, upper_bound=100),
        OBS,
        statuses=False,
    ),
    "project-huge-years": accepted(
        project(obs=obs_frame(years=(9000, 9001, 9002, 9003))), OBS, statuses=False
    ),
}

# --- compare_methods, sensitivity, rollup -------------------------------------------------------
OTHERS = {
    "compare-one-method": refused(compare(method=["open_sdg"]), Opt, option="method"),
    "compare-not-frame": refused(compare(obs=None), ArgType, option="observations"),
    "compare-unknown-method": refused(compare(method=["open_sdg", "x"]), Opt, option="method"),
    "compare-method-int": refused(compare(method=[1, 2]), ArgType, option="method"),
    "sensitivity-text-years": refused(sensitivity(base_years=["x"]), ArgType, option="base_years"),
    "sensitivity-year-string": refused(
        sensitivity(base_years="2015"), ArgType, option="base_years"
    ),
    "sensitivity-nan-year": refused(sensitivity(base_years=[math.nan]), Opt, option="base_years"),
    "sensitivity-not-frame": refused(sensitivity(tgt=5), ArgType, option="targets"),
    "rollup-no-by-column": refused(
        rollup(by="region"), ontrack.MissingColumnError, column="region"
    ),
    "rollup-how-unknown": refused(rollup(by="group", how="median"), Opt, option="how"),
    "rollup-coverage-2": refused(rollup(by="group", min_coverage=2), Opt, option="min_coverage"),
    "rollup-coverage-text": refused(
        rollup(by="group", min_coverage="all"), ArgType, option="min_coverage"
    ),
    "rollup-by-twice": refused(rollup(by=["group", "group"]), Opt, option="by"),
    "rollup-not-frame": refused(rollup(result=[1]), ArgType, option="result"),
    "rollup-no-status": refused(
        rollup(result=result_frame().drop("status"), by="group"),
        ontrack.MissingColumnError,
        column="status",
    ),
    "rollup-null-status": refused(
        rollup(
            result=result_frame().with_columns(
                status=pl.when(pl.int_range(pl.len()) == 1).then(None).otherwise(pl.col("status"))
            ),
            by="group",
        ),
        ontrack.NullValueError,
        column="status",
        row=1,
    ),
    "rollup-weight-int": refused(rollup(by="group", weight=1), ArgType, option="weight"),
}

OTHERS_ACCEPTED = {
    "compare-nan": accepted(compare(obs=_with([50.0, math.nan, 61.0, 64.0])), OBS),
    "compare-empty-obs": accepted(compare(obs=EMPTY), EMPTY),
    "sensitivity-inf": accepted(
        sensitivity(obs=_with([50.0, math.inf, 61.0, 64.0])), OBS, reasons=False
    ),
    "sensitivity-one-point": accepted(
        sensitivity(obs=OBS.filter(pl.col("year") == 2015)), OBS, reasons=False
    ),
    "sensitivity-far-base-year": accepted(sensitivity(base_years=[1900, 2100]), OBS, reasons=False),
}

# --- read_plan ---------------------------------------------------------------------------------
GOOD_PLAN = """[plan]
id = "p"
name_en = "plan"

[[groups]]
id = "g"

[[targets]]
id = "t1"
group = "g"
indicator = "a"
kind = "level"
direction = "increase"
value = 80
deadline = 2030
"""


def plan_file(name: str, text: str | bytes) -> Callable[[Path], Any]:
    def call(tmp: Path) -> Any:
        path = tmp / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return ontrack.read_plan(path)

    return call


PLANS: dict[str, tuple[Callable[[Path], Any], type[ontrack.OntrackError], dict[str, object]]] = {
    "plan-missing-file": (
        lambda tmp: ontrack.read_plan(tmp / "none.toml"),
        ontrack.PlanError,
        {"line": None},
    ),
    "plan-bad-toml": (plan_file("p.toml", "[plan\nid = 1\n"), ontrack.PlanError, {"line": 1}),
    "plan-bad-json": (
        plan_file("p.json", '{"plan": {"id": "p",}}'),
        ontrack.PlanError,
        {"line": 1},
    ),
    "plan-bad-direction": (
        plan_file("p.toml", GOOD_PLAN.replace('"increase"', '"sideways"')),
        ontrack.PlanError,
        {"target_id": "t1", "line": 13, "col": 13},
    ),
    "plan-year-text": (
        plan_file("p.toml", GOOD_PLAN.replace("2030", '"2030"')),
        ontrack.PlanError,
        {"target_id": "t1", "line": 15, "col": 12},
    ),
    "plan-no-indicator": (
        plan_file("p.toml", GOOD_PLAN.replace('indicator = "a"\n', "")),
        ontrack.PlanError,
        {"target_id": "t1"},
    ),
    "plan-duplicate-id": (
        plan_file("p.toml", GOOD_PLAN + GOOD_PLAN[GOOD_PLAN.index("[[targets]]") :]),
        ontrack.PlanError,
        {"target_id": "t1"},
    ),
    "plan-not-utf8": (plan_file("p.toml", b"\xff\xfe[plan]"), ontrack.PlanError, {}),
    "plan-empty": (plan_file("p.toml", ""), ontrack.PlanError, {}),
    "plan-json-array": (plan_file("p.json", "[1, 2]"), ontrack.PlanError, {}),
    "plan-path-int": (lambda tmp: ontrack.read_plan(wrong(5)), ArgType, {"option": "path"}),
}

# --- expressions, plots, display, report ----------------------------------------------------
RESULT = ontrack.assess(OBS, TGT, method=["open_sdg", "unsd_2023"])
PROJECTION = ontrack.project(OBS.filter(pl.col("indicator") == "a"), method=["linear", "theta"])


TEXT_VALUES = OBS.with_columns(pl.col("value").cast(pl.String))
TEXT_YEARS = OBS.with_columns(pl.col("year").cast(pl.String))


def html(result: Any = RESULT, **kw: Any) -> Callable[[Path], Any]:
    return lambda tmp: report.html_report(result, path=tmp / "r.html", **kw)


VIEWS = {
    "cagr-target-text": refused(
        lambda: ontrack.required_cagr("value", "year", target=wrong("80"), target_year=2030),
        ArgType,
        option="target",
    ),
    "progress-target-none": refused(
        lambda: ontrack.progress("value", "year", target=wrong(None)),
        ArgType,
        option="target",
    ),
    "elapsed-year-text": refused(
        lambda: ontrack.time_elapsed("value", "year", target_year=wrong("2030")),
        ArgType,
        option="target_year",
    ),
    "cagr-value-text-select": refused(
        lambda: TEXT_VALUES.select(ontrack.cagr("value", "year")),
        ontrack.ColumnTypeError,
        column="value",
    ),
    "cagr-value-text-with-columns": refused(
        lambda: TEXT_VALUES.with_columns(ontrack.cagr("value", "year").alias("g")),
        ontrack.ColumnTypeError,
        column="value",
    ),
    "progress-year-text-group-by": refused(
        lambda: TEXT_YEARS.group_by("indicator").agg(ontrack.progress("value", "year", target=80)),
        ontrack.ColumnTypeError,
        column="year",
    ),
    "required-cagr-value-text-lazy": refused(
        lambda: (
            TEXT_VALUES.lazy()
            .group_by("indicator")
            .agg(ontrack.required_cagr("value", "year", target=80, target_year=2030))
            .collect()
        ),
        ontrack.ColumnTypeError,
        column="value",
    ),
    "elapsed-year-text-over": refused(
        lambda: TEXT_YEARS.select(
            ontrack.time_elapsed("value", "year", target_year=2030).over("indicator")
        ),
        ontrack.ColumnTypeError,
        column="year",
    ),
    "progress-chart-no-status": refused(
        lambda: plot.progress_chart(RESULT.drop("status")),
        ontrack.MissingColumnError,
        column="status",
    ),
    "progress-chart-method": refused(
        lambda: plot.progress_chart(RESULT, method="china_plan"), Opt, option="method"
    ),
    "progress-chart-by-not-unique": refused(
        lambda: plot.progress_chart(RESULT, by="method"), Opt, option="by"
    ),
    "progress-chart-not-frame": refused(
        lambda: plot.progress_chart(wrong(None)),
        ArgType,
        option="result",
    ),
    "progress-chart-by-int": refused(
        lambda: plot.progress_chart(RESULT, by=wrong(3)),
        ArgType,
        option="by",
    ),
    "schedule-chart-no-progress": refused(
        lambda: plot.schedule_chart(RESULT.drop("progress")),
        ontrack.MissingColumnError,
        column="progress",
    ),
    "fan-chart-two-series": refused(
        lambda: plot.fan_chart(OBS, ontrack.project(OBS, method="linear")),
        Opt,
        option="series",
    ),
    "fan-chart-no-point": refused(
        lambda: plot.fan_chart(OBS, PROJECTION.drop("point")),
        ontrack.MissingColumnError,
        column="point",
    ),
    "fan-chart-obs-no-year": refused(
        lambda: plot.fan_chart(OBS.drop("year"), PROJECTION),
        ontrack.MissingColumnError,
        column="year",
    ),
    "fan-chart-method": refused(
        lambda: plot.fan_chart(OBS, PROJECTION, method="drift"), Opt, option="method"
    ),
    "status-table-column": refused(
        lambda: display.status_table(RESULT, columns=["nope"]),
        ontrack.MissingColumnError,
        column="nope",
    ),
    "status-table-not-frame": refused(
        lambda: display.status_table(wrong("result")),
        ArgType,
        option="status_table",
    ),
}

VIEWS_TMP: dict[
    str, tuple[Callable[[Path], Any], type[ontrack.OntrackError], dict[str, object]]
] = {
    "report-no-status": (
        html(RESULT.drop("status")),
        ontrack.MissingColumnError,
        {"column": "status"},
    ),
    "report-obs-no-year": (
        html(observations=OBS.drop("year")),
        ontrack.MissingColumnError,
        {"column": "year"},
    ),
    "report-not-frame": (html(result=None), ArgType, {"option": "result"}),
    "report-year-int": (html(year=1), ArgType, {"option": "year"}),
}

REFUSED: dict[str, Refused] = {
    **ASSESS_TYPES,
    **ASSESS_RANGES,
    **ASSESS_FRAMES,
    **PROJECT,
    **OTHERS,
    **VIEWS,
}
ACCEPTED: dict[str, Accepted] = {**ASSESS_ACCEPTED, **PROJECT_ACCEPTED, **OTHERS_ACCEPTED}
WITH_FILES = {**PLANS, **VIEWS_TMP}


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def check_refusal(
    error: BaseException, cls: type[ontrack.OntrackError], attrs: dict[str, object]
) -> None:
    assert type(error) is cls, f"{type(error).__name__}: {error}"
    for name, expected in attrs.items():
        assert getattr(error, name) == expected, f"{name}={getattr(error, name)!r}: {error}"
    assert str(error)


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_refused(case: Refused) -> None:
    with pytest.raises(ontrack.OntrackError) as info:
        case.call()
    check_refusal(info.value, case.error, case.attrs)


@pytest.mark.parametrize("case", WITH_FILES.values(), ids=WITH_FILES.keys())
def test_refused_with_files(
    case: tuple[Callable[[Path], Any], type[ontrack.OntrackError], dict[str, object]],
    tmp_path: Path,
) -> None:
    call, cls, attrs = case
    with pytest.raises(ontrack.OntrackError) as info:
        call(tmp_path)
    check_refusal(info.value, cls, attrs)
    if cls is ontrack.PlanError:
        assert info.value.file is not None
        assert info.value.file.endswith((".toml", ".json"))


def series_of(frame: pl.DataFrame, keys: Sequence[str]) -> set[tuple[object, ...]]:
    return {tuple(r) for r in frame.select(keys).unique().rows()}


@pytest.mark.parametrize("case", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_keeps_every_series(case: Accepted) -> None:
    out = case.call()
    assert isinstance(out, pl.DataFrame)
    keys = list(case.keys)
    expected = series_of(case.observations, keys)
    assert series_of(out.with_columns(pl.col(keys[0]).cast(pl.String)), keys) >= expected
    if case.statuses:
        assert out.get_column("status").null_count() == 0
        if case.reasons:
            assert "reason" in out.columns


def test_the_plan_of_the_malformed_cases_is_valid(tmp_path: Path) -> None:
    plan = plan_file("p.toml", GOOD_PLAN)(tmp_path)
    assert plan.targets.get_column("id").to_list() == ["t1"]


def test_the_matrix_is_large() -> None:
    assert len(REFUSED) + len(ACCEPTED) + len(WITH_FILES) >= 120
