"""One self-contained HTML report of an assessment: tables, charts and what cannot be assessed.

:func:`html_report` writes a single file with no external resources: every chart is a PNG
embedded as base64 (matplotlib's Agg canvas, without pyplot, so the caller's backend and open
figures are untouched) and every text taken from the data is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

import polars as pl

from ontrack import _ontrack
from ontrack._api import project
from ontrack._args import text
from ontrack._frames import FrameLike, to_polars
from ontrack._plan import Plan
from ontrack.display import (
    STATUS_COLORS,
    STATUS_LABELS,
    STATUS_TEXT_COLORS,
    STATUSES,
    status_table,
)
from ontrack.errors import MissingColumnError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["html_report", "png_figures"]

_STYLE: Final[str] = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",
sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
td,th{padding:3px 8px;border-bottom:1px solid #ddd;vertical-align:top;text-align:left}
img{max-width:100%;height:auto;border:1px solid #eee;margin:.5em 0}
.muted{color:#666;font-size:.9em} .note{max-width:60em}
"""

_MIN_FAN_POINTS: Final[int] = 3


def _chart_unit(unit: object) -> object:
    """Return a unit as chart text: ASCII English for a unit of the Rust core's table.

    HTML text keeps the Chinese; machines without a CJK font would draw 亿元 as boxes.
    """
    found = _ontrack.lookup_unit(unit) if isinstance(unit, str) else None
    return unit if found is None else found[3]


_TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "target_id",
    "label",
    "method",
    "status",
    "method_status",
    "baseline_year",
    "latest_year",
    "latest_value",
    "target_value",
    "target_year",
    "progress",
    "time_elapsed",
    "probability",
    "reason",
)


# A report of thousands of series stays a page one can open: sections list at most this many
# targets or rows, and draw at most this many fan charts, each with a note on what is left
# out (the status table caps itself, see ontrack.display.MAX_ROWS).
_MAX_LISTED: Final[int] = 500
_MAX_FAN_CHARTS: Final[int] = 30


def _cap_note(total: int, cap: int, what: str) -> str:
    """Return a visible note when only the first ``cap`` of ``total`` items are shown."""
    if total <= cap:
        return ""
    return (
        f'<p class="muted"><b>Showing the first {cap:,} of {total:,} {what}</b>; the full '
        "result is in the frame passed to the report.</p>"
    )


def _e(value: object) -> str:
    """Escape any value as HTML text (None as an em dash)."""
    return "—" if value is None else html.escape(str(value))


