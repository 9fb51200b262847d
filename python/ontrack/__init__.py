"""ontrack: will each indicator reach its target in time, and if not, by how much.

Pass the observations and targets you already have (polars, lazy polars or pandas frames) and
get polars frames back: attainment, gaps, required-versus-achieved growth and a status by
every named official method (Open SDG, UNSD, Eurostat, ...).
"""

from __future__ import annotations

import polars as _pl

from ontrack._version_check import check_polars_version as _check_polars_version

_check_polars_version(_pl.__version__)

from ontrack import display, plot  # noqa: E402
from ontrack._api import assess, methods, project  # noqa: E402
from ontrack._expr import cagr, progress, required_cagr, time_elapsed  # noqa: E402
from ontrack._ontrack import (  # noqa: E402
    ColumnTypeError,
    DuplicateObservationError,
    DuplicateTargetError,
    EngineError,
    MissingColumnError,
    NullValueError,
    OntrackError,
    OptionError,
    PlanError,
    TargetError,
    __version__,
)
from ontrack.display import status_table  # noqa: E402

__all__ = [
    "ColumnTypeError",
    "DuplicateObservationError",
    "DuplicateTargetError",
    "EngineError",
    "MissingColumnError",
    "NullValueError",
    "OntrackError",
    "OptionError",
    "PlanError",
    "TargetError",
    "__version__",
    "assess",
    "cagr",
    "display",
    "methods",
    "plot",
    "progress",
    "project",
    "required_cagr",
    "status_table",
    "time_elapsed",
]
