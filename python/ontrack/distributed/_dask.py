"""The Dask back end: shuffle on the bucket, then ``map_partitions`` (targets co-shuffled)."""

from __future__ import annotations

from typing import Any

import dask.dataframe as dd
import pandas as pd
import polars as pl
import pyarrow as pa
from dask.delayed import delayed

from ontrack import _ontrack
from ontrack.distributed import _common
from ontrack.distributed._common import BUCKET, BucketTask, Call
from ontrack.distributed.types import arrow_schema, conform


def meta(schema: pa.Schema) -> pd.DataFrame:
    """Return an empty pandas frame with Arrow-backed columns of the declared types."""
    return schema.empty_table().to_pandas(types_mapper=pd.ArrowDtype)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(frame, preserve_index=False)


def input_schema(frame: dd.DataFrame) -> pa.Schema:
    """Return the Arrow schema of a Dask frame's partitions (from its meta)."""
    return _arrow(frame._meta).schema


def _bucket_of(frame: pd.DataFrame, keys: list[str], buckets: int) -> pd.DataFrame:
    """Add the bucket column: a hash of the series keys (as text) modulo ``buckets``."""
    if frame.empty:
        return frame.assign(**{BUCKET: pd.Series([], dtype="int64")})
    text = frame[keys].astype("string[pyarrow]")
    hashed = pd.util.hash_pandas_object(text, index=False)
    return frame.assign(**{BUCKET: (hashed % buckets).astype("int64").to_numpy()})


def _bucketed(frame: dd.DataFrame, keys: list[str], buckets: int) -> dd.DataFrame:
    meta_in = frame._meta.assign(**{BUCKET: pd.Series([], dtype="int64")})
    with_bucket = frame.map_partitions(_bucket_of, keys, buckets, meta=meta_in)
    return with_bucket.shuffle(on=BUCKET, npartitions=buckets)


class _PartitionTask:
    """Pandas partitions in and out around the Arrow task (Dask partitions are pandas)."""

    def __init__(self, task: BucketTask) -> None:
        self.task = task

    def __call__(
        self, observations: pd.DataFrame, targets: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        table = self.task(_arrow(observations), None if targets is None else _arrow(targets))
        return table.to_pandas(types_mapper=pd.ArrowDtype)


def _default_buckets() -> int:
    try:
        from distributed import get_client

        cores = sum(get_client().nthreads().values())
    except (ImportError, ValueError):
        import os

        cores = os.cpu_count() or 1
    return _common.default_buckets(cores)


def run(call: Call, observations: dd.DataFrame, targets: Any, buckets: int | None) -> dd.DataFrame:
    """Run an assessment, comparison or projection on Dask; returns Dask's lazy frame."""
    n = buckets or _default_buckets()
    obs_schema = input_schema(observations)
    obs_empty = _common.empty_frame(obs_schema)
    if isinstance(targets, dd.DataFrame):
        return _per_series(call, observations, targets, n, obs_schema)
    from ontrack._frames import to_polars

    small = None if call.operation == "project" else to_polars(targets, "targets")
    schema = _common.declared_schema(call, obs_empty, small)
    prepared = None if small is None else _common.prepare_targets(call, obs_empty, small)
    units = set() if small is None else _common.unit_columns(small)
    call.bucket_keys = [k for k in _common.series_columns(call) if k not in units]
    task = BucketTask(
        call,
        schema,
        obs_schema,
        targets=None if prepared is None else prepared.frame,
        per_series_targets=False,
        carry_errors_as_text=False,
    )
    series_part = _bucketed(observations, call.bucket_keys, n).map_partitions(
        _PartitionTask(task), meta=meta(schema)
    )
    if prepared is None:
        return series_part
    return dd.concat([series_part, _no_data_part(prepared, observations, schema)])


def _matched_ids(observations: dd.DataFrame, prepared: _common.SmallTargets) -> list[Any]:
    pieces = []
    for cols, table in prepared.patterns.items():
        keys = observations[list(cols)].astype("string[pyarrow]").drop_duplicates()
        wanted = table.to_pandas().astype("string[pyarrow]")
        hit = keys.merge(wanted, on=list(cols), how="inner")["id"]
        pieces.extend(hit.to_delayed())
    return pieces


def _select_no_data(
    prepared: _common.SmallTargets, schema: pa.Schema, *matched: pd.Series
) -> pd.DataFrame:
    ids = [str(i) for part in matched for i in part.tolist()]
    return _common.no_data_rows(prepared, ids, schema).to_pandas(types_mapper=pd.ArrowDtype)


def _no_data_part(
    prepared: _common.SmallTargets, observations: dd.DataFrame, schema: pa.Schema
) -> dd.DataFrame:
    part = delayed(_select_no_data)(prepared, schema, *_matched_ids(observations, prepared))
    return dd.from_delayed([part], meta=meta(schema), verify_meta=False)


def _per_series(
    call: Call, observations: dd.DataFrame, targets: dd.DataFrame, n: int, obs_schema: pa.Schema
) -> dd.DataFrame:
    task = _common.per_series_task(
        call,
        "Dask",
        list(targets.columns),
        obs_schema,
        input_schema(targets),
        carry_errors_as_text=False,
    )
    schema = task.schema
    left = _bucketed(observations, call.bucket_keys, n)
    right = _bucketed(targets, call.bucket_keys, n)
    return dd.map_partitions(
        _PartitionTask(task), left, right, meta=meta(schema), align_dataframes=False
    )


class _RollupTask:
    def __init__(self, kwargs: dict[str, Any], schema: pa.Schema, input_schema: pa.Schema) -> None:
        self.kwargs = kwargs
        self.schema = schema
        self.input_schema = input_schema

    def __call__(self, part: pd.DataFrame) -> pd.DataFrame:
        table = _arrow(part)
        frame = pl.from_arrow(table) if table.num_rows else _common.empty_frame(self.input_schema)
        assert isinstance(frame, pl.DataFrame)
        out = _ontrack.rollup(frame, **self.kwargs)
        return conform(out, self.schema).to_pandas(types_mapper=pd.ArrowDtype)


def rollup(result: dd.DataFrame, kwargs: dict[str, Any], buckets: int | None) -> dd.DataFrame:
    """Roll a Dask result up: groups shuffled together, one Rust rollup per partition."""
    schema_in = input_schema(result)
    empty = _common.empty_frame(schema_in)
    schema = arrow_schema(_ontrack.rollup(empty, schema_only=True, **kwargs).schema)
    keys = [*kwargs["by"], "method"]
    n = buckets or max(1, result.npartitions)
    shuffled = result.shuffle(on=keys, npartitions=n)
    return shuffled.map_partitions(_RollupTask(kwargs, schema, schema_in), meta=meta(schema))
