"""Option groups shared by the subcommands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ontrack.cli._inputs import Columns, split_names
from ontrack.cli._read import ReadOptions

F = TypeVar("F", bound=Callable[..., Any])

FILE = click.Path(path_type=Path, dir_okay=False)
"""A file argument; existence is checked by the readers, which name the file in the error."""


def _apply(function: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        function = option(function)
    return function


def table_options(function: F) -> F:
    """Add --encoding, --separator, --decimal-comma, --wide and --where."""
    return _apply(
        function,
        [
            click.option(
                "--encoding",
                metavar="NAME",
                help="Encoding of CSV input (default: from the byte-order mark, else UTF-8, "
                "else GB18030 when the text is Chinese).",
            ),
            click.option(
                "--separator",
                metavar="CHAR",
                help="CSV separator (default: the most frequent of , ; tab | in the header).",
            ),
            click.option(
                "--decimal-comma",
                is_flag=True,
                help="Numbers use a decimal comma (1,5 and 1.234,5).",
            ),
            click.option(
                "--wide",
                is_flag=True,
                help="Observations have a column per year (2015, 2016, ...) instead of "
                "year and value columns.",
            ),
            click.option(
                "--where",
                "where",
                multiple=True,
                metavar="COL=VALUE",
                help="Keep only the observations rows where COL is VALUE (COL= keeps empty "
                "cells); repeat to combine.",
            ),
        ],
    )


def column_options(function: F) -> F:
    """Add --indicator, --year, --value and --by (the column names of the Python API)."""
    return _apply(
        function,
        [
            click.option(
                "--indicator",
                default="indicator",
                show_default=True,
                help="Column naming the indicator.",
            ),
            click.option("--year", default="year", show_default=True, help="Period column."),
            click.option("--value", default="value", show_default=True, help="Value column."),
            click.option(
                "--by",
                multiple=True,
                metavar="COL[,COL]",
                help="Key columns that identify a series besides the indicator (region, sex, ...).",
            ),
        ],
    )


def read_options(
    *,
    encoding: str | None,
    separator: str | None,
    decimal_comma: bool,
    wide: bool,
    where: tuple[str, ...],
    sheet: str | None,
) -> ReadOptions:
    """Make the readers' options from the command line's."""
    if separator is not None:
        separator = {"tab": "\t", "\\t": "\t"}.get(separator, separator)
        if len(separator) != 1:
            msg = f"--separator {separator!r}: expected one character (or 'tab')"
            raise click.BadParameter(msg)
    return ReadOptions(
        encoding=encoding,
        separator=separator,
        decimal_comma=decimal_comma,
        sheet=sheet,
        wide=wide,
        where=tuple(where),
    )


def columns(
    *, indicator: str, year: str, value: str, by: tuple[str, ...], scale: str | None = None
) -> Columns:
    """Make the observations' column names from the command line's."""
    return Columns(
        indicator=indicator, year=year, value=value, by=tuple(split_names(by)), scale=scale
    )
