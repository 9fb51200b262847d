"""``ontrack assess`` and ``ontrack compare``: observations against targets."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import click
import polars as pl

import ontrack
from ontrack import _ontrack, report, sources
from ontrack._api import (
    ALL_METHODS,
    BaselinePolicy,
    MethodParams,
    ProjectionMethod,
    _assess_kwargs,
    _dispatch,
)
from ontrack.cli._errors import BadInputError
from ontrack.cli._inputs import (
    Inputs,
    load_observations,
    load_plan,
    load_targets,
    reported_observations,
    split_names,
    unit_columns,
    with_unit_columns,
    workbook_has_targets,
)
from ontrack.cli._options import FILE, column_options, columns, read_options, table_options
from ontrack.cli._read import ReadOptions
from ontrack.cli._run import Run, run_options
from ontrack.cli._write import by_method, output_kind, status_summary, terminal, write
from ontrack.errors import OntrackError

F = TypeVar("F", bound=Callable[..., Any])

BASELINE_POLICIES: Final[tuple[str, ...]] = ("first_at_or_after", "last_at_or_before", "nearest")
PROJECTIONS: Final[tuple[str, ...]] = (
    "auto",
    "linear",
    "linear_weighted",
    "log_linear",
    "log_linear_weighted",
    "drift",
    "damped_trend",
    "theta",
    "none",
)
TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "target_id",
    "label",
    "method",
    "status",
    "method_status",
    "latest_year",
    "latest_value",
    "target_value",
    "target_year",
    "progress",
    "time_elapsed",
)
COMPARE_COLUMNS: Final[tuple[str, ...]] = (
    "target_id",
    "method",
    "status",
    "method_status",
    "methods_agree",
    "consensus_status",
)

ASSESS_EXAMPLES: Final[str] = """
\b
Examples:
  # the Langfang plan on its reported values, into an HTML report
  ontrack assess --plan plans/langfang_2017.toml \\
      --reported data/langfang/langfang_reported_values.csv \\
      --mapping data/langfang/indicator_map.csv \\
      --method open_sdg,china_plan,unsd_2023 --baseline-policy last_at_or_before \\
      --out langfang.html
  # a targets table and a spreadsheet of observations by region, into Excel
  ontrack assess --targets targets.csv --observations data.xlsx --sheet 2023 \\
      --by region --out result.xlsx
  # a filled-in `ontrack template` workbook (its targets sheet is read too)
  ontrack assess --observations monitoring.xlsx
  # a GB18030 CSV with a column per year, printed on the terminal
  ontrack assess --targets targets.csv --observations data.csv --wide --lang zh
"""

COMPARE_EXAMPLES: Final[str] = """
\b
Examples:
  ontrack compare --plan plans/langfang_2017.toml \\
      --reported data/langfang/langfang_reported_values.csv \\
      --mapping data/langfang/indicator_map.csv --out compare.xlsx
  ontrack compare --targets targets.csv --observations data.csv \\
      --method open_sdg,unsd_2023,eurostat_short_term
