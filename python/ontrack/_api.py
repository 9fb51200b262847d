"""The frame-level API: typed wrappers over the Rust crate."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal

import polars as pl

from ontrack import _ontrack, _progress, distributed
from ontrack._args import (
    flag,
    optional_real,
    optional_reals,
    optional_text,
    optional_whole,
    real,
    reals,
    text,
)
from ontrack._frames import FrameLike, as_list, to_polars
from ontrack.distributed import engine_of
from ontrack.errors import ArgumentTypeError, OptionError

BaselinePolicy = Literal["first_at_or_after", "last_at_or_before", "nearest"]
ProjectionMethod = Literal[
    "linear",
    "linear_weighted",
    "log_linear",
    "log_linear_weighted",
    "drift",
    "damped_trend",
    "theta",
    "auto",
]
"""The projection methods (the Rust core's list; ``tests/test_rules_agree.py`` checks it)."""

Operation = Literal["assess", "compare_methods", "sensitivity", "project", "rollup"]

_DEFAULTS: Final[dict[str, dict[str, Any]]] = _ontrack.defaults()


def defaults(operation: Operation) -> dict[str, Any]:
    """Return the default of every option of an entry point, from the Rust core.

    ``operation`` is ``"assess"``, ``"compare_methods"``, ``"sensitivity"``, ``"project"`` or
    ``"rollup"``; options are named as in that function (``method`` lists the methods by
    name). These are the defaults of the Rust option structs (``AssessOptions::default()``
    and its kin), the one place they are kept; the signatures of the Python functions are
    checked against them.

    >>> import ontrack
    >>> ontrack.defaults("assess")["trend_alpha"]
    0.05
    >>> ontrack.defaults("compare_methods")["method"] == list(ontrack.ALL_METHODS)
    True
    """
    if operation not in _DEFAULTS:
        msg = f"defaults: unknown operation {operation!r}; expected one of {list(_DEFAULTS)}"
        raise OptionError(msg, option="operation")
    return {k: list(v) if isinstance(v, list) else v for k, v in _DEFAULTS[operation].items()}


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
    projection: ProjectionMethod | None = "auto",
    levels: float | Sequence[float] = (0.8, 0.95),
    on_track_probability: float = 0.8,
    off_track_probability: float = 0.2,
    attainment_horizon: float = 30,
    recency_weight: float = 0.9,
    method_params: MethodParams | None = None,
    log_scale: bool = False,
    threads: int | None = None,
    buckets: int | None = None,
    progress: bool | None = None,
) -> Any:
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
    projection
        Projection method behind ``projected_value``, its intervals, ``probability``,
        ``expected_attainment_year`` and ``probabilistic_status`` (see :func:`project`);
        ``None`` leaves those columns null.
    levels
        Interval levels of the projected value at the deadline (columns
        ``projected_lower_80`` etc.); one number or several.
    on_track_probability, off_track_probability
        Bands of ``probabilistic_status``: on_track at or above the first, off_track below
        the second, needs_acceleration in between.
    attainment_horizon
        Years after the latest observation searched for ``expected_attainment_year``.
    recency_weight
        Recency weight λ in (0, 1] of the weighted projection methods (``linear_weighted``,
        ``log_linear_weighted``, and the weighted fits inside ``auto``): an observation
        ``k`` years before the latest weighs ``λ**k`` (0.9: the weight halves about every
        6.6 years; 1: ordinary least squares).
    method_params
        Overrides of the methods' published parameters, by method name: e.g.
        ``{"open_sdg": {"undefined_growth": "annual_change"}}`` compares annual changes
        where Open SDG's published rule replaces a zero base or target by 0.001,
        ``{"unsd_2023": {"cuts": [0.9, 0.4]}}`` moves UNSD's class cut-offs. Names and
        types are those of the method's parameter struct in ``ontrack_kernels::methods``
        (e.g. Open SDG: ``substantial``, ``moderate``, ``no_target_high``,
        ``no_target_low``, ``limit_exponent``, ``score_high``, ``score_low``,
        ``zero_substitute``, ``undefined_growth``, ``min_points``); an unknown name, a
        wrong type or a method not selected raises :class:`OptionError` listing what is
        accepted.
    log_scale
        Fit the projection on ``ln(y - lower_bound)`` (the target's ``lower_bound``, or 0):
        multiplicative growth, projections and intervals above the bound (see
        :func:`project`).

    threads
        Threads to compute with (see :func:`set_threads` for the default and precedence);
        results do not depend on it.
    buckets
        Spark and Dask frames only: how many buckets of series the work is split into (one
        Rust call each; default four per core of the cluster). See
        :mod:`ontrack.distributed`.
    progress
        Show a progress bar (``tqdm``: a widget in Jupyter, a line on stderr in a
        terminal): ``None`` (default) once the call has run two seconds, ``True`` always,
        ``False`` never. Either way, Ctrl-C or a Jupyter interrupt stops the call within
        about a second with ``KeyboardInterrupt``. Ignored for Spark and Dask frames.

    Returns
    -------
    polars.DataFrame
        The engine's own lazy frame when ``observations`` is a Spark or Dask frame (same
        columns and values, types by :mod:`ontrack.distributed.types`).
        One row per target x series x method; every column is described in the data
        contract of the docs (``docs/data-contract.md``, Results): keys, ``target_id``,
        ``method``, ``status``, ``method_status``, ``score``, baseline/latest/target points,
        ``progress``, ``time_elapsed``, ``schedule_gap``, growth rates and annual changes,
        ``reason``, ...

    Raises
    ------
    OntrackError
        Subclasses (see :mod:`ontrack.errors`) for each kind of malformed input, with the
        culprit in their attributes: MissingColumnError and ColumnTypeError (``column``),
        NullValueError (``column``, ``row``), DuplicateObservationError (``series``,
        ``row``), TargetError and DuplicateTargetError (``target_id``, ``column``),
        OptionError (``option``). OntrackError is itself a ``ValueError``.
    ArgumentTypeError
        When an argument has the wrong type (``option`` names it), e.g. an input that is
        not a polars or pandas frame; also a ``TypeError`` and an OptionError.

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
    │ enum      ┆ enum               ┆ enum              ┆ f64          │
    ╞═══════════╪════════════════════╪═══════════════════╪══════════════╡
    │ open_sdg  ┆ needs_acceleration ┆ moderate_progress ┆ 0.8084       │
    │ unsd_2023 ┆ needs_acceleration ┆ fair_progress     ┆ 0.8551       │
    └───────────┴────────────────────┴───────────────────┴──────────────┘
    """
    return _dispatch("assess", observations, targets, _options(locals()), buckets, progress)


def _dispatch(
    operation: Literal["assess", "compare", "project"],
    observations: FrameLike,
    targets: FrameLike | None,
    kwargs: dict[str, Any],
    buckets: int | None,
    progress: bool | None,
) -> Any:
    """Run locally, or on the engine of a Spark or Dask frame (whose tasks show no bar)."""
    _progress.check(progress)
    engine = engine_of(observations)
    if engine is not None:
        return distributed.run(engine, operation, observations, targets, kwargs, buckets)
    if buckets is not None:
        msg = "buckets applies to Spark and Dask frames only"
        raise OptionError(msg, option="buckets")
    obs = to_polars(observations, "observations")
    if operation == "project":
        with _progress.bar(progress, "project") as feed:
            return _ontrack.project(obs, progress=feed, **kwargs)
    tgt = to_polars(targets, "targets")
    run = _ontrack.assess if operation == "assess" else _ontrack.compare_methods
    with _progress.bar(progress, operation) as feed:
        return run(obs, tgt, progress=feed, **kwargs)


#: The arguments of the entry points that are not options of the Rust core.
_NOT_OPTIONS: Final[frozenset[str]] = frozenset(
    {"observations", "targets", "result", "buckets", "progress"}
)


def _options(given: Mapping[str, Any]) -> dict[str, Any]:
    """Check and normalise the keyword options of an entry point for the Rust core.

    ``given`` is the call's arguments (``locals()`` at the top of the public function); the
    frames and the run-only arguments are left out. Every option is passed on, defaults
    included: the public signatures show the defaults, and ``tests/test_rules_agree.py``
    checks them against the Rust core's (:func:`defaults`).
    """
    out: dict[str, Any] = {}
    for name, value in given.items():
        if name in _NOT_OPTIONS:
            continue
        check = _CHECKS.get(name)
        if check is None:
            msg = f"unknown option {name!r}"
            raise OptionError(msg, option=name)
        out[name] = check(value, name)
    return out


def _threads_option(threads: int | None) -> int | None:
    if threads is None:
        return None
    if isinstance(threads, bool) or not isinstance(threads, int):
        msg = f"threads must be a positive integer or None, got {threads!r}"
        raise ArgumentTypeError(msg, option="threads")
    if threads < 1:
        msg = f"threads must be at least 1, got {threads}"
        raise OptionError(msg, option="threads")
    return threads


def set_threads(n: int | None) -> None:
    """Set the number of threads ontrack computes with, for this process.

    Precedence, first that is set wins: the ``threads=`` argument of a call, then
    ``set_threads(n)``, then the ``POLARS_MAX_THREADS`` environment variable, then every
    core. ``set_threads(None)`` clears the setting. Results never depend on the number of
    threads. Spark and Dask tasks compute on one thread each.

    >>> import ontrack
    >>> ontrack.set_threads(1)
    >>> ontrack.threads()
    1
    >>> ontrack.set_threads(None)
    """
    _ontrack.set_threads(_threads_option(n))


def threads(requested: int | None = None) -> int:
    """Return the number of threads a call with ``threads=requested`` computes with."""
    return _ontrack.threads(_threads_option(requested))


#: Parameter overrides by method name, e.g. ``{"unsd_2023": {"cuts": [0.9, 0.4]}}``.
MethodParams = Mapping[str, Mapping[str, Any]]


def _params_json(method_params: MethodParams | None) -> str | None:
    if method_params is None:
        return None
    expected = 'a mapping of method names to parameter mappings, e.g. {"open_sdg": {...}}'
    if not isinstance(method_params, Mapping):
        msg = f"method_params must be {expected}, not {type(method_params).__qualname__}"
        raise ArgumentTypeError(msg, option="method_params")
    for name, params in method_params.items():
        if not isinstance(name, str) or not isinstance(params, Mapping):
            msg = f"method_params must be {expected}; got {name!r}: {params!r:.60}"
            raise ArgumentTypeError(msg, option="method_params")

    def unknown(obj: object) -> object:
        if hasattr(obj, "item"):  # numpy scalars
            return obj.item()
        msg = (
            f"method_params: a value of type {type(obj).__qualname__} ({obj!r:.60}) is not "
            "a number, bool, string or list"
        )
        raise ArgumentTypeError(msg, option="method_params")

    return json.dumps(
        {name: dict(params) for name, params in method_params.items()}, default=unknown
    )


#: Every named method, the default of :func:`compare_methods` (read from the Rust core).
ALL_METHODS: tuple[str, ...] = tuple(_DEFAULTS["compare_methods"]["method"])


def compare_methods(
    observations: FrameLike,
    targets: FrameLike,
    *,
    method: Sequence[str] = ALL_METHODS,
    by: str | Sequence[str] | None = None,
    indicator: str = "indicator",
    year: str = "year",
    value: str = "value",
    base_year: float | None = None,
    baseline_policy: BaselinePolicy = "first_at_or_after",
    projection: ProjectionMethod | None = None,
    method_params: MethodParams | None = None,
    threads: int | None = None,
    buckets: int | None = None,
    progress: bool | None = None,
) -> Any:
    """Assess by several named methods side by side and mark where they disagree.

    Returns the :func:`assess` frame (a row per target x series x method) with
    ``methods_agree`` (every method that could assess the series gives the same unified
    status; null when fewer than two could), ``consensus_status`` (the most frequent status,
    ties to the worse), ``n_assessed_methods`` and ``status_spread`` (which method said what).
    Parameters are those of :func:`assess` (``progress`` too); ``method`` defaults to every
    named method (:data:`ALL_METHODS`, read from the Rust core) and ``projection`` to none
    (see :func:`defaults`). A method that needs inputs a series lacks (``sdsn`` needs the
    target's bounds) keeps its row with ``status`` ``insufficient_data`` and the ``reason``.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> obs = pl.DataFrame({"indicator": "x", "year": [2010, 2015, 2020],
    ...                     "value": [50.0, 70.0, 71.0]})
    >>> targets = pl.DataFrame({"indicator": ["x"], "direction": ["increase"],
    ...                         "target_value": [90.0], "target_year": [2030]})
    >>> out = ontrack.compare_methods(obs, targets, method=["open_sdg", "eurostat_short_term"])
    >>> out.select("method", "status", "methods_agree", "consensus_status")
    shape: (2, 4)
    ┌─────────────────────┬───────────┬───────────────┬──────────────────┐
    │ method              ┆ status    ┆ methods_agree ┆ consensus_status │
    │ ---                 ┆ ---       ┆ ---           ┆ ---              │
    │ enum                ┆ enum      ┆ bool          ┆ enum             │
    ╞═════════════════════╪═══════════╪═══════════════╪══════════════════╡
    │ open_sdg            ┆ on_track  ┆ false         ┆ off_track        │
    │ eurostat_short_term ┆ off_track ┆ false         ┆ off_track        │
    └─────────────────────┴───────────┴───────────────┴──────────────────┘
    """
    return _dispatch("compare", observations, targets, _options(locals()), buckets, progress)


def sensitivity(
    observations: FrameLike,
    targets: FrameLike,
    *,
    method: str | Sequence[str] = "open_sdg",
    base_years: Sequence[float] | None = None,
    by: str | Sequence[str] | None = None,
    indicator: str = "indicator",
    year: str = "year",
    value: str = "value",
    method_params: MethodParams | None = None,
    threads: int | None = None,
    progress: bool | None = None,
) -> pl.DataFrame:
    """How robust each status is to the choice of base year and to the latest point.

    Re-assesses with the baseline at each candidate base year (default: every year in the
    data but the last two, the twelve most recent at most) and with each series' latest
    observation left out. Returns keys, ``target_id``, ``method``, ``status``,
    ``baseline_year``, ``statuses_by_base_year``, ``n_base_years``, ``share_same_status``,
    ``status_without_latest`` and ``robustness`` (``robust``, ``sensitive_to_base_year``,
    ``sensitive_to_latest_point``, ``fragile`` or ``not_assessed``). ``progress`` is that
    of :func:`assess`; the bar counts the jobs of every re-assessment.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> obs = pl.DataFrame({"indicator": "x", "year": list(range(2010, 2016)),
    ...                     "value": [100.0, 100.5, 101.0, 101.4, 101.9, 125.0]})
    >>> targets = pl.DataFrame({"indicator": ["x"], "direction": ["increase"],
    ...                         "target_value": [130.0], "target_year": [2020]})
    >>> ontrack.sensitivity(obs, targets).select("status", "status_without_latest", "robustness")
    shape: (1, 3)
    ┌──────────┬───────────────────────┬───────────────────────────┐
    │ status   ┆ status_without_latest ┆ robustness                │
    │ ---      ┆ ---                   ┆ ---                       │
    │ enum     ┆ enum                  ┆ str                       │
    ╞══════════╪═══════════════════════╪═══════════════════════════╡
    │ on_track ┆ off_track             ┆ sensitive_to_latest_point │
    └──────────┴───────────────────────┴───────────────────────────┘
    """
    kwargs = _options(locals())
    obs, tgt = to_polars(observations, "observations"), to_polars(targets, "targets")
    with _progress.bar(progress, "sensitivity") as feed:
        return _ontrack.sensitivity(obs, tgt, progress=feed, **kwargs)


RollupHow = Literal[
    "mean_score", "weighted_mean_score", "share_on_track", "two_worst", "worst", "mean_value"
]


def rollup(
    result: FrameLike,
    *,
    by: str | Sequence[str] = "group",
    how: RollupHow = "mean_score",
    min_coverage: float = 0.8,
    weight: str | None = None,
    share_cuts: tuple[float, float] = (0.8, 0.5),
    buckets: int | None = None,
) -> Any:
    """Roll an :func:`assess` result up to tasks, goals or regions.

    Groups by ``by`` and ``method`` (methods never mix) and reports counts per status,
    ``coverage``, ``share_on_track``, ``mean_score``, ``weighted_mean_score`` (weights from
    ``weight`` or the ``weight`` column), ``mean_progress``, ``worst_status``,
    ``two_worst_status`` and a ``status`` by ``how``: ``mean_score`` (Open SDG bands of the
    mean score), ``weighted_mean_score``, ``share_on_track`` (a share of rows achieved or on
    track of at least ``share_cuts[0]`` is on track, of at least ``share_cuts[1]`` needs
    acceleration), ``two_worst`` (SDSN dashboard: the better of the two worst statuses),
    ``worst``, or ``mean_value`` (ESCAP: the simple mean of ``method_ratio``). With less than
    ``min_coverage`` of a group assessed (the SDSN 20% rule), no aggregate is given and
    ``reason`` says why.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> obs = pl.DataFrame({"indicator": ["a", "a", "b", "b"], "year": [2015, 2020] * 2,
    ...                     "value": [50.0, 60.0, 10.0, 9.9]})
    >>> targets = pl.DataFrame({"indicator": ["a", "b"], "direction": ["increase", "decrease"],
    ...                         "target_value": [80.0, 5.0], "target_year": [2030, 2030],
    ...                         "group": ["health", "health"]})
    >>> res = ontrack.assess(obs, targets)
    >>> ontrack.rollup(res, by="group").select("group", "n", "worst_status", "two_worst_status")
    shape: (1, 4)
    ┌────────┬─────┬──────────────┬──────────────────┐
    │ group  ┆ n   ┆ worst_status ┆ two_worst_status │
    │ ---    ┆ --- ┆ ---          ┆ ---              │
    │ str    ┆ u32 ┆ str          ┆ str              │
    ╞════════╪═════╪══════════════╪══════════════════╡
    │ health ┆ 2   ┆ off_track    ┆ on_track         │
    └────────┴─────┴──────────────┴──────────────────┘
    """
    kwargs = _options(locals())
    engine = engine_of(result)
    if engine is not None:
        return distributed.rollup(engine, result, kwargs, buckets)
    if buckets is not None:
        msg = "buckets applies to Spark and Dask frames only"
        raise OptionError(msg, option="buckets")
    return _ontrack.rollup(to_polars(result, "result"), **kwargs)


def project(
    observations: FrameLike,
    *,
    method: ProjectionMethod | Sequence[ProjectionMethod] = "auto",
    until: float | None = None,
    horizon: int | None = None,
    levels: float | Sequence[float] = (0.8, 0.95),
    by: str | Sequence[str] | None = None,
    indicator: str = "indicator",
    year: str = "year",
    value: str = "value",
    lower_bound: float | None = None,
    upper_bound: float | None = None,
    as_of: float | None = None,
    recency_weight: float = 0.9,
    log_scale: bool = False,
    threads: int | None = None,
    buckets: int | None = None,
    progress: bool | None = None,
) -> Any:
    """Project every series forward with prediction intervals.

    Parameters
    ----------
    observations
        Long frame as for :func:`assess`.
    method
        ``linear``, ``linear_weighted`` (recency-weighted least squares), ``log_linear``
        (constant growth), ``log_linear_weighted``, ``drift`` (random walk with drift),
        ``damped_trend`` (damped-trend exponential smoothing), ``theta``, or ``auto`` (drift,
        theta and damped trend combined by the series' length and roughness, with intervals
        calibrated on real yearly series); several give one block of rows each. Series too
        short for a method fall back down a documented ladder and say so in ``reason``;
        ``damped_trend`` and ``theta`` need regular spacing and fill gaps by linear
        interpolation.
    until, horizon
        Project every whole year up to ``until`` (default 2030), or ``horizon`` years past
        each series' last observation.
    levels
        Interval levels (one number or several); each gives ``lower_<pct>`` and
        ``upper_<pct>`` columns.
    lower_bound, upper_bound
        Natural bounds (e.g. 0 and 100 for a share): with both, models are fitted on the
        logit scale; projections and intervals never leave the bounds.
    by, indicator, year, value
        Key columns and column names, as for :func:`assess`.
    as_of
        Ignore observations after this year.
    recency_weight
        Recency weight λ in (0, 1] of ``linear_weighted`` and ``log_linear_weighted`` (and
        of the weighted fits inside ``auto``): an observation ``k`` years before the latest
        weighs ``λ**k``.
    log_scale
        Fit every method on ``ln(y - lower_bound)`` (``ln y`` without a lower bound):
        growth becomes multiplicative and projections and intervals stay above the bound,
        as suits strictly positive rates (mortality, prices). A series with a value at or
        below the bound is fitted on the original scale and its ``reason`` says so. Ignored
        when both bounds are given (the logit scale is used).
    threads, buckets, progress
        As for :func:`assess`.

    Returns
    -------
    polars.DataFrame
        The engine's own lazy frame for a Spark or Dask frame.
        Keys, ``year``, ``method``, ``method_used``, ``point``, the interval columns,
        ``n_points``, ``reason``.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> obs = pl.DataFrame({"indicator": "x", "year": [2015, 2016, 2017, 2018],
    ...                     "value": [10.0, 12.0, 14.0, 16.0]})
    >>> ontrack.project(obs, method="linear", horizon=2).select("year", "point", "lower_80")
    shape: (2, 3)
    ┌──────┬───────┬──────────┐
    │ year ┆ point ┆ lower_80 │
    │ ---  ┆ ---   ┆ ---      │
    │ i64  ┆ f64   ┆ f64      │
    ╞══════╪═══════╪══════════╡
    │ 2019 ┆ 18.0  ┆ 18.0     │
    │ 2020 ┆ 20.0  ┆ 20.0     │
    └──────┴───────┴──────────┘
    """
    return _dispatch("project", observations, None, _options(locals()), buckets, progress)


def _assess_kwargs(**given: Any) -> dict[str, Any]:
    """Check and normalise options of :func:`assess` given by name.

    Options not given keep the Rust defaults; for callers that run :func:`_dispatch`
    themselves.
    """
    return _options(given)


def _pair(value: Any, name: str) -> list[float]:
    numbers = reals(value, name)
    if len(numbers) != 2:
        msg = f"{name} must be two numbers, got {len(numbers)}"
        raise OptionError(msg, option=name)
    return numbers


def _optional_params(value: Any, name: str) -> str | None:
    return _params_json(value)


def _threads_checked(value: Any, name: str) -> int | None:
    return _threads_option(value)


#: How each option is checked and normalised (see :func:`_options`).
_CHECKS: Final[Mapping[str, Callable[[Any, str], Any]]] = {
    "method": as_list,
    "by": as_list,
    "indicator": text,
    "year": text,
    "value": text,
    "base_year": optional_real,
    "baseline_policy": text,
    "as_of": optional_real,
    "scale": optional_text,
    "include_untargeted": flag,
    "trend_alpha": real,
    "projection": optional_text,
    "levels": reals,
    "on_track_probability": real,
    "off_track_probability": real,
    "attainment_horizon": real,
    "recency_weight": real,
    "method_params": _optional_params,
    "log_scale": flag,
    "threads": _threads_checked,
    "base_years": optional_reals,
    "until": optional_real,
    "horizon": optional_whole,
    "lower_bound": optional_real,
    "upper_bound": optional_real,
    "how": text,
    "min_coverage": real,
    "weight": optional_text,
    "share_cuts": _pair,
}
