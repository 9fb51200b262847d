"""ontrack.report: one self-contained HTML file."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import polars as pl
import pytest

import ontrack
from ontrack import report, sources

ROOT = Path(__file__).resolve().parent.parent
PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def langfang(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ontrack.Plan]:
    plan = ontrack.read_plan(ROOT / "plans" / "langfang_2017.toml")
    reported = sources.langfang_observations(ROOT / "data" / "langfang", include_ignored=True)
    obs, notes = sources.apply_bounds(reported, plan.targets)
    obs = sources.ensure_columns(obs, plan.unit_columns)
    result = ontrack.assess(
        obs,
        plan.targets,
        method=["open_sdg", "china_plan"],
        by=plan.unit_columns,
        scale="scale",
    )
    path = report.html_report(
        sources.annotate(result, notes),
        plan=plan,
        observations=obs,
        notes=notes,
        title="Langfang <test> & report",
        path=tmp_path_factory.mktemp("report") / "sub" / "langfang.html",
    )
    assert path.exists()
    return path.read_text(encoding="utf-8"), plan


def test_report_contains_every_target_id(langfang: tuple[str, ontrack.Plan]) -> None:
    text, plan = langfang
    for target in plan.targets.get_column("id"):
        assert target in text
    assert str(plan.meta["name_zh"]) in text
    assert "What cannot be assessed and why" in text
    assert "lower bound only: cannot assess" in text


def test_report_escapes_text(langfang: tuple[str, ontrack.Plan]) -> None:
    text, _ = langfang
    assert "Langfang &lt;test&gt; &amp; report" in text
    assert "<test>" not in text


def test_report_embeds_pngs_and_nothing_external(langfang: tuple[str, ontrack.Plan]) -> None:
    text, _ = langfang
    images = PNG.findall(text)
    assert len(images) >= 3  # progress, schedule, one fan chart (turnover has 3 points)
    for data in images:
        assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")
    assert "<script" not in text
    assert "<link" not in text
    assert '<img src="http' not in text


def test_report_escapes_data_values(tmp_path: Path) -> None:
    obs = pl.DataFrame(
        {"indicator": ["<b>x</b>"] * 3, "year": [2015, 2018, 2021], "value": [1.0, 2.0, 3.0]}
    )
    targets = pl.DataFrame(
        {
            "id": ["<i>T</i>"],
            "indicator": ["<b>x</b>"],
            "direction": ["increase"],
            "target_value": [5.0],
            "target_year": [2025],
            "label": ["a <script>alert(1)</script>"],
        }
    )
    result = ontrack.assess(obs, targets, method=["open_sdg", "unsd_2023"])
    path = report.html_report(result, observations=obs, path=tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "&lt;i&gt;T&lt;/i&gt;" in text
    assert "<b>x</b>" not in text
    assert len(PNG.findall(text)) == 3


def test_png_figures() -> None:
    obs = pl.DataFrame({"indicator": ["x"] * 2, "year": [2015, 2020], "value": [1.0, 2.0]})
    targets = pl.DataFrame(
        {
            "indicator": ["x"],
            "direction": ["increase"],
            "target_value": [5.0],
            "target_year": [2030],
        }
    )
    figures = report.png_figures(ontrack.assess(obs, targets))
    assert set(figures) == {"progress", "schedule"}
    assert all(f.startswith(b"\x89PNG") for f in figures.values())
