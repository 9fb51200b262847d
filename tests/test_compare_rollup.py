"""compare_methods, sensitivity and rollup through Python."""

from __future__ import annotations

import polars as pl
import pytest

import ontrack
from tests.conftest import level_target, series


def test_compare_methods_marks_disagreement() -> None:
    obs = series("x", [(2010, 50.0), (2015, 70.0), (2020, 71.0)])
    out = ontrack.compare_methods(
        obs, level_target("x", "increase", 90.0, 2030), method=["open_sdg", "unsd_2023"]
    )
    assert out["methods_agree"].to_list() == [True, True]
    out = ontrack.compare_methods(obs, level_target("x", "increase", 90.0, 2030))
    assert out.height == len(ontrack.ALL_METHODS)
    assert out["methods_agree"].n_unique() == 1
    assert set(out["method"]) == set(ontrack.ALL_METHODS)


GROWTH = ("open_sdg", "unsd_2022", "unsd_2023", "eurostat_long_term", "eurostat_short_term")
ABSOLUTE = ("destatis_absolute", "china_plan")


def test_every_method_in_both_directions() -> None:
    # The same progress seen from both sides, by an exact mirror of each method's arithmetic:
    # growth-based methods see negated values against a negated target the same way (growth
    # of magnitudes, Open SDG's s = -1); methods on absolute changes see the reflected series
    # (v -> 400 - v). ESCAP's log-linear fit has no exact mirror of this kind; its kernel tests
    # check both directions on hand-computed cases.
    values = [100 * 1.03**i + (1.5 if i % 3 == 0 else 0.0) for i in range(16)]
    cases = [
        (GROWTH, [-v for v in values], -260.0),
        (ABSOLUTE, [400 - v for v in values], 400 - 260.0),
    ]
    for methods, mirrored, mirrored_target in cases:
        up = series("x", [(2005 + i, v) for i, v in enumerate(values)])
        down = series("x", [(2005 + i, v) for i, v in enumerate(mirrored)])
        a = ontrack.compare_methods(up, level_target("x", "increase", 260.0, 2030), method=methods)
        b = ontrack.compare_methods(
            down, level_target("x", "decrease", mirrored_target, 2030), method=methods
        )
        assert a["status"].to_list() == b["status"].to_list(), methods
        assert "insufficient_data" not in a["status"].to_list()


def test_sensitivity_columns() -> None:
    obs = series("x", [(2010 + i, v) for i, v in enumerate([100.0, 80, 70, 75, 85, 95])])
    out = ontrack.sensitivity(obs, level_target("x", "increase", 150.0, 2020))
    assert out["robustness"].item() in {"sensitive_to_base_year", "fragile"}
    assert out["n_base_years"].item() == 4
    with pytest.raises(ontrack.OptionError):
        ontrack.sensitivity(obs, level_target("x", "increase", 150.0, 2020), method="nope")


def test_rollup_groups_and_rules() -> None:
    obs = pl.concat(
        [
            series("a", [(2015, 50.0), (2020, 60.0)]),
            series("b", [(2015, 10.0), (2021, 8.0)]),
            series("c", [(2015, 10.0)]),
        ]
    )
    targets = pl.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "direction": ["increase", "decrease", "increase"],
            "target_value": [80.0, 5.0, 20.0],
            "target_year": [2030, 2030, 2030],
            "group": ["g", "g", "g"],
        }
    )
    result = ontrack.assess(targets=targets, observations=obs)
    out = ontrack.rollup(result, by="group", how="share_on_track", min_coverage=0.6)
    assert out["n"].item() == 3
    assert out["n_assessed"].item() == 2
    assert out["share_on_track"].item() == pytest.approx(0.5)
    assert out["status"].item() == "needs_acceleration"
    strict = ontrack.rollup(result, by="group")
    assert strict["mean_score"].item() is None
    assert "SDSN" in strict["reason"].item()
    with pytest.raises(ontrack.OptionError, match="how"):
        ontrack.rollup(result, how="median")  # type: ignore[arg-type]
    with pytest.raises(ontrack.MissingColumnError):
        ontrack.rollup(result, by="region")
