"""Hypothesis property tests: direction symmetry and scale invariance through Python."""

from __future__ import annotations

import polars as pl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ontrack

METHODS = ["open_sdg", "unsd_2022", "unsd_2023", "eurostat_short_term"]
CUTS = [0.95, 0.6, 0.5, 0.0, -0.1, 0.1, 0.01, 0.005]

values_st = st.lists(st.floats(1.0, 100.0), min_size=2, max_size=10)


def frame(values: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {"indicator": "x", "year": list(range(2010, 2010 + len(values))), "value": values}
    )


def target(direction: str, value: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": ["x"],
            "direction": [direction],
            "target_value": [value],
            "target_year": [2030],
        }
    )


def near_cut(out: pl.DataFrame) -> bool:
    ratios = out.get_column("method_ratio").drop_nulls().to_list()
    return any(abs(r - c) < 1e-6 for r in ratios for c in CUTS)


@settings(max_examples=60, deadline=None)
@given(values=values_st, goal=st.floats(1.0, 150.0), up=st.booleans())
def test_direction_symmetry(values: list[float], goal: float, up: bool) -> None:
    d, flipped = ("increase", "decrease") if up else ("decrease", "increase")
    out = ontrack.assess(frame(values), target(d, goal), method=METHODS)
    mirrored = ontrack.assess(frame([-v for v in values]), target(flipped, -goal), method=METHODS)
    assume(not near_cut(out))
    assert out.get_column("status").to_list() == mirrored.get_column("status").to_list()


@settings(max_examples=60, deadline=None)
@given(values=values_st, goal=st.floats(1.0, 150.0), k=st.floats(0.001, 1000.0))
def test_scale_invariance(values: list[float], goal: float, k: float) -> None:
    out = ontrack.assess(frame(values), target("increase", goal), method=METHODS)
    scaled = ontrack.assess(
        frame([v * k for v in values]), target("increase", goal * k), method=METHODS
    )
    assume(not near_cut(out))
    assert out.get_column("status").to_list() == scaled.get_column("status").to_list()
    for a, b in zip(out["growth_ratio"], scaled["growth_ratio"], strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert abs(a - b) <= 1e-7 * max(abs(a), 1.0)
