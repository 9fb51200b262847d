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

from ontrack import langfang, lower_bounds, reported
from ontrack.langfang import *  # noqa: F403  (re-exported under one name)
from ontrack.lower_bounds import *  # noqa: F403
from ontrack.reported import *  # noqa: F403

__all__: list[str] = []
__all__ += reported.__all__
__all__ += lower_bounds.__all__
__all__ += langfang.__all__