def _png(draw: Callable[[Axes], object], size: tuple[float, float], dpi: int) -> str:
    """Draw on a fresh Agg figure and return the PNG as base64 text."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    draw(figure.add_subplot())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _img(data: str, alt: str) -> str:
    return f'<img alt="{_e(alt)}" src="data:image/png;base64,{data}">'


def _short_labels(result: pl.DataFrame, width: int = 48) -> pl.DataFrame:
    """Chart labels ``id · label`` cut to ``width`` characters (target ids stay whole)."""
    if "label" not in result.columns:
        return result
    label = pl.col("label").fill_null("")
    cut = (
        pl.when(label.str.len_chars() > width)
        .then(label.str.slice(0, width - 1) + "…")
        .otherwise(label)
    )
    return result.with_columns(
        pl.when(pl.col("label").is_null())
        .then(pl.col("target_id"))
        .otherwise(pl.col("target_id") + " · " + cut)
        .alias("label")
    )


def _series_keys(result: pl.DataFrame, indicator: str = "indicator") -> list[str]:
    """Series keys of an assess result: the columns before ``target_id`` (or ``method``)."""
    if "target_id" in result.columns or "method" in result.columns:
        return _ontrack.series_keys("assess", result.columns, year="year")
    return [indicator] if indicator in result.columns else []


def _with_target_ids(result: pl.DataFrame, indicator: str) -> pl.DataFrame:
    """Give a result without ``target_id`` one made of its series keys, after the keys."""
    if "target_id" in result.columns:
        return result
    keys = _series_keys(result, indicator)
    ids = (
        pl.concat_str([pl.col(k).cast(pl.String).fill_null("—") for k in keys], separator=" · ")
        if keys
        else pl.int_range(pl.len()).cast(pl.String)
    )
    return result.with_columns(ids.alias("target_id")).select(
        *keys, "target_id", *[c for c in result.columns if c not in keys]
    )


def _table(rows: Iterable[Sequence[object]], header: Sequence[str]) -> str:
    parts = ["<table><thead><tr>"]
    parts.extend(f"<th>{_e(h)}</th>" for h in header)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _status_cell(status: object) -> str:
    text = status if isinstance(status, str) else ""
    fill = STATUS_COLORS.get(text, "#FFFFFF")
    ink = STATUS_TEXT_COLORS.get(text, "#1A1A1A")
    label = STATUS_LABELS.get(text, text or "—")
    return f'<td style="background:{fill};color:{ink};font-weight:bold">{_e(label)}</td>'


def _plan_section(plan: Plan) -> str:
    meta = plan.meta
    rows = [(key, meta[key]) for key in meta if meta[key] not in (None, "")]
    parts = ["<h2>The plan</h2>", _table(rows, ["field", "value"])]
    if plan.groups.height:
        counts = plan.targets.group_by("group").len()
        count = dict(counts.iter_rows())
        parts.append(
            _table(
                [
                    (g["id"], g["name_zh"], g["name_en"], count.get(g["id"], 0))
                    for g in plan.groups.iter_rows(named=True)
                ],
                ["group", "name (zh)", "name (en)", "targets"],
            )
        )
    kinds = plan.targets.group_by("kind").len().sort("kind")
    parts.append(
        '<p class="muted">Targets by kind: '
        + _e(", ".join(f"{k} {n}" for k, n in kinds.iter_rows()))
        + "</p>"
    )
    return "".join(parts)


def _summary_section(result: pl.DataFrame) -> str:
    methods = (
        result.get_column("method").unique(maintain_order=True).to_list()
        if "method" in result.columns
        else [None]
    )
    rows = []
    for status in STATUSES:
        counts = []
        for method in methods:
            part = result if method is None else result.filter(pl.col("method") == method)
            counts.append(part.filter(pl.col("status") == status).height)
        rows.append((STATUS_LABELS[status], *counts))
    header = ["status", *[m or "status" for m in methods]]
    return "<h2>Summary</h2>" + _table(rows, header)


def _per_target_section(result: pl.DataFrame, plan: Plan | None, notes: pl.DataFrame | None) -> str:
    """One row per target: its wording, the status by each method and what the data show."""
    methods = result.get_column("method").unique(maintain_order=True).to_list()
    ids = result.get_column("target_id").unique(maintain_order=True).to_list()
    wording: dict[str, str] = {}
    if plan is not None and "label_zh" in plan.targets.columns:
        wording = {r["id"]: r["label_zh"] for r in plan.targets.iter_rows(named=True)}
    note_of: dict[str, str] = {}
    if notes is not None:
        note_of = {r["target_id"]: r["data_note"] for r in notes.iter_rows(named=True)}
    parts = [
        "<h2>What the data show, per target</h2>",
        _cap_note(len(ids), _MAX_LISTED, "targets"),
        "<table><thead><tr><th>target</th><th>wording</th>",
        *[f"<th>{_e(m)}</th>" for m in methods],
        "<th>what the data show</th></tr></thead><tbody>",
    ]
    for target in ids[:_MAX_LISTED]:
        if target is None:
            continue
        rows = result.filter(pl.col("target_id") == target)
        first = rows.row(0, named=True)
        text = wording.get(target) or first.get("label")
        parts.append(f"<tr><td>{_e(target)}</td><td>{_e(text)}</td>")
        for method in methods:
            row = rows.filter(pl.col("method") == method)
            parts.append(_status_cell(row.get_column("status")[0] if row.height else None))
        note = note_of.get(target) or first.get("reason")
        parts.append(f'<td class="note">{_e(note)}</td></tr>')
    parts.append("</tbody></table>")
    return "".join(parts)


def _fan_section(
    result: pl.DataFrame,
    observations: pl.DataFrame,
    projections: pl.DataFrame | None,
    plan: Plan | None,
    dpi: int,
    names: tuple[str, str, str],
) -> str:
    indicator, year, value = names
    keys = [k for k in _series_keys(result, indicator) if k in observations.columns]
    usable = observations.filter(pl.col(value).is_not_null())
    counts = usable.group_by(keys, maintain_order=True).len()
    long_enough = counts.filter(pl.col("len") >= _MIN_FAN_POINTS)
    parts = [
        "<h2>Projections (series with at least 3 points)</h2>",
        '<p class="muted">History, projection (automatic method choice) with 80% and 95% '
        "prediction intervals, the target and the deadline. A projection past a deadline "
        "that has gone is context, not a verdict.</p>",
    ]
    if not long_enough.height:
        parts.append("<p>No series has 3 or more observed points.</p>")
        return "".join(parts)
    parts.append(_cap_note(long_enough.height, _MAX_FAN_CHARTS, "series"))
    for series in long_enough.head(_MAX_FAN_CHARTS).iter_rows(named=True):
        series.pop("len")
        wanted = {k: v for k, v in series.items() if v is not None}
        history = usable.filter(*[pl.col(k) == v for k, v in wanted.items()])
        history = history.filter(
            *[pl.col(k).is_null() for k, v in series.items() if v is None and k in keys]
        )
        rows = result.filter(
            *[pl.col(k) == v for k, v in wanted.items() if k in result.columns]
        ).filter(pl.col("target_value").is_not_null())
        target = rows.row(0, named=True) if rows.height else {}
        latest = history.get_column(year).max()
        last = int(latest) if isinstance(latest, int | float) else 0
        deadline = target.get("target_year")
        until = max(last + 3, int(deadline) if isinstance(deadline, int | float) else last)
        if projections is None:
            lower = upper = None
            if plan is not None and target:
                match = plan.targets.filter(pl.col("id") == target.get("target_id"))
                if match.height:
                    lower = match.get_column("lower_bound")[0]
                    upper = match.get_column("upper_bound")[0]
            path = project(
                history.select(*keys, year, value),
                by=[k for k in keys if k != indicator],
                indicator=indicator,
                year=year,
                value=value,
                until=until,
                lower_bound=lower,
                upper_bound=upper,
            )
        else:
            path = projections.filter(
                *[pl.col(k) == v for k, v in wanted.items() if k in projections.columns]
            )
        name = " · ".join(str(v) for v in wanted.values())
        label = target.get("label") or name
        title = f"{target.get('target_id', '')} {name}".strip()
        unit = _chart_unit(target.get("unit"))

        def draw(
            ax: Axes,
            history: pl.DataFrame = history,
            path: pl.DataFrame = path,
            target: Mapping[str, object] = target,
            title: str = title,
            unit: object = unit,
        ) -> None:
            from ontrack.plot import fan_chart

            goal = target.get("target_value")
            deadline = target.get("target_year")
            fan_chart(
                history.select(*keys, year, value),
                path,
                target=float(goal) if isinstance(goal, int | float) else None,
                target_year=float(deadline) if isinstance(deadline, int | float) else None,
                ylabel=f"{target.get(indicator, '')} ({unit})" if unit else None,
                title=title,
                year=year,
                value=value,
                ax=ax,
            )

        parts.append(f"<h3>{_e(title)}</h3><p>{_e(label)}</p>")
        parts.append(_img(_png(draw, (7.5, 4.2), dpi), f"fan chart {title}"))
        reasons = (
            path.get_column("reason").drop_nulls().unique().to_list()
            if ("reason" in path.columns)
            else []
        )
        if reasons:
            parts.append(f'<p class="muted">Projection notes: {_e("; ".join(reasons))}</p>')
    return "".join(parts)


def _missing_section(result: pl.DataFrame, plan: Plan | None, notes: pl.DataFrame | None) -> str:
    insufficient = result.filter(pl.col("status") == "insufficient_data")
    parts = ["<h2>What cannot be assessed and why</h2>"]
    ids = insufficient.get_column("target_id").unique(maintain_order=True).to_list()
    if not ids:
        parts.append("<p>Every target could be assessed by every method.</p>")
        return "".join(parts)
    parts.append(
        f"<p>{len(ids)} target(s) have status <b>insufficient data</b> by at least one method. "
        "For each: the engine's reason, what the data hold for it, and the plan's note on "
        "how it could be measured.</p>"
    )
    parts.append(_cap_note(len(ids), _MAX_LISTED, "targets") + "<ol>")
    plan_rows: dict[str, dict[str, object]] = {}
    if plan is not None:
        plan_rows = {r["id"]: r for r in plan.targets.iter_rows(named=True)}
    note_of: dict[str, str] = {}
    if notes is not None:
        note_of = {r["target_id"]: r["data_note"] for r in notes.iter_rows(named=True)}
    for target in ids[:_MAX_LISTED]:
        rows = insufficient.filter(pl.col("target_id") == target)
        methods = (
            ", ".join(str(m) for m in rows.get_column("method").unique(maintain_order=True))
            if "method" in rows.columns
            else "—"
        )
        reasons = (
            rows.get_column("reason").drop_nulls().unique(maintain_order=True).to_list()
            if "reason" in rows.columns
            else []
        )
        info = plan_rows.get(str(target), {})
        wording = info.get("label_zh") or (
            rows.get_column("label")[0] if "label" in rows.columns else None
        )
        parts.append(
            f"<li><b>{_e(target)}</b> {_e(wording)} <span class='muted'>"
            f"({_e(info.get('label_en') or '')}; methods: {_e(methods)})</span><ul>"
            f"<li>Reason: {_e('; '.join(reasons) or 'no reason given')}</li>"
        )
        if target in note_of:
            parts.append(f"<li>Data: {_e(note_of[target])}</li>")
        if info.get("note"):
            parts.append(f"<li>Plan note: {_e(info['note'])}</li>")
        parts.append("</ul></li>")
    parts.append("</ol>")
    return "".join(parts)


def _observations_section(observations: pl.DataFrame, names: tuple[str, str, str]) -> str:
    wanted = [
        c
        for c in (
            *names,
            "unit",
            "kind",
            "bound",
            "reliability",
            "source_title",
            "source_url",
            "conflict_note",
        )
        if c in observations.columns
    ]
    rows = observations.select(wanted).head(_MAX_LISTED).rows()
    return (
        "<h2>Observations used</h2>"
        '<p class="muted">Every row that entered the assessment, with its provenance.</p>'
        + _cap_note(observations.height, _MAX_LISTED, "rows")
        + _table(rows, wanted)
    )


def png_figures(
    result: FrameLike, *, method: str | None = None, dpi: int = 110
) -> dict[str, bytes]:
    """Render the progress and schedule charts of a result as PNG bytes (as the report does).

    Parameters
    ----------
    result
        An :func:`ontrack.assess` result.
    method
        The method whose status colours the schedule chart (default: the first).
    dpi
        Resolution.

    Returns
    -------
    dict
        ``{"progress": ..., "schedule": ...}``.
    """
    frame = _short_labels(to_polars(result, "result"))
    return {
        name: base64.b64decode(data)
        for name, data in _charts(frame, method=method, dpi=dpi).items()
    }


def _charts(frame: pl.DataFrame, *, method: str | None, dpi: int) -> dict[str, str]:
    from ontrack.plot import MAX_CHART_ROWS, progress_chart, schedule_chart

    # A row per target, or per target and series when a target covers several series.
    per_method = ["target_id", "method"] if "method" in frame.columns else ["target_id"]
    by = ["target_id"]
    if frame.select(per_method).is_duplicated().any():
        by = [*_series_keys(frame), "target_id"]
    n_rows = min(frame.select(by).n_unique(), MAX_CHART_ROWS)
    n_methods = frame.get_column("method").n_unique() if "method" in frame.columns else 1
    chosen = method
    if chosen is None and "method" in frame.columns and frame.height:
        chosen = str(frame.get_column("method")[0])
    progress = _png(
        lambda ax: progress_chart(frame, by=by, annotate=True, ax=ax),
        (6.0 + 1.6 * n_methods + 2.2, 1.4 + 0.34 * n_rows),
        dpi,
    )
    schedule_rows = frame.with_columns(pl.col("target_id").alias("label"))
    schedule = _png(
        lambda ax: schedule_chart(
            schedule_rows, by=by, method=chosen, ax=ax, max_labels=MAX_CHART_ROWS
        ),
        (7.0, 5.4),
        dpi,
    )
    return {"progress": progress, "schedule": schedule}


def html_report(
    result: FrameLike,
    *,
    plan: Plan | None = None,
    observations: FrameLike | None = None,
    projections: FrameLike | None = None,
    notes: FrameLike | None = None,
    title: str = "ontrack assessment report",
    path: str | os.PathLike[str],
    method: str | None = None,
    dpi: int = 110,
    indicator: str = "indicator",
    year: str = "year",
    value: str = "value",
) -> Path:
    """Write one self-contained HTML report of an assessment and return its path.

    Parameters
    ----------
    result
        An :func:`ontrack.assess` result (one or several methods).
    plan
        The :class:`ontrack.Plan` assessed: its metadata, groups and the Chinese wording and
        notes of its targets are shown.
    observations
        The observations assessed (with provenance columns such as ``source_title``,
        ``kind``, ``reliability``, ``conflict_note`` when present): listed, and every series
        with at least 3 points gets a fan chart.
    projections
        Projections for the fan charts (:func:`ontrack.project` layout); ``None`` projects
        each long-enough series with the automatic method.
    notes
        Per-target notes of :func:`ontrack.sources.apply_bounds` (``target_id``,
        ``data_note``): "what the data show" for each target.
    title
        Title of the page.
    path
        Where to write the file (parent directories are created).
    method
        The method colouring the schedule chart (default: the first of the result).
    dpi
        Resolution of the embedded charts.
    indicator, year, value
        Column names of the indicator, period and value, as passed to
        :func:`ontrack.assess`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ontrack.MissingColumnError
        When ``result`` has no ``status`` column or ``observations`` lacks a named column.

    A result without ``target_id`` (e.g. only series and statuses) is reported by series.
    """
    names = (
        text(indicator, "indicator"),
        text(year, "year"),
        text(value, "value"),
    )
    frame = to_polars(result, "result")
    if "status" not in frame.columns:
        msg = f"html_report: the result has no column 'status' (columns: {frame.columns})"
        raise MissingColumnError(msg, column="status")
    frame = _with_target_ids(frame, indicator)
    obs = None if observations is None else to_polars(observations, "observations")
    if obs is not None:
        absent = [c for c in names[1:] if c not in obs.columns]
        if absent:
            msg = f"html_report: observations have no column {absent[0]!r} ({obs.columns})"
            raise MissingColumnError(msg, column=absent[0])
    proj = None if projections is None else to_polars(projections, "projections")
    note_frame = None if notes is None else to_polars(notes, "notes")
    charts = _charts(_short_labels(frame), method=method, dpi=dpi)

    from ontrack import __version__

    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
    ]
    if plan is not None:
        parts.append(
            f"<p><b>{_e(plan.meta.get('name_zh'))}</b><br>{_e(plan.meta.get('name_en'))}</p>"
        )
    parts.append(
        f'<p class="muted">ontrack {_e(__version__)}; {frame.height} result rows; methods: '
        + _e(
            ", ".join(frame.get_column("method").unique(maintain_order=True).to_list())
            if "method" in frame.columns
            else "—"
        )
        + "</p>"
    )
    if plan is not None:
        parts.append(_plan_section(plan))
    parts.append(_summary_section(frame))
    if "method" in frame.columns and "target_id" in frame.columns:
        parts.append(_per_target_section(frame, plan, note_frame))
    parts.append("<h2>Progress chart</h2>")
    parts.append(
        '<p class="muted">Targets by methods, each cell coloured by status (UN SDG Progress '
        "Chart colours); the text in a cell is the method's own class.</p>"
    )
    parts.append(_img(charts["progress"], "progress chart"))
    parts.append("<h2>Schedule: 完成进度 against 时间进度</h2>")
    parts.append(
        '<p class="muted">Progress P (share of the distance from the baseline to the target '
        "covered) against time elapsed τ (share of the time from the baseline to the deadline "
        "gone): below the diagonal is behind schedule (时间过半、任务过半). Targets without a "
        "baseline and a later point have neither and are not drawn.</p>"
    )
    parts.append(_img(charts["schedule"], "schedule chart"))
    if obs is not None:
        parts.append(_fan_section(frame, obs, proj, plan, dpi, names))
    parts.append("<h2>Status table</h2>")
    columns = [c for c in _TABLE_COLUMNS if c in frame.columns]
    parts.append(status_table(frame, columns=columns).to_html())
    parts.append(_missing_section(frame, plan, note_frame))
    if obs is not None:
        parts.append(_observations_section(obs, names))
    parts.append("</body></html>")

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out
