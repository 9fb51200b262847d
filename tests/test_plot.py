"""ontrack.plot and ontrack.display: charts render with Agg, colours follow the palette."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import polars as pl
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import FillBetweenPolyCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

import ontrack
from ontrack import display, plot

ROOT = Path(__file__).resolve().parent.parent
UK = ROOT / "data" / "uk_ons_sdg" / "indicator_3-2-1.csv"
METHODS = ["open_sdg", "unsd_2022", "unsd_2023", "eurostat_short_term"]


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def render(figure: Figure | None, fmt: str = "png") -> bytes:
    assert figure is not None
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()


def figure_of(ax: Axes) -> Figure:
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    return fig


@pytest.fixture(scope="module")
def mixed() -> pl.DataFrame:
    """A real assess result: achieved to regressing, a one-point series, a target without data."""
    obs = pl.DataFrame(
        {
            "indicator": ["u5mr"] * 3 + ["gdp"] * 3 + ["rd"] * 3 + ["thin"],
            "year": [2015, 2018, 2021] * 3 + [2020],
            "value": [10.0, 9.0, 8.0, 50.0, 55.0, 62.0, 2.0, 1.9, 1.7, 1.0],
        }
    )
    targets = pl.DataFrame(
        {
            "id": ["A", "B", "C", "D", "E"],
            "indicator": ["u5mr", "gdp", "rd", "thin", "no_data"],
            "direction": ["decrease", "increase", "increase", "increase", "increase"],
            "target_value": [5.0, 60.0, 2.4, 2.0, 1.0],
            "target_year": [2030, 2025, 2027, 2030, 2030],
            "label": ["儿童死亡率 <b>U5MR</b>", "战略性新兴产业 & GDP", None, "one point", None],
        }
    )
    result: pl.DataFrame = ontrack.assess(obs, targets, method=METHODS)
    return result


@pytest.fixture(scope="module")
def uk() -> pl.DataFrame:
    """SDG 3.2 by UK country, assessed on the ONS headline rows."""
    raw = pl.read_csv(UK, infer_schema_length=0).filter(pl.col("Sex").is_null())
    obs = raw.select(
        pl.lit("u5mr").alias("indicator"),
        pl.col("Country").fill_null("United Kingdom").alias("country"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        pl.col("Value").cast(pl.Float64).alias("value"),
    )
    targets = pl.DataFrame(
        {
            "id": ["SDG 3.2"],
            "indicator": ["u5mr"],
            "direction": ["decrease"],
            "target_value": [25.0],
            "target_year": [2030],
            "baseline_year": [2015],
        }
    )
    result: pl.DataFrame = ontrack.assess(obs, targets, by="country", method=METHODS)
    return result


def synthetic_projection(
    keys: dict[str, str], methods: list[str], levels: list[int] | None = None
) -> pl.DataFrame:
    """The long layout of ``ontrack.project``: keys, year, method, point, lower_L/upper_L."""
    levels = [80, 95] if levels is None else levels
    years = np.arange(2022, 2031)
    frames = []
    for shift, method in enumerate(methods):
        point = 8.0 - (0.3 + 0.05 * shift) * (years - 2021)
        columns: dict[str, object] = {**keys, "year": years, "method": method, "point": point}
        for level in levels:
            half = (0.1 + level / 500) * (years - 2021)
            columns[f"lower_{level}"] = point - half
            columns[f"upper_{level}"] = point + half
        frames.append(pl.DataFrame(columns))
    return pl.concat(frames)


def rgba(colour: object) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(colour, dtype=float).ravel())


def xs(line: Line2D) -> list[float]:
    return [float(v) for v in np.asarray(line.get_xdata(), dtype=float)]


def ys(line: Line2D) -> list[float]:
    return [float(v) for v in np.asarray(line.get_ydata(), dtype=float)]


def cells(ax: Axes) -> dict[tuple[int, int], tuple[float, ...]]:
    out = {}
    for patch in ax.patches:
        gid = patch.get_gid()
        if isinstance(patch, Rectangle) and gid is not None and gid.startswith("cell-"):
            _, i, j = gid.split("-")
            out[(int(i), int(j))] = rgba(patch.get_facecolor())
    return out


def test_import_ontrack_does_not_import_matplotlib() -> None:
    code = (
        "import sys, ontrack, ontrack.plot, ontrack.display; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_palette_covers_the_status_vocabulary() -> None:
    assert set(display.STATUS_COLORS) == set(display.STATUSES)
    assert set(display.STATUS_TEXT_COLORS) == set(display.STATUSES)
    assert plot.STATUS_COLORS is display.STATUS_COLORS
    assert len(set(display.STATUS_COLORS.values())) == len(display.STATUSES)


def test_progress_chart_colours_follow_status(mixed: pl.DataFrame) -> None:
    ax = plot.progress_chart(mixed, annotate=True)
    render(figure_of(ax))
    assert {s for s in mixed.get_column("status")} >= {"achieved", "regressing"}
    targets = mixed.get_column("target_id").unique(maintain_order=True).to_list()
    colours = cells(ax)
    assert len(colours) == len(targets) * len(METHODS)
    for row in mixed.iter_rows(named=True):
        i, j = targets.index(row["target_id"]), METHODS.index(row["method"])
        assert colours[(i, j)] == to_rgba(display.STATUS_COLORS[row["status"]])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:2] == ["儿童死亡率 <b>U5MR</b>", "战略性新兴产业 & GDP"]
    assert labels[2] == "C"  # no label: the target id
    assert [t.get_text() for t in ax.get_xticklabels()] == [m.replace("_", " ") for m in METHODS]
    legend = ax.get_legend()
    assert legend is not None
    names = [t.get_text() for t in legend.get_texts()]
    assert names == [display.STATUS_LABELS[s] for s in display.STATUSES]
    for handle, status in zip(legend.legend_handles, display.STATUSES, strict=True):
        assert handle is not None
        assert isinstance(handle, Patch)
        assert rgba(handle.get_facecolor()) == to_rgba(display.STATUS_COLORS[status])


def test_progress_chart_on_real_data(uk: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="add the series keys to by="):
        plot.progress_chart(uk)
    ax = plot.progress_chart(uk, by="country", method=["unsd_2023", "open_sdg"])
    render(figure_of(ax))
    countries = uk.get_column("country").unique(maintain_order=True).to_list()
    assert [t.get_text() for t in ax.get_yticklabels()] == countries
    assert len(cells(ax)) == 2 * len(countries)
    ax = plot.progress_chart(uk, by=["target_id", "country"], legend=False, title="SDG 3.2")
    assert ax.get_legend() is None
    assert ax.get_yticklabels()[0].get_text() == f"SDG 3.2 · {countries[0]}"


def test_progress_chart_on_given_axes_and_errors(mixed: pl.DataFrame) -> None:
    fig, ax = plt.subplots()
    assert plot.progress_chart(mixed, method="open_sdg", ax=ax) is ax
    assert len(cells(ax)) == mixed.get_column("target_id").n_unique()
    with pytest.raises(ValueError, match="not in the frame"):
        plot.progress_chart(mixed, method="who_aroc")
    with pytest.raises(ValueError, match="no column"):
        plot.progress_chart(mixed, by="country")
    render(fig)


def test_fan_chart_draws_every_level_target_and_deadline() -> None:
    obs = pl.DataFrame(
        {"indicator": "u5mr", "year": [2015, 2018, 2020, 2021], "value": [10.0, 9.0, None, 8.0]}
    )
    projection = synthetic_projection({"indicator": "u5mr"}, ["auto"])
    ax = plot.fan_chart(obs, projection, target=5.0, target_year=2030, title="U5MR 五岁以下")
    render(figure_of(ax))
    bands = [c for c in ax.collections if isinstance(c, FillBetweenPolyCollection)]
    assert [b.get_label() for b in bands] == ["auto 95% interval", "auto 80% interval"]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "observed" in labels
    assert "auto" in labels
    observed = ax.get_lines()[0]
    assert xs(observed) == [2015, 2018, 2021]  # the null is not drawn
    target = next(line for line in ax.get_lines() if line.get_label() == "target 5")
    assert ys(target) == [5.0, 5.0]
    deadline = next(line for line in ax.get_lines() if line.get_label() == "deadline 2030")
    assert xs(deadline) == [2030, 2030]
    assert ax.get_ylabel() == "u5mr"


def test_fan_chart_selects_one_series_and_several_methods(uk: pl.DataFrame) -> None:
    raw = pl.read_csv(UK, infer_schema_length=0).filter(pl.col("Sex").is_null())
    obs = raw.select(
        pl.lit("u5mr").alias("indicator"),
        pl.col("Country").fill_null("United Kingdom").alias("country"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        pl.col("Value").cast(pl.Float64).alias("value"),
    )
    projection = pl.concat(
        [
            synthetic_projection({"indicator": "u5mr", "country": c}, ["linear", "theta"], [50])
            for c in ["Wales", "Scotland"]
        ]
    )
    with pytest.raises(ValueError, match="holds 2 series"):
        plot.fan_chart(obs, projection)
    fig, ax = plt.subplots()
    out = plot.fan_chart(obs, projection, series={"country": "Wales"}, target=25, ax=ax)
    assert out is ax
    bands = [c for c in ax.collections if isinstance(c, FillBetweenPolyCollection)]
    assert [b.get_label() for b in bands] == ["linear 50% interval", "theta 50% interval"]
    wales = obs.filter(pl.col("country") == "Wales").height
    assert len(xs(ax.get_lines()[0])) == wales
    plot.fan_chart(obs, projection, series={"country": "Wales"}, method="theta")
    render(fig)


def test_schedule_chart(mixed: pl.DataFrame, uk: pl.DataFrame) -> None:
    ax = plot.schedule_chart(mixed, title="时间进度与完成进度")
    render(figure_of(ax))
    shown = mixed.filter(
        (pl.col("method") == "open_sdg")
        & pl.col("progress").is_finite()
        & pl.col("time_elapsed").is_finite()
    )
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(np.asarray(p.get_offsets()).shape[0] for p in points) == shown.height
    for p in points:
        status = next(s for s, name in display.STATUS_LABELS.items() if name == p.get_label())
        assert rgba(np.asarray(p.get_facecolor())[0]) == to_rgba(display.STATUS_COLORS[status])
    diagonal = next(line for line in ax.get_lines() if str(line.get_label()).startswith("P = τ"))
    assert xs(diagonal) == ys(diagonal)
    texts = [t.get_text() for t in ax.texts]
    assert "儿童死亡率 <b>U5MR</b>" in texts
    hidden = mixed.filter(pl.col("method") == "open_sdg").height - shown.height
    assert hidden >= 1  # the target without data, and the one-point series
    assert f"{hidden} row(s) without P or τ not shown" in texts
    ax = plot.schedule_chart(uk, by="country", method="unsd_2023")
    render(figure_of(ax))


def test_cjk_labels_render_in_every_format(mixed: pl.DataFrame) -> None:
    families = plot.font_family()
    assert families[: len(mpl.rcParams["font.family"])] == list(mpl.rcParams["font.family"])
    installed = {f.name for f in mpl.font_manager.fontManager.ttflist}
    assert all(f in installed for f in families if f in plot.CJK_FONTS)
    if "Last Resort High-Efficiency" not in installed and not any(
        f in installed for f in plot.CJK_FONTS
    ):
        pytest.skip("neither a CJK font nor matplotlib's Last Resort font is available")
    ax = plot.schedule_chart(mixed, title="时间过半、任务过半")
    for fmt in ("png", "svg", "pdf"):
        assert render(figure_of(ax), fmt)
    ax = plot.progress_chart(mixed, title="廊坊市 创新改革")
    for fmt in ("png", "svg", "pdf"):
        assert render(figure_of(ax), fmt)


def test_status_table_html(mixed: pl.DataFrame) -> None:
    table = display.status_table(mixed, title="Plan <2018>")
    html = table.to_html()
    assert table._repr_html_() == html
    assert len(table) == mixed.height
    assert html.count("<tr>") == mixed.height + 1
    assert "&lt;b&gt;U5MR&lt;/b&gt;" in html
    assert "<b>U5MR" not in html
    assert "战略性新兴产业 &amp; GDP" in html
    assert "Plan &lt;2018&gt;" in html
    for status in mixed.get_column("status").unique():
        assert f"background:{display.STATUS_COLORS[status]};" in html
        assert display.STATUS_LABELS[status] in html
    assert table.columns[:3] == ["indicator", "label", "method"]
    assert "Progress P (完成进度)" in html
    assert "40.0%" in html  # u5mr progress 0.4 as a percentage


def test_status_table_columns_and_errors(uk: pl.DataFrame) -> None:
    table = display.status_table(uk, columns=["country", "status", "latest_value"])
    assert table.columns == ["country", "status", "latest_value"]
    assert table.to_html().count("<tr>") == uk.height + 1
    assert "United Kingdom" in table.to_html()
    assert "country" in repr(table)
    with pytest.raises(ValueError, match="no column"):
        display.status_table(uk, columns=["nope"])
    with pytest.raises(TypeError, match="polars"):
        display.status_table([1, 2])  # type: ignore[arg-type]
    plain = display.status_table(pl.DataFrame({"status": ["weird", None], "x": [float("nan"), 1]}))
    assert plain.to_html().count("background:#FFFFFF;") == 2
    assert "—" in plain.to_html()
