"""What every subcommand shares: --quiet, --debug, --threads and the error policy."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import click

import ontrack
from ontrack.cli._errors import EXIT_INTERNAL, Refused
from ontrack.errors import OntrackError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Run:
    """Options of one run: progress messages go to stderr unless ``quiet``."""

    quiet: bool = False
    debug: bool = False

    @property
    def progress(self) -> bool | None:
        """The library's ``progress=``: its bar on stderr for long calls, none when quiet."""
        return False if self.quiet else None

    def say(self, message: str) -> None:
        """Print a stage message on stderr (``ontrack: ...``)."""
        if not self.quiet:
            click.echo(f"ontrack: {message}", err=True)


def set_threads(n: int | None) -> None:
    """Compute on ``n`` threads (``ontrack.set_threads``); ``None`` keeps the default."""
    if n is not None:
        ontrack.set_threads(n)


def run_options(function: F) -> F:
    """Add --quiet, --debug and --threads, and turn errors into exit statuses.

    Bad input (:class:`~ontrack.cli._errors.BadInputError`, any :class:`ontrack.OntrackError`)
    exits with status 2 and a one-line message (click's :class:`Refused`, whose ``__cause__``
    is the error with its attributes); anything else is an internal error, status 1, with a
    hint to rerun with ``--debug``, which shows the traceback.
    """

    @click.option(
        "--threads",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Compute on N threads (default: every core, or POLARS_MAX_THREADS).",
    )
    @click.option("--debug", is_flag=True, help="Show the Python traceback of any error.")
    @click.option("--quiet", "-q", is_flag=True, help="No progress messages on stderr.")
    @functools.wraps(function)
    def wrapper(*args: Any, quiet: bool, debug: bool, threads: int | None, **kwargs: Any) -> Any:
        run = Run(quiet=quiet, debug=debug)
        try:
            set_threads(threads)
            return function(run, *args, **kwargs)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException:
            if debug:
                traceback.print_exc()
            raise
        except OntrackError as err:
            if debug:
                traceback.print_exc()
            raise Refused(str(err)) from err
        except Exception as err:
            if debug:
                raise
            click.echo(
                f"ontrack: internal error: {type(err).__name__}: {err}\n"
                "This is a bug or an unexpected input; rerun with --debug for the traceback "
                "and report it.",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]
