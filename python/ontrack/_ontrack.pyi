"""Type stubs of the native module ``ontrack._ontrack`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Callable

import polars as pl

from ontrack.errors import ArgumentTypeError as ArgumentTypeError
from ontrack.errors import ColumnTypeError as ColumnTypeError
from ontrack.errors import DuplicateObservationError as DuplicateObservationError
from ontrack.errors import DuplicateTargetError as DuplicateTargetError
from ontrack.errors import EngineError as EngineError
from ontrack.errors import MissingColumnError as MissingColumnError
from ontrack.errors import NullValueError as NullValueError
from ontrack.errors import OntrackError as OntrackError
from ontrack.errors import OptionError as OptionError
from ontrack.errors import PlanError as PlanError
from ontrack.errors import TargetError as TargetError

__all__ = [
    "ERROR_ATTRIBUTES",
    "ERROR_CLASSES",
    "POLARS_CRATE_VERSION",
    "ArgumentTypeError",
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
    "check_expression_input",
    "check_plan",
    "compare_method_names",
    "method_names",
    "method_parameters",
    "project",
    "read_plan",
    "rollup",
    "set_threads",
    "threads",
]

__version__: str
POLARS_CRATE_VERSION: str
ERROR_ATTRIBUTES: list[str]
ERROR_CLASSES: list[tuple[str, str]]

def assess(
    observations: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    methods: list[str],
    by: list[str],
    indicator: str,
    year: str,
    value: str,
    base_year: float | None = None,
    baseline_policy: str = "first_at_or_after",
    as_of: float | None = None,
    scale: str | None = None,
    include_untargeted: bool = True,
    trend_alpha: float = 0.05,
    projection: str | None = ...,
    levels: list[float] = ...,
    on_track_probability: float = 0.8,
    off_track_probability: float = 0.2,
    attainment_horizon: float = 30.0,
    mode: str = "assess",
    base_years: list[float] | None = None,
    method_params: str | None = None,
    log_scale: bool = False,
    threads: int | None = None,
    include_targets_without_data: bool = True,
    schema_only: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> pl.DataFrame: ...
def rollup(
    result: pl.DataFrame,
    *,
    by: list[str],
    how: str = "mean_score",
    min_coverage: float = 0.8,
    weight: str | None = None,
    schema_only: bool = False,
) -> pl.DataFrame: ...
def project(
    observations: pl.DataFrame,
    *,
    methods: list[str],
    by: list[str],
    indicator: str,
    year: str,
    value: str,
    until: float | None = None,
    horizon: int | None = None,
    levels: list[float] = ...,
    lower_bound: float | None = None,
    upper_bound: float | None = None,
    as_of: float | None = None,
    log_scale: bool = False,
    threads: int | None = None,
    schema_only: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> pl.DataFrame: ...
def method_names() -> list[str]: ...
def compare_method_names() -> list[str]: ...
def set_threads(n: int | None) -> None: ...
def threads(requested: int | None = None) -> int: ...
def read_plan(path: str | os.PathLike[str]) -> tuple[pl.DataFrame, str, str, list[str]]: ...
def check_plan(path: str | os.PathLike[str]) -> list[str]: ...
def method_parameters() -> list[tuple[str, str]]: ...
def check_expression_input(role: str, series: pl.Series) -> None: ...
