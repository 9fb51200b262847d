"""The Langfang case: the reported values of the Langfang 2017 innovation-reform plan.

The data and their mapping file are in ``data/langfang/`` of the repository (see its
README); the generic tools they are read with are :mod:`ontrack.reported` and
:mod:`ontrack.lower_bounds`.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from ontrack.reported import ConflictPolicy, read_reported

__all__ = ["langfang_observations"]


def langfang_observations(
    data_dir: str | os.PathLike[str],
    *,
    include_ignored: bool = False,
    policy: ConflictPolicy = "best",
) -> pl.DataFrame:
    """Read the Langfang reported values as observations of the 2017 plan's indicators.

    Reads ``langfang_reported_values.csv`` and ``indicator_map.csv`` from ``data_dir`` with
    :func:`read_reported` (the mapping file decides everything; see its README).
    ``data_dir`` is usually ``data/langfang`` of the repository.

    Examples
    --------
    >>> obs = langfang_observations("data/langfang")
    >>> obs.filter(indicator="tech_market_contract_turnover").select("year", "value", "conflict")
    shape: (3, 3)
    ┌──────┬───────┬──────────┐
    │ year ┆ value ┆ conflict │
    │ ---  ┆ ---   ┆ ---      │
    │ i64  ┆ f64   ┆ bool     │
    ╞══════╪═══════╪══════════╡
    │ 2012 ┆ 16.19 ┆ false    │
    │ 2018 ┆ 90.66 ┆ false    │
    │ 2022 ┆ 226.7 ┆ true     │
    └──────┴───────┴──────────┘
    """
    root = Path(data_dir)
    return read_reported(
        root / "langfang_reported_values.csv",
        root / "indicator_map.csv",
        include_ignored=include_ignored,
        policy=policy,
    )
