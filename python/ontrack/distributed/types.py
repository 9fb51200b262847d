"""The one type table between ontrack's polars results and the distributed engines.

ontrack computes in polars; Spark and Dask store columns in their own types, and both take
them from Arrow. Every result column is declared before anything runs (its polars type comes
from the Rust core, see :func:`ontrack.distributed.output_schema`) and every task casts its
Arrow output to the declared type, so each engine sees one fixed schema:

=============================  ==========================  ===============================
polars                         Arrow (declared)            Spark / Dask (``pd.ArrowDtype``)
=============================  ==========================  ===============================
Boolean                        bool                        BooleanType / bool[pyarrow]
Int8, Int16, Int32, Int64      same width                  Byte/Short/Integer/LongType
UInt8                          int16                       ShortType
UInt16                         int32                       IntegerType
UInt32, UInt64                 int64                       LongType (Spark has no unsigned)
Float32, Float64               float, double               FloatType, DoubleType
String, Enum, Categorical      string                      StringType / string[pyarrow]
Date                           date32                      DateType
Datetime(unit, tz)             timestamp(us, tz)           TimestampType (microseconds)
Duration                       duration(us)                DayTimeIntervalType
List(inner)                    list(inner by this table)   ArrayType
Null                           string (all null)           StringType
=============================  ==========================  ===============================

Unsigned integers widen to the next signed type (UInt64 values above 2**63 - 1 cannot
occur in ontrack's results: they are counts of rows). Timestamps are microseconds because Spark
stores microseconds; nanosecond periods lose their sub-microsecond part on both engines alike.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pyarrow as pa

__all__ = ["arrow_schema", "arrow_type", "conform"]

_INTEGERS: dict[type[pl.DataType], pa.DataType] = {
    pl.Int8: pa.int8(),
    pl.Int16: pa.int16(),
    pl.Int32: pa.int32(),
    pl.Int64: pa.int64(),
    pl.UInt8: pa.int16(),
    pl.UInt16: pa.int32(),
    pl.UInt32: pa.int64(),
    pl.UInt64: pa.int64(),
}


def arrow_type(dtype: pl.DataType) -> Any:
    """Return the declared Arrow type of a polars column type (see the table above).

    >>> import polars as pl
    >>> from ontrack.distributed.types import arrow_type
    >>> arrow_type(pl.UInt32()), arrow_type(pl.String()), arrow_type(pl.Datetime("ns", "UTC"))
    (DataType(int64), DataType(string), TimestampType(timestamp[us, tz=UTC]))
    """
    base = dtype.base_type()
    if base in _INTEGERS:
        return _INTEGERS[base]
    if base is pl.Boolean:
        return pa.bool_()
    if base is pl.Float32:
        return pa.float32()
    if base is pl.Float64:
        return pa.float64()
    if base in (pl.String, pl.Enum, pl.Categorical, pl.Null):
        return pa.string()
    if base is pl.Date:
        return pa.date32()
    if isinstance(dtype, pl.Datetime):
        return pa.timestamp("us", tz=dtype.time_zone)
    if base is pl.Duration:
        return pa.duration("us")
    if isinstance(dtype, pl.List):
        inner = dtype.inner
        return pa.list_(arrow_type(inner if isinstance(inner, pl.DataType) else inner()))
    from ontrack.errors import ColumnTypeError

    msg = f"no engine type for polars type {dtype}"
    raise ColumnTypeError(msg)


def arrow_schema(schema: pl.Schema) -> pa.Schema:
    """Return the declared Arrow schema of a polars schema, column by column."""
    return pa.schema([pa.field(name, arrow_type(dtype)) for name, dtype in schema.items()])


def conform(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    """``frame`` as an Arrow table of exactly ``schema``: its columns, order and types."""
    table = frame.select(schema.names).to_arrow()
    columns = [_cast(table.column(i), field.type) for i, field in enumerate(schema)]
    return pa.Table.from_arrays(columns, schema=schema)


def _cast(column: pa.ChunkedArray, target: pa.DataType) -> pa.ChunkedArray:
    if column.type.equals(target):
        return column
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if pa.types.is_null(column.type):
        return pa.chunked_array([pa.nulls(len(column), type=target)])
    if pa.types.is_string_view(column.type):
        column = column.cast(pa.large_string())
    return column.cast(target)
