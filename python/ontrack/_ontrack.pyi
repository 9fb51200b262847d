"""Type stubs of the native module ``ontrack._ontrack`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Callable
from typing import Any

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
    "compare_methods",
    "defaults",
    "interval_columns",
    "interval_level",
    "lookup_unit",
    "method_names",
    "method_parameters",
    "option_names",
    "project",
    "read_plan",
    "result_keys",
    "rollup",
    "sensitivity",
    "series_keys",
    "set_threads",
    "statuses",
    "threads",
    "unit_table",
    "units_comparable",
]

__version__: str
POLARS_CRATE_VERSION: str
ERROR_ATTRIBUTES: list[str]
ERROR_CLASSES: list[tuple[str, str]]

# The entry points take their options as keywords under the public names of ``ontrack``'s
# functions; an option not given keeps the Rust default (see ``defaults``).
def assess(
    observations: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    schema_only: bool = False,
    progress: Callable[[int, int], object] | None = None,
    **options: Any,
) -> pl.DataFrame: ...
def compare_methods(
    observations: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    schema_only: bool = False,
    progress: Callable[[int, int], object] | None = None,
    **options: Any,
) -> pl.DataFrame: ...
def sensitivity(
    observations: pl.DataFrame,
    targets: pl.DataFrame,
    *,
    progress: Callable[[int, int], object] | None = None,
    **options: Any,
) -> pl.DataFrame: ...
def project(
    observations: pl.DataFrame,
    *,
    schema_only: bool = False,
    progress: Callable[[int, int], object] | None = None,
    **options: Any,
) -> pl.DataFrame: ...
def rollup(
    result: pl.DataFrame,
    *,
    schema_only: bool = False,
    **options: Any,
) -> pl.DataFrame: ...
def defaults() -> dict[str, dict[str, Any]]: ...
def statuses() -> list[str]: ...
def option_names() -> list[tuple[str, list[str]]]: ...
def interval_columns(level: float) -> tuple[str, str]: ...
def interval_level(column: str) -> tuple[float, bool] | None: ...
def result_keys(operation: str, *, indicator: str, year: str, by: list[str]) -> list[str]: ...
def series_keys(operation: str, columns: list[str], *, year: str) -> list[str]: ...
def unit_table() -> list[tuple[str, tuple[str, str, float, str]]]: ...
def lookup_unit(label: str) -> tuple[str, str, float, str] | None: ...
def units_comparable(a: str, b: str) -> bool | None: ...
def method_names() -> list[str]: ...
def set_threads(n: int | None) -> None: ...
def threads(requested: int | None = None) -> int: ...
def read_plan(path: str | os.PathLike[str]) -> tuple[pl.DataFrame, str, str, list[str]]: ...
def check_plan(path: str | os.PathLike[str]) -> list[str]: ...
def method_parameters() -> list[tuple[str, str]]: ...
def check_expression_input(role: str, series: pl.Series) -> None: ...
