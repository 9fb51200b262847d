"""Exit statuses and the one error type of the command line."""

from __future__ import annotations

from typing import Final

import click

EXIT_OK: Final[int] = 0
EXIT_INTERNAL: Final[int] = 1
EXIT_BAD_INPUT: Final[int] = 2


class BadInput(click.ClickException):
    """A user mistake (file, sheet, column, row, target, option): exit status 2, no traceback.

    The message names where the problem is, e.g. ``data.csv: column 'value', line 7: 'n/a' is
    not a number``.
    """

    exit_code = EXIT_BAD_INPUT


def where(label: str, sheet: str | None = None) -> str:
    """``file`` or ``file, sheet 'name'``: the place a message names."""
    return label if sheet is None else f"{label}, sheet {sheet!r}"
