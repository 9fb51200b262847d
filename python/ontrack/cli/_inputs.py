"""Observations and targets for a command: from table files, a plan file or reported values."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ontrack import sources
from ontrack._plan import Plan, read_plan
from ontrack.cli._errors import BadInputError, with_context
from ontrack.cli._read import (
    ROW,
    TARGET_BOOLS,
    TARGET_FLOATS,
    TARGET_YEARS,
    ReadOptions,
    booleans,
    excel_sheets,
    numbers,
    read_table,
    require_columns,
    unpivot_years,
    years,
)
from ontrack.errors import OntrackError, OptionError, PlanError, TargetError

Say = Callable[[str], None]


@dataclass(frozen=True)
class Columns:
    """Column names of the observations, as in the Python API."""

    indicator: str = "indicator"
    year: str = "year"
    value: str = "value"
    by: tuple[str, ...] = ()
    scale: str | None = None


@dataclass(frozen=True)
class RowPlaces:
    """Where each row of a frame read from a file is in that file, for the engine's errors."""

    rows: pl.Series
    place: str
    row_word: str
    file: str
    sheet: str | None = None

    def locate(self, message: str) -> str:
        """Turn the engine's frame rows (``rows 3 and 4``) into the file's lines or rows."""

        def replace(match: re.Match[str]) -> str:
            numbers = [int(n) for n in match.group(1, 2)]
            if max(numbers) >= self.rows.len():
                return match.group(0)
            first, second = (self.rows[n] for n in numbers)
            return f"{self.row_word}s {first} and {second} of {self.place}"

        return re.sub(r"\brows (\d+) and (\d+)\b", replace, message)

    def locate_targets(self, message: str) -> str:
        """Add the file's line or row to the engine's default target ids (``row 1``)."""

        def replace(match: re.Match[str]) -> str:
            n = int(match.group(1))
            if n >= self.rows.len():
                return match.group(0)
            return f"{match.group(0)} ({self.row_word} {self.rows[n]} of {self.place})"

        return re.sub(r'target "row (\d+)"', replace, message)

    def context(self, error: OntrackError) -> dict[str, object]:
        """Return ``error``'s attributes in this file: ``file``, ``sheet``, and the row.

        The engine's ``row`` (zero-based, of the frame) becomes the file's ``line`` (a CSV line
        or a sheet's row) or ``row`` (the zero-based record of a Parquet or JSON file).
        """
        context: dict[str, object] = {"file": self.file, "sheet": self.sheet}
        if error.row is not None and error.row < self.rows.len():
            shown = int(self.rows[error.row])
            if self.row_word == "row" and self.sheet is None:
                context["row"] = shown - 1
            else:
                context["line"] = shown
        return context


@dataclass(frozen=True)
class Inputs:
    """What an assessment reads: observations, targets and what came with them."""

    observations: pl.DataFrame
    targets: pl.DataFrame
    by: list[str]
    scale: str | None
    plan: Plan | None = None
    notes: pl.DataFrame | None = None
    origin: str = ""
    """Where they came from (``data.csv against targets.csv``), for the engine's errors."""
    places: RowPlaces | None = None
    target_places: RowPlaces | None = None
    """Rows of a targets table without ``id`` column, whose targets the engine calls ``row N``."""
    targets_from: RowPlaces | None = None
    """Rows of a targets table (``None`` for a plan)."""

    def locate(self, message: str) -> str:
        """Name the inputs in an engine error and turn its frame rows into file rows."""
        if self.places is not None:
            message = self.places.locate(message)
        if self.target_places is not None:
            message = self.target_places.locate_targets(message)
        return f"{self.origin}: {message}"

    def error(self, error: OntrackError) -> BadInputError:
        """Make the engine's ``error`` bad input, located, keeping its attributes.

        ``file`` and ``sheet`` name the table the error is about (the targets' or the
        observations'), where it is a table.
        """
        message = self.locate(str(error))
        if isinstance(error, OptionError):
            return with_context(message, error)
        about_targets = isinstance(error, TargetError) or str(error).startswith("targets ")
        source = self.targets_from if about_targets else self.places
        if source is None:
            return with_context(message, error)
        return with_context(message, error, **source.context(error))


def split_names(values: Sequence[str]) -> list[str]:
    """``--by a --by b`` and ``--by a,b`` alike; order kept, duplicates dropped."""
    out: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return out


