"""Polars expressions backed by ontrack's Rust kernels (expression plugins).

Each function takes the value and period columns and returns an expression that reduces a
group to one number, using the first non-missing point as the baseline and the last as the
latest point — the same quantities :func:`ontrack.assess` reports with its default baseline
policy. They work in ``select``, ``group_by().agg()`` and ``over()``, eager or lazy.

Inputs are checked strictly, as :func:`ontrack.assess` checks them: a ``target`` that is not
a number raises :class:`ontrack.ArgumentTypeError` when the expression is built; a value
column of text (or a period column that is neither numbers nor dates) makes the query raise
:class:`ontrack.ColumnTypeError` with ``column`` naming the input, in ``select``,
``with_columns``, ``group_by().agg()``, ``over()`` and a lazy ``collect()`` alike.

How: a plugin's own error reaches Python through the polars engine as text (a
``polars.exceptions.ComputeError``), so each input first passes through an identity
``map_batches`` that checks its type (by the extension's rule, the one the plugins apply) and
raises the ontrack class. The check reads the type only, once per batch of the whole column:
it costs microseconds, whatever the size.
"""

from __future__ import annotations

import functools
from pathlib import Path

import polars as pl
from polars._typing import IntoExpr
from polars.plugins import register_plugin_function

from ontrack import _ontrack
from ontrack._args import real
from ontrack.errors import OntrackError, _keep_attributes

_LIB = Path(__file__).parent

# The checks return their input, typed by `pl.self_dtype()`. Older polars (before the
# data-type expressions) cannot type an identity `map_batches` feeding a plugin (it panics),
# and wraps an exception raised inside a query in a ComputeError anyway: there the inputs go
# to the plugins unchecked, whose own check fails with "ColumnTypeError: ..." as text.
_CHECKED: bool = hasattr(pl, "self_dtype")


def _check(role: str, series: pl.Series) -> pl.Series:
    """Return ``series``; raise ColumnTypeError when it cannot be the ``role`` input."""
    try:
        _ontrack.check_expression_input(role, series.clear())
    except OntrackError as err:
        raise _keep_attributes(err) from None
    return series


def _checked(arg: IntoExpr, role: str) -> IntoExpr:
    if not _CHECKED:
        return arg
    expr = pl.col(arg) if isinstance(arg, str) else arg if isinstance(arg, pl.Expr) else pl.lit(arg)
    return expr.map_batches(
        functools.partial(_check, role), return_dtype=pl.self_dtype(), is_elementwise=True
    )


def _call(
    name: str, value: IntoExpr, year: IntoExpr, kwargs: dict[str, float | None] | None
) -> pl.Expr:
    return register_plugin_function(
        plugin_path=_LIB,
        function_name=f"{name}_expr",
        args=[_checked(value, "value"), _checked(year, "period")],
        kwargs=kwargs,
        returns_scalar=True,
    ).alias(name)


def cagr(value: IntoExpr, year: IntoExpr) -> pl.Expr:
    """Achieved compound annual growth rate from the first to the last point.

    ``(y_t / y_b) ** (1 / (t - b)) - 1``; null when a value is zero, the sign changes or
    there are fewer than two points.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> df = pl.DataFrame({"indicator": ["x", "x"], "year": [2015, 2020], "value": [50.0, 60.0]})
    >>> df.group_by("indicator").agg(ontrack.cagr("value", "year").round(6))
    shape: (1, 2)
    ┌───────────┬──────────┐
    │ indicator ┆ cagr     │
    │ ---       ┆ ---      │
    │ str       ┆ f64      │
    ╞═══════════╪══════════╡
    │ x         ┆ 0.037137 │
    └───────────┴──────────┘
    """
    return _call("cagr", value, year, None)


def required_cagr(value: IntoExpr, year: IntoExpr, *, target: float, target_year: float) -> pl.Expr:
    """Compound annual growth rate required from the first point to ``target`` by ``target_year``.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> df = pl.DataFrame({"year": [2015, 2020], "value": [50.0, 60.0]})
    >>> df.select(ontrack.required_cagr("value", "year", target=80, target_year=2030).round(6))
    shape: (1, 1)
    ┌───────────────┐
    │ required_cagr │
    │ ---           │
    │ f64           │
    ╞═══════════════╡
    │ 0.03183       │
    └───────────────┘
    """
    return _call(
        "required_cagr",
        value,
        year,
        {"target": real(target, "target"), "target_year": real(target_year, "target_year")},
    )


def progress(value: IntoExpr, year: IntoExpr, *, target: float) -> pl.Expr:
    """Share of the distance to ``target`` covered since the first point (完成进度).

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> df = pl.DataFrame({"year": [2015, 2017], "value": [9.0, 10.5]})
    >>> df.select(ontrack.progress("value", "year", target=12))
    shape: (1, 1)
    ┌──────────┐
    │ progress │
    │ ---      │
    │ f64      │
    ╞══════════╡
    │ 0.5      │
    └──────────┘
    """
    return _call("progress", value, year, {"target": real(target, "target"), "target_year": None})


def time_elapsed(value: IntoExpr, year: IntoExpr, *, target_year: float) -> pl.Expr:
    """Share of the time from the first point to ``target_year`` that has passed (时间进度).

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> df = pl.DataFrame({"year": [2015, 2017], "value": [9.0, 10.5]})
    >>> df.select(ontrack.time_elapsed("value", "year", target_year=2018).round(6))
    shape: (1, 1)
    ┌──────────────┐
    │ time_elapsed │
    │ ---          │
    │ f64          │
    ╞══════════════╡
    │ 0.666667     │
    └──────────────┘
    """
    return _call(
        "time_elapsed",
        value,
        year,
        {"target": None, "target_year": real(target_year, "target_year")},
    )


@pl.api.register_expr_namespace("ontrack")
class OntrackNamespace:
    """Sugar: ``pl.col("value").ontrack.cagr("year")`` is ``ontrack.cagr("value", "year")``.

    Type checkers cannot see runtime namespaces; prefer the free functions in typed code.
    """

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def cagr(self, year: IntoExpr) -> pl.Expr:
        """See :func:`ontrack.cagr`."""
        return cagr(self._expr, year)

    def required_cagr(self, year: IntoExpr, *, target: float, target_year: float) -> pl.Expr:
        """See :func:`ontrack.required_cagr`."""
        return required_cagr(self._expr, year, target=target, target_year=target_year)

    def progress(self, year: IntoExpr, *, target: float) -> pl.Expr:
        """See :func:`ontrack.progress`."""
        return progress(self._expr, year, target=target)

    def time_elapsed(self, year: IntoExpr, *, target_year: float) -> pl.Expr:
        """See :func:`ontrack.time_elapsed`."""
        return time_elapsed(self._expr, year, target_year=target_year)
