"""``ontrack template``: a workbook an office fills in by hand and ``assess`` reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import click
import polars as pl

from ontrack._plan import Plan
from ontrack.cli._errors import BadInputError
from ontrack.cli._inputs import load_plan
from ontrack.cli._options import FILE
from ontrack.cli._read import MISSING_MARKERS
from ontrack.cli._run import Run, run_options
from ontrack.cli._write import write_workbook

TARGET_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "indicator",
    "kind",
    "direction",
    "target_value",
    "target_year",
    "strict",
    "baseline_year",
    "baseline_value",
    "window_start",
    "lower_bound",
    "upper_bound",
    "unit",
    "scale",
    "label",
    "label_zh",
    "group",
    "weight",
    "change_type",
    "unit_column",
    "unit_threshold",
)
OBSERVATION_COLUMNS: Final[tuple[str, ...]] = (
    "indicator",
    "year",
    "value",
    "unit",
    "source",
    "note",
)

_HELP: Final[tuple[tuple[str, str, str], ...]] = (
    ("observations", "indicator", "The indicator, as named in the targets sheet."),
    ("observations", "year", "The year the value is for (2018)."),
    (
        "observations",
        "value",
        "The value, in the unit of the indicator's target. Leave empty, "
        f"or write one of {' '.join(repr(m) for m in MISSING_MARKERS if m)}, when unknown.",
    ),
    ("observations", "unit / source / note", "Free text: kept with the value, not used."),
    ("observations", "(more columns)", "Key columns such as region: pass them with --by."),
    ("targets", "id", "A short unique name of the target (lf-2018-06)."),
    ("targets", "indicator", "The indicator the target is about."),
    ("targets", "kind", "level (default), change, cumulative, share_of_units, direction, binary."),
    ("targets", "direction", "increase or decrease."),
    ("targets", "target_value / target_year", "The number to reach and the deadline."),
    ("targets", "strict", "true for 'more than' (超过), false for 'at least' (达到, 以上)."),
    ("targets", "baseline_year / baseline_value", "Optional: where the target starts from."),
    ("targets", "window_start", "cumulative targets: the first year counted."),
    ("targets", "lower_bound / upper_bound", "Optional natural bounds (0 and 100 for a share)."),
    ("targets", "unit / scale / label / label_zh / group / weight", "Optional descriptions."),
    ("targets", "change_type / unit_column / unit_threshold", "For change and share_of_units."),
    ("", "", "Read back with: ontrack assess --observations THIS_FILE.xlsx [--out report.html]"),
)


def _targets_sheet(plan: Plan | None) -> pl.DataFrame:
    if plan is None:
        return pl.DataFrame(schema=dict.fromkeys(TARGET_COLUMNS, pl.String))
    frame = plan.targets
    present = [c for c in TARGET_COLUMNS if c in frame.columns]
    keep = [
        c
        for c in present
        if c in ("id", "indicator", "direction") or frame[c].null_count() < frame.height
    ]
    return frame.select(keep)


def _observations_sheet(plan: Plan | None, first: int | None, last: int | None) -> pl.DataFrame:
    schema = {"indicator": pl.String, "year": pl.Int64, "value": pl.Float64}
    schema |= {"unit": pl.String, "source": pl.String, "note": pl.String}
    if plan is None:
        return pl.DataFrame(schema=schema)
    targets = plan.targets
    base = plan.meta.get("base_year")
    start = first if first is not None else (base if isinstance(base, int) else None)
    end = last if last is not None else targets.get_column("target_year").max()
    if start is None or not isinstance(end, int):
        msg = "template: the plan has no base year or no deadline; give --years FIRST-LAST"
        raise BadInputError(msg)
    indicators = targets.group_by("indicator", maintain_order=True).agg(
        pl.col("unit").drop_nulls().first()
    )
    rows = [
        {"indicator": row["indicator"], "year": year, "value": None, "unit": row["unit"]}
        for row in indicators.iter_rows(named=True)
        for year in range(start, end + 1)
    ]
    return pl.DataFrame(rows, schema=schema)


def _years(text: str | None) -> tuple[int | None, int | None]:
    if text is None:
        return None, None
    first, sep, last = text.partition("-")
    try:
        return int(first), int(last if sep else first)
    except ValueError:
        msg = f"--years {text!r}: expected FIRST-LAST, e.g. 2016-2020"
        raise BadInputError(msg) from None


@click.command(
    epilog="""
\b
Examples:
  ontrack template --out monitoring.xlsx
  ontrack template --plan plans/langfang_2017.toml --out langfang_monitoring.xlsx
  # fill in the values, then:
  ontrack assess --observations langfang_monitoring.xlsx --out report.html
"""
)
@click.option("--out", "-o", type=FILE, required=True, help="The workbook to write (.xlsx).")
@click.option(
    "--plan", "-p", type=FILE, help="Fill the targets sheet from a plan, and list its indicators."
)
@click.option("--years", metavar="FIRST-LAST", help="Years of the observation rows of a plan.")
@run_options
def template(run: Run, out: Path, plan: Path | None, years: str | None) -> None:
    """Write a fill-in workbook: an observations sheet, a targets sheet and a help sheet.

    With --plan, the targets sheet holds the plan's targets and the observations sheet a row
    per indicator and year with the value left empty. `ontrack assess --observations FILE`
    reads both sheets back.
    """
    if out.suffix.lower() != ".xlsx":
        msg = f"{out}: a template is a workbook; name it *.xlsx"
        raise BadInputError(msg)
    loaded = None if plan is None else load_plan(plan, say=run.say)
    first, last = _years(years)
    sheets = {
        "observations": _observations_sheet(loaded, first, last),
        "targets": _targets_sheet(loaded),
        "help": pl.DataFrame([{"sheet": s, "column": c, "what to write": w} for s, c, w in _HELP]),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(out, sheets)
    run.say(
        f"wrote {out}: {sheets['observations'].height} observation rows to fill, "
        f"{sheets['targets'].height} targets"
    )
