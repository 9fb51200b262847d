"""Accepting the frames users already have: polars, lazy polars and pandas."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import polars as pl

from ontrack.errors import ArgumentTypeError, ColumnTypeError

if TYPE_CHECKING:
    import pandas as pd

    FrameLike: TypeAlias = pl.DataFrame | pl.LazyFrame | pd.DataFrame
else:
    FrameLike: TypeAlias = Any


def to_polars(frame: object, name: str) -> pl.DataFrame:
    """Return ``frame`` as an eager polars DataFrame.

    LazyFrames are collected; pandas frames go through Arrow (no per-row Python work). A
    pandas column Arrow cannot convert (an ``object`` column mixing numbers and text) raises
    :class:`~ontrack.errors.ColumnTypeError` naming the column and the first odd row.
    """
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    # pandas is optional: a pandas frame can only exist if pandas is already imported.
    pd: Any = sys.modules.get("pandas")
    if pd is not None and isinstance(frame, pd.DataFrame):
        # Keys in the pandas index (e.g. after a groupby) are columns to us.
        try:
            converted: pl.DataFrame = pl.from_pandas(frame, include_index=_has_named_index(frame))
        except (ValueError, TypeError, ArithmeticError) as err:
            raise _pandas_column_error(frame, name, err) from err
        return converted
    msg = (
        f"{name} must be a polars DataFrame or LazyFrame or a pandas DataFrame, "
        f"not {type(frame).__qualname__}"
    )
    raise ArgumentTypeError(msg, option=name)


def _pandas_column_error(frame: Any, name: str, err: Exception) -> ColumnTypeError:
    """Name the pandas column (and row) that Arrow could not convert."""
    for column in frame.columns:
        try:
            pl.from_pandas(frame[[column]])
        except (ValueError, TypeError, ArithmeticError):
            values = frame[column].tolist()
            kinds = [type(v) for v in values if v is not None]
            row = next(
                (i for i, v in enumerate(values) if v is not None and type(v) is not kinds[0]), None
            )
            found = sorted({k.__name__ for k in kinds})
            msg = (
                f"{name} column {str(column)!r} (pandas dtype {frame[column].dtype}) cannot be "
                f"converted: it mixes {', '.join(found)}"
                + (f" (first at row {row}: {values[row]!r})" if row is not None else "")
                + f"; convert it first, e.g. with pandas.to_numeric ({err})"
            )
            return ColumnTypeError(msg, column=str(column), row=row)
    return ColumnTypeError(f"{name} cannot be converted from pandas: {err}")


def _has_named_index(frame: Any) -> bool:
    names = getattr(frame.index, "names", [None])
    return any(n is not None for n in names)


def as_list(value: str | Sequence[str] | None, name: str) -> list[str]:
    """Normalise a column-or-columns argument to a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence):
        msg = f"{name} must be a string or a sequence of strings, not {type(value).__qualname__}"
        raise ArgumentTypeError(msg, option=name)
    out = list(value)
    for v in out:
        if not isinstance(v, str):
            msg = f"{name} must be a string or a sequence of strings, got {v!r}"
            raise ArgumentTypeError(msg, option=name)
    return out
