"""Spark and Dask give exactly the one-process results.

Both engines run for real: Spark as ``local[2]`` with the virtual environment's Python for
its workers, Dask as a ``LocalCluster`` of two worker processes. Each is started once for the
session. Inputs travel the way users have them: Parquet files read by the engine.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal

import ontrack
from ontrack.distributed.types import arrow_schema, conform

ROOT = Path(__file__).resolve().parent.parent
UK = ROOT / "data" / "uk_ons_sdg"

pytestmark = pytest.mark.filterwarnings(
    # pyspark and distributed warn about their own internals (deprecations, ports).
    "ignore::DeprecationWarning",
    "ignore::FutureWarning",
    "ignore::UserWarning",
    "ignore::ResourceWarning",
    "ignore::pytest.PytestUnraisableExceptionWarning",
)


# --------------------------------------------------------------------------- engines


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("ontrack-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "3g")
        .config("spark.executorEnv.POLARS_MAX_THREADS", "1")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        env={"POLARS_MAX_THREADS": "1"},
    )
    client = Client(cluster)
    yield client
    client.close()
    cluster.close()


def spark_read(spark: Any, path: Path) -> Any:
    return spark.read.parquet(str(path))


def dask_read(path: Path) -> Any:
    import dask.dataframe as dd

    return dd.read_parquet(str(path), dtype_backend="pyarrow")


def collect(frame: Any) -> pl.DataFrame:
    """An engine's result as polars (Spark through Arrow, Dask through its Arrow columns)."""
    if type(frame).__module__.startswith("pyspark"):
        table = frame.toArrow()
    else:
        table = pa.Table.from_pandas(frame.compute(), preserve_index=False)
    out = pl.from_arrow(table)
    assert isinstance(out, pl.DataFrame)
    return out


def as_engine_types(local: pl.DataFrame) -> pl.DataFrame:
    """A one-process result in the engines' types (the documented type table)."""
    out = pl.from_arrow(conform(local, arrow_schema(local.schema)))
    assert isinstance(out, pl.DataFrame)
    return out


def assert_same(engine_result: Any, local: pl.DataFrame, keys: list[str]) -> None:
    """Exactly the one-process rows, columns, order of columns, types and values."""
    got = collect(engine_result)
    want = as_engine_types(local)
    assert got.columns == want.columns
    got = got.sort(keys, nulls_last=True)
    want = want.sort(keys, nulls_last=True)
    assert_frame_equal(got, want, check_exact=True)


