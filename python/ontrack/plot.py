"""Charts of assessment results and projections (matplotlib).

Three charts, each drawn on an optional ``ax`` and returning the :class:`~matplotlib.axes.Axes`:

- :func:`progress_chart`: targets x methods, each cell coloured by status like the UN SDG
  Progress Chart (palette :data:`ontrack.display.STATUS_COLORS`);
- :func:`fan_chart`: one series' history, its projection with shaded prediction intervals,
  the target and the deadline;
- :func:`schedule_chart`: progress P (完成进度) against time elapsed τ (时间进度), with the
  diagonal P = τ (时间过半、任务过半): points below it are behind schedule.

matplotlib is imported inside the functions, so ``import ontrack`` does not need it (install
``ontrack[plot]``). No function calls ``plt.show()``. Text is drawn with the current font
family followed by any installed CJK font (:data:`CJK_FONTS`) and matplotlib's own
"Last Resort" font, so Chinese labels render when a CJK font is installed and become
placeholder boxes, without warnings, when none is.
"""

from __future__ import annotations

import logging
import re
import textwrap
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

import polars as pl

from ontrack import _ontrack
from ontrack._frames import FrameLike, as_list, to_polars
from ontrack.display import (
    STATUS_COLORS,
    STATUS_LABELS,
    STATUS_TEXT_COLORS,
    STATUSES,
    UNKNOWN_STATUS_COLOR,
)
from ontrack.errors import MissingColumnError, OptionError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CJK_FONTS",
    "MAX_CHART_ROWS",
    "STATUS_COLORS",
    "fan_chart",
    "font_family",
    "progress_chart",
    "schedule_chart",
]

_log = logging.getLogger(__name__)

#: Rows a chart draws by default (progress chart rows, labelled schedule points): beyond
#: this a figure stops being readable (a 20,000-row grid would be hundreds of inches tall).
MAX_CHART_ROWS: Final[int] = 60

CJK_FONTS: Final[tuple[str, ...]] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
"""CJK fonts used as fallbacks, in order, when installed."""

_LAST_RESORT: Final[str] = "Last Resort High-Efficiency"
_GLYPH_WARNING: Final[str] = r"Glyph \d+ .* missing from font"
_CJK_CHAR: Final[re.Pattern[str]] = re.compile(
    r"[\u2e80-\u9fff\u3000-\u303f\uac00-\ud7af\uff00-\uffef]"
)
_warned_no_cjk = False


def font_family() -> list[str]:
    """Font family list used for chart text: the current one, then CJK and last-resort fallbacks.

    matplotlib (3.6+) falls back glyph by glyph along the list, so Latin text keeps the
    current font and Chinese text uses the first installed CJK font of :data:`CJK_FONTS`.
    Only installed fonts are listed (no "font not found" messages). matplotlib 3.10+ ships
    "Last Resort High-Efficiency", which draws a placeholder for any glyph no other font has.

    Returns
    -------
    list of str
        Family names (generic names such as ``"sans-serif"`` included), for ``fontfamily=``.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    current = mpl.rcParams["font.family"]
    families = [current] if isinstance(current, str) else list(current)
    families += [f for f in CJK_FONTS if f in installed and f not in families]
    if _LAST_RESORT in installed and _LAST_RESORT not in families:
        families.append(_LAST_RESORT)
    return families


def _has_cjk_font() -> bool:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return any(f in installed for f in CJK_FONTS)


def _note_cjk(texts: Sequence[str]) -> None:
    """Log once (INFO) when CJK text is drawn without a CJK font."""
    global _warned_no_cjk
    if _warned_no_cjk or not any(_CJK_CHAR.search(t) for t in texts):
        return
    if not _has_cjk_font():
        _warned_no_cjk = True
        _log.info(
            "no CJK font installed (tried %s): Chinese text is drawn as placeholder boxes; "
            "install e.g. fonts-noto-cjk",
            ", ".join(CJK_FONTS),
        )


@contextmanager
def _quiet_glyphs() -> Iterator[None]:
    """Ignore matplotlib's missing-glyph warning (and only it) while a chart is built."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_GLYPH_WARNING, category=UserWarning)
        yield


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _frame(data: FrameLike, name: str) -> pl.DataFrame:
    return to_polars(data, name)


