"""What the Spark and Dask back ends share: the driver's checks, the buckets and the task.

A run has two parts. The *series part* hashes each series' keys into one of ``buckets``
buckets, moves every bucket to one task (a shuffle) and calls the Rust engine once per task on
all of the bucket's series. The *targets part* gives the rows of targets that match no series
anywhere: the driver computes those rows once (they depend on the target alone) and the engine
keeps the ones whose keys occur in no observation. The union is, row for row, the one-process
result.
"""

from __future__ import annotations

import base64
import io
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl
import pyarrow as pa

from ontrack import _ontrack
from ontrack.distributed.types import arrow_schema, conform
from ontrack.errors import MissingColumnError, OntrackError, OptionError

#: Name of the bucket column the back ends add to the observations (and targets).
BUCKET = "__ontrack_bucket"
#: Marks an ontrack error carried through an engine that only passes text (Spark).
ERROR_MARK = "ONTRACK-ERROR:"
ERROR_END = ":ONTRACK-ERROR"

Operation = Literal["assess", "compare", "project"]

#: The entry point of the Rust core each operation runs (also its result's name in the core's
#: rules, see ``_ontrack.result_keys``).
ENTRY_POINTS: dict[Operation, str] = {
    "assess": "assess",
    "compare": "compare_methods",
    "project": "project",
}


def entry_point(operation: Operation) -> Any:
    """Return the function of the Rust core that runs ``operation``."""
    return getattr(_ontrack, ENTRY_POINTS[operation])


@dataclass
class Call:
    """One distributed call: what to run and with which (normalised) keyword arguments."""

    operation: Operation
    kwargs: dict[str, Any]
    #: Columns whose values identify a series for bucketing: the indicator and the keys of
    #: ``by``, less the sub-unit columns of share-of-units targets (sub-units of one share
    #: must meet in one bucket).
    bucket_keys: list[str] = field(default_factory=list)

    def run(
        self, observations: pl.DataFrame, targets: pl.DataFrame | None, **extra: Any
    ) -> pl.DataFrame:
        """Run the Rust engine on local frames (engine tasks never show a progress bar)."""
        kwargs = {**self.kwargs, **extra, "progress": None}
        if self.operation == "project":
            return _ontrack.project(observations, **kwargs)
        if targets is None:
            msg = "targets are needed"
            raise OptionError(msg, option="targets")
        return entry_point(self.operation)(observations, targets, **kwargs)


def series_columns(call: Call) -> list[str]:
    """Return the series keys of the call's result: the indicator and the keys of ``by``."""
    result = ENTRY_POINTS[call.operation]
    year = call.kwargs["year"]
    keys = _ontrack.result_keys(
        result, indicator=call.kwargs["indicator"], year=year, by=call.kwargs["by"]
    )
    return _ontrack.series_keys(result, keys, year=year)


def unit_columns(targets: pl.DataFrame) -> set[str]:
    """Sub-unit columns named by share-of-units targets."""
    if "kind" not in targets.columns or "unit_column" not in targets.columns:
        return set()
    shares = targets.filter(pl.col("kind").cast(pl.String) == "share_of_units")
    return {u for u in shares["unit_column"].cast(pl.String).to_list() if u is not None}


