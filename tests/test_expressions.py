"""The expression plugins agree with assess and work in select, group_by and over."""

from __future__ import annotations

import datetime as dt
import math

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
