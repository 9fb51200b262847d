"""Python and the Rust core agree on every rule Python reads from it.

Each rule lives once, in Rust; the tests read it from the extension (never re-typed here) and
check that the Python code which uses it agrees with what the engine does.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import ontrack
from ontrack import _api, _ontrack, display, plot, report, reported

OPERATIONS: tuple[str, ...] = ("assess", "compare_methods", "sensitivity", "project", "rollup")


def panel() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Two indicators in two regions, and a target per indicator and region."""
    rows = [
        (ind, region, year, base + step * (year - 2010))
        for ind, base, step in (("a", 50.0, 2.0), ("b", 30.0, -0.5))
        for region in ("north", "south")
        for year in range(2010, 2021)
    ]
    obs = pl.DataFrame(rows, schema=["indicator", "region", "year", "value"], orient="row")
    targets = pl.DataFrame(
        {
            "id": ["a-n", "a-s", "b-n", "b-s"],
            "indicator": ["a", "a", "b", "b"],
            "region": ["north", "south", "north", "south"],
            "direction": ["increase", "increase", "decrease", "decrease"],
            "target_value": [80.0, 60.0, 20.0, 29.0],
            "target_year": [2030] * 4,
            "group": ["g"] * 4,
        }
    )
    return obs, targets


# ---------------------------------------------------------------------------- statuses


def test_statuses_are_the_rust_core_s_in_its_order() -> None:
    rust = _ontrack.statuses()
    assert tuple(rust) == display.STATUSES
    for table in (display.STATUS_COLORS, display.STATUS_LABELS, display.STATUS_TEXT_COLORS):
        assert list(table) == rust
    obs, targets = panel()
    statuses = set(ontrack.compare_methods(obs, targets, by="region")["status"])
    assert statuses <= set(rust)
    # The order is the core's "best first": its worst status of a group is the latest in it.
    result = ontrack.assess(obs, targets, by="region")
    worst = ontrack.rollup(result, by="group", how="worst")["status"][0]
    assert worst == max(result["status"], key=rust.index)
    html = report._summary_section(result)
    positions = [html.index(display.STATUS_LABELS[s]) for s in rust]
    assert positions == sorted(positions), "the summary lists the statuses in the core's order"


# ---------------------------------------------------------------------------- interval columns


@pytest.mark.parametrize("levels", [[0.8, 0.95], [0.5], [0.975, 0.6]])
def test_interval_columns_are_named_by_the_rust_core(levels: list[float]) -> None:
    obs, targets = panel()
    projected = ontrack.project(obs, by="region", method="linear", levels=levels, horizon=2)
    assessed = ontrack.assess(obs, targets, by="region", levels=levels)
    for level in levels:
        lower, upper = _ontrack.interval_columns(level)
        assert lower in projected.columns
        assert upper in projected.columns
        assert f"projected_{lower}" in assessed.columns
        assert f"projected_{upper}" in assessed.columns
        assert _ontrack.interval_level(lower) == pytest.approx((level, False))
        assert _ontrack.interval_level(f"projected_{upper}") == pytest.approx((level, True))
    named = [c for c in projected.columns if _ontrack.interval_level(c) is not None]
    assert len(named) == 2 * len(levels), "no other column reads as an interval column"
    # The fan chart finds every level, widest first.
    found = plot._levels(projected)
    assert [lo for _, lo, _ in found] == [
        _ontrack.interval_columns(level)[0] for level in sorted(levels, reverse=True)
    ]


# ---------------------------------------------------------------------------- result keys


def _result(operation: str, by: list[str]) -> pl.DataFrame:
    obs, targets = panel()
    obs = obs.rename({"year": "period"})
    if not by:  # one region: the indicator alone is the series
        obs = obs.filter(region="north").drop("region")
        targets = targets.filter(region="north").drop("region")
    columns: dict[str, Any] = {"by": by, "year": "period"}
    out: pl.DataFrame
    if operation == "rollup":
        out = ontrack.rollup(ontrack.assess(obs, targets, **columns), by=[*by, "group"])
        return out
    if operation == "project":
        out = ontrack.project(obs, method="linear", horizon=2, **columns)
        return out
    run: Callable[..., pl.DataFrame] = getattr(ontrack, operation)
    return run(obs, targets, **columns)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("by", [["region"], []])
