"""The Spark back end: ``groupBy(bucket).applyInArrow`` (``cogroup`` for per-series targets)."""

from __future__ import annotations

import functools
from typing import Any

import polars as pl
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F  # noqa: N812
from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

from ontrack import _ontrack
from ontrack.distributed import _common
from ontrack.distributed._common import BUCKET, BucketTask, Call
from ontrack.distributed.types import arrow_schema, conform
from ontrack.errors import OntrackError


def observations_frame(frame: DataFrame) -> pl.DataFrame:
    """Return an empty polars frame with the Spark frame's schema (what the driver checks)."""
    return _common.empty_frame(to_arrow_schema(frame.schema))


def _with_bucket(frame: DataFrame, keys: list[str], buckets: int) -> DataFrame:
    bucket = F.pmod(F.xxhash64(*[F.col(k).cast("string") for k in keys]), F.lit(buckets))
    return frame.withColumn(BUCKET, bucket.cast("long"))


def _default_buckets(spark: SparkSession) -> int:
    return _common.default_buckets(spark.sparkContext.defaultParallelism)


def run(
    call: Call,
    observations: DataFrame,
    targets: Any,
    buckets: int | None,
) -> DataFrame:
    """Run an assessment, comparison or projection on Spark; returns Spark's lazy frame."""
    install_error_hook()
    spark = observations.sparkSession
    n = buckets or _default_buckets(spark)
    obs_schema = to_arrow_schema(observations.schema)
    obs_empty = _common.empty_frame(obs_schema)
    if isinstance(targets, DataFrame):
        return _per_series(call, observations, targets, n, obs_schema)
    from ontrack._frames import to_polars

    small = None if call.operation == "project" else to_polars(targets, "targets")
    schema = _common.declared_schema(call, obs_empty, small)
    spark_schema = from_arrow_schema(schema)
    prepared = None if small is None else _common.prepare_targets(call, obs_empty, small)
    if small is not None and prepared is not None:
        call.bucket_keys = [
            k for k in _common.series_columns(call) if k not in _common.unit_columns(small)
        ]
    else:
        call.bucket_keys = _common.series_columns(call)
    task = BucketTask(
        call,
        schema,
        obs_schema,
        targets=None if prepared is None else prepared.frame,
        per_series_targets=False,
        carry_errors_as_text=True,
    )
    series_part = (
        _with_bucket(observations, call.bucket_keys, n)
        .groupBy(BUCKET)
        .applyInArrow(_plain(task), spark_schema)
    )
    if prepared is None:
        return series_part
    return series_part.unionByName(_no_data_part(spark, prepared, observations, schema))


def _no_data_part(
    spark: SparkSession,
    prepared: _common.SmallTargets,
    observations: DataFrame,
    schema: pa.Schema,
) -> DataFrame:
    """Rows of targets whose keys occur in no observation."""
    spark_schema = from_arrow_schema(schema)
    rows = conform(prepared.no_data_rows, schema)
    rows_frame = spark.createDataFrame(rows.to_pandas(), schema=spark_schema)
    matched: DataFrame | None = None
    for cols, table in prepared.patterns.items():
        keys = observations.select(*[F.col(c).cast("string").alias(c) for c in cols]).distinct()
        wanted = spark.createDataFrame(
            table.to_pandas(), schema="id string, " + ", ".join(f"`{c}` string" for c in cols)
        )
        hit = wanted.join(keys, on=list(cols), how="left_semi").select(
            F.col("id").alias("target_id")
        )
        matched = hit if matched is None else matched.unionByName(hit)
    if matched is None:
        return rows_frame
    return rows_frame.join(matched, on="target_id", how="left_anti").select(*schema.names)


def _per_series(
    call: Call, observations: DataFrame, targets: DataFrame, n: int, obs_schema: pa.Schema
) -> DataFrame:
    """Targets as a Spark frame: co-partitioned with the observations by ``cogroup``."""
    task = _common.per_series_task(
        call,
        "Spark",
        list(targets.columns),
        obs_schema,
        to_arrow_schema(targets.schema),
        carry_errors_as_text=True,
    )
    schema = task.schema
    left = _with_bucket(observations, call.bucket_keys, n).groupBy(BUCKET)
    right = _with_bucket(targets, call.bucket_keys, n).groupBy(BUCKET)
    return left.cogroup(right).applyInArrow(
        lambda obs, tgt: task(obs, tgt), from_arrow_schema(schema)
    )


class _RollupTask:
    """One Rust rollup per group of a distributed result."""

    def __init__(self, kwargs: dict[str, Any], schema: pa.Schema, input_schema: pa.Schema) -> None:
        self.kwargs = kwargs
        self.schema = schema
        self.input_schema = input_schema

    def __call__(self, table: pa.Table) -> pa.Table:
        frame = pl.from_arrow(table) if table.num_rows else _common.empty_frame(self.input_schema)
        assert isinstance(frame, pl.DataFrame)
        try:
            out = _ontrack.rollup(frame, **self.kwargs)
        except OntrackError as error:
            raise RuntimeError(_common.encode_error(error)) from None
        return conform(out, self.schema)


def rollup(result: DataFrame, kwargs: dict[str, Any]) -> DataFrame:
    """Roll a Spark result up, one Rust rollup per group, on the cluster."""
    install_error_hook()
    input_schema = to_arrow_schema(result.schema)
    empty = _common.empty_frame(input_schema)
    schema = arrow_schema(_ontrack.rollup(empty, schema_only=True, **kwargs).schema)
    keys = [*kwargs["by"], "method"]
    task = _RollupTask(kwargs, schema, input_schema)
    return result.groupBy(*keys).applyInArrow(_plain(task), from_arrow_schema(schema))


def _plain(task: Any) -> Any:
    """Wrap the task in a function without annotations.

    pyspark reads a callable's type hints to choose its calling convention and fails on a
    callable object; a plain one-table function is the grouped-map convention.
    """
    return lambda table: task(table)


@functools.cache
def install_error_hook() -> None:
    """Let an ontrack error raised in a Spark task reach the driver as itself.

    Spark hands a task's failure to the driver as text (a ``PythonException`` with the worker's
    traceback). The task encodes an ontrack error into that text; this hook, wrapped around
    pyspark's own conversion of JVM errors, turns it back into the same OntrackError subclass
    with its attributes (``series``, ``target_id``, ``bucket``, ...). Any other error is left
    as pyspark converts it.
    """
    from pyspark.errors.exceptions import captured

    original = captured.convert_exception

    def convert_exception(e: Any) -> Any:
        converted = original(e)
        error = _common.decode_error(str(converted))
        return converted if error is None else error

    captured.convert_exception = convert_exception
