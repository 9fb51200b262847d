"""Results of 20,000 series stay usable: bounded tables, figures and reports, with notes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import polars as pl
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import ontrack
from ontrack import display, plot, report

N = 20_000


@pytest.fixture(scope="module")
def big() -> tuple[pl.DataFrame, pl.DataFrame]:
    """20,000 regions of one indicator, three points each, one target for all."""
    regions = [f"r{i:05d}" for i in range(N)]
    obs = pl.DataFrame(
        {
            "indicator": "x",
            "region": [r for r in regions for _ in range(3)],
            "year": [2015, 2018, 2021] * N,
            "value": [float(50 + (i % 7) + k) for i in range(N) for k in (0, 4, 9)],
        }
    )
    targets = pl.DataFrame(
        {
            "indicator": ["x"],
            "direction": ["increase"],
            "target_value": [70.0],
            "target_year": [2030],
        }
    )
    result = ontrack.assess(obs, targets, by="region", method=["open_sdg", "unsd_2023"])
    assert result.height == 2 * N
    return obs, result


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def test_status_table_renders_a_page_and_counts_the_rest(
    big: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    _, result = big
    table = display.status_table(result)
    markup = table.to_html()
    # The header, 500 rows and the footer with the note.
    assert markup.count("<tr>") == 1 + display.MAX_ROWS + 1
    assert f"Showing the first 500 of {2 * N:,} rows" in markup
    counts = result.get_column("status").value_counts()
    for status, n in counts.iter_rows():
        assert f"{display.STATUS_LABELS[status]} {n:,}" in markup
    assert len(markup) < 1_000_000  # about 1 kB a row: 21 MB for every row
    assert table.frame.height == 2 * N  # nothing is dropped from the frame
    full = display.status_table(result.head(600), max_rows=None).to_html()
    assert full.count("<tr>") == 601
    assert "Showing the first" not in full


def test_progress_chart_draws_a_bounded_grid_with_a_note(
    big: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    _, result = big
    ax = plot.progress_chart(result, by="region")
    cells = [
        p
        for p in ax.patches
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("cell-")
    ]
    assert len(cells) == plot.MAX_CHART_ROWS * 2
    assert f"showing the first {plot.MAX_CHART_ROWS} of {N:,} rows" in ax.get_xlabel()
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    assert figure.get_size_inches()[1] < 40


def test_schedule_chart_does_not_label_thousands_of_points(
    big: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    _, result = big
    ax = plot.schedule_chart(result, by="region", method="open_sdg")
    assert not [t for t in ax.texts if t.get_text().startswith("r0")]
    assert any("too many to label" in t.get_text() for t in ax.texts)


def test_html_report_stays_small_and_says_what_it_leaves_out(
    big: tuple[pl.DataFrame, pl.DataFrame], tmp_path: Path
) -> None:
    obs, result = big
    path = report.html_report(result, observations=obs, path=tmp_path / "big.html", dpi=60)
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < 4_000_000
    assert f"Showing the first 30 of {N:,} series" in text
    assert f"Showing the first 500 of {2 * N:,} rows" in text  # the status table
    assert f"Showing the first 500 of {3 * N:,} rows" in text
    assert len(re.findall(r"<h3>", text)) == 30
