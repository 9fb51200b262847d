"""ontrack: will each indicator reach its target in time, and if not, by how much.

Pass the observations and targets you already have (polars, lazy polars or pandas frames) and
get polars frames back: attainment, gaps, required-versus-achieved growth and a status by
every named official method (Open SDG, UNSD, Eurostat, ...).
"""

from __future__ import annotations

import polars as _pl

from ontrack._version_check import check_polars_version as _check_polars_version

_check_polars_version(_pl.__version__)

from ontrack import (  # noqa: E402
    display,
    distributed,
    errors,
    langfang,
    lower_bounds,
    plot,
    report,
    reported,
    sources,
)
from ontrack._api import (  # noqa: E402
    ALL_METHODS,
    assess,
    compare_methods,
    defaults,
    methods,
    project,
    rollup,
    sensitivity,
    set_threads,
    threads,
)
from ontrack._expr import cagr, progress, required_cagr, time_elapsed  # noqa: E402
from ontrack._ontrack import __version__  # noqa: E402
from ontrack._plan import Plan, read_plan  # noqa: E402
from ontrack.display import status_table  # noqa: E402
from ontrack.errors import (  # noqa: E402
    ArgumentTypeError,
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
)

__all__ = [
    "ALL_METHODS",
    "ArgumentTypeError",
    "ColumnTypeError",
    "DuplicateObservationError",
    "DuplicateTargetError",
    "EngineError",
    "MissingColumnError",
    "NullValueError",
    "OntrackError",
    "OptionError",
    "Plan",
    "PlanError",
    "TargetError",
    "__version__",
    "assess",
    "cagr",
    "compare_methods",
    "defaults",
    "display",
    "distributed",
    "errors",
    "langfang",
    "lower_bounds",
    "methods",
    "plot",
    "progress",
    "project",
    "read_plan",
    "report",
    "reported",
    "required_cagr",
    "rollup",
    "sensitivity",
    "set_threads",
    "sources",
    "status_table",
    "threads",
    "time_elapsed",
]
