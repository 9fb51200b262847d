"""ontrack.project and the probability columns of ontrack.assess."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import ontrack
from tests.conftest import level_target, series

LINE = series("x", [(2015, 10.0), (2016, 12.0), (2017, 14.0), (2018, 16.0), (2019, 18.0)])


def test_long_layout_and_exact_line() -> None:
    out = ontrack.project(LINE, method=["linear", "drift"], until=2023)
    assert out.columns == [
        "indicator",
        "year",
        "method",
        "method_used",
        "point",
        "lower_80",
        "upper_80",
        "lower_95",
        "upper_95",
        "n_points",
        "reason",
    ]
    assert out.height == 2 * 4
    expected = 10.0 + 2.0 * (out["year"] - 2015)
    assert ((out["point"] - expected).abs() < 1e-9).all()
    assert (out["lower_95"] <= out["lower_80"] + 1e-12).all()
    assert (out["upper_80"] <= out["upper_95"] + 1e-12).all()


@pytest.mark.parametrize(
    "method",
    ["linear", "linear_weighted", "log_linear", "log_linear_weighted", "drift", "theta", "auto"],
)
def test_every_method_orders_its_intervals(method: str) -> None:
    obs = series("x", [(2010 + i, 50 + 3 * i + (-1) ** i * 1.5) for i in range(12)])
    out = ontrack.project(obs, method=method, horizon=8)  # type: ignore[arg-type]
    assert out.height == 8
    assert (out["lower_95"] <= out["point"]).all()
    assert (out["point"] <= out["upper_95"]).all()


def test_bounds_hold() -> None:
    obs = series("share", [(2010, 80.0), (2011, 86.0), (2012, 89.0), (2013, 94.0), (2014, 97.0)])
    out = ontrack.project(obs, lower_bound=0, upper_bound=100, horizon=15)
    assert out["upper_95"].max() <= 100.0
    assert out["lower_95"].min() >= 0.0


def test_input_types_agree() -> None:
    expected = ontrack.project(LINE, horizon=3)
    assert_frame_equal(ontrack.project(LINE.lazy(), horizon=3), expected)
    assert_frame_equal(ontrack.project(LINE.to_pandas(), horizon=3), expected)


def test_until_and_horizon_are_exclusive() -> None:
    with pytest.raises(ontrack.OptionError, match="not both"):
        ontrack.project(LINE, until=2030, horizon=3)
    with pytest.raises(ontrack.OptionError, match="unknown projection method"):
        ontrack.project(LINE, method="arima")  # type: ignore[arg-type]


def test_assess_probability_monotone_in_target() -> None:
    obs = series("x", [(2010 + i, 10 + 1.8 * i + (0.7 if i % 2 else -0.7)) for i in range(8)])
    targets = pl.concat(
        level_target("x", "increase", float(v), 2030).with_columns(id=pl.lit(f"T{v}"))
        for v in (30, 40, 45, 50, 55, 70)
    )
    out = ontrack.assess(obs, targets).sort("target_value")
    probs = out["probability"].to_list()
    assert probs == sorted(probs, reverse=True)
    assert out["expected_attainment_year"].is_not_null().any()
    assert set(out["probabilistic_status"]) <= {"on_track", "needs_acceleration", "off_track"}


def test_assess_projection_switched_off() -> None:
    out = ontrack.assess(LINE, level_target("x", "increase", 24, 2030), projection=None)
    assert out["probability"].item() is None
    out = ontrack.assess(LINE, level_target("x", "increase", 24, 2030), levels=[0.5])
    assert "projected_lower_50" in out.columns
    assert out["expected_attainment_year"].item() == 2022


def test_log_scale_projects_constant_growth_exactly() -> None:
    years = list(range(2011, 2021))
    obs = pl.DataFrame(
        {"indicator": "x", "year": years, "value": [100.0 * 1.1**k for k in range(10)]}
    )
    out = ontrack.project(obs, method="drift", until=2025, log_scale=True)
    expected = [100.0 * 1.1 ** (y - 2011) for y in out["year"]]
    assert out["point"].to_list() == pytest.approx(expected, rel=1e-12)
    additive = ontrack.project(obs, method="drift", until=2025)
    assert additive["point"][0] == pytest.approx(
        expected[0] / 1.1 + (expected[0] / 1.1 - 100.0) / 9, rel=1e-12
    )
    targets = level_target("x", "increase", 400.0, 2030)
    assessed = ontrack.assess(obs, targets, projection="drift", log_scale=True)
    assert assessed["projected_value"][0] == pytest.approx(100.0 * 1.1**19, rel=1e-12)
    assert assessed["expected_attainment_year"][0] == 2026
