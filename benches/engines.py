"""ontrack on Spark and Dask against one process, on the same 2 cores.

    .venv-bench/bin/python benches/engines.py                 # 10^6 series, writes the table
    .venv-bench/bin/python benches/engines.py --series 100000 --skip-out-of-core

The panel: N yearly series (indicator x region, 2005-2024, ~5 % missing years, ~2 % null
values), one level target per series given as an engine frame with an ``id`` (co-partitioned
with the observations), written as a Parquet dataset of several files that every tool reads.

For each engine the table separates:
- start-up: starting the engine (SparkSession ``local[2]``; Dask ``LocalCluster`` of 2 worker
  processes, one thread each) and one trivial job;
- identity job: the same read, bucket column, shuffle and Arrow batches through
  ``applyInArrow`` / ``map_partitions``, with a function that returns its input;
- ontrack: the real assessment (closed form, ``projection=None``) with its own shuffle;
- ontrack above identity: the difference, i.e. what ontrack adds on top of the engine's own
  cost, compared with the one-process time (the aim: at most 1x).
Every job ends in a sink that consumes all rows without collecting them to the driver (Spark's
``noop`` writer; a per-partition row count in Dask).

Out of core: a Dask ``LocalCluster`` whose workers have a memory limit assesses a Parquet
dataset whose in-memory Arrow size is at least 3x the sum of the limits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "target" / "bench" / "distributed"
YEARS = list(range(2005, 2025))
REGIONS = 200
#: Runs of each engine job (the best is kept); `--repeats`.
REPEATS = 1


def write_panel(path: Path, n: int, *, seed: int, files: int) -> tuple[int, int]:
    """Write observations (``path/obs``) and targets (``path/targets``) in ``files`` files
    each, one chunk of series at a time; returns (rows, in-memory Arrow bytes)."""
    import numpy as np
    import polars as pl

    shutil.rmtree(path, ignore_errors=True)
    (path / "obs").mkdir(parents=True)
    (path / "targets").mkdir(parents=True)
    rows = nbytes = 0
    per_file = -(-n // files)
    t = len(YEARS)
    for f in range(files):
        lo, hi = f * per_file, min(n, (f + 1) * per_file)
        if lo >= hi:
            break
        rng = np.random.default_rng(seed + f)
        idx = np.arange(lo, hi)
        level = 10.0 + 90.0 * rng.random(idx.size)
        slope = level * (0.04 * rng.random(idx.size) - 0.01)
        values = level[:, None] + slope[:, None] * np.arange(t)[None, :]
        values += 0.03 * level[:, None] * (rng.random((idx.size, t)) - 0.5)
        series = np.repeat(idx, t)
        indicator = "ind_" + pl.Series(series // REGIONS).cast(pl.String).str.zfill(5)
        region = "region_" + pl.Series(series % REGIONS).cast(pl.String).str.zfill(3)
        keep = pl.Series(rng.random(series.size) >= 0.05)
        null = pl.Series(rng.random(series.size) < 0.02)
        obs = pl.DataFrame(
            {
                "indicator": indicator,
                "region": region,
                "year": np.tile(np.array(YEARS, dtype=np.int64), idx.size),
                "value": values.ravel(),
            }
        ).with_columns(pl.when(null).then(None).otherwise(pl.col("value")).alias("value"))
        obs = obs.filter(keep)
        targets = pl.DataFrame(
            {
                "id": "t" + pl.Series(idx).cast(pl.String),
                "indicator": indicator.gather(np.arange(idx.size) * t),
                "region": region.gather(np.arange(idx.size) * t),
                "direction": np.where(slope >= 0, "increase", "decrease"),
                "target_value": level + slope * 25.0 * (0.6 + 0.8 * rng.random(idx.size)),
                "target_year": np.full(idx.size, 2030, dtype=np.int64),
            }
        )
        obs.write_parquet(path / "obs" / f"part-{f:04d}.parquet")
        targets.write_parquet(path / "targets" / f"part-{f:04d}.parquet")
        rows += obs.height
        nbytes += obs.to_arrow().nbytes
    return rows, nbytes


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --------------------------------------------------------------------------- one process


def one_process(path: Path, threads: int) -> dict[str, float]:
    import polars as pl

    import ontrack

    obs = pl.read_parquet(path / "obs")
    targets = pl.read_parquet(path / "targets")
    ontrack.assess(obs.head(1000), targets, by="region", projection=None)  # warm up
    best = min(
        timed(lambda: ontrack.assess(obs, targets, by="region", projection=None, threads=threads))
        for _ in range(2)
    )
    total = timed(
        lambda: ontrack.assess(
            pl.read_parquet(path / "obs"),
            pl.read_parquet(path / "targets"),
            by="region",
            projection=None,
            threads=threads,
        )
    )
    return {"assess": best, "read_and_assess": total}


# --------------------------------------------------------------------------- Spark


def spark_runs(path: Path, buckets: int) -> dict[str, float]:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import LongType, StructField, StructType

    import ontrack
    from ontrack.distributed import _spark
    from ontrack.distributed._common import BUCKET

    os.environ["PYSPARK_PYTHON"] = sys.executable
    out: dict[str, float] = {}

    def start() -> Any:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("ontrack-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "6g")
            .config("spark.sql.shuffle.partitions", str(buckets))
            .config("spark.executorEnv.POLARS_MAX_THREADS", "1")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        session.range(10).count()
        return session

    t0 = time.perf_counter()
    spark = start()
    out["startup"] = time.perf_counter() - t0
    obs = spark.read.parquet(str(path / "obs"))
    targets = spark.read.parquet(str(path / "targets"))

    def identity() -> None:
        left = _spark._with_bucket(obs, ["indicator", "region"], buckets).groupBy(BUCKET)
        right = _spark._with_bucket(targets, ["indicator", "region"], buckets).groupBy(BUCKET)
        # A new StructType: `StructType.add` would change the frame's cached schema in place.
        schema = StructType([*obs.schema.fields, StructField(BUCKET, LongType())])
        job = left.cogroup(right).applyInArrow(lambda a, b: a, schema)
        job.write.format("noop").mode("overwrite").save()

    def real() -> None:
        result = ontrack.assess(obs, targets, by="region", projection=None, buckets=buckets)
        result.write.format("noop").mode("overwrite").save()

    out["identity"] = min(timed(identity) for _ in range(REPEATS))
    out["ontrack"] = min(timed(real) for _ in range(REPEATS))
    spark.stop()
    return out


# --------------------------------------------------------------------------- Dask


def dask_runs(path: Path, buckets: int) -> dict[str, float]:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import ontrack
    from ontrack.distributed import _dask

    out: dict[str, float] = {}
    t0 = time.perf_counter()
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"POLARS_MAX_THREADS": "1"},
    )
    client = Client(cluster)
    client.submit(sum, [1, 2]).result()
    out["startup"] = time.perf_counter() - t0

    def read(name: str) -> Any:
        return dd.read_parquet(str(path / name), dtype_backend="pyarrow")

    def identity() -> None:
        keys = ["indicator", "region"]
        left = _dask._bucketed(read("obs"), keys, buckets)
        right = _dask._bucketed(read("targets"), keys, buckets)
        job = dd.map_partitions(lambda a, b: a, left, right, align_dataframes=False)
        job.map_partitions(len).compute()

    def real() -> None:
        result = ontrack.assess(
            read("obs"), read("targets"), by="region", projection=None, buckets=buckets
        )
        result.map_partitions(len).compute()

    out["identity"] = min(timed(identity) for _ in range(REPEATS))
    out["ontrack"] = min(timed(real) for _ in range(REPEATS))
    client.close()
    cluster.close()
    return out


def out_of_core(path: Path, n: int, memory_limit: str, buckets: int) -> dict[str, Any]:
    """Assess a dataset larger than the workers' memory together (Dask, disk shuffle)."""
    import dask
    import dask.dataframe as dd
    from dask.utils import parse_bytes
    from distributed import Client, LocalCluster

    import ontrack

    # Files of ~50,000 series (~50 MB in Arrow): a Dask partition is a file, and a worker
    # must hold one partition with its bucket column while it hashes it.
    rows, nbytes = write_panel(path, n, seed=99, files=max(8, n // 50_000))
    limits = 2 * parse_bytes(memory_limit)
    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_limit,
        dashboard_address=None,
        # Arrow's own allocator pools freed memory; the system allocator gives it back, so
        # the nanny's memory limit measures what a task really holds.
        env={"POLARS_MAX_THREADS": "1", "ARROW_DEFAULT_MEMORY_POOL": "system"},
    )
    client = Client(cluster)
    start = time.perf_counter()
    with dask.config.set({"dataframe.shuffle.method": "p2p"}):
        result = ontrack.assess(
            dd.read_parquet(str(path / "obs"), dtype_backend="pyarrow"),
            dd.read_parquet(str(path / "targets"), dtype_backend="pyarrow"),
            by="region",
            projection=None,
            buckets=buckets,
        )
        assessed = int(result.map_partitions(len).compute().sum())
    seconds = time.perf_counter() - start
    client.close()
    cluster.close()
    return {
        "series": n,
        "rows": rows,
        "arrow_gb": nbytes / 1e9,
        "limits_gb": limits / 1e9,
        "ratio": nbytes / limits,
        "assessed_rows": assessed,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1_000_000)
    parser.add_argument("--buckets", type=int, default=16)
    parser.add_argument("--skip-out-of-core", action="store_true")
    parser.add_argument("--out-of-core-series", type=int, default=6_700_000)
    parser.add_argument("--worker-memory", default="1GiB")
    parser.add_argument("--out-of-core-buckets", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    global REPEATS
    REPEATS = max(1, args.repeats)

    path = DATA / f"panel_{args.series}"
    rows, nbytes = write_panel(path, args.series, seed=7, files=8)
    print(f"panel: {args.series} series, {rows} rows, {nbytes / 1e9:.2f} GB in Arrow", flush=True)
    local1 = one_process(path, threads=1)
    local2 = one_process(path, threads=2)
    print("one process:", local1, local2, flush=True)
    spark = spark_runs(path, args.buckets)
    print("spark:", spark, flush=True)
    dask_ = dask_runs(path, args.buckets)
    print("dask:", dask_, flush=True)
    lines = [
        f"{args.series:,} series x {len(YEARS)} years ({rows:,} rows, "
        f"{nbytes / 1e9:.2f} GB in Arrow), per-series targets as an engine frame, "
        f"{args.buckets} buckets, 2 cores.",
        "",
        "| run | start-up s | identity job s | ontrack s | ontrack above identity s "
        "| above identity / one process (2 threads) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| one process, 1 thread (assess; read + assess) | — | — | {local1['assess']:.2f}; "
        f"{local1['read_and_assess']:.2f} | — | — |",
        f"| one process, 2 threads (assess; read + assess) | — | — | {local2['assess']:.2f}; "
        f"{local2['read_and_assess']:.2f} | — | — |",
    ]
    for name, r in (("Spark local[2]", spark), ("Dask, 2 workers", dask_)):
        above = r["ontrack"] - r["identity"]
        lines.append(
            f"| {name} | {r['startup']:.1f} | {r['identity']:.1f} | {r['ontrack']:.1f} | "
            f"{above:.1f} | {above / local2['read_and_assess']:.2f}x |"
        )
    if not args.skip_out_of_core:
        ooc = out_of_core(
            DATA / "out_of_core",
            args.out_of_core_series,
            args.worker_memory,
            args.out_of_core_buckets,
        )
        print("out of core:", ooc, flush=True)
        lines += [
            "",
            f"Out of core (Dask, 2 workers of {args.worker_memory}): {ooc['series']:,} series, "
            f"{ooc['rows']:,} rows, {ooc['arrow_gb']:.2f} GB in Arrow = {ooc['ratio']:.1f}x the "
            f"workers' {ooc['limits_gb']:.2f} GB of memory limits; assessed "
            f"{ooc['assessed_rows']:,} result rows in {ooc['seconds']:.0f} s.",
        ]
    table = "\n".join(lines)
    (ROOT / "target" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "target" / "bench" / "distributed.md").write_text(table + "\n", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
