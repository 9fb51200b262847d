"""Type stubs of the native module ``ontrack._ontrack`` (checked by ``mypy.stubtest``)."""

import polars as pl

__all__ = [
    "POLARS_CRATE_VERSION",
    "ColumnTypeError",
    "DuplicateObservationError",
    "DuplicateTargetError",
    "EngineError",
    "MissingColumnError",
    "NullValueError",
    "OntrackError",
    "OptionError",
    "TargetError",
    "__version__",
    "assess",
    "method_names",
]

__version__: str
POLARS_CRATE_VERSION: str

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
) -> pl.DataFrame: ...
def method_names() -> list[str]: ...

class OntrackError(ValueError): ...
class MissingColumnError(OntrackError): ...
class ColumnTypeError(OntrackError): ...
class NullValueError(OntrackError): ...
class DuplicateObservationError(OntrackError): ...
class TargetError(OntrackError): ...
class DuplicateTargetError(TargetError): ...
class OptionError(OntrackError): ...
class EngineError(OntrackError): ...
