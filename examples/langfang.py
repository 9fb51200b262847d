"""The main job: assess the 2017 Langfang innovation-reform plan on the values reported for it.

Reads the plan (`plans/langfang_2017.toml`), turns the reported values of `data/langfang/` into
observations with `ontrack.sources` (mapping file, conflict rule, lower-bound rule), assesses
every target by three named methods, prints the table and writes an HTML report with the charts
to `reports/langfang.html`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import ontrack
from ontrack import report, sources

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "langfang_2017.toml"
DATA = ROOT / "data" / "langfang"
OUT = ROOT / "reports" / "langfang.html"
METHODS = ["open_sdg", "china_plan", "unsd_2023"]


def assess_langfang() -> tuple[ontrack.Plan, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Return the plan, the assessed observations, the annotated result and the data notes."""
    plan = ontrack.read_plan(PLAN)
    reported = sources.langfang_observations(DATA, include_ignored=True)
    observations, notes = sources.apply_bounds(reported, plan.targets)
    # The plan's share_of_units targets count sub-units by key columns (cluster, enterprise,
    # quarter, county, development_zone): assess() validates them only when they are passed in
    # `by=`, and it requires every `by` column to exist in the observations. No Langfang value
    # is per sub-unit, so the columns are added as all-null strings: null = "this series is not
    # split by sub-unit", which leaves each series whole.
    observations = sources.ensure_columns(observations, plan.unit_columns)
    result = ontrack.assess(
        observations,
        plan.targets,
        method=METHODS,
        by=plan.unit_columns,
        scale="scale",
        # The plan's base year 2016 has no value; the last value at or before it is the state
        # the drafters could see (here 2012, a derived low-reliability point). Every result row
        # states the baseline picked in `reason`.
        baseline_policy="last_at_or_before",
    )
    return plan, observations, sources.annotate(result, notes), notes


def main() -> None:
    """Assess, print the status table and write the HTML report."""
    plan, observations, result, notes = assess_langfang()
    print(f"{plan.meta['name_zh']} ({plan.meta['year']}): {plan.targets.height} targets")
    print(f"ontrack {ontrack.__version__}, methods {', '.join(METHODS)}\n")

    wide = result.pivot(on="method", index="target_id", values="status")
    table = (
        plan.targets.select(pl.col("id").alias("target_id"), "kind", "target_year")
        .join(wide, on="target_id", how="left")
        .join(notes.select("target_id", "data_status"), on="target_id", how="left")
    )
    with pl.Config(tbl_rows=-1, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=40):
        print(table)
        assessed = result.filter(pl.col("status") != "insufficient_data")
        print("\nTargets the data decide:")
        print(
            assessed.select(
                "target_id",
                "method",
                "status",
                "method_status",
                "baseline_year",
                "baseline_value",
                "latest_year",
                "latest_value",
                "target_value",
                "progress",
                "time_elapsed",
            )
        )

    print("\nWhat the data show, per target:")
    for row in notes.iter_rows(named=True):
        print(f"  {row['target_id']:<11} {row['data_note']}")

    path = report.html_report(
        result,
        plan=plan,
        observations=observations,
        notes=notes,
        title="Langfang 2017 innovation-reform plan: assessment on reported values",
        path=OUT,
        method="china_plan",
    )
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"\nwrote the HTML report to {shown} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
