"""ontrack.assess through Python: golden examples and input types."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import ontrack
from tests.conftest import level_target, series

REL = 1e-9


def one(df: pl.DataFrame, column: str) -> object:
    assert df.height == 1
    return df.get_column(column).item()


def close(actual: object, expected: float) -> None:
    """Equal to a relative 1e-9, or to the ten decimals the golden examples print."""
    assert isinstance(actual, float)
    assert abs(actual - expected) <= max(REL * abs(expected), 5e-11), (actual, expected)


def test_g1_open_sdg(g1: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    out = ontrack.assess(*g1)
    close(one(out, "achieved_growth"), 0.0371372893)
    close(one(out, "required_growth"), 0.0318296393)
    close(one(out, "method_ratio"), 1.1667518104)
    assert one(out, "method_status") == "substantial_progress"
    assert one(out, "status") == "on_track"
    score = one(out, "score")
    assert isinstance(score, float)
    assert abs(score - 4.0482915) < 5e-8


def test_g2_open_sdg_decrease(g2: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    out = ontrack.assess(*g2)
    close(one(out, "achieved_growth"), -0.0365075160)
    close(one(out, "required_growth"), -0.0451583961)
    close(one(out, "method_ratio"), 0.8084325211)
    assert one(out, "method_status") == "moderate_progress"


def test_g5_g6_unsd(
    g1: tuple[pl.DataFrame, pl.DataFrame], g2: tuple[pl.DataFrame, pl.DataFrame]
) -> None:
    out = ontrack.assess(*g1, method=["unsd_2022", "unsd_2023"])
    assert out.get_column("method").to_list() == ["unsd_2022", "unsd_2023"]
    close(out.get_column("method_ratio")[0], 1.1667518104)
    close(out.get_column("method_ratio")[1], 1.2133333333)
    assert out.get_column("method_status").to_list() == ["substantial_progress", "on_track"]
    out = ontrack.assess(*g2, method=["unsd_2022", "unsd_2023"])
    close(out.get_column("method_ratio")[0], 0.8084325211)
    close(out.get_column("method_ratio")[1], 0.8551331955)
    assert out.get_column("method_status").to_list() == ["fair_progress", "fair_progress"]


def test_g10_eurostat_without_target() -> None:
    obs = series("x", [(2018, 100.0), (2023, 104.0)])
    targets = pl.DataFrame({"indicator": ["x"], "kind": ["direction"], "direction": ["increase"]})
    out = ontrack.assess(obs, targets, method="eurostat_short_term")
    close(one(out, "method_ratio"), 0.0078749885)
    assert one(out, "method_status") == "moderate_progress"


def test_g12_strict_level() -> None:
    obs = series("turnover", [(2015, 2.0), (2017, 3.2)])
    targets = level_target("turnover", "increase", 4.0, 2018, strict=True)
    out = ontrack.assess(obs, targets)
    close(one(out, "achieved_growth"), 0.2649110641)
    close(one(out, "needed_growth"), 0.25)
    close(one(out, "required_growth"), 0.2599210499)
    close(one(out, "method_ratio"), 1.0191981918)
    exactly = series("turnover", [(2015, 2.0), (2017, 3.2), (2018, 4.0)])
    assert one(ontrack.assess(exactly, targets), "status") != "achieved"
    reaches = level_target("turnover", "increase", 4.0, 2018, strict=False)
    assert one(ontrack.assess(exactly, reaches), "status") == "achieved"


def test_g13_schedule() -> None:
    out = ontrack.assess(
        series("share", [(2015, 9.0), (2017, 10.5)]),
        level_target("share", "increase", 12.0, 2018),
    )
    close(one(out, "progress"), 0.5)
    close(one(out, "time_elapsed"), 0.6666666667)
    close(one(out, "schedule_gap"), -0.16666666667)
    close(one(out, "needed_change"), 1.5)
    close(one(out, "achieved_change"), 0.75)


def test_g14_cumulative() -> None:
    obs = series("projects", [(2016, 1500.0), (2017, 1600.0)])
    targets = pl.DataFrame(
        {
            "indicator": ["projects"],
            "kind": ["cumulative"],
            "direction": ["increase"],
            "target_value": [5000.0],
            "target_year": [2018],
            "window_start": [2016],
        }
    )
    out = ontrack.assess(obs, targets)
    close(one(out, "completion_rate"), 0.62)
    close(one(out, "time_elapsed"), 0.6666666667)
    close(one(out, "needed_change"), 1900.0)
    close(one(out, "achieved_change"), 1550.0)


def panel() -> tuple[pl.DataFrame, pl.DataFrame]:
    obs = pl.DataFrame(
        {
            "indicator": ["u5mr"] * 6 + ["rd"] * 3,
            "region": ["a", "a", "a", "b", "b", "b", "a", "a", "a"],
            "year": [2015, 2018, 2021, 2015, 2018, 2021, 2015, 2016, 2017],
            "value": [10.0, 9.0, 8.0, 30.0, None, 28.0, 1.5, 1.6, 1.7],
        }
    )
    targets = pl.DataFrame(
        {
            "id": ["sdg3.2", "rd"],
            "indicator": ["u5mr", "rd"],
            "direction": ["decrease", "increase"],
            "target_value": [5.0, 2.4],
            "target_year": [2030, 2027],
        }
    )
    return obs, targets


def test_polars_lazy_and_pandas_inputs_agree() -> None:
    obs, targets = panel()
    kwargs = {"by": "region", "method": ontrack.methods()[:5]}
    expected = ontrack.assess(obs, targets, **kwargs)  # type: ignore[arg-type]
    assert expected.height == 3 * 5
    lazy = ontrack.assess(obs.lazy(), targets.lazy(), **kwargs)  # type: ignore[arg-type]
    assert_frame_equal(lazy, expected)
    from_pandas = ontrack.assess(obs.to_pandas(), targets.to_pandas(), **kwargs)  # type: ignore[arg-type]
    assert_frame_equal(from_pandas, expected)


def test_pandas_with_keys_in_the_index() -> None:
    obs, targets = panel()
    indexed: pd.DataFrame = obs.to_pandas().set_index(["indicator", "region", "year"])
    out = ontrack.assess(indexed, targets, by="region")
    assert_frame_equal(out, ontrack.assess(obs, targets, by="region"))


def test_result_is_polars_and_every_series_appears() -> None:
    obs, targets = panel()
    out = ontrack.assess(obs, targets, by=["region"])
    assert isinstance(out, pl.DataFrame)
    assert out.select("indicator", "region").unique().height == 3
    b = out.filter(pl.col("region") == "b")
    assert b.get_column("n_missing").item() == 1
    assert "1 missing value(s) ignored (2018)" in b.get_column("reason").item()


def test_not_a_frame_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="observations must be a polars DataFrame"):
        ontrack.assess({"a": [1]}, pl.DataFrame())  # type: ignore[arg-type]


def test_g3_g4_open_sdg_without_target() -> None:
    direction = pl.DataFrame({"indicator": ["x"], "kind": ["direction"], "direction": ["increase"]})
    # G3: p = 1% a year scores 1.25 (moderate progress).
    out = ontrack.assess(series("x", [(2015, 100.0), (2016, 101.0)]), direction)
    close(one(out, "score"), 1.25)
    assert one(out, "method_status") == "moderate_progress"
    # G4: with the natural limit 100 and baseline 95, C = 0.2036704944, so p = 0.526% is
    # substantial progress and the score 500p/C - 5 is clipped to 5.
    limited = direction.with_columns(upper_bound=pl.lit(100.0))
    out = ontrack.assess(series("x", [(2015, 95.0), (2016, 95.5)]), limited)
    assert one(out, "method_status") == "substantial_progress"
    p = 95.5 / 95.0 - 1
    close(one(out, "score"), min(5.0, 500 * p / 0.2036704944 - 5))


def test_g7_g8_g11_through_python() -> None:
    g7 = series("x", [(2017 + i, v) for i, v in enumerate([40.0, 42, 43, 45, 46, 48])])
    out = ontrack.assess(
        g7,
        level_target("x", "increase", 66.0, 2030),
        method=["destatis_absolute", "destatis_relative"],
    )
    assert out["method_status"].to_list() == ["cloud", "sun_with_cloud"]
    g8 = series("x", [(2015, 50.0), (2018, 55.0), (2020, 60.0)])
    out = ontrack.assess(g8, level_target("x", "increase", 80.0, 2030), method="escap")
    close(one(out, "score"), 0.3333333333)
    g11 = series("x", [(2015, 10.0), (2021, 8.0)])
    out = ontrack.assess(g11, level_target("x", "decrease", 5.0, 2030), method="unsd_2022_aarr")
    close(one(out, "method_ratio"), 0.8048202372)
