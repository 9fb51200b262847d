"""Shared fixtures: the golden examples of docs/methods.md as frames."""

from __future__ import annotations

import polars as pl
import pytest


def series(name: str, points: list[tuple[int, float]]) -> pl.DataFrame:
    """One series as a long observations frame."""
    return pl.DataFrame(
        {
            "indicator": [name] * len(points),
            "year": [p[0] for p in points],
            "value": [p[1] for p in points],
        }
    )


def level_target(
    name: str, direction: str, value: float, year: int, *, strict: bool = False
) -> pl.DataFrame:
    """A single level target."""
    return pl.DataFrame(
        {
            "id": ["T"],
            "indicator": [name],
            "direction": [direction],
            "target_value": [value],
            "target_year": [year],
            "strict": [strict],
        }
    )


@pytest.fixture
def g1() -> tuple[pl.DataFrame, pl.DataFrame]:
    """G1: 2015 = 50, 2020 = 60, target 80 by 2030, increase."""
    return series("x", [(2015, 50.0), (2020, 60.0)]), level_target("x", "increase", 80.0, 2030)


@pytest.fixture
def g2() -> tuple[pl.DataFrame, pl.DataFrame]:
    """G2: 2015 = 10, 2021 = 8, target 5 by 2030, decrease."""
    return series("x", [(2015, 10.0), (2021, 8.0)]), level_target("x", "decrease", 5.0, 2030)
