"""Named methods reproduce the publishing body's results by default, quirks included.

Open SDG's rules are those of sdg-build's ``sdg/ProgressMeasure.py`` (open-sdg/sdg-build on
GitHub): a zero target and a zero base value are replaced by 0.001, a zero current value is used
as it is (its growth ``(0/y_b)^(1/(t-b)) - 1`` is -1). Expected values are worked by hand from
those formulas, the arithmetic in each test.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import ontrack
from tests.conftest import level_target, series

UK = Path(__file__).resolve().parent.parent / "data" / "uk_ons_sdg"


def _open_sdg(
    points: list[tuple[int, float]],
    direction: str,
    target: float,
    year: int,
    **params: object,
) -> dict[str, Any]:
    out = ontrack.assess(
        series("x", points),
        level_target("x", direction, target, year),
        projection=None,
        method_params={"open_sdg": params} if params else None,
    )
    assert out.height == 1
    row: dict[str, Any] = out.row(0, named=True)
    return row


def test_statistics_canada_zero_current_value_as_published() -> None:
    # Published Statistics Canada series (Open SDG): lower is better, 81124 in 2015, 0 in 2023,
    # target 0.001 by 2030. g_a = (0/81124)^(1/8) - 1 = -1;
    # g_r = (0.001/81124)^(1/15) - 1 = 0.2969774 - 1 = -0.7030226;
    # R = (-1)(-1)/0.7030226 = 1.4224293 (published), target achieved: score 5.
    row = _open_sdg([(2015, 81124.0), (2019, 40000.0), (2023, 0.0)], "decrease", 0.001, 2030)
    assert abs(row["method_ratio"] - 1.4224293) < 5e-8
    assert row["method_status"] == "target_achieved"
    assert row["status"] == "achieved"
    assert row["score"] == 5.0


def test_zero_base_value_is_replaced_by_a_thousandth() -> None:
    # Higher is better, 0 in 2015, 10 in 2020, target 30 by 2030. Base -> 0.001:
    # g_a = (10/0.001)^(1/5) - 1 = 10^0.8 - 1 = 5.3095734448;
    # g_r = (30/0.001)^(1/15) - 1 = 30000^(1/15) - 1 = 0.9882672101;
    # R = 5.3095734448/0.9882672101 = 5.3726091392 >= 0.95: substantial progress, score
    # min(7.1429 R - 4.2857, 5) = 5.
    row = _open_sdg([(2015, 0.0), (2020, 10.0)], "increase", 30.0, 2030)
    assert math.isclose(row["method_ratio"], 5.3726091392, rel_tol=1e-9)
    assert row["method_status"] == "substantial_progress"
    assert row["score"] == 5.0
    assert "zero base value replaced by 0.001" in row["reason"]


def test_zero_target_is_replaced_by_a_thousandth() -> None:
    # Lower is better, 50 in 2015, 20 in 2021, target 0 by 2030. Target -> 0.001:
    # g_a = (20/50)^(1/6) - 1 = -0.1416257811; g_r = (0.001/50)^(1/15) - 1 = -0.5138891294;
    # R = 0.1416257811/0.5138891294 = 0.2755959855: limited progress (0 <= R < 0.60);
    # score 4.1667 R - 2.5 = -1.3516742071.
    row = _open_sdg([(2015, 50.0), (2018, 30.0), (2021, 20.0)], "decrease", 0.0, 2030)
    assert math.isclose(row["method_ratio"], 0.2755959855, rel_tol=1e-9)
    assert row["method_status"] == "limited_progress"
    assert math.isclose(row["score"], -1.3516742071, rel_tol=1e-9)
    assert "zero target replaced by 0.001" in row["reason"]


def test_annual_change_fallback_is_an_explicit_parameter() -> None:
    # ontrack's alternative, by name: no substitution, annual changes compared.
    # 0 (2015) -> 10 (2020), target 30 by 2030: 10/5 = 2 per year against 30/15 = 2: R = 1.
    row = _open_sdg(
        [(2015, 0.0), (2020, 10.0)], "increase", 30.0, 2030, undefined_growth="annual_change"
    )
    assert math.isclose(row["method_ratio"], 1.0, rel_tol=1e-12)
    assert "absolute annual changes" in row["reason"]
    with pytest.raises(ontrack.OptionError, match="expected `published` or `annual_change`"):
        _open_sdg([(2015, 0.0), (2020, 10.0)], "increase", 30.0, 2030, undefined_growth="zero")


def _uk_observations() -> pl.DataFrame:
    """Under-5 mortality by UK country and sex, and the UK renewable share, as published."""
    attributes = {"Year", "Value", "Series", "Observation status", "Unit multiplier"}
    attributes |= {"Unit measure", "Units", "GeoCode"}
    frames = []
    for file, name, keys in [
        ("indicator_3-2-1.csv", "under5_mortality", ["Country", "Sex"]),
        ("indicator_7-2-1.csv", "renewable_share", []),
    ]:
        raw = pl.read_csv(UK / file, infer_schema_length=0)
        blank = [c for c in raw.columns if c not in attributes and c not in keys]
        if blank:
            raw = raw.filter(pl.all_horizontal(pl.col(c).is_null() for c in blank))
        rows = raw.filter(pl.col("Year").str.contains(r"^\d{4}$"))
        frames.append(
            rows.select(
                pl.lit(name).alias("indicator"),
                *(
                    (pl.col(k) if k in keys else pl.lit(None, pl.String)).fill_null("all").alias(k)
                    for k in ("Country", "Sex")
                ),
                pl.col("Year").cast(pl.Int64).alias("year"),
                pl.col("Value").cast(pl.Float64).alias("value"),
            )
        )
    return pl.concat(frames)


def test_default_comparison_has_all_twelve_methods_for_every_uk_series() -> None:
    obs = _uk_observations()
    # SDG 3.2 (under-5 mortality at most 25 by 2030) and the EU Renewable Energy Directive's
    # 15 % by 2020; no bounds, so SDSN cannot normalise and must say so in its row.
    targets = pl.DataFrame(
        {
            "indicator": ["under5_mortality", "renewable_share"],
            "direction": ["decrease", "increase"],
            "target_value": [25.0, 15.0],
            "target_year": [2030, 2020],
        }
    )
    out = ontrack.compare_methods(obs, targets, by=["Country", "Sex"])
    assert tuple(ontrack.methods()) == ontrack.ALL_METHODS
    assert len(ontrack.ALL_METHODS) == 12
    per_series = out.group_by("indicator", "Country", "Sex", maintain_order=True).agg(
        pl.col("method")
    )
    assert per_series.height == obs.select("indicator", "Country", "Sex").n_unique()
    assert per_series.height > 5
    for methods in per_series["method"].to_list():
        assert methods == list(ontrack.ALL_METHODS)
    assert out["status"].null_count() == 0
    sdsn = out.filter(pl.col("method") == "sdsn")
    assert sdsn.height == per_series.height
    assert sdsn["status"].to_list() == ["insufficient_data"] * sdsn.height
    assert all("bounds" in r for r in sdsn["reason"].to_list())