def test_result_keys_are_in_each_result_in_order_and_identify_its_rows(
    operation: str, by: list[str]
) -> None:
    result = _result(operation, by)
    group_by = [*by, "group"] if operation == "rollup" else by
    keys = _ontrack.result_keys(operation, indicator="indicator", year="period", by=group_by)
    assert [c for c in result.columns if c in keys] == keys
    assert not result.select(keys).is_duplicated().any()
    series = _ontrack.series_keys(operation, result.columns, year="period")
    assert series == (group_by if operation == "rollup" else ["indicator", *by])
    assert result.columns[: len(series)] == series
    assert _ontrack.series_keys(operation, keys, year="period") == series
    if operation in ("assess", "compare_methods"):
        assert report._series_keys(result) == series
        assert display._key_columns(result) == series


def test_the_fan_chart_and_the_distributed_buckets_use_the_core_s_keys() -> None:
    from ontrack.distributed._common import Call, series_columns

    obs, _ = panel()
    projected = ontrack.project(obs.filter(region="north", indicator="a"), by="region")
    keys = _ontrack.series_keys("project", projected.columns, year="year")
    assert keys == ["indicator", "region"]
    pytest.importorskip("matplotlib")
    plot.fan_chart(obs, projected)  # one series: no error
    with pytest.raises(ontrack.OptionError, match=r"keys \['indicator', 'region'\]"):
        plot.fan_chart(obs, ontrack.project(obs, by="region"))
    call = Call(operation="assess", kwargs=_api._options({"by": ["region"], "year": "y"}))
    call.kwargs["indicator"] = "ind"
    assert series_columns(call) == ["ind", "region"]


# ---------------------------------------------------------------------------- defaults

#: Arguments of the public functions that are not options of the Rust core.
RUN_ONLY = {"observations", "targets", "result", "buckets", "progress"}


def _normal(name: str, value: Any) -> Any:
    """A public default in the form the core lists it (lists of names, lists of numbers)."""
    if name in ("method", "by") and value is None:
        return []
    if name in ("method", "by") and isinstance(value, str):
        return [value]
    if name == "levels" and not isinstance(value, Sequence):
        return [value]
    if isinstance(value, tuple):
        return list(value)
    return value


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_public_default_is_the_rust_default(operation: str) -> None:
    rust = ontrack.defaults(operation)  # type: ignore[arg-type]
    signature = inspect.signature(getattr(ontrack, operation))
    options = {n: p for n, p in signature.parameters.items() if n not in RUN_ONLY}
    assert options, operation
    for name, parameter in options.items():
        assert name in rust, f"{operation}({name}=...) is not an option of the Rust core"
        public = _normal(name, parameter.default)
        if (operation, name) == ("project", "until") and public is None:
            # None: "until the core's default year, unless horizon is given" (the docstring
            # states that year).
            assert f"default {rust[name]:g}" in (ontrack.project.__doc__ or "")
            continue
        assert public == rust[name], f"{operation}({name}={parameter.default!r})"


def test_the_core_reads_every_option_it_lists_and_options_not_given_keep_its_defaults() -> None:
    obs, targets = panel()
    for operation in ("assess", "compare_methods"):
        run = getattr(_ontrack, operation)
        given = {**_ontrack.defaults()[operation], "by": ["region"]}
        explicit = run(obs, targets, **given)
        assert explicit.equals(run(obs, targets, by=["region"]))
        public = getattr(ontrack, operation)(obs, targets, by="region")
        assert public.equals(explicit)
    given = {**_ontrack.defaults()["project"], "by": ["region"], "horizon": 2, "until": None}
    assert _ontrack.project(obs, **given).equals(_ontrack.project(obs, by=["region"], horizon=2))
    with pytest.raises(ontrack.OptionError, match="unknown option") as caught:
        _ontrack.assess(obs, targets, trend_alfa=0.1)
    assert caught.value.option == "trend_alfa"


def test_recency_weight_reaches_the_projection() -> None:
    obs, targets = panel()
    obs = obs.with_columns(pl.col("value") + (pl.col("year") % 3) * 1.5)
    default = ontrack.project(obs, by="region", method="linear_weighted", horizon=1)
    flat = ontrack.project(obs, by="region", method="linear_weighted", horizon=1, recency_weight=1)
    ols = ontrack.project(obs, by="region", method="linear", horizon=1)
    assert flat["point"].to_list() == pytest.approx(ols["point"].to_list())
    assert default["point"].to_list() != pytest.approx(ols["point"].to_list())
    light = ontrack.assess(obs, targets, by="region", projection="linear_weighted")
    heavy = ontrack.assess(
        obs, targets, by="region", projection="linear_weighted", recency_weight=0.5
    )
    assert light["projected_value"].to_list() != pytest.approx(heavy["projected_value"].to_list())
    with pytest.raises(ontrack.OptionError) as caught:
        ontrack.project(obs, recency_weight=1.5)
    assert caught.value.option == "recency_weight"


