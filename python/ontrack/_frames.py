"""Accepting the frames users already have: polars, lazy polars and pandas."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import polars as pl

if TYPE_CHECKING:
    import pandas as pd

    FrameLike: TypeAlias = pl.DataFrame | pl.LazyFrame | pd.DataFrame
else:
    FrameLike: TypeAlias = Any


def to_polars(frame: object, name: str) -> pl.DataFrame:
    """Return ``frame`` as an eager polars DataFrame.

    LazyFrames are collected; pandas frames go through Arrow (no per-row Python work).
    """
    if isinstance(frame, pl.DataFrame):
        return frame
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    # pandas is optional: a pandas frame can only exist if pandas is already imported.
    pd: Any = sys.modules.get("pandas")
    if pd is not None and isinstance(frame, pd.DataFrame):
        # Keys in the pandas index (e.g. after a groupby) are columns to us.
        converted: pl.DataFrame = pl.from_pandas(frame, include_index=_has_named_index(frame))
        return converted
    msg = (
        f"{name} must be a polars DataFrame or LazyFrame or a pandas DataFrame, "
        f"not {type(frame).__qualname__}"
    )
    raise TypeError(msg)


def _has_named_index(frame: Any) -> bool:
    names = getattr(frame.index, "names", [None])
    return any(n is not None for n in names)


def as_list(value: str | Sequence[str] | None, name: str) -> list[str]:
    """Normalise a column-or-columns argument to a list of strings."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    out = list(value)
    for v in out:
        if not isinstance(v, str):
            msg = f"{name} must be a string or a sequence of strings, got {v!r}"
            raise TypeError(msg)
    return out
