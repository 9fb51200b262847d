"""Exit statuses and the errors of the command line."""

from __future__ import annotations

from typing import Final

import click

from ontrack.errors import OntrackError

EXIT_OK: Final[int] = 0
EXIT_INTERNAL: Final[int] = 1
EXIT_BAD_INPUT: Final[int] = 2


class BadInputError(OntrackError):
    """A user mistake (file, sheet, column, row, target, option): exit status 2, no traceback.

    The message names where the problem is, e.g. ``data.csv: column 'value', line 7: 'n/a' is
    not a number``; the attributes of :class:`ontrack.OntrackError` say it for programs:
    ``file``, ``sheet`` (the sheet of a workbook), ``column``, ``line`` (the line of a CSV
    file or the row of a sheet, counted as the file shows it, header included), ``row`` (the
    zero-based record of a Parquet or JSON file), ``option``, and those of an engine error.
    """


class Refused(click.ClickException):
    """What click shows for bad input: the message, exit status 2; ``__cause__`` is the error."""

    exit_code = EXIT_BAD_INPUT


def where(label: str, sheet: str | None = None) -> str:
    """``file`` or ``file, sheet 'name'``: the place a message names."""
    return label if sheet is None else f"{label}, sheet {sheet!r}"


def with_context(message: str, error: OntrackError, **context: object) -> BadInputError:
    """Make a :class:`BadInputError` with ``error``'s attributes, overridden by ``context``."""
    return BadInputError(message, **{**error.context(), **context})
