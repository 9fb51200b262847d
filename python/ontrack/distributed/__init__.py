"""Beyond one machine: the same calls on Spark and Dask frames.

:func:`ontrack.assess`, :func:`ontrack.compare_methods`, :func:`ontrack.project` and
:func:`ontrack.rollup` accept a ``pyspark.sql.DataFrame`` or a ``dask.dataframe.DataFrame``
and return the engine's own lazy frame, with the columns, order and values of the one-process
result and the types of :mod:`ontrack.distributed.types`. pyspark and dask are imported only
when such a frame is passed.

How it runs: each series' keys are hashed into one of ``buckets`` buckets (default four per
core of the cluster); a shuffle brings every bucket to one task, which calls the Rust engine
once on all of its series, on one thread (series are independent, and a worker's core is
its own). Targets are either a small polars or pandas frame, shipped whole to every task, or
an engine frame of per-series targets with an ``id`` column, co-partitioned with the
observations (Spark ``cogroup``, Dask co-shuffle). A series' result depends only on that
series, its targets and the options, so it does not depend on the buckets, the partitioning,
the row order or the number of threads.

Errors: schema and option errors are raised on the driver before any job runs, with the
classes and messages of one process. Errors found in the data (a duplicate series-period, a
null key) are raised when the engine computes, with the same class and attributes, plus
``bucket``; their ``row`` is the row within that bucket.
"""

from __future__ import annotations

import sys
from typing import Any, Literal

import polars as pl

__all__ = ["engine_of", "output_schema"]

Engine = Literal["spark", "dask"]


def engine_of(frame: object) -> Engine | None:
    """``"spark"`` or ``"dask"`` for a distributed frame, ``None`` for anything else.

    Looks only at modules already imported: a local frame never imports pyspark or dask.

    >>> import polars as pl
    >>> from ontrack.distributed import engine_of
    >>> engine_of(pl.DataFrame()) is None
    True
    """
    module = type(frame).__module__ or ""
    if module.startswith("pyspark."):
        sql: Any = sys.modules.get("pyspark.sql")
        if sql is not None and isinstance(frame, sql.DataFrame):
            return "spark"
    if module.startswith("dask"):
        ddf: Any = sys.modules.get("dask.dataframe")
        if ddf is not None and isinstance(frame, ddf.DataFrame):
            return "dask"
    return None


def output_schema(
    operation: Literal["assess", "compare", "project"],
    observations: pl.DataFrame,
    targets: pl.DataFrame | None = None,
    **kwargs: Any,
) -> pl.Schema:
    """Return the schema of a result, from the Rust core, before anything runs.

    ``observations`` and ``targets`` only lend their schemas (their rows are not read);
    ``kwargs`` are the options of the call. Raises what the call would raise for such inputs.

    >>> import polars as pl
    >>> from ontrack.distributed import output_schema
    >>> obs = pl.DataFrame(schema={"indicator": pl.String, "year": pl.Int64, "value": pl.Float64})
    >>> output_schema("project", obs, method="drift")["point"]
    Float64
    """
    from ontrack import _api
    from ontrack.distributed._common import entry_point
    from ontrack.errors import OptionError

    options = _api._options(kwargs)
    if operation == "project":
        return entry_point("project")(observations.clear(), schema_only=True, **options).schema
    if targets is None:
        msg = "targets are needed for assess and compare"
        raise OptionError(msg, option="targets")
    run = entry_point(operation)
    return run(observations.clear(), targets.clear(), schema_only=True, **options).schema


def run(
    engine: Engine,
    operation: Literal["assess", "compare", "project"],
    observations: Any,
    targets: Any,
    kwargs: dict[str, Any],
    buckets: int | None,
) -> Any:
    """Dispatch a call to the engine's back end (imported here, on first use)."""
    from ontrack.distributed._common import Call

    call = Call(operation=operation, kwargs=kwargs)
    if engine == "spark":
        from ontrack.distributed import _spark

        return _spark.run(call, observations, targets, buckets)
    from ontrack.distributed import _dask

    return _dask.run(call, observations, targets, buckets)


def rollup(engine: Engine, result: Any, kwargs: dict[str, Any], buckets: int | None) -> Any:
    """Roll a distributed result up on its engine."""
    if engine == "spark":
        from ontrack.distributed import _spark

        return _spark.rollup(result, kwargs)
    from ontrack.distributed import _dask

    return _dask.rollup(result, kwargs, buckets)
