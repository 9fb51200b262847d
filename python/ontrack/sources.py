"""Reported values from several sources turned into observations, honestly.

This module gathers, under one name, the tools for values transcribed from public texts:

- :mod:`ontrack.reported`: :func:`read_reported` (reported values and a mapping file into
  observations of plan indicators, with units from the Rust core's unit table),
  :func:`resolve_conflicts`, :func:`parse_value`, :func:`ensure_columns`, :data:`UNITS`,
  :func:`lookup_unit`;
- :mod:`ontrack.lower_bounds`: :func:`apply_bounds` and :func:`annotate` (how lower bounds
  enter an assessment);
- :mod:`ontrack.langfang`: :func:`langfang_observations`, the Langfang case.
"""

from __future__ import annotations

from ontrack.langfang import langfang_observations
from ontrack.lower_bounds import annotate, apply_bounds
from ontrack.reported import (
    DEFAULT_RANK,
    TRANSFORMS,
    UNITS,
    ConflictPolicy,
    Unit,
    comparable_units,
    ensure_columns,
    is_lower_bound_text,
    lookup_unit,
    parse_value,
    read_reported,
    resolve_conflicts,
)

__all__ = [
    "DEFAULT_RANK",
    "TRANSFORMS",
    "UNITS",
    "ConflictPolicy",
    "Unit",
    "annotate",
    "apply_bounds",
    "comparable_units",
    "ensure_columns",
    "is_lower_bound_text",
    "langfang_observations",
    "lookup_unit",
    "parse_value",
    "read_reported",
    "resolve_conflicts",
]
