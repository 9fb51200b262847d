"""ontrack.sources: reading reported values with a mapping file, conflicts, lower bounds."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import ontrack
from ontrack import sources

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "langfang"
JOIN = ["entity", "indicator_zh", "indicator_en"]


def two_sources(kinds: list[str], values: list[float], reliability: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": ["t"] * len(values),
            "year": [2022] * len(values),
            "value": values,
            "kind": kinds,
            "reliability": reliability,
        }
    )


def test_single_rows_are_not_conflicts() -> None:
    obs = pl.DataFrame({"indicator": ["a", "a"], "year": [2018, 2019], "value": [1.0, 2.0]})
    out = sources.resolve_conflicts(obs, keys="indicator")
    assert out.get_column("conflict").to_list() == [False, False]
    assert out.get_column("n_sources").to_list() == [1, 1]
    assert out.get_column("conflict_note").null_count() == 2


def test_reported_beats_derived_and_is_flagged() -> None:
    obs = two_sources(["derived", "reported"], [10.0, 12.0], ["high", "low"])
    out = sources.resolve_conflicts(obs, keys="indicator")
    assert out.height == 1
    row = out.row(0, named=True)
    assert row["value"] == 12.0
    assert row["conflict"] is True
    assert row["n_sources"] == 2
    assert row["conflict_note"].startswith("2 sources for 2022: 12 (reported, low) kept")
    assert "10 (derived, high) dropped" in row["conflict_note"]


def test_reliability_breaks_ties_then_the_first_row() -> None:
    obs = two_sources(
        ["reported", "reported", "reported"], [1.0, 2.0, 3.0], ["low", "high", "high"]
    )
    assert sources.resolve_conflicts(obs, keys="indicator").get_column("value").to_list() == [2.0]
    custom = sources.resolve_conflicts(
        obs, keys="indicator", rank=[("reliability", ["low", "high"])]
    )
    assert custom.get_column("value").to_list() == [1.0]


def test_a_point_beats_a_lower_bound_and_is_checked_against_it() -> None:
    obs = two_sources(["estimate (>=)", "reported"], [140.0, 226.7], ["high", "medium"])
    note = sources.resolve_conflicts(obs, keys="indicator").get_column("conflict_note")[0]
    assert "226.7 (reported, medium) kept" in note
    assert ">=140 (estimate (>=), high) dropped" in note
    assert "consistent with the lower bound >=140" in note
    below = two_sources(["estimate (>=)", "reported"], [140.0, 100.0], ["medium", "medium"])
    note = sources.resolve_conflicts(below, keys="indicator").get_column("conflict_note")[0]
    assert "HARD CONFLICT" in note


def test_lower_bounds_are_never_averaged() -> None:
    obs = two_sources(["reported", "derived", "estimate (>=)"], [10.0, 20.0, 100.0], ["a"] * 3)
    out = sources.resolve_conflicts(obs, keys="indicator", policy="mean")
    assert out.get_column("value").to_list() == [15.0]
    assert "not averaged (a lower bound)" in out.get_column("conflict_note")[0]
    text_bound = pl.DataFrame(
        {"indicator": ["t", "t"], "year": [2022, 2022], "value": ["10", "140以上"]}
    )
    out = sources.resolve_conflicts(text_bound, keys="indicator", policy="mean")
    assert out.get_column("value").to_list() == [10.0]
    bounds_only = two_sources(["estimate (>=)", "estimate (>=)"], [5.0, 7.0], ["a", "a"])
    out = sources.resolve_conflicts(bounds_only, keys="indicator", policy="mean")
    assert out.get_column("value").to_list() == [7.0]


def test_policy_error_raises_duplicate_observation_error() -> None:
    obs = two_sources(["reported", "reported"], [1.0, 2.0], ["high", "high"])
    with pytest.raises(ontrack.DuplicateObservationError, match="series indicator=t"):
        sources.resolve_conflicts(obs, keys="indicator", policy="error")
    with pytest.raises(ontrack.OntrackError):
        sources.resolve_conflicts(obs, keys="indicator", policy="error")
    with pytest.raises(ontrack.OptionError):
        sources.resolve_conflicts(obs, keys="indicator", policy="median")  # type: ignore[arg-type]
    with pytest.raises(ontrack.MissingColumnError):
        sources.resolve_conflicts(obs, keys="region")


def test_the_mapping_covers_every_csv_row_exactly_once() -> None:
    values = pl.read_csv(DATA / "langfang_reported_values.csv", infer_schema_length=0)
    mapping = pl.read_csv(DATA / "indicator_map.csv", infer_schema_length=0)
    assert not mapping.select(JOIN).is_duplicated().any()
    matched = values.join(mapping, on=JOIN, how="left")
    assert matched.height == values.height
    assert matched.get_column("transform").null_count() == 0
    assert set(mapping.get_column("transform")) <= set(sources.TRANSFORMS)
    everything = sources.langfang_observations(DATA, include_ignored=True)
    used = matched.filter(pl.col("plan_indicator").is_not_null())
    # Every row naming a plan indicator comes back, except the lower bound of 2022 that
    # lost its conflict (it is named in the kept row's conflict note).
    assert everything.height == used.height - 1


def test_langfang_observations() -> None:
    obs = sources.langfang_observations(DATA)
    for column in (
        "indicator",
        "year",
        "value",
        "kind",
        "bound",
        "source_title",
        "source_url",
        "reliability",
        "conflict",
        "conflict_note",
    ):
        assert column in obs.columns
    assert obs.schema["year"] == pl.Int64
    assert obs.schema["value"] == pl.Float64
    assert "ignore" not in obs.get_column("transform").to_list()
    turnover = obs.filter(indicator="tech_market_contract_turnover").sort("year")
    assert turnover.get_column("value").to_list() == [16.19, 90.66, 226.7]
    assert turnover.get_column("scale").to_list() == [1e8, 1e8, 1e8]
    conflict = turnover.filter(pl.col("conflict"))
    assert conflict.get_column("year").to_list() == [2022]
    platforms = obs.filter(indicator="innovation_platforms_municipal_plus")
    assert platforms.get_column("bound").to_list() == ["lower"] * 3


def write(tmp: Path, values: str, mapping: str) -> tuple[Path, Path]:
    (tmp / "v.csv").write_text(values, encoding="utf-8")
    (tmp / "m.csv").write_text(mapping, encoding="utf-8")
    return tmp / "v.csv", tmp / "m.csv"


HEAD_V = "entity,indicator_zh,indicator_en,year,value,unit,kind\n"
HEAD_M = "entity,indicator_zh,indicator_en,plan_indicator,transform,note\n"


def test_unmapped_rows_and_bad_transforms_are_errors(tmp_path: Path) -> None:
    v, m = write(tmp_path, HEAD_V + "X,甲,a,2020,1,个,reported\n", HEAD_M + "X,乙,b,p,as_is,\n")
    with pytest.raises(ontrack.OntrackError, match="match no mapping line"):
        sources.read_reported(v, m)
    v, m = write(tmp_path, HEAD_V + "X,甲,a,2020,1,个,reported\n", HEAD_M + "X,甲,a,p,guess,\n")
    with pytest.raises(ontrack.OntrackError, match="unknown transform"):
        sources.read_reported(v, m)
    v, m = write(tmp_path, HEAD_V + "X,甲,a,2020,1,个,reported\n", HEAD_M + "X,甲,a,p,derived,\n")
    with pytest.raises(ontrack.OntrackError, match="derive= has no function"):
        sources.read_reported(v, m)


def test_derived_lines_use_the_given_function(tmp_path: Path) -> None:
    v, m = write(
        tmp_path,
        HEAD_V + "X,甲,a,2020,30,亿元,reported\n",
        HEAD_M + "X,甲,a,share,derived,share of 300\n",
    )
    obs = sources.read_reported(
        v, m, derive={"share": lambda rows: rows.select("year", pl.col("value") / 3.0)}
    )
    assert obs.select("indicator", "year", "value", "kind").rows() == [
        ("share", 2020, 10.0, "derived")
    ]


def test_value_text_with_yishang_is_a_lower_bound(tmp_path: Path) -> None:
    v, m = write(
        tmp_path, HEAD_V + "X,甲,a,2020,140以上,亿元,estimate\n", HEAD_M + "X,甲,a,p,as_is,\n"
    )
    obs = sources.read_reported(v, m)
    assert obs.select("value", "bound").rows() == [(140.0, "lower")]


def targets(
    kind: str,
    value: float | None,
    *,
    strict: bool = False,
    deadline: int = 2018,
    ids: tuple[str, ...] = ("T",),
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": list(ids),
            "indicator": ["p"] * len(ids),
            "kind": [kind] * len(ids),
            "direction": ["increase"] * len(ids),
            "target_value": [value] * len(ids),
            "target_year": [deadline] * len(ids),
            "strict": [strict] * len(ids),
            "window_start": [2016] * len(ids),
        },
        schema_overrides={"target_value": pl.Float64},
    )


def floors(years: list[int], values: list[float]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator": ["p"] * len(years),
            "year": years,
            "value": values,
            "bound": ["lower"] * len(years),
        }
    )


def test_a_bound_that_meets_the_target_enters_and_proves_achievement() -> None:
    used, notes = sources.apply_bounds(floors([2017], [600.0]), targets("level", 500.0))
    assert used.select("year", "value", "bound").rows() == [(2017, 600.0, "lower")]
    assert notes.get_column("data_status")[0] == "lower bound proves achievement"
    result = ontrack.assess(used, targets("level", 500.0))
    assert result.get_column("status")[0] == "achieved"


def test_strict_targets_need_a_bound_above_the_number() -> None:
    used, notes = sources.apply_bounds(
        floors([2017], [500.0]), targets("level", 500.0, strict=True)
    )
    assert used.height == 0
    assert notes.get_column("data_status")[0] == "lower bound only: cannot assess"


def test_a_bound_below_the_target_or_late_decides_nothing() -> None:
    used, notes = sources.apply_bounds(floors([2015, 2020], [12.0, 999.0]), targets("level", 500.0))
    assert used.height == 0
    note = notes.get_column("data_note")[0]
    assert note.startswith("lower bound only: cannot assess")
    assert ">=12 (2015) does not reach the target" in note
    assert ">=999 (2020) after the deadline 2018" in note


def test_bounds_never_decide_direction_targets_and_sum_for_cumulative() -> None:
    used, notes = sources.apply_bounds(floors([2017], [9.0]), targets("direction", None))
    assert used.height == 0
    assert "cannot decide a direction target" in notes.get_column("data_note")[0]
    used, _ = sources.apply_bounds(floors([2016, 2017], [20.0, 31.0]), targets("cumulative", 50.0))
    assert used.height == 2
    used, _ = sources.apply_bounds(floors([2016, 2017], [20.0, 20.0]), targets("cumulative", 50.0))
    assert used.height == 0


def test_a_bound_shared_by_targets_enters_only_if_it_proves_all() -> None:
    both = pl.concat([targets("level", 500.0), targets("direction", None, ids=("D",))])
    used, notes = sources.apply_bounds(floors([2017], [600.0]), both)
    assert used.height == 0
    assert "held out" in notes.filter(target_id="T").get_column("data_note")[0]


def test_unit_dimensions_must_agree() -> None:
    obs = floors([2017], [600.0]).with_columns(pl.lit("percent").alias("unit"))
    goal = targets("level", 500.0).with_columns(pl.lit("亿元").alias("unit"))
    with pytest.raises(ontrack.TargetError, match="cannot be compared"):
        sources.apply_bounds(obs, goal)


def test_ensure_columns_adds_null_string_keys() -> None:
    out = sources.ensure_columns(pl.DataFrame({"county": ["a"], "x": [1]}), ["county", "zone"])
    assert out.get_column("county").to_list() == ["a"]
    assert out.schema["zone"] == pl.String
    assert out.get_column("zone").null_count() == 1