def load_observations(
    path: Path, options: ReadOptions, columns: Columns, *, say: Say
) -> tuple[pl.DataFrame, RowPlaces]:
    """Read an observations table (long, or wide with ``options.wide``) and type its cells."""
    table = read_table(path, options, default_sheet="observations")
    if options.wide:
        table = unpivot_years(
            table, year=columns.year, value=columns.value, decimal_comma=options.decimal_comma
        )
    needed = [columns.indicator, columns.year, columns.value, *columns.by]
    if columns.scale is not None:
        needed.append(columns.scale)
    require_columns(table, needed, what="the observations")
    typed = [
        years(table, columns.year).alias(columns.year),
        numbers(table, columns.value, decimal_comma=options.decimal_comma).alias(columns.value),
    ]
    if columns.scale is not None:
        typed.append(
            numbers(table, columns.scale, decimal_comma=options.decimal_comma).alias(columns.scale)
        )
    typed_frame = table.frame.with_columns(typed)
    frame = typed_frame.drop(ROW)
    n_series = frame.select([columns.indicator, *columns.by]).n_unique() if frame.height else 0
    say(f"read {frame.height} observations of {n_series} series from {table.place}")
    return frame, RowPlaces(
        typed_frame.get_column(ROW), table.place, table.row_word, table.file, table.sheet
    )


def load_targets(path: Path, options: ReadOptions, *, say: Say) -> tuple[pl.DataFrame, RowPlaces]:
    """Read a targets table (the data contract's columns) and type its cells.

    Also returns where each target is in the file (the engine calls a target of a table
    without ``id`` column ``row N``).
    """
    table = read_table(path, options, default_sheet="targets")
    require_columns(table, ["indicator", "direction"], what="the targets")
    if table.frame.height == 0:
        msg = f"{table.place}: no targets (only a header row)"
        raise table.error(msg)
    present = set(table.frame.columns)
    typed = [
        *(
            numbers(table, c, decimal_comma=options.decimal_comma).alias(c)
            for c in TARGET_FLOATS
            if c in present
        ),
        *(years(table, c).alias(c) for c in TARGET_YEARS if c in present),
        *(booleans(table, c).alias(c) for c in TARGET_BOOLS if c in present),
    ]
    typed_frame = table.frame.with_columns(typed)
    frame = typed_frame.drop(ROW)
    say(f"read {frame.height} targets from {table.place}")
    return frame, RowPlaces(
        typed_frame.get_column(ROW), table.place, table.row_word, table.file, table.sheet
    )


def load_plan(path: Path, *, say: Say) -> Plan:
    """Read and check a plan file; its errors are bad input."""
    if not path.exists():
        msg = f"{path}: no such file"
        raise BadInputError(msg, file=str(path))
    try:
        plan = read_plan(path)
    except PlanError as err:
        raise with_context(str(err), err) from None
    say(f"read plan {plan.meta.get('id', path.name)!s} ({plan.targets.height} targets) from {path}")
    return plan


def workbook_has_targets(path: Path) -> bool:
    """Whether ``path`` is a workbook with a ``targets`` sheet (the template's layout)."""
    if path.suffix.lower() not in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"} or not path.exists():
        return False
    return "targets" in excel_sheets(path)


def reported_observations(
    values: Path, mapping: Path, targets: pl.DataFrame, *, say: Say
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read reported values through a mapping file (:mod:`ontrack.sources`): obs, notes."""
    for path in (values, mapping):
        if not path.exists():
            msg = f"{path}: no such file"
            raise BadInputError(msg, file=str(path))
    try:
        reported = sources.read_reported(values, mapping, include_ignored=True)
    except OntrackError as err:
        msg = f"{values} with mapping {mapping}: {err}"
        raise with_context(msg, err) from None
    except pl.exceptions.PolarsError as err:
        msg = f"{values} with mapping {mapping}: {err}"
        raise BadInputError(msg, file=str(values)) from None
    observations, notes = sources.apply_bounds(reported, targets)
    entered = observations.height
    say(
        f"read {reported.height} reported values from {values} (mapping {mapping}); "
        f"{entered} enter the assessment"
    )
    return observations, notes


def unit_columns(plan: Plan | None, targets: pl.DataFrame) -> list[str]:
    """Find the sub-unit key columns of ``share_of_units`` targets (a plan's or a table's)."""
    if plan is not None:
        return list(plan.unit_columns)
    if "unit_column" not in targets.columns:
        return []
    names = targets.get_column("unit_column").drop_nulls().unique(maintain_order=True)
    return [str(name) for name in names.to_list()]


def with_unit_columns(
    frame: pl.DataFrame, units: list[str], by: list[str]
) -> tuple[pl.DataFrame, list[str]]:
    """Add the sub-unit key columns of ``share_of_units`` targets to ``by``.

    A unit column absent from the observations is added empty: null means "this series is not
    split by sub-unit", which leaves every series whole.
    """
    if not units:
        return frame, by
    frame = sources.ensure_columns(frame, units)
    return frame, [*by, *(c for c in units if c not in by)]
