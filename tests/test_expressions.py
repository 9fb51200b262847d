"""The expression plugins agree with assess and work in select, group_by and over."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import ontrack


@pytest.fixture
def panel() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": ["a"] * 4 + ["b"] * 3,
            "year": [2017, 2015, 2016, 2018, 2015, 2016, 2020],
            "value": [55.0, 50.0, None, 58.0, 10.0, 9.5, 8.0],
        }
    )


def test_group_by_agrees_with_assess(panel: pl.DataFrame) -> None:
    got = (
        panel.group_by("indicator")
        .agg(
            ontrack.cagr("value", "year"),
            ontrack.required_cagr("value", "year", target=80.0, target_year=2030),
            ontrack.progress("value", "year", target=80.0),
            ontrack.time_elapsed("value", "year", target_year=2030),
        )
        .sort("indicator")
    )
    targets = pl.DataFrame(
        {
            "indicator": ["a", "b"],
            "direction": ["increase", "increase"],
            "target_value": [80.0, 80.0],
            "target_year": [2030, 2030],
        }
    )
    want = ontrack.assess(panel, targets).sort("indicator")
    for expr_col, assess_col in [
        ("cagr", "achieved_growth"),
        ("required_cagr", "required_growth"),
        ("progress", "progress"),
        ("time_elapsed", "time_elapsed"),
    ]:
        for a, b in zip(got.get_column(expr_col), want.get_column(assess_col), strict=True):
            assert math.isclose(a, b, rel_tol=1e-12), (expr_col, a, b)


def test_select_over_and_lazy(panel: pl.DataFrame) -> None:
    over = panel.select(
        "indicator", ontrack.cagr("value", "year").over("indicator").alias("g")
    ).unique()
    assert over.height == 2
    lazy = panel.lazy().group_by("indicator").agg(ontrack.cagr("value", "year")).collect()
    assert lazy.height == 2
    single = panel.filter(pl.col("indicator") == "a").select(ontrack.cagr("value", "year"))
    assert math.isclose(single.item(), (58 / 50) ** (1 / 3) - 1, rel_tol=1e-12)


def test_namespace_is_sugar(panel: pl.DataFrame) -> None:
    a = panel.group_by("indicator").agg(pl.col("value").ontrack.cagr("year")).sort("indicator")  # type: ignore[attr-defined]
    b = panel.group_by("indicator").agg(ontrack.cagr("value", "year")).sort("indicator")
    assert a.equals(b)


def test_degenerate_groups_are_null() -> None:
    df = pl.DataFrame({"g": ["x", "y", "y"], "year": [2015, 2015, 2016], "value": [1.0, 0.0, 2.0]})
    out = df.group_by("g").agg(ontrack.cagr("value", "year")).sort("g")
    assert out.get_column("cagr").to_list() == [None, None]


def test_points_are_sorted_by_period_and_missing_values_skipped() -> None:
    df = pl.DataFrame({"value": [60.0, None, 50.0], "year": [2020, 2017, 2015]})
    got = df.select(ontrack.cagr("value", "year")).item()
    assert math.isclose(got, 1.2 ** (1 / 5) - 1, rel_tol=1e-12)


def test_a_single_point_gives_nulls_not_a_panic() -> None:
    one = pl.DataFrame({"value": [5.0], "year": [2015]})
    out = one.select(
        ontrack.cagr("value", "year"),
        ontrack.progress("value", "year", target=5.0),
        ontrack.time_elapsed("value", "year", target_year=2015),
    )
    assert out.row(0) == (None, None, None)


def test_dates_are_periods_but_not_values() -> None:
    dates = pl.DataFrame(
        {"value": [dt.date(2015, 1, 1), dt.date(2020, 1, 1)], "year": [2015, 2020]}
    )
    with pytest.raises(ontrack.ColumnTypeError) as info:
        dates.select(ontrack.cagr("value", "year"))
    assert info.value.column == "value"
    ok = pl.DataFrame({"value": [50.0, 60.0], "year": [dt.date(2015, 1, 1), dt.date(2020, 1, 1)]})
    assert ok.select(ontrack.cagr("value", "year")).item() is not None


def test_dates_follow_the_calendar_rule_of_assess() -> None:
    """2015-01-01 to 2020-01-01 is exactly five calendar years, in an expression as in assess:
    CAGR (60/50)^(1/5) - 1 = 0.0371372893 (a 365.2425-day year would give 0.0371417)."""
    obs = pl.DataFrame(
        {
            "indicator": ["x", "x"],
            "year": [dt.date(2015, 1, 1), dt.date(2020, 1, 1)],
            "value": [50.0, 60.0],
        }
    )
    got = obs.select(ontrack.cagr("value", "year")).item()
    targets = pl.DataFrame(
        {
            "indicator": ["x"],
            "direction": ["increase"],
            "target_value": [80.0],
            "target_year": [2030],
        }
    )
    want = ontrack.assess(obs, targets, projection=None)["achieved_growth"].item()
    assert got == want
    assert math.isclose(got, 1.2 ** (1 / 5) - 1, rel_tol=1e-12)


TEXT_VALUES = pl.DataFrame(
    {"indicator": ["a", "a", "b"], "year": [2015, 2020, 2015], "value": ["1.0", "2.0", "3.0"]}
)
TEXT_YEARS = pl.DataFrame(
    {"indicator": ["a", "a", "b"], "year": ["2015", "2020", "2015"], "value": [1.0, 2.0, 3.0]}
)
CONTEXTS: dict[str, Callable[[pl.DataFrame, pl.Expr], Any]] = {
    "select": lambda frame, expr: frame.select(expr),
    "with_columns": lambda frame, expr: frame.with_columns(expr.alias("out")),
    "group_by": lambda frame, expr: frame.group_by("indicator").agg(expr),
    "lazy": lambda frame, expr: frame.lazy().group_by("indicator").agg(expr).collect(),
    "over": lambda frame, expr: frame.select(expr.over("indicator")),
    "streaming": lambda frame, expr: frame.lazy().select(expr).collect(engine="streaming"),
}


@pytest.mark.parametrize("context", CONTEXTS.values(), ids=CONTEXTS.keys())
@pytest.mark.parametrize(
    ("frame", "column", "expected"),
    [(TEXT_VALUES, "value", "a number"), (TEXT_YEARS, "year", "years (numbers) or dates")],
    ids=["text-value", "text-year"],
)
def test_a_column_of_the_wrong_type_raises_column_type_error(
    context: Callable[[pl.DataFrame, pl.Expr], Any],
    frame: pl.DataFrame,
    column: str,
    expected: str,
) -> None:
    for expr in (
        ontrack.cagr("value", "year"),
        ontrack.progress("value", "year", target=5.0),
        ontrack.required_cagr(pl.col("value"), pl.col("year"), target=5.0, target_year=2030),
        ontrack.time_elapsed("value", "year", target_year=2030),
    ):
        with pytest.raises(ontrack.ColumnTypeError) as info:
            context(frame, expr)
        assert type(info.value) is ontrack.ColumnTypeError
        assert info.value.column == column
        assert str(info.value).startswith(
            f'observations column "{column}" has type str; expected {expected}'
        )


def test_the_error_names_the_input_column_of_an_expression() -> None:
    frame = TEXT_VALUES.rename({"value": "amount"})
    with pytest.raises(ontrack.ColumnTypeError) as info:
        frame.select(ontrack.cagr(pl.col("amount").str.strip_chars(), "year"))
    assert info.value.column == "amount"


def test_nulls_and_nan_keep_their_behaviour() -> None:
    nulls = pl.DataFrame({"year": [2015, 2020], "value": [None, None]})
    assert nulls.select(ontrack.cagr("value", "year")).item() is None
    null_years = pl.DataFrame({"year": [None, None], "value": [1.0, 2.0]})
    assert null_years.select(ontrack.cagr("value", "year")).item() is None
    with_nan = pl.DataFrame({"year": [2015, 2018, 2020], "value": [50.0, math.nan, 60.0]})
    got = with_nan.select(ontrack.cagr("value", "year")).item()
    assert math.isclose(got, 1.2 ** (1 / 5) - 1, rel_tol=1e-12)
    some_null = pl.DataFrame({"year": [2015, None, 2020], "value": [50.0, 1.0, 60.0]})
    assert some_null.select(ontrack.cagr("value", "year")).item() == got


def test_the_check_does_not_change_numeric_results(panel: pl.DataFrame) -> None:
    from polars.plugins import register_plugin_function

    unchecked = register_plugin_function(
        plugin_path=Path(ontrack.__file__).parent,
        function_name="cagr_expr",
        args=["value", "year"],
        returns_scalar=True,
    ).alias("cagr")
    a = panel.group_by("indicator").agg(ontrack.cagr("value", "year")).sort("indicator")
    b = panel.group_by("indicator").agg(unchecked).sort("indicator")
    assert a.equals(b)
    # the plugin alone keeps its own check, as a polars error
    with pytest.raises(pl.exceptions.PolarsError, match="ColumnTypeError: observations column"):
        TEXT_VALUES.select(unchecked)