def write_parquet(frame: pl.DataFrame, path: Path, *, seed: int, files: int) -> Path:
    """Write ``frame`` with its rows shuffled into ``files`` Parquet files."""
    path.mkdir(parents=True, exist_ok=True)
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=seed)
    step = -(-shuffled.height // files)
    for i in range(files):
        part = shuffled.slice(i * step, step)
        pq.write_table(part.to_arrow(), path / f"part-{i:03d}.parquet")
    return path


# --------------------------------------------------------------------------- data


def uk_observations() -> pl.DataFrame:
    """UK ONS under-5 mortality by country (SDG 3.2.1), as the ONS publishes it."""
    raw = pl.read_csv(UK / "indicator_3-2-1.csv", infer_schema_length=10_000)
    keys = ["Country", "Sex"]
    return raw.select(
        pl.lit("3.2.1").alias("indicator"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        *[pl.col(k).cast(pl.String).alias(k.lower()) for k in keys],
        pl.col("Value").cast(pl.Float64).alias("value"),
    )


def panel(n_series: int, *, seed: int, dates: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A seeded panel: string and integer keys, gaps, nulls, short series, series without
    targets, per-series and per-indicator targets and targets without data."""
    rng = np.random.default_rng(seed)
    series = np.arange(n_series)
    first = 2008 + rng.integers(0, 10, n_series)
    length = np.minimum(2023 - first, rng.integers(1, 12, n_series))
    rows = np.repeat(series, length)
    offset = np.arange(rows.size) - np.repeat(np.cumsum(length) - length, length)
    year = first[rows] + offset
    keep = rng.random(rows.size) > 0.07  # gaps
    rows, year = rows[keep], year[keep]
    level = 20 + 60 * rng.random(n_series)
    slope = rng.normal(0.5, 1.0, n_series)
    value = level[rows] + slope[rows] * (year - 2008) + rng.normal(0, 1.0, rows.size)
    value_col = pl.Series("value", value).set(pl.Series(rng.random(rows.size) < 0.03), None)
    indicator = np.where(rows % 5 == 0, "health", np.where(rows % 5 == 1, "income", "educ"))
    obs = pl.DataFrame(
        {
            "indicator": indicator,
            "region": [f"r{r // 7}" for r in rows],
            "code": (rows % 7).astype(np.int64),
            "year": year.astype(np.int64),
            "value": value_col,
        }
    )
    if dates:
        obs = obs.with_columns(pl.date(pl.col("year"), 1 + (pl.col("code") % 12), 1).alias("year"))
    per_series = np.flatnonzero(series % 3 != 2)  # one in three series has no target
    targets = pl.DataFrame(
        {
            "id": [f"t{s}" for s in per_series],
            "indicator": np.where(
                per_series % 5 == 0, "health", np.where(per_series % 5 == 1, "income", "educ")
            ),
            "region": [f"r{s // 7}" for s in per_series],
            "code": (per_series % 7).astype(np.int64),
            "direction": np.where(per_series % 4 == 0, "decrease", "increase"),
            "target_value": 50 + 40 * rng.random(per_series.size),
            "target_year": np.full(per_series.size, 2030, dtype=np.int64),
        }
    )
    extra = pl.DataFrame(
        {
            "id": ["no-such-region", "no-such-indicator", "every-income"],
            "indicator": ["health", "water", "income"],
            "region": ["nowhere", None, None],
            "code": [1, None, None],
            "direction": ["increase", "increase", "increase"],
            "target_value": [90.0, 80.0, 70.0],
            "target_year": [2030, 2030, 2030],
        },
        schema=targets.schema,
    )
    return obs, pl.concat([targets, extra])


KEYS = ["indicator", "region", "code", "target_id", "method"]


@pytest.fixture(scope="session")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame, pl.DataFrame]:
    obs, targets = panel(101_000, seed=7)
    path = write_parquet(obs, tmp_path_factory.mktemp("large") / "obs", seed=1, files=6)
    return path, obs, targets


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame, pl.DataFrame]:
    obs, targets = panel(1_500, seed=11, dates=True)
    path = write_parquet(obs, tmp_path_factory.mktemp("small") / "obs", seed=2, files=3)
    return path, obs, targets


@pytest.fixture(scope="session")
def uk(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pl.DataFrame, list[str]]:
    obs = uk_observations()
    by = [c for c in obs.columns if c not in ("indicator", "year", "value")]
    path = write_parquet(obs, tmp_path_factory.mktemp("uk") / "obs", seed=3, files=2)
    return path, obs, by


UK_TARGETS = pl.DataFrame(
    {
        "indicator": ["3.2.1"],
        "direction": ["decrease"],
        "target_value": [3.0],
        "target_year": [2030],
    }
)


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_uk_data_assess_compare_project(
    engine: str, request: pytest.FixtureRequest, uk: Any
) -> None:
    path, obs, by = uk
    frame = _read(engine, request, path)
    keys = ["indicator", *by, "target_id", "method"]
    assert_same(
        ontrack.assess(frame, UK_TARGETS, by=by, buckets=3),
        ontrack.assess(obs, UK_TARGETS, by=by),
        keys,
    )
    assert_same(
        ontrack.compare_methods(frame, UK_TARGETS, by=by, buckets=5),
        ontrack.compare_methods(obs, UK_TARGETS, by=by),
        keys,
    )
    assert_same(
        ontrack.project(frame, by=by, method=["drift", "theta"], until=2030),
        ontrack.project(obs, by=by, method=["drift", "theta"], until=2030),
        ["indicator", *by, "method", "year"],
    )


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_large_panel_closed_form_two_bucket_counts(
    engine: str, request: pytest.FixtureRequest, large: Any
) -> None:
    path, obs, targets = large
    frame = _read(engine, request, path)
    local = ontrack.assess(obs, targets, by=["region", "code"], projection=None)
    assert local.select("region", "code", "indicator").n_unique() >= 100_000
    for buckets in (8, 13):
        result = ontrack.assess(
            frame, targets, by=["region", "code"], projection=None, buckets=buckets
        )
        assert_same(result, local, KEYS)


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_default_projection_dates_and_per_indicator_targets(
    engine: str, request: pytest.FixtureRequest, small: Any
) -> None:
    path, obs, targets = small
    frame = _read(engine, request, path)
    per_indicator = pl.DataFrame(
        {
            "indicator": ["health", "educ", "water"],
            "direction": ["increase", "decrease", "increase"],
            "target_value": [80.0, 20.0, 50.0],
            "target_year": [dt.date(2030, 12, 31)] * 3,
        }
    )
    for tgt in (targets.with_columns(pl.date(pl.col("target_year"), 12, 31)), per_indicator):
        local = ontrack.assess(obs, tgt, by=["region", "code"], method=["open_sdg", "unsd_2023"])
        assert local["probability"].drop_nulls().len() > 100
        result = ontrack.assess(
            frame, tgt, by=["region", "code"], method=["open_sdg", "unsd_2023"], buckets=4
        )
        assert_same(result, local, KEYS)


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_targets_as_an_engine_frame(
    engine: str, request: pytest.FixtureRequest, small: Any
) -> None:
    path, obs, targets = small
    targets = targets.with_columns(pl.date(pl.col("target_year"), 12, 31))
    per_series = targets.filter(pl.col("region").is_not_null())
    frame = _read(engine, request, path)
    tpath = write_parquet(per_series, path.parent / f"targets-{engine}", seed=4, files=2)
    engine_targets = _read(engine, request, tpath)
    local = ontrack.assess(obs, per_series, by=["region", "code"], projection=None)
    result = ontrack.assess(
        frame, engine_targets, by=["region", "code"], projection=None, buckets=6
    )
    assert_same(result, local, KEYS)
    no_id = _read(
        engine,
        request,
        write_parquet(per_series.drop("id"), path.parent / f"noid-{engine}", seed=5, files=1),
    )
    with pytest.raises(ontrack.MissingColumnError, match="'id' column"):
        ontrack.assess(frame, no_id, by=["region", "code"])


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_rollup_runs_on_the_engine(engine: str, request: pytest.FixtureRequest, uk: Any) -> None:
    path, obs, by = uk
    frame = _read(engine, request, path)
    targets = UK_TARGETS.with_columns(pl.lit("health").alias("group"))
    local = ontrack.rollup(ontrack.assess(obs, targets, by=by, projection=None), by="group")
    result = ontrack.rollup(ontrack.assess(frame, targets, by=by, projection=None), by="group")
    assert type(result).__module__.split(".")[0] in ("pyspark", "dask")
    assert_same(result, local, ["group", "method"])


@pytest.mark.parametrize("engine", ["spark", "dask"])
def test_bad_input_raises_the_one_process_error(
    engine: str, request: pytest.FixtureRequest, small: Any, tmp_path: Path
) -> None:
    path, obs, targets = small
    frame = _read(engine, request, path)
    # Schema errors on the driver, before anything runs.
    with pytest.raises(ontrack.MissingColumnError) as local_error:
        ontrack.assess(obs, targets, by=["province"])
    with pytest.raises(ontrack.MissingColumnError) as engine_error:
        ontrack.assess(frame, targets, by=["province"])
    assert str(engine_error.value) == str(local_error.value)
    with pytest.raises(ontrack.OptionError):
        ontrack.assess(frame, targets, method="no_such_method")
    # A row-level error, found when the engine computes: same class, naming the series.
    dup = pl.concat([obs, obs.head(1)])
    dup_frame = _read(engine, request, write_parquet(dup, tmp_path / "dup", seed=6, files=2))
    result = ontrack.assess(dup_frame, targets, by=["region", "code"], projection=None)
    with pytest.raises(ontrack.DuplicateObservationError) as error:
        collect(result)
    first = obs.row(0, named=True)
    assert first["region"] in str(error.value)
    assert getattr(error.value, "bucket", None) is not None


def test_errors_pickle_with_their_attributes() -> None:
    with pytest.raises(ontrack.DuplicateObservationError) as caught:
        ontrack.assess(
            pl.DataFrame({"indicator": ["x", "x"], "year": [2020, 2020], "value": [1.0, 2.0]}),
            UK_TARGETS,
        )
    error = caught.value
    error.bucket = 3
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error)
    assert str(back) == str(error)
    assert getattr(back, "bucket", None) == 3


def test_local_frames_do_not_import_engines() -> None:
    code = (
        "import sys, polars as pl, ontrack\n"
        "obs = pl.DataFrame({'indicator': ['x', 'x'], 'year': [2015, 2020], 'value': [1.0, 2.0]})\n"
        "ontrack.project(obs, method='drift', horizon=1)\n"
        "assert 'pyspark' not in sys.modules and 'dask' not in sys.modules, sorted(sys.modules)\n"
    )
    import subprocess

    subprocess.run([sys.executable, "-c", code], check=True)


def test_buckets_is_for_engine_frames_only() -> None:
    obs = pl.DataFrame({"indicator": ["x", "x"], "year": [2015, 2020], "value": [1.0, 2.0]})
    with pytest.raises(ontrack.OptionError, match="buckets"):
        ontrack.project(obs, method="drift", horizon=1, buckets=4)


def _read(engine: str, request: pytest.FixtureRequest, path: Path) -> Any:
    if engine == "spark":
        return spark_read(request.getfixturevalue("spark"), path)
    request.getfixturevalue("dask_client")
    return dask_read(path)


def test_row_order_and_threads_change_nothing() -> None:
    """One process: shuffled observations and targets, and 1 or 2 threads, give the same rows
    (targets carry ids; without one, a target is named by its row in the frame as passed)."""
    obs, targets = panel(3_000, seed=5)
    keys = ["region", "code"]
    base = ontrack.assess(obs, targets, by=keys, threads=1)
    shuffled = ontrack.assess(
        obs.sample(fraction=1.0, shuffle=True, seed=1),
        targets.sample(fraction=1.0, shuffle=True, seed=2),
        by=keys,
        threads=2,
    )
    assert_frame_equal(
        base.sort(KEYS, nulls_last=True), shuffled.sort(KEYS, nulls_last=True), check_exact=True
    )