def empty_frame(schema: pa.Schema) -> pl.DataFrame:
    """Return an empty polars frame of an Arrow schema."""
    frame = pl.from_arrow(schema.empty_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def declared_schema(
    call: Call, observations: pl.DataFrame, targets: pl.DataFrame | None
) -> pa.Schema:
    """Return the output schema from the Rust core (raises what a real call would raise)."""
    empty = observations.clear()
    if call.operation == "project":
        schema = _ontrack.project(empty, schema_only=True, **call.kwargs).schema
    else:
        assert targets is not None
        run = entry_point(call.operation)
        schema = run(empty, targets.clear(), schema_only=True, **call.kwargs).schema
    return arrow_schema(schema)


@dataclass
class SmallTargets:
    """A polars targets frame shipped whole to every task.

    With it, the driver's rows of targets without data.
    """

    #: The targets with an explicit ``id`` (``row N`` for those without, as one process names
    #: them).
    frame: pl.DataFrame
    #: Every target's row(s) as a target without data (one per method).
    no_data_rows: pl.DataFrame
    #: Per matching pattern (the columns a target filters on), the targets' ids and filter
    #: values as text.
    patterns: dict[tuple[str, ...], pl.DataFrame]


def prepare_targets(call: Call, observations: pl.DataFrame, targets: pl.DataFrame) -> SmallTargets:
    """Validate the targets on the driver and prepare the targets part."""
    rows = call.run(observations.clear(), targets, include_targets_without_data=True)
    first_method = methods[0] if (methods := call.kwargs.get("method")) else None
    ids = rows.filter(pl.col("method") == first_method)["target_id"] if first_method else None
    frame = targets
    if ids is not None and ids.len() == targets.height:
        frame = targets.with_columns(ids.alias("id"))
    return SmallTargets(frame=frame, no_data_rows=rows, patterns=_patterns(call, frame))


def _patterns(call: Call, targets: pl.DataFrame) -> dict[tuple[str, ...], pl.DataFrame]:
    """Group targets by the columns they filter on (a null or absent key matches any value)."""
    indicator, by = call.kwargs["indicator"], call.kwargs["by"]
    present = [k for k in by if k in targets.columns]
    kinds = (
        targets["kind"].cast(pl.String).to_list()
        if "kind" in targets.columns
        else [None] * targets.height
    )
    units = (
        targets["unit_column"].cast(pl.String).to_list()
        if "unit_column" in targets.columns
        else [None] * targets.height
    )
    text = targets.select(
        pl.col("id").cast(pl.String), *[pl.col(c).cast(pl.String) for c in [indicator, *present]]
    )
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, row in enumerate(text.iter_rows(named=True)):
        unit = units[i] if kinds[i] == "share_of_units" else None
        cols = tuple([indicator, *[k for k in present if row[k] is not None and k != unit]])
        groups.setdefault(cols, []).append(i)
    return {cols: text[rows].select("id", *cols) for cols, rows in groups.items()}


def no_data_rows(prepared: SmallTargets, matched_ids: Sequence[str], schema: pa.Schema) -> pa.Table:
    """Keep the rows of targets none of whose ids matched a series."""
    matched = pl.Series("target_id", list(matched_ids), dtype=pl.String)
    rows = prepared.no_data_rows.filter(~pl.col("target_id").is_in(matched.implode()))
    return conform(rows, schema)


def to_ipc(frame: pl.DataFrame) -> bytes:
    """Write a polars frame as Arrow IPC bytes (how targets travel to tasks)."""
    buf = io.BytesIO()
    frame.write_ipc(buf)
    return buf.getvalue()


def from_ipc(data: bytes) -> pl.DataFrame:
    """Read what :func:`to_ipc` wrote."""
    return pl.read_ipc(io.BytesIO(data))


def per_series_task(
    call: Call,
    engine: str,
    columns: list[str],
    obs_schema: pa.Schema,
    targets_schema: pa.Schema,
    *,
    carry_errors_as_text: bool,
) -> BucketTask:
    """Check an engine frame of per-series targets and make the task that cogroups it.

    Such a frame must name its targets (``id``: engine frames have no row order, so targets
    cannot be named ``row N``) and give every key column (a target is routed to the bucket of
    its series).
    """
    if "id" not in columns:
        msg = (
            f"a {engine} targets frame needs an 'id' column: engine frames have no row order, "
            "so targets cannot be named 'row N'"
        )
        raise MissingColumnError(msg, column="id")
    schema = declared_schema(call, empty_frame(obs_schema), empty_frame(targets_schema))
    call.bucket_keys = series_columns(call)
    missing = [k for k in call.bucket_keys if k not in columns]
    if missing:
        msg = (
            f"a {engine} targets frame holds per-series targets and needs every key column; "
            f"missing {missing} (pass per-indicator targets as a polars or pandas frame)"
        )
        raise MissingColumnError(msg, column=missing[0])
    task = BucketTask(
        call,
        schema,
        obs_schema,
        targets=None,
        per_series_targets=True,
        carry_errors_as_text=carry_errors_as_text,
    )
    task.targets_schema = targets_schema
    return task


class BucketTask:
    """The function each engine task runs: one Rust call on all series of its buckets."""

    def __init__(
        self,
        call: Call,
        schema: pa.Schema,
        observations_schema: pa.Schema,
        *,
        targets: pl.DataFrame | None,
        per_series_targets: bool,
        carry_errors_as_text: bool,
    ) -> None:
        self.call = call
        self.schema = schema
        self.observations_schema = observations_schema
        self.targets_ipc = None if targets is None else to_ipc(targets)
        self.per_series_targets = per_series_targets
        self.carry_errors_as_text = carry_errors_as_text
        self.targets_schema: pa.Schema | None = None

    def __call__(self, observations: pa.Table, targets: pa.Table | None = None) -> pa.Table:
        """Assess one group of buckets; both tables may hold the bucket column."""
        bucket = _bucket_of(observations) if observations.num_rows else None
        if bucket is None and targets is not None and targets.num_rows:
            bucket = _bucket_of(targets)
        try:
            return self._run(observations, targets)
        except OntrackError as error:
            error.bucket = bucket
            if self.carry_errors_as_text:
                raise RuntimeError(encode_error(error)) from None
            raise

    def _run(self, observations: pa.Table, targets_table: pa.Table | None) -> pa.Table:
        obs = _frame(observations, self.observations_schema)
        if self.per_series_targets:
            assert targets_table is not None
            assert self.targets_schema is not None
            targets = _frame(targets_table, self.targets_schema)
            if targets.height == 0 and obs.height == 0:
                return self.schema.empty_table()
            out = self.call.run(obs, targets, include_targets_without_data=True)
        else:
            if obs.height == 0:
                return self.schema.empty_table()
            shipped = None if self.targets_ipc is None else from_ipc(self.targets_ipc)
            extra = (
                {} if self.call.operation == "project" else {"include_targets_without_data": False}
            )
            out = self.call.run(obs, shipped, **extra)
        return conform(out, self.schema)


def _bucket_of(table: pa.Table) -> int | None:
    if BUCKET not in table.column_names:
        return None
    value = table.column(BUCKET)[0].as_py()
    return None if value is None else int(value)


def _frame(table: pa.Table, schema: pa.Schema) -> pl.DataFrame:
    """Convert a task's Arrow input to polars, without the bucket column.

    An empty input gets the driver's schema (engines may hand empty partitions with looser
    types).
    """
    if BUCKET in table.column_names:
        table = table.drop_columns([BUCKET])
    if table.num_rows == 0:
        return empty_frame(schema)
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def encode_error(error: BaseException) -> str:
    """Encode an ontrack error as text that survives an engine which passes only messages."""
    payload = base64.b64encode(pickle.dumps(error)).decode("ascii")
    return f"{type(error).__name__}: {error} {ERROR_MARK}{payload}{ERROR_END}"


def decode_error(text: str) -> BaseException | None:
    """Return the ontrack error inside an engine's message, if there is one."""
    start = text.find(ERROR_MARK)
    end = text.find(ERROR_END, start + 1)
    if start == -1 or end == -1:
        return None
    try:
        error = pickle.loads(base64.b64decode(text[start + len(ERROR_MARK) : end]))
    except Exception:
        return None
    return error if isinstance(error, BaseException) else None


def default_buckets(cores: int) -> int:
    """Four buckets per core: tasks small enough to balance, large enough to amortise."""
    return max(1, 4 * cores)
