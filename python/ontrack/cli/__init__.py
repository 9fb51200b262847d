"""The ``ontrack`` command: assess, project, compare and check from the shell.

For the people who keep a plan's figures in spreadsheets and for colleagues in R, Stata or
Excel: observations and targets from CSV, Parquet, JSON or Excel files (or a plan file), and
results as a table on the terminal, a CSV, Parquet, JSON or Excel file, or the HTML report.
Every subcommand's ``--help`` has examples.

Built on click rather than typer: click is one small, pure-Python package with no
dependencies of its own and a long record of stable releases, and its explicit decorators
give option groups that several subcommands share (input, column and run options) without
typer's extra layer (rich, shellingham, annotations read at run time). Excel files are read
by polars' ``read_excel`` with the calamine engine (``fastexcel``) and written by
``write_excel`` (``xlsxwriter``).

Exit statuses: 0 success, 2 bad input (a missing file or sheet, a wrong column, an invalid
plan or option; the message names the file, sheet, column, row or target), 1 an internal
error. No traceback is shown unless ``--debug`` is given.
"""

from __future__ import annotations

import click

from ontrack._ontrack import __version__
from ontrack.cli._assess import assess, compare
from ontrack.cli._template import template
from ontrack.cli._tools import check, methods, project

__all__ = ["cli", "main"]


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="""
\b
Examples:
  ontrack assess --plan plans/langfang_2017.toml \\
      --reported data/langfang/langfang_reported_values.csv \\
      --mapping data/langfang/indicator_map.csv --out langfang.xlsx
  ontrack check plans/langfang_2017.toml
  ontrack template --out monitoring.xlsx
  ontrack methods
""",
)
@click.version_option(__version__, "--version", "-V", prog_name="ontrack")
def cli() -> None:
    """Will each indicator reach its target in time, and if not, by how much.

    Exit status 0 on success, 2 on bad input (the message says where), 1 on an internal
    error; --debug on any subcommand shows the traceback.
    """


cli.add_command(assess)
cli.add_command(compare)
cli.add_command(project)
cli.add_command(check)
cli.add_command(methods)
cli.add_command(template)


def main() -> None:
    """Entry point of the ``ontrack`` console script and ``python -m ontrack``."""
    cli(prog_name="ontrack")