"""


def input_sources(function: F) -> F:
    """Add the options naming the targets and observations files."""
    for option in reversed(
        [
            click.option(
                "--plan", "-p", type=FILE, help="Plan file (TOML or JSON) with the targets."
            ),
            click.option(
                "--targets",
                "-t",
                type=FILE,
                help="Targets table (CSV, Parquet, JSON or Excel): indicator, direction, "
                "target_value, target_year, ... as in ontrack.assess.",
            ),
            click.option(
                "--observations",
                "-i",
                type=FILE,
                help="Observations table (CSV, Parquet, JSON or Excel), long or --wide.",
            ),
            click.option(
                "--reported",
                type=FILE,
                help="Reported values (CSV) read through --mapping instead of --observations "
                "(see ontrack.sources.read_reported); their units are applied (--scale scale).",
            ),
            click.option(
                "--mapping",
                type=FILE,
                help="Mapping file of --reported: which plan indicator each reported one is.",
            ),
            click.option(
                "--sheet",
                help="Sheet of an observations workbook (default: 'observations', else the first).",
            ),
            click.option(
                "--targets-sheet",
                help="Sheet of a targets workbook (default: 'targets', else the first).",
            ),
        ]
    ):
        function = option(function)
    return function


def assess_options(function: F) -> F:
    """Add how to assess and where to write (assess and compare)."""
    for option in reversed(
        [
            click.option(
                "--scale",
                metavar="COL",
                help="Observations column with a multiplier to base units (1e8 for 亿元).",
            ),
            click.option(
                "--method",
                "-m",
                "method",
                multiple=True,
                metavar="NAME[,NAME]",
                help="Named method(s); see `ontrack methods`.",
            ),
            click.option(
                "--param",
                "param",
                multiple=True,
                metavar="METHOD.NAME=VALUE",
                help="Override a method's published parameter, e.g. "
                "unsd_2023.cuts=[0.9,0.4] (VALUE is JSON).",
            ),
            click.option(
                "--base-year",
                type=float,
                help="Base year of targets without a baseline_year (default: the first "
                "observation).",
            ),
            click.option(
                "--baseline-policy",
                type=click.Choice(BASELINE_POLICIES),
                default="first_at_or_after",
                show_default=True,
                help="Which observation is the baseline when the base year has none.",
            ),
            click.option(
                "--lang",
                type=click.Choice(["en", "zh"]),
                default="en",
                show_default=True,
                help="Target labels in English or Chinese (where the plan or targets have "
                "label_zh).",
            ),
            click.option(
                "--out",
                "-o",
                type=FILE,
                multiple=True,
                help="Output file: .csv, .parquet, .json, .xlsx (a sheet per method and a "
                "summary) or .html (the report); repeat for several; omitted: a table on "
                "the terminal.",
            ),
            click.option(
                "--bom",
                is_flag=True,
                help="Start a CSV output with a UTF-8 byte-order mark (for Excel).",
            ),
        ]
    ):
        function = option(function)
    return function


def assess_inputs(function: F) -> F:
    """Add the options that say what to assess against what, and how (assess and compare)."""
    return input_sources(table_options(column_options(assess_options(function))))


def method_params(values: Sequence[str]) -> MethodParams | None:
    """``open_sdg.zero_substitute=0.001`` → ``{"open_sdg": {"zero_substitute": 0.001}}``."""
    out: dict[str, dict[str, Any]] = {}
    for text in values:
        key, sep, raw = text.partition("=")
        method, dot, name = key.strip().partition(".")
        if not sep or not dot or not method or not name:
            msg = f"--param {text!r}: expected METHOD.NAME=VALUE, e.g. open_sdg.substantial=0.9"
            raise BadInputError(msg)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw.strip()
        out.setdefault(method, {})[name.strip()] = value
    return out or None


def gather(
    run: Run,
    *,
    plan: Path | None,
    targets: Path | None,
    observations: Path | None,
    reported: Path | None,
    mapping: Path | None,
    options: ReadOptions,
    targets_sheet: str | None,
    names: dict[str, Any],
) -> Inputs:
    """Read targets and observations from whichever options name them."""
    if plan is not None and targets is not None:
        msg = "give the targets once: --plan or --targets, not both"
        raise BadInputError(msg)
    if (observations is None) == (reported is None):
        msg = (
            "give the observations: --observations FILE, or --reported FILE --mapping FILE"
            if observations is None
            else "give the observations once: --observations or --reported, not both"
        )
        raise BadInputError(msg)
    if (reported is None) != (mapping is None):
        msg = "--reported and --mapping go together"
        raise BadInputError(msg)
    table_plan = None if plan is None else load_plan(plan, say=run.say)
    target_places, targets_from = None, None
    if table_plan is not None:
        target_frame = table_plan.targets
    else:
        if targets is None and observations is not None and workbook_has_targets(observations):
            targets = observations
        if targets is None:
            msg = "give the targets: --plan PLAN.toml or --targets FILE"
            raise BadInputError(msg)
        target_options = ReadOptions(
            encoding=options.encoding,
            separator=options.separator,
            decimal_comma=options.decimal_comma,
            sheet=targets_sheet,
        )
        target_frame, in_file = load_targets(targets, target_options, say=run.say)
        target_places = None if "id" in target_frame.columns else in_file
        targets_from = in_file
    notes, places = None, None
    scale = names.get("scale")
    if reported is not None and mapping is not None:
        frame, notes = reported_observations(reported, mapping, target_frame, say=run.say)
        scale = scale or "scale"
        by = split_names(names["by"])
    else:
        assert observations is not None
        cols = columns(**{**names, "scale": scale})
        frame, places = load_observations(observations, options, cols, say=run.say)
        by = list(cols.by)
    indicator = names["indicator"] if reported is None else "indicator"
    if indicator not in target_frame.columns and "indicator" in target_frame.columns:
        # --indicator names the observations' column; targets keep the contract's name.
        target_frame = target_frame.rename({"indicator": indicator})
    frame, by = with_unit_columns(frame, unit_columns(table_plan, target_frame), by)
    return Inputs(
        observations=frame,
        targets=target_frame,
        by=by,
        scale=scale,
        plan=table_plan,
        notes=notes,
        origin=f"{observations or reported} against {plan or targets}",
        places=places,
        target_places=target_places,
        targets_from=targets_from,
    )


def relabel(result: pl.DataFrame, inputs: Inputs, lang: str, run: Run) -> pl.DataFrame:
    """Target labels in the language asked for, where the targets have them."""
    if lang != "zh" or "target_id" not in result.columns:
        return result
    if "label_zh" not in inputs.targets.columns or "id" not in inputs.targets.columns:
        run.say("--lang zh: the targets have no label_zh column; labels are kept as they are")
        return result
    zh = inputs.targets.select(
        pl.col("id").cast(pl.String).alias("target_id"), pl.col("label_zh").alias("_zh")
    ).unique("target_id", keep="first")
    joined = result.join(zh, on="target_id", how="left", maintain_order="left")
    label = pl.coalesce("_zh", "label") if "label" in result.columns else pl.col("_zh")
    return joined.with_columns(label.alias("label")).drop("_zh")


def emit(
    run: Run,
    result: pl.DataFrame,
    inputs: Inputs,
    *,
    out: Sequence[Path],
    bom: bool,
    title: str,
    table_columns: Sequence[str],
) -> None:
    """Write the result to each file of ``out`` by its extension, or print it."""
    if not out:
        # the period column plays no part in the keys of an assessment
        key_columns = _ontrack.series_keys("assess", result.columns, year="year")
        click.echo(terminal(result, [*key_columns, *table_columns]))
        return
    methods = result.get_column("method").unique(maintain_order=True).to_list()

    def html(path: Path) -> object:
        run.say(f"drawing the report's charts ({result.height} rows)")
        return report.html_report(
            result,
            plan=inputs.plan,
            observations=inputs.observations,
            notes=inputs.notes,
            title=title,
            path=path,
            method="china_plan" if "china_plan" in methods else None,
        )

    for path in out:
        write(
            result,
            path,
            sheets=lambda frame: by_method(frame, status_summary(frame)),
            html=html,
            bom=bom,
        )
        run.say(f"wrote {path} ({result.height} rows)")


def _common(kwargs: dict[str, Any]) -> tuple[ReadOptions, dict[str, Any]]:
    options = read_options(
        encoding=kwargs.pop("encoding"),
        separator=kwargs.pop("separator"),
        decimal_comma=kwargs.pop("decimal_comma"),
        wide=kwargs.pop("wide"),
        where=kwargs.pop("where"),
        sheet=kwargs.pop("sheet"),
    )
    names = {k: kwargs.pop(k) for k in ("indicator", "year", "value", "by", "scale")}
    return options, names


@click.command(epilog=ASSESS_EXAMPLES)
@assess_inputs
@click.option("--as-of", type=float, help="Ignore observations after this year.")
@click.option(
    "--projection",
    type=click.Choice(PROJECTIONS),
    default="auto",
    show_default=True,
    help="Projection behind projected_value, probability and the probabilistic status.",
)
@click.option("--log-scale", is_flag=True, help="Project on the log scale (multiplicative growth).")
@click.option("--title", default="ontrack assessment report", help="Title of an HTML report.")
@run_options
def assess(run: Run, **kwargs: Any) -> None:
    """Assess observations against targets (a plan file or a targets table)."""
    options, names = _common(kwargs)
    out: tuple[Path, ...] = kwargs["out"]
    for path in out:
        output_kind(path, html=True)
    inputs = gather(
        run,
        plan=kwargs["plan"],
        targets=kwargs["targets"],
        observations=kwargs["observations"],
        reported=kwargs["reported"],
        mapping=kwargs["mapping"],
        options=options,
        targets_sheet=kwargs["targets_sheet"],
        names=names,
    )
    chosen = split_names(kwargs["method"]) or ["open_sdg"]
    projection = None if kwargs["projection"] == "none" else kwargs["projection"]
    run.say(
        f"assessing {inputs.targets.height} targets by {', '.join(chosen)}"
        + (f" with {projection} projections" if projection else "")
    )
    try:
        result = ontrack.assess(
            inputs.observations,
            inputs.targets,
            method=chosen,
            by=inputs.by,
            indicator=names["indicator"] if inputs.notes is None else "indicator",
            year=names["year"] if inputs.notes is None else "year",
            value=names["value"] if inputs.notes is None else "value",
            base_year=kwargs["base_year"],
            baseline_policy=cast(BaselinePolicy, kwargs["baseline_policy"]),
            as_of=kwargs["as_of"],
            scale=inputs.scale,
            projection=cast(ProjectionMethod | None, projection),
            method_params=method_params(kwargs["param"]),
            log_scale=kwargs["log_scale"],
            progress=run.progress,
        )
    except OntrackError as err:
        raise inputs.error(err) from err
    if inputs.notes is not None:
        result = sources.annotate(result, inputs.notes)
    result = relabel(result, inputs, kwargs["lang"], run)
    emit(
        run,
        result,
        inputs,
        out=out,
        bom=kwargs["bom"],
        title=kwargs["title"],
        table_columns=TABLE_COLUMNS,
    )


@click.command(epilog=COMPARE_EXAMPLES)
@assess_inputs
@click.option("--title", default="ontrack: methods compared", help="Title of an HTML report.")
@run_options
def compare(run: Run, **kwargs: Any) -> None:
    """Assess by several named methods side by side and mark where they disagree.

    Without --method, every method that needs no extra inputs is used.
    """
    options, names = _common(kwargs)
    out: tuple[Path, ...] = kwargs["out"]
    for path in out:
        output_kind(path, html=True)
    inputs = gather(
        run,
        plan=kwargs["plan"],
        targets=kwargs["targets"],
        observations=kwargs["observations"],
        reported=kwargs["reported"],
        mapping=kwargs["mapping"],
        options=options,
        targets_sheet=kwargs["targets_sheet"],
        names=names,
    )
    chosen = split_names(kwargs["method"]) or list(ALL_METHODS)
    run.say(f"comparing {len(chosen)} methods on {inputs.targets.height} targets")
    # ontrack.compare_methods with the observations' units (`scale`), which it does not take.
    try:
        result = _dispatch(
            "compare",
            inputs.observations,
            inputs.targets,
            _assess_kwargs(
                method=chosen,
                by=inputs.by,
                indicator=names["indicator"] if inputs.notes is None else "indicator",
                year=names["year"] if inputs.notes is None else "year",
                value=names["value"] if inputs.notes is None else "value",
                base_year=kwargs["base_year"],
                baseline_policy=cast(BaselinePolicy, kwargs["baseline_policy"]),
                scale=inputs.scale,
                method_params=method_params(kwargs["param"]),
            ),
            None,
            run.progress,
        )
    except OntrackError as err:
        raise inputs.error(err) from err
    if inputs.notes is not None:
        result = sources.annotate(result, inputs.notes)
    result = relabel(result, inputs, kwargs["lang"], run)
    emit(
        run,
        result,
        inputs,
        out=out,
        bom=kwargs["bom"],
        title=kwargs["title"],
        table_columns=COMPARE_COLUMNS,
    )
