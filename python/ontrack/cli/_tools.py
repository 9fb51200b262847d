"""``ontrack project``, ``ontrack check`` and ``ontrack methods``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final, cast

import click
import polars as pl

import ontrack
from ontrack import _ontrack
from ontrack._api import ProjectionMethod
from ontrack.cli._errors import BadInputError, with_context
from ontrack.cli._inputs import load_observations, split_names
from ontrack.cli._options import FILE, column_options, columns, read_options, table_options
from ontrack.cli._run import Run, run_options
from ontrack.cli._write import by_method, output_kind, terminal, write
from ontrack.errors import OntrackError

PROJECT_EXAMPLES: Final[str] = """
\b
Examples:
  ontrack project data.csv --until 2030 --out projections.xlsx
  # an Open SDG file as published: its headline is the rows with an empty breakdown
  ontrack project data/uk_ons_sdg/indicator_7-2-1.csv --indicator Series --year Year \\
      --value Value --where "Renewable and waste source=" --until 2030 --method linear,drift
  ontrack project shares.parquet --until 2030 --lower-bound 0 --upper-bound 100
"""

CHECK_EXAMPLES: Final[str] = """
\b
Examples:
  ontrack check plans/langfang_2017.toml
  ontrack check plans/*.toml          # in a pre-commit hook or CI: exit status 2 if invalid
"""

METHODS_EXAMPLES: Final[str] = """
\b
Examples:
  ontrack methods
  ontrack methods --out methods.csv
"""

DESCRIPTIONS: Final[dict[str, str]] = {
    "open_sdg": "Open SDG / Statistics Canada: achieved over required growth, 5 classes",
    "unsd_2022": "UN Statistics Division SDG Progress Chart, 2017-2022 edition",
    "unsd_2022_aarr": "UNSD 2017-2022 edition, as annual average rates of reduction",
    "unsd_2023": "UN Statistics Division SDG Progress Chart, 2023 edition (3 classes)",
    "eurostat_long_term": "Eurostat EU SDG monitoring report, long-term (15-year) window",
    "eurostat_short_term": "Eurostat EU SDG monitoring report, short-term (5-year) window",
    "escap": "UN ESCAP Asia-Pacific SDG progress report: anticipated progress",
    "sdsn": "SDSN Sustainable Development Report trend arrows (needs bounds)",
    "destatis_absolute": "Destatis sustainability indicator weather symbols, absolute",
    "destatis_relative": "Destatis sustainability indicator weather symbols, relative",
    "who_aroc": "WHO annual rate of change against a scenario (needs a scenario)",
    "china_plan": "Chinese plan monitoring: 完成进度 against 时间进度",
}
"""One line per method for `ontrack methods`; the parameters come from the engine."""


@click.command(epilog=PROJECT_EXAMPLES)
@click.argument("observations", type=FILE)
@click.option("--until", type=float, help="Project every whole year up to this year (2030).")
@click.option(
    "--horizon", type=click.IntRange(min=1), help="Or this many years past each series' end."
)
@click.option(
    "--method",
    "-m",
    "method",
    multiple=True,
    metavar="NAME[,NAME]",
    help="linear, linear_weighted, log_linear, log_linear_weighted, drift, damped_trend, "
    "theta or auto (default).",
)
@click.option(
    "--level",
    "level",
    multiple=True,
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    help="Interval level(s) (default 0.8 and 0.95).",
)
@click.option("--lower-bound", type=float, help="Natural lower bound of the values (e.g. 0).")
@click.option("--upper-bound", type=float, help="Natural upper bound (e.g. 100 for a share).")
@click.option("--as-of", type=float, help="Ignore observations after this year.")
@click.option("--log-scale", is_flag=True, help="Fit on the log scale (multiplicative growth).")
@click.option("--sheet", help="Sheet of a workbook (default: 'observations', else the first).")
@table_options
@column_options
@click.option(
    "--out",
    "-o",
    type=FILE,
    multiple=True,
    help="Output file: .csv, .parquet, .json or .xlsx (a sheet per method); repeat for "
    "several; omitted: a table on the terminal.",
)
@click.option("--bom", is_flag=True, help="Start a CSV output with a UTF-8 byte-order mark.")
@run_options
def project(run: Run, observations: Path, **kwargs: Any) -> None:
    """Project every series forward with prediction intervals."""
    out: tuple[Path, ...] = kwargs["out"]
    for path in out:
        output_kind(path, html=False)
    options = read_options(
        encoding=kwargs["encoding"],
        separator=kwargs["separator"],
        decimal_comma=kwargs["decimal_comma"],
        wide=kwargs["wide"],
        where=kwargs["where"],
        sheet=kwargs["sheet"],
    )
    cols = columns(
        indicator=kwargs["indicator"], year=kwargs["year"], value=kwargs["value"], by=kwargs["by"]
    )
    frame, places = load_observations(observations, options, cols, say=run.say)
    chosen = split_names(kwargs["method"]) or ["auto"]
    run.say(f"projecting by {', '.join(chosen)}")
    try:
        result = ontrack.project(
            frame,
            method=cast(list[ProjectionMethod], chosen),
            until=kwargs["until"],
            horizon=kwargs["horizon"],
            levels=kwargs["level"] or ontrack.defaults("project")["levels"],
            by=list(cols.by),
            indicator=cols.indicator,
            year=cols.year,
            value=cols.value,
            lower_bound=kwargs["lower_bound"],
            upper_bound=kwargs["upper_bound"],
            as_of=kwargs["as_of"],
            log_scale=kwargs["log_scale"],
            progress=run.progress,
        )
    except OntrackError as err:
        message = f"{observations}: {places.locate(str(err))}"
        raise with_context(message, err, **places.context(err)) from err
    keys = [cols.indicator, *cols.by]
    if not out:
        shown = [*keys, cols.year, "method", "method_used", "point"]
        shown += [c for c in result.columns if _ontrack.interval_level(c) is not None]
        click.echo(terminal(result, shown))
        return
    for path in out:
        write(
            result,
            path,
            sheets=lambda r: by_method(r, _projection_summary(r, keys, cols.year)),
            bom=kwargs["bom"],
        )
        run.say(f"wrote {path} ({result.height} rows)")


def _projection_summary(result: pl.DataFrame, keys: list[str], year: str) -> pl.DataFrame:
    present = [k for k in keys if k in result.columns]
    return (
        result.group_by("method", maintain_order=True)
        .agg(
            pl.struct(present).n_unique().alias("series"),
            pl.len().alias("rows"),
            pl.col(year).min().alias("first_year"),
            pl.col(year).max().alias("last_year"),
        )
        .sort("method", maintain_order=True)
    )


@click.command(epilog=CHECK_EXAMPLES)
@click.argument("plans", nargs=-1, required=True, type=FILE)
@run_options
def check(run: Run, plans: tuple[Path, ...]) -> None:
    """Check plan files and list every error as file:line:col: target "id": field "x": ...

    Exit status 0 when every plan is valid, 2 when any is not.
    """
    n_errors = 0
    for path in plans:
        errors = _ontrack.check_plan(str(path))
        for error in errors:
            click.echo(error)
        n_errors += len(errors)
        if not errors:
            plan = ontrack.read_plan(path)
            run.say(f"{path}: valid, {plan.targets.height} targets")
    if n_errors:
        msg = f"{n_errors} error{'s' if n_errors != 1 else ''} in {len(plans)} plan file(s)"
        raise BadInputError(msg)


def methods_frame() -> pl.DataFrame:
    """Every named method with its published parameters (from the engine)."""
    rows = []
    for name, params in _ontrack.method_parameters():
        values: dict[str, object] = json.loads(params)
        rows.append(
            {
                "method": name,
                "description": DESCRIPTIONS.get(name, ""),
                "parameters": ", ".join(f"{k}={json.dumps(v)}" for k, v in values.items()),
            }
        )
    return pl.DataFrame(
        rows, schema={"method": pl.String, "description": pl.String, "parameters": pl.String}
    )


@click.command(epilog=METHODS_EXAMPLES)
@click.option("--out", "-o", type=FILE, help="Write the list to .csv, .parquet, .json or .xlsx.")
@run_options
def methods(run: Run, out: Path | None) -> None:
    """List the named methods with their published thresholds and parameters.

    Any parameter can be overridden with --param METHOD.NAME=VALUE in assess and compare.
    """
    frame = methods_frame()
    if out is None:
        with pl.Config(fmt_str_lengths=400, tbl_formatting="NOTHING"):
            for row in frame.iter_rows(named=True):
                click.echo(f"{row['method']}\n    {row['description']}\n    {row['parameters']}")
        return
    write(frame, out)
    run.say(f"wrote {out} ({frame.height} methods)")
