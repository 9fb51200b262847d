"""Notebook display of assessment results: a status table that renders as HTML in Jupyter.

The palette (:data:`STATUS_COLORS`) is the one :mod:`ontrack.plot` uses, modelled on the
UN SDG Progress Chart: greens for achieved and on track, yellow-orange for needs
acceleration, red-orange for off track, red for regressing and grey for insufficient data.
This module needs neither matplotlib nor pandas.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from ontrack import _ontrack
from ontrack._frames import FrameLike, to_polars
from ontrack.errors import MissingColumnError

__all__ = [
    "MAX_ROWS",
    "STATUSES",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "STATUS_TEXT_COLORS",
    "StatusTable",
    "status_table",
]

STATUSES: Final[tuple[str, ...]] = tuple(_ontrack.statuses())
"""The unified status vocabulary of :func:`ontrack.assess`, best first (from the Rust core,
``ontrack_kernels::Status::ALL``)."""

STATUS_COLORS: Final[Mapping[str, str]] = {
    "achieved": "#00683A",
    "on_track": "#2E9D4B",
    "needs_acceleration": "#F6A821",
    "off_track": "#EE6A2C",
    "regressing": "#C8102E",
    "insufficient_data": "#B5B5B5",
}
"""Fill colour of each status (hex RGB), after the UN SDG Progress Chart."""

STATUS_TEXT_COLORS: Final[Mapping[str, str]] = {
    "achieved": "#FFFFFF",
    "on_track": "#FFFFFF",
    "needs_acceleration": "#1A1A1A",
    "off_track": "#1A1A1A",
    "regressing": "#FFFFFF",
    "insufficient_data": "#1A1A1A",
}
"""Readable text colour on each status fill."""

STATUS_LABELS: Final[Mapping[str, str]] = {
    "achieved": "Achieved",
    "on_track": "On track",
    "needs_acceleration": "Needs acceleration",
    "off_track": "Off track",
    "regressing": "Regressing",
    "insufficient_data": "Insufficient data",
}
"""Display label of each status."""

UNKNOWN_STATUS_COLOR: Final[str] = "#FFFFFF"
"""Fill for a status outside the vocabulary (or null)."""

_HEADERS: Final[Mapping[str, str]] = {
    "indicator": "Indicator",
    "target_id": "Target",
    "label": "Target",
    "method": "Method",
    "status": "Status",
    "method_status": "Method's class",
    "score": "Score",
    "method_ratio": "Method ratio",
    "baseline_year": "Baseline year",
    "baseline_value": "Baseline",
    "latest_year": "Latest year",
    "latest_value": "Latest",
    "target_year": "Deadline",
    "target_value": "Target value",
    "progress": "Progress P (完成进度)",
    "completion_rate": "Completion rate (完成率)",
    "time_elapsed": "Time elapsed τ (时间进度)",
    "schedule_gap": "P - τ (schedule gap)",
    "gap": "Gap",
    "relative_gap": "Relative gap",
    "achieved_growth": "Achieved growth / yr",
    "required_growth": "Required growth / yr",
    "needed_growth": "Still-needed growth / yr",
    "achieved_change": "Achieved change / yr",
    "required_change": "Required change / yr",
    "needed_change": "Still-needed change / yr",
    "n_points": "Points",
    "n_missing": "Missing",
    "reason": "Reason",
}

_PERCENT_COLUMNS: Final[frozenset[str]] = frozenset(
    {
        "progress",
        "completion_rate",
        "time_elapsed",
        "schedule_gap",
        "relative_gap",
        "achieved_growth",
        "required_growth",
        "needed_growth",
    }
)

_DEFAULT_COLUMNS: Final[tuple[str, ...]] = (
    "method",
    "status",
    "method_status",
    "latest_year",
    "latest_value",
    "target_value",
    "target_year",
    "progress",
    "time_elapsed",
    "reason",
)

_MISSING: Final[str] = "—"

MAX_ROWS: Final[int] = 500
"""Rows a status table renders by default; the rest are counted in a note."""


def _key_columns(frame: pl.DataFrame) -> list[str]:
    """Series keys of an assess result: the columns before ``target_id``."""
    if "target_id" not in frame.columns:
        return []
    return _ontrack.series_keys("assess", frame.columns, year="year")


def _default_columns(frame: pl.DataFrame) -> list[str]:
    columns = _key_columns(frame)
    if "label" in frame.columns and frame.get_column("label").null_count() < frame.height:
        columns.append("label")
    elif "target_id" in frame.columns:
        columns.append("target_id")
    columns.extend(c for c in _DEFAULT_COLUMNS if c in frame.columns)
    return columns


def _header(column: str) -> str:
    return _HEADERS.get(column, column.replace("_", " ").capitalize())


def _format(column: str, value: object) -> str:
    """One cell as text: percentages for rates and shares, four significant digits else."""
    if value is None:
        return _MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return _MISSING
        if column in _PERCENT_COLUMNS:
            return f"{100.0 * value:.1f}%"
        return f"{value:,.4g}"
    if column in {"status"} and isinstance(value, str):
        return STATUS_LABELS.get(value, value)
    if column in {"method", "method_status"} and isinstance(value, str):
        return value.replace("_", " ")
    return str(value)


class StatusTable:
    """An assessment result shown as an HTML table with a coloured status cell per row.

    Jupyter renders it through :meth:`_repr_html_`; :meth:`to_html` gives the same markup
    for reports. Every value is HTML-escaped.

    Parameters
    ----------
    frame
        The rows to show (typically an :func:`ontrack.assess` result); polars, lazy polars
        or pandas.
    columns
        Columns to show, in order; ``None`` picks the series keys, the target label (or id),
        the method, the status, the method's class, the latest and target points, progress,
        time elapsed and the reason, where present.
    title
        Optional caption.
    max_rows
        Render at most this many rows (the first), with a note under the table giving the
        number of rows left out and the count of every status over all rows, so that a result
        of thousands of series stays a page, not megabytes of HTML. ``None`` renders every
        row. :attr:`frame` always holds every row.
    """

    def __init__(
        self,
        frame: FrameLike,
        *,
        columns: Sequence[str] | None = None,
        title: str | None = None,
        max_rows: int | None = MAX_ROWS,
    ) -> None:
        frame = to_polars(frame, "status_table")
        chosen = _default_columns(frame) if columns is None else list(columns)
        missing = [c for c in chosen if c not in frame.columns]
        if missing:
            msg = f"status_table: no column(s) {missing} in the frame; it has {frame.columns}"
            raise MissingColumnError(msg, column=missing[0])
        self._frame = frame
        self._columns = chosen
        self._title = title
        self._max_rows = None if max_rows is None else max(int(max_rows), 0)

    @property
    def frame(self) -> pl.DataFrame:
        """The full frame behind the table."""
        return self._frame

    @property
    def columns(self) -> list[str]:
        """The columns shown, in order."""
        return list(self._columns)

    def __len__(self) -> int:
        return self._frame.height

    def __repr__(self) -> str:
        return repr(self._frame.select(self._columns))

    def to_html(self) -> str:
        """Render the table as a self-contained HTML fragment (inline styles, escaped values).

        Returns
        -------
        str
            A ``<table>`` element with one ``<tr>`` per row of the frame (at most
            ``max_rows``, then a footer saying how many rows are not shown).

        Examples
        --------
        >>> import polars as pl
        >>> from ontrack.display import StatusTable
        >>> t = StatusTable(pl.DataFrame({"target_id": ["<a>"], "status": ["on_track"]}))
        >>> "&lt;a&gt;" in t.to_html() and "#2E9D4B" in t.to_html()
        True
        """
        cell = "padding:3px 8px;border-bottom:1px solid #ddd;"
        parts = ['<table class="ontrack-status-table" style="border-collapse:collapse;">']
        if self._title is not None:
            parts.append(
                '<caption style="caption-side:top;text-align:left;font-weight:bold;">'
                f"{html.escape(self._title)}</caption>"
            )
        parts.append("<thead><tr>")
        parts.extend(
            f'<th style="{cell}text-align:left;border-bottom:2px solid #888;" '
            f'title="{html.escape(c)}">{html.escape(_header(c))}</th>'
            for c in self._columns
        )
        parts.append("</tr></thead><tbody>")
        shown = self._frame if self._max_rows is None else self._frame.head(self._max_rows)
        for row in shown.select(self._columns).iter_rows(named=True):
            parts.append("<tr>")
            for column in self._columns:
                value = row[column]
                text = html.escape(_format(column, value))
                if column == "status":
                    status = value if isinstance(value, str) else ""
                    fill = STATUS_COLORS.get(status, UNKNOWN_STATUS_COLOR)
                    ink = STATUS_TEXT_COLORS.get(status, "#1A1A1A")
                    style = f"{cell}background:{fill};color:{ink};font-weight:bold;"
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    style = f"{cell}text-align:right;"
                else:
                    style = cell
                parts.append(f'<td style="{style}">{text}</td>')
            parts.append("</tr>")
        parts.append("</tbody>")
        if shown.height < self._frame.height:
            parts.append(self._footer(shown.height, cell))
        parts.append("</table>")
        return "".join(parts)

    def _footer(self, shown: int, cell: str) -> str:
        """Return the note on the rows left out, with the count of each status over all rows."""
        note = (
            f"Showing the first {shown:,} of {self._frame.height:,} rows; the full result is "
            "in <code>.frame</code> (or pass <code>max_rows=None</code>)."
        )
        if "status" in self._frame.columns:
            counts = self._frame.get_column("status").value_counts(sort=True)
            note += " All rows by status: " + ", ".join(
                f"{html.escape(_format('status', s))} {n:,}" for s, n in counts.iter_rows()
            )
        return (
            f'<tfoot><tr><td colspan="{len(self._columns)}" style="{cell}font-style:italic;">'
            f"{note}</td></tr></tfoot>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def status_table(
    result: FrameLike,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    max_rows: int | None = MAX_ROWS,
) -> StatusTable:
    """Show an assessment result as a table with coloured status cells (Jupyter, HTML).

    Parameters
    ----------
    result
        An :func:`ontrack.assess` result, or any frame with a ``status`` column.
    columns
        Columns to show, in order; ``None`` picks a readable default (see
        :class:`StatusTable`).
    title
        Optional caption.
    max_rows
        Render at most this many rows, with a note on the rest (see :class:`StatusTable`).

    Returns
    -------
    StatusTable
        Displays itself in Jupyter; ``to_html()`` gives the markup.

    Raises
    ------
    ontrack.MissingColumnError
        When a requested column is not in ``result`` (``column`` names it).
    ontrack.ArgumentTypeError
        When ``result`` is not a polars (lazy) or pandas DataFrame.

    Examples
    --------
    >>> import polars as pl, ontrack
    >>> from ontrack.display import status_table
    >>> obs = pl.DataFrame({"indicator": "u5mr", "year": [2015, 2021], "value": [10.0, 8.0]})
    >>> targets = pl.DataFrame({"indicator": ["u5mr"], "direction": ["decrease"],
    ...                         "target_value": [5.0], "target_year": [2030]})
    >>> table = status_table(ontrack.assess(obs, targets))
    >>> table.columns[:4]
    ['indicator', 'target_id', 'method', 'status']
    >>> "Needs acceleration" in table.to_html()
    True
    """
    return StatusTable(result, columns=columns, title=title, max_rows=max_rows)
