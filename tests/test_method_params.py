"""Overriding the published parameters of the named methods from Python."""

from __future__ import annotations

import math

import polars as pl
import pytest

import ontrack
from tests.conftest import level_target, series


def _zero_baseline() -> tuple[pl.DataFrame, pl.DataFrame]:
    return series("x", [(2015, 0.0), (2020, 10.0)]), level_target("x", "increase", 30.0, 2030)


def test_open_sdg_zero_rules_default_to_the_published_ones() -> None:
    obs, targets = _zero_baseline()
    default = ontrack.assess(obs, targets, projection=None)
    # Open SDG (sdg-build) replaces the zero base by 0.001 and compares compound growth rates.
    achieved = (10.0 / 0.001) ** (1 / 5) - 1
    required = (30.0 / 0.001) ** (1 / 15) - 1
    assert math.isclose(default["method_ratio"][0], achieved / required, rel_tol=1e-12)
    out = ontrack.assess(
        obs,
        targets,
        projection=None,
        method_params={"open_sdg": {"undefined_growth": "annual_change"}},
    )
    # ontrack's alternative: annual changes, 10/5 = 2 per year against 30/15 = 2.
    assert "absolute annual changes" in out["reason"][0]
    assert math.isclose(out["method_ratio"][0], 1.0, rel_tol=1e-12)


def test_overrides_apply_to_their_method_only() -> None:
    obs = series("x", [(2015, 50.0), (2020, 55.0)])
    targets = level_target("x", "increase", 80.0, 2030)
    methods = ["open_sdg", "unsd_2023"]
    base = ontrack.compare_methods(obs, targets, method=methods)
    ratio = base["method_ratio"][0]
    assert base["method_status"].to_list()[0] == "moderate_progress"
    stricter = ontrack.compare_methods(
        obs, targets, method=methods, method_params={"open_sdg": {"moderate": ratio + 0.01}}
    )
    assert stricter["method_status"].to_list() == [
        "limited_progress",
        base["method_status"][1],
    ]


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"open_sdg": {"moderat": 0.5}}, "unknown parameter"),
        ({"open_sdg": {"moderate": "high"}}, "invalid parameter value"),
        ({"unsd_2023": {"cuts": [0.9, 0.4]}}, "not among the selected methods"),
        ({"eurostat_long_term": {"window": "short_term"}}, "eurostat_short_term"),
    ],
)
def test_bad_overrides_raise_option_errors(
    params: dict[str, dict[str, object]], needle: str
) -> None:
    obs, targets = _zero_baseline()
    with pytest.raises(ontrack.OptionError, match=needle):
        ontrack.assess(
            obs,
            targets,
            method=["open_sdg", "eurostat_long_term"],
            projection=None,
            method_params=params,
        )