# ---------------------------------------------------------------------------- method names


def test_method_names_and_option_values_are_the_rust_core_s() -> None:
    assert ontrack.methods() == _ontrack.method_names()
    assert list(ontrack.ALL_METHODS) == _ontrack.defaults()["compare_methods"]["method"]
    names = dict(_ontrack.option_names())
    assert list(typing.get_args(_api.ProjectionMethod)) == names["projection"]
    assert list(typing.get_args(_api.BaselinePolicy)) == names["baseline_policy"]
    assert list(typing.get_args(_api.RollupHow)) == names["how"]
    obs, targets = panel()
    compared = ontrack.compare_methods(obs.filter(region="north"), targets.drop("region"))
    assert compared["method"].unique(maintain_order=True).to_list() == list(ontrack.ALL_METHODS)


# ---------------------------------------------------------------------------- units


def test_the_unit_table_is_the_rust_core_s(tmp_path: Path) -> None:
    table = dict(_ontrack.unit_table())
    assert {k: tuple(v) for k, v in reported.UNITS.items()} == table
    for spelling, unit in table.items():
        for label in (spelling, f"  {spelling.upper()} ", f"value ({spelling})"):
            assert reported.lookup_unit(label) == unit, label
            assert report._chart_unit(label) == unit[3]
    assert reported.lookup_unit("score") is None
    assert report._chart_unit("score") == "score"
    # read_reported scales every known unit by the table, whatever its spelling.
    labels = [*table, "score"]
    values = pl.DataFrame(
        {
            "entity": ["e"] * len(labels),
            "indicator_zh": [f"指标{i}" for i in range(len(labels))],
            "indicator_en": [f"x{i}" for i in range(len(labels))],
            "year": ["2020"] * len(labels),
            "value": ["1"] * len(labels),
            "unit": [f" {u.upper()} " for u in labels],
        }
    )
    mapping = values.select(
        "entity",
        "indicator_zh",
        "indicator_en",
        pl.col("indicator_en").alias("plan_indicator"),
        pl.lit("as_is").alias("transform"),
    )
    values.write_csv(tmp_path / "values.csv")
    mapping.write_csv(tmp_path / "mapping.csv")
    obs = reported.read_reported(tmp_path / "values.csv", tmp_path / "mapping.csv")
    scales = dict(zip(obs["indicator"], obs["scale"], strict=True))
    for i, label in enumerate(labels):
        expected = table[label][2] if label in table else None
        assert scales[f"x{i}"] == expected, label


def test_units_that_cannot_be_compared_are_refused_by_the_core_s_rule() -> None:
    table = dict(_ontrack.unit_table())
    for a in table:
        for b in table:
            assert reported.comparable_units(a, b) == _ontrack.units_comparable(a, b)
    share_units = [s for s, u in table.items() if u[1] == "share"]
    names = {table[s][0] for s in share_units}
    assert len(names) >= 2, "two share units (% and ‰) that do not compare"
    obs = pl.DataFrame(
        {"indicator": ["p"], "year": [2020], "value": [5.0], "unit": [share_units[0]]}
    )
    other = next(s for s in share_units if table[s][0] != table[share_units[0]][0])
    targets = pl.DataFrame(
        {
            "id": ["T"],
            "indicator": ["p"],
            "kind": ["level"],
            "direction": ["increase"],
            "target_value": [10.0],
            "target_year": [2025],
            "unit": [other],
        }
    )
    with pytest.raises(ontrack.TargetError) as caught:
        ontrack.sources.apply_bounds(obs, targets)
    assert caught.value.target_id == "T"
    same = targets.with_columns(pl.lit(share_units[0]).alias("unit"))
    used, _ = ontrack.sources.apply_bounds(obs, same)
    assert used.height == 1


def test_share_cuts_reach_the_rollup() -> None:
    obs, targets = panel()
    result = ontrack.assess(obs, targets, by="region").with_columns(
        status=pl.Series(["on_track", "off_track", "off_track", "off_track"])
    )

    def status(**cuts: Any) -> str:
        out: str = ontrack.rollup(result, how="share_on_track", **cuts)["status"][0]
        return out

    assert status() == "off_track"  # a share of 0.25 by the core's default cuts
    assert status(share_cuts=(0.2, 0.1)) == "on_track"
    assert status(share_cuts=(0.5, 0.2)) == "needs_acceleration"
    with pytest.raises(ontrack.OptionError) as caught:
        ontrack.rollup(result, share_cuts=(0.5, 0.8))
    assert caught.value.option == "share_cuts"