def _require(frame: pl.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        msg = f"{what}: no column(s) {missing}; the frame has {frame.columns}"
        raise MissingColumnError(msg, column=missing[0])


def _row_label(row: Mapping[str, object], by: Sequence[str]) -> str:
    """Label a row: the target's label for ``target_id``, the value for other columns."""
    parts = []
    for column in by:
        value = row.get(column)
        if column == "target_id" and row.get("label") is not None:
            value = row["label"]
        parts.append("—" if value is None else str(value))
    label = " · ".join(parts)
    # Long plan wordings would squeeze the chart: shorten to two lines of 48 characters.
    return "\n".join(textwrap.wrap(label, width=48, max_lines=2, placeholder=" …")) or label


def _methods(frame: pl.DataFrame, method: str | Sequence[str] | None) -> list[str | None]:
    """List the methods to show, in order of appearance; ``[None]`` without a method column."""
    if "method" not in frame.columns:
        if method is not None:
            msg = "method= given but the frame has no 'method' column"
            raise OptionError(msg, option="method")
        return [None]
    present = [m for m in frame.get_column("method").unique(maintain_order=True).to_list()]
    if method is None:
        return present
    wanted = as_list(method, "method")
    unknown = [m for m in wanted if m not in present]
    if unknown:
        msg = f"method(s) {unknown} not in the frame; it has {present}"
        raise OptionError(msg, option="method")
    return list(wanted)


def _status_handles(statuses: Sequence[str]) -> list[Any]:
    from matplotlib.patches import Patch

    return [
        Patch(facecolor=STATUS_COLORS[s], edgecolor="white", label=STATUS_LABELS[s])
        for s in statuses
    ]


def progress_chart(
    result: FrameLike,
    *,
    by: str | Sequence[str] = "target_id",
    method: str | Sequence[str] | None = None,
    annotate: bool = False,
    legend: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
    max_rows: int | None = MAX_CHART_ROWS,
) -> Axes:
    """Targets x methods, each cell coloured by status, like the UN SDG Progress Chart.

    Parameters
    ----------
    result
        An :func:`ontrack.assess` result (needs ``status``; ``method`` when several).
    by
        Column(s) identifying a row: ``"target_id"`` (shown as the target's ``label`` when
        the result has one), a series key such as ``"country"``, or several, e.g.
        ``["target_id", "country"]``.
    method
        Method(s) to show as columns, in this order; ``None`` shows every method of the
        result in order of appearance.
    annotate
        Write each cell's ``method_status`` (the method's own class) in it.
    legend
        Draw the legend of all six statuses beside the grid.
    title
        Axes title.
    ax
        Axes to draw on; ``None`` creates a figure sized to the grid.
    max_rows
        Draw at most this many rows (the first, in order of appearance), so that a result of
        thousands of series stays a readable figure; a note under the grid says how many
        rows are left out. ``None`` draws every row.

    Returns
    -------
    matplotlib.axes.Axes
        Row ``i`` is the ``i``-th distinct ``by`` value (first at the top); each cell is a
        rectangle patch filled with ``STATUS_COLORS[status]`` (white for an unknown status,
        hatched for a missing row and method).

    Raises
    ------
    ontrack.MissingColumnError
        When a column is missing (``column`` names it).
    ontrack.OptionError
        When a method is not in the result (``option="method"``) or several rows share one
        ``by`` value and method (``option="by"``: add the series keys to ``by``).
    """
    from matplotlib.patches import Rectangle

    frame = _frame(result, "result")
    keys = as_list(by, "by")
    _require(frame, [*keys, "status"], "progress_chart")
    methods = _methods(frame, method)
    if methods != [None]:
        frame = frame.filter(pl.col("method").is_in([m for m in methods if m is not None]))
    group = [*keys, "method"] if "method" in frame.columns and "method" not in keys else keys
    dup = frame.group_by(group).len().filter(pl.col("len") > 1)
    if dup.height:
        example = dup.row(0, named=True)
        msg = (
            f"progress_chart: {dup.height} (by, method) cells have several rows, e.g. "
            f"{ {k: example[k] for k in group} }; add the series keys to by= "
            f"(e.g. by=['target_id', 'country'])"
        )
        raise OptionError(msg, option="by")

    rows = frame.unique(subset=keys, maintain_order=True)
    total_rows = rows.height
    if max_rows is not None and total_rows > max_rows:
        rows = rows.head(max(max_rows, 1))
        frame = frame.join(rows.select(keys), on=keys, how="semi", nulls_equal=True)
    labels = [_row_label(r, keys) for r in rows.iter_rows(named=True)]
    index = {tuple(r[k] for k in keys): i for i, r in enumerate(rows.iter_rows(named=True))}
    column = {m: j for j, m in enumerate(methods)}
    cells: dict[tuple[int, int], tuple[str | None, str | None]] = {}
    for r in frame.iter_rows(named=True):
        i = index[tuple(r[k] for k in keys)]
        j = column[r.get("method")]
        status = r["status"]
        cells[(i, j)] = (status, r.get("method_status"))

    n_rows, n_cols = len(labels), len(methods)
    longest = max((len(line) for s in labels for line in s.split("\n")), default=8)
    size = (
        2.0 + min(longest, 48) * 0.075 + 1.4 * n_cols + (2.0 if legend else 0.0),
        max(1.3 + 0.45 * max(n_rows, 1), 2.8 if legend else 1.5),
    )
    families = font_family()
    _note_cjk([*labels, title or ""])
    with _quiet_glyphs():
        axes = _new_axes(ax, size)
        for i in range(n_rows):
            for j in range(n_cols):
                status, own = cells.get((i, j), (None, None))
                if (i, j) not in cells:
                    patch = Rectangle(
                        (j, i),
                        1,
                        1,
                        facecolor="white",
                        edgecolor="#cccccc",
                        hatch="//",
                        linewidth=0.8,
                    )
                else:
                    fill = STATUS_COLORS.get(status or "", UNKNOWN_STATUS_COLOR)
                    patch = Rectangle(
                        (j, i), 1, 1, facecolor=fill, edgecolor="white", linewidth=1.5
                    )
                patch.set_gid(f"cell-{i}-{j}")
                axes.add_patch(patch)
                if annotate and own is not None:
                    axes.text(
                        j + 0.5,
                        i + 0.5,
                        own.replace("_", " "),
                        ha="center",
                        va="center",
                        fontsize=7,
                        fontfamily=families,
                        color=STATUS_TEXT_COLORS.get(status or "", "#1A1A1A"),
                    )
        axes.set_xlim(0, n_cols)
        axes.set_ylim(max(n_rows, 1), 0)
        axes.set_yticks([i + 0.5 for i in range(n_rows)], labels, fontfamily=families)
        axes.set_xticks(
            [j + 0.5 for j in range(n_cols)],
            ["status" if m is None else m.replace("_", " ") for m in methods],
            fontfamily=families,
            rotation=30 if n_cols > 3 else 0,
            ha="left" if n_cols > 3 else "center",
        )
        axes.xaxis.tick_top()
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        if legend:
            axes.legend(
                handles=_status_handles(STATUSES),
                loc="upper left",
                bbox_to_anchor=(1.02, 1.0),
                frameon=False,
                prop={"family": families},
                title="status",
            )
        if title is not None:
            axes.set_title(title, fontfamily=families, loc="left")
        if rows.height < total_rows:
            axes.set_xlabel(
                f"showing the first {rows.height} of {total_rows:,} rows; filter the result "
                "or pass max_rows=None to draw them all",
                fontfamily=families,
                loc="left",
            )
    return axes


def _levels(projection: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(level text, lower column, upper column), widest first.

    The interval columns are named by the Rust core (``ontrack::schema::interval_columns``).
    """
    found = []
    for name in projection.columns:
        parsed = _ontrack.interval_level(name)
        if parsed is None or parsed[1] or name.startswith("projected_"):
            continue
        lower, upper = _ontrack.interval_columns(parsed[0])
        if lower == name and upper in projection.columns:
            found.append((parsed[0], f"{parsed[0] * 100:g}", lower, upper))
    found.sort(reverse=True)
    return [(text, lo, hi) for _, text, lo, hi in found]


def fan_chart(
    observations: FrameLike,
    projection: FrameLike,
    *,
    target: float | None = None,
    target_year: float | None = None,
    series: Mapping[str, object] | None = None,
    method: str | Sequence[str] | None = None,
    year: str = "year",
    value: str = "value",
    ylabel: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """One series: history, projected point path with shaded intervals, target and deadline.

    Parameters
    ----------
    observations
        Long observations (``year`` and ``value`` columns, plus keys such as ``indicator``);
        filtered to the projected series' keys. Null values are not drawn.
    projection
        The long frame of ``ontrack.project``: key columns (``indicator`` and any ``by``
        keys), ``year``, ``method``, ``point`` and, for each level L, ``lower_L`` and
        ``upper_L`` with L a percentage (``lower_80``, ``upper_95``, ...). Every level
        present is shaded, the widest lightest.
    target, target_year
        Draw a horizontal line at the target value and a vertical one at the deadline.
    series
        Column → value filter applied to both frames (only to the columns each has), e.g.
        ``{"indicator": "u5mr", "country": "India"}``; needed when the frames hold several
        series.
    method
        Projection method(s) to draw; ``None`` draws every method present, each in its own
        colour.
    year, value
        Column names of the period (numeric years, or dates in both frames and for
        ``target_year``) and of the observed value.
    ylabel, title
        Axis label (default: the indicator name when unique) and title.
    ax
        Axes to draw on; ``None`` creates a figure.

    Returns
    -------
    matplotlib.axes.Axes
        History as a dark line with points, each method's point path as a dashed line from
        the last observation, the intervals as ``fill_between`` bands labelled "L% interval".

    Raises
    ------
    ontrack.MissingColumnError
        When a column is missing (``column`` names it).
    ontrack.OptionError
        When the (filtered) projection holds more than one series (``option="series"``) or
        ``method`` is not in it.
    """
    obs = _frame(observations, "observations")
    proj = _frame(projection, "projection")
    _require(obs, [year, value], "fan_chart observations")
    _require(proj, [year, "point"], "fan_chart projection")
    if series:
        obs = obs.filter(*[pl.col(k) == v for k, v in series.items() if k in obs.columns])
        proj = proj.filter(*[pl.col(k) == v for k, v in series.items() if k in proj.columns])
    levels = _levels(proj)
    # The series keys are the columns before the period and the method, as
    # :func:`ontrack.project` lays them out (the Rust core's rule).
    keys = _ontrack.series_keys("project", proj.columns, year=year)
    if keys:
        distinct = proj.select(keys).unique()
        if distinct.height > 1:
            msg = (
                f"fan_chart: the projection holds {distinct.height} series (keys {keys}); "
                "choose one with series={...}"
            )
            raise OptionError(msg, option="series")
        if distinct.height == 1:
            key_values = distinct.row(0, named=True)
            obs = obs.filter(
                *[
                    pl.col(k) == v
                    for k, v in key_values.items()
                    if k in obs.columns and v is not None
                ]
            )
    methods = _methods(proj, method)
    history = obs.filter(pl.col(value).is_not_null()).sort(year)
    if ylabel is None and "indicator" in proj.columns and proj.height:
        ylabel = str(proj.get_column("indicator")[0])

    families = font_family()
    _note_cjk([ylabel or "", title or ""])
    import matplotlib as mpl

    palette = [mpl.colormaps["tab10"](i) for i in range(10)]
    with _quiet_glyphs():
        axes = _new_axes(ax, (7.0, 4.2))
        last = None
        if history.height:
            hx = history.get_column(year).to_numpy()
            hy = history.get_column(value).cast(pl.Float64).to_numpy()
            axes.plot(
                hx,
                hy,
                color="#333333",
                marker="o",
                markersize=3,
                linewidth=1.4,
                label="observed",
                zorder=3,
            )
            last = (hx[-1], hy[-1])
        for k, m in enumerate(methods):
            path = proj if m is None else proj.filter(pl.col("method") == m)
            path = path.sort(year)
            if not path.height:
                continue
            color = palette[(k + 0) % len(palette)]
            px = path.get_column(year).to_numpy()
            name = "projection" if m is None else str(m)
            for n, (text, lo, hi) in enumerate(levels):
                alpha = 0.15 + 0.15 * n
                lower = path.get_column(lo).cast(pl.Float64).to_numpy()
                upper = path.get_column(hi).cast(pl.Float64).to_numpy()
                axes.fill_between(
                    px,
                    lower,
                    upper,
                    color=color,
                    alpha=alpha,
                    linewidth=0,
                    label=f"{name} {text}% interval",
                )
            py = path.get_column("point").cast(pl.Float64).to_numpy()
            if last is not None and px[0] > last[0]:
                axes.plot(
                    [last[0], px[0]], [last[1], py[0]], color=color, linestyle="--", linewidth=1.4
                )
            axes.plot(px, py, color=color, linestyle="--", linewidth=1.6, label=name, zorder=2)
        if target is not None:
            axes.axhline(
                target, color="#006837", linestyle=":", linewidth=1.4, label=f"target {target:g}"
            )
        if target_year is not None:
            axes.axvline(
                target_year,
                color="#777777",
                linestyle="-.",
                linewidth=1.0,
                label=f"deadline {target_year:g}"
                if isinstance(target_year, int | float)
                else "deadline",
            )
        axes.set_xlabel(year, fontfamily=families)
        if ylabel is not None:
            axes.set_ylabel(ylabel, fontfamily=families)
        if title is not None:
            axes.set_title(title, fontfamily=families, loc="left")
        axes.grid(alpha=0.3)
        axes.legend(frameon=False, prop={"family": families, "size": 8})
    return axes


def schedule_chart(
    result: FrameLike,
    *,
    by: str | Sequence[str] = "target_id",
    method: str | None = None,
    annotate: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
    max_labels: int = MAX_CHART_ROWS,
) -> Axes:
    """Progress P (完成进度) against time elapsed τ (时间进度), one point per target row.

    The diagonal P = τ is the schedule "时间过半、任务过半" (half the time gone, half the work
    done): points below it are behind schedule (``schedule_gap < 0``), points above ahead.
    Points are coloured by status.

    Parameters
    ----------
    result
        An :func:`ontrack.assess` result (``progress``, ``time_elapsed``, ``status``).
    by
        Column(s) naming a point, as in :func:`progress_chart`.
    method
        The method whose ``status`` colours the points (P and τ do not depend on the
        method); ``None`` takes the first method of the result.
    annotate
        Write each point's label next to it; with more than ``max_labels`` points, a note
        says so instead (thousands of labels would cover the chart).
    max_labels
        The most points labelled.
    title
        Axes title.
    ax
        Axes to draw on; ``None`` creates a figure.

    Returns
    -------
    matplotlib.axes.Axes
        Rows without P or τ (e.g. insufficient data) are not drawn; their number is noted
        in the lower-right corner.

    Raises
    ------
    ontrack.MissingColumnError
        When a column is missing (``column`` names it).
    ontrack.OptionError
        When ``method`` is not in the result (``option="method"``).
    """
    frame = _frame(result, "result")
    keys = as_list(by, "by")
    _require(frame, [*keys, "progress", "time_elapsed", "status"], "schedule_chart")
    methods = _methods(frame, method)
    if methods[0] is not None:
        frame = frame.filter(pl.col("method") == methods[0])
    finite = pl.col("progress").is_finite() & pl.col("time_elapsed").is_finite()
    shown = frame.filter(finite.fill_null(False))
    hidden = frame.height - shown.height
    labels = [_row_label(r, keys) for r in shown.iter_rows(named=True)]
    tau = shown.get_column("time_elapsed").cast(pl.Float64).to_list()
    prog = shown.get_column("progress").cast(pl.Float64).to_list()
    statuses = shown.get_column("status").to_list()

    families = font_family()
    _note_cjk([*labels, title or ""])
    from matplotlib.ticker import PercentFormatter

    # Chinese terms only where a CJK font can draw them (otherwise they would be boxes).
    cjk = _has_cjk_font()

    def zh(text: str) -> str:
        return text if cjk else ""

    with _quiet_glyphs():
        axes = _new_axes(ax, (6.4, 5.2))
        x_max = max([1.0, *tau]) * 1.05
        y_min = min([0.0, *prog]) - 0.05
        # Headroom for the point labels above the highest point.
        y_max = max([1.0, *prog]) * 1.1 + 0.05
        top = max(x_max, y_max)
        axes.fill_between(
            [0, top], [0, top], [y_min, y_min], color="#C8102E", alpha=0.06, linewidth=0
        )
        axes.plot(
            [0, top],
            [0, top],
            color="#555555",
            linewidth=1.2,
            label="P = τ" + zh(" (时间过半、任务过半)"),
        )
        axes.axhline(1.0, color="#006837", linestyle=":", linewidth=1.0, label="P = 100%")
        for status in dict.fromkeys(statuses):
            xs = [t for t, s in zip(tau, statuses, strict=True) if s == status]
            ys = [p for p, s in zip(prog, statuses, strict=True) if s == status]
            axes.scatter(
                xs,
                ys,
                s=46,
                color=STATUS_COLORS.get(status, UNKNOWN_STATUS_COLOR),
                edgecolor="#333333",
                linewidth=0.6,
                zorder=3,
                label=STATUS_LABELS.get(status, str(status)),
            )
        if annotate and len(labels) > max_labels:
            axes.text(
                0.02,
                0.98,
                f"{len(labels):,} points: too many to label (max_labels={max_labels})",
                transform=axes.transAxes,
                va="top",
                fontsize=8,
                color="#444444",
            )
        elif annotate:
            for x, y, text in zip(tau, prog, labels, strict=True):
                axes.annotate(
                    text,
                    (x, y),
                    xytext=(4, 3),
                    textcoords="offset points",
                    fontsize=7.5,
                    fontfamily=families,
                )
        axes.text(
            0.98,
            0.02,
            "behind schedule (P < τ)",
            transform=axes.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color="#8B0000",
            fontfamily=families,
        )
        if hidden:
            axes.text(
                0.98,
                0.07,
                f"{hidden} row(s) without P or τ not shown",
                transform=axes.transAxes,
                ha="right",
                va="bottom",
                fontsize=7.5,
                color="#555555",
                fontfamily=families,
            )
        axes.set_xlim(0, x_max)
        axes.set_ylim(y_min, y_max)
        axes.xaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        axes.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
        axes.set_xlabel("time elapsed τ" + zh(" (时间进度)"), fontfamily=families)
        axes.set_ylabel("progress P" + zh(" (完成进度)"), fontfamily=families)
        axes.grid(alpha=0.3)
        axes.legend(loc="upper left", frameon=False, prop={"family": families, "size": 8})
        if title is not None:
            axes.set_title(title, fontfamily=families, loc="left")
    return axes
