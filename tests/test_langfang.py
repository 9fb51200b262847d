"""The Langfang plan assessed on its reported values (the job of `make demo`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

import ontrack

ROOT = Path(__file__).resolve().parent.parent
METHODS = ["open_sdg", "china_plan", "unsd_2023"]


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "langfang_example", ROOT / "examples" / "langfang.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def assessed() -> tuple[ontrack.Plan, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    example = load_example()
    out: tuple[ontrack.Plan, pl.DataFrame, pl.DataFrame, pl.DataFrame] = example.assess_langfang()
    return out


def test_the_plan_loads_with_23_targets() -> None:
    plan = ontrack.read_plan(ROOT / "plans" / "langfang_2017.toml")
    assert plan.targets.height == 23
    assert plan.targets.get_column("id").n_unique() == 23
    assert set(plan.unit_columns) == {
        "cluster",
        "enterprise",
        "quarter",
        "county",
        "development_zone",
    }


def test_every_method_is_known() -> None:
    assert set(METHODS) <= set(ontrack.methods())


def test_technology_contract_turnover_is_achieved(
    assessed: tuple[ontrack.Plan, pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    _, _, result, _ = assessed
    rows = result.filter(target_id="lf-2018-06")
    assert sorted(rows.get_column("method").to_list()) == sorted(METHODS)
    assert rows.get_column("status").to_list() == ["achieved"] * 3
    assert rows.get_column("latest_year").to_list() == [2018] * 3
    assert rows.get_column("latest_value").to_list() == [90.66] * 3
    assert rows.get_column("target_value").to_list() == [40.0] * 3


def test_every_target_has_a_status_and_every_gap_a_reason(
    assessed: tuple[ontrack.Plan, pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    plan, _, result, notes = assessed
    ids = set(plan.targets.get_column("id"))
    for method in METHODS:
        part = result.filter(method=method)
        assert set(part.get_column("target_id")) == ids
        assert part.get_column("status").null_count() == 0
    insufficient = result.filter(status="insufficient_data")
    assert insufficient.height > 0
    assert insufficient.get_column("reason").null_count() == 0
    assert (insufficient.get_column("reason").str.strip_chars().str.len_chars() > 0).all()
    assert set(notes.get_column("target_id")) == ids
    assert notes.get_column("data_note").null_count() == 0


def test_lower_bounds_only_cannot_assess(
    assessed: tuple[ontrack.Plan, pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    _, observations, result, notes = assessed
    for target in ("lf-t06-01", "lf-2018-04"):
        assert notes.filter(target_id=target).get_column("data_status")[0] == (
            "lower bound only: cannot assess"
        )
        assert set(result.filter(target_id=target).get_column("status")) == {"insufficient_data"}
    assert observations.filter(pl.col("bound") == "lower").height == 0
    assert "context only" in notes.filter(target_id="lf-2018-03").get_column("data_status")[0]


def test_the_demo_writes_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    example = load_example()
    monkeypatch.setattr(example, "OUT", tmp_path / "langfang.html")
    example.main()
    printed = capsys.readouterr().out
    assert "lf-2018-06" in printed
    assert "wrote the HTML report to" in printed
    assert (tmp_path / "langfang.html").stat().st_size > 10_000
