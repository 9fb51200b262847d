"""The frame-level API: typed wrappers over the Rust crate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from ontrack import _ontrack
from ontrack._frames import FrameLike, as_list, to_polars

BaselinePolicy = Literal["first_at_or_after", "last_at_or_before", "nearest"]


def methods() -> list[str]:
    """Names of the named methods :func:`assess` accepts.

    >>> import ontrack
    >>> "open_sdg" in ontrack.methods()
    True
    """
    return _ontrack.method_names()


def assess(
    observations: FrameLike,
    targets: FrameLike,
    *,
    method: str | Sequence[str] = "open_sdg",
    by: str | Sequence[str] | None = None,
    indicator: str = "indicator",
    year: str = "year",
    value: str = "value",
    base_year: float | None = None,
    baseline_policy: BaselinePolicy = "first_at_or_after",
    as_of: float | None = None,
    scale: str | None = None,
    include_untargeted: bool = True,
    trend_alpha: float = 0.05,
) -> pl.DataFrame:
    """Assess every series against its targets, by one or more named methods.

    Parameters
    ----------
    observations
        Long ("tidy") frame: one row per series and period, with the ``indicator`` column,
        the key columns of ``by``, the ``year`` column (integer or float years, dates) and
        the ``value`` column (nulls are missing values, reported in ``n_missing``).
    targets
        One row per target: ``indicator``, optional key columns (null = every value),
        ``direction`` (``increase``/``decrease``), ``kind`` (``level`` by default, ``change``,
        ``cumulative``, ``share_of_units``, ``direction``, ``binary``), ``target_value``,
        ``target_year``, ``strict`` and the optional columns of the data contract (``id``,
        ``baseline_year``, ``baseline_value``, ``window_start``, ``lower_bound``,
        ``upper_bound``, ``unit``, ``scale``, ``label``, ``group``, ``weight``,
        ``change_type``, ``unit_column``, ``unit_threshold``).
    method
        A method name or a list (see :func:`methods`); one output row per method.
    by
        Key columns that identify a series besides the indicator (region, sex, ...).
    indicator, year, value
        Column names.
    base_year
        Base year for targets without ``baseline_year``; ``None`` uses the first observation.
    baseline_policy
        Which observation serves as the baseline when the base year has none.
    as_of
        Ignore observations after this year.
    scale
        Observations column with a multiplier to base units (e.g. 1e8 for 亿元); values are
        then compared in each target's unit.
    include_untargeted
        Give series without a target a row with ``status = "insufficient_data"``.
    trend_alpha
        Significance level of the trend-slope test.

    Returns
    -------
    polars.DataFrame
        One row per target x series x method; the columns are documented in the Rust crate
        (``ontrack::assess``): keys, ``target_id``, ``method``, ``status``,
        ``method_status``, ``score``, baseline/latest/target points, ``progress``,
        ``time_elapsed``, ``schedule_gap``, growth rates and annual changes, ``reason``, ...

    Raises
    ------
    OntrackError
        Subclasses for each kind of malformed input: MissingColumnError, ColumnTypeError,
        NullValueError, DuplicateObservationError, TargetError, OptionError. OntrackError
        is itself a ``ValueError``.
    TypeError
        When an input is not a polars or pandas frame.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> obs = pl.DataFrame({"indicator": "u5mr", "year": [2015, 2021], "value": [10.0, 8.0]})
    >>> targets = pl.DataFrame(
    ...     {"indicator": ["u5mr"], "direction": ["decrease"],
    ...      "target_value": [5.0], "target_year": [2030]}
    ... )
    >>> out = ontrack.assess(obs, targets, method=["open_sdg", "unsd_2023"])
    >>> out.select("method", "status", "method_status", pl.col("method_ratio").round(4))
    shape: (2, 4)
    ┌───────────┬────────────────────┬───────────────────┬──────────────┐
    │ method    ┆ status             ┆ method_status     ┆ method_ratio │
    │ ---       ┆ ---                ┆ ---               ┆ ---          │
    │ str       ┆ str                ┆ str               ┆ f64          │
    ╞═══════════╪════════════════════╪═══════════════════╪══════════════╡
    │ open_sdg  ┆ needs_acceleration ┆ moderate_progress ┆ 0.8084       │
    │ unsd_2023 ┆ needs_acceleration ┆ fair_progress     ┆ 0.8551       │
    └───────────┴────────────────────┴───────────────────┴──────────────┘
    """
    return _ontrack.assess(
        to_polars(observations, "observations"),
        to_polars(targets, "targets"),
        methods=as_list(method, "method"),
        by=as_list(by, "by"),
        indicator=indicator,
        year=year,
        value=value,
        base_year=None if base_year is None else float(base_year),
        baseline_policy=baseline_policy,
        as_of=None if as_of is None else float(as_of),
        scale=scale,
        include_untargeted=include_untargeted,
        trend_alpha=float(trend_alpha),
    )
