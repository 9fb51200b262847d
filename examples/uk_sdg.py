"""The Python API on real UK data (ONS SDG platform): the same job as the Rust example.

SDG 3.2 (under-5 mortality <= 25 per 1,000 by 2030) by UK country, the EU Renewable Energy
Directive's 15% by 2020 for the UK, and the UK government's R&D target of 2.4% of GDP by 2027,
assessed by four named methods side by side.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

import ontrack

DATA = Path(__file__).resolve().parent.parent / "data" / "uk_ons_sdg"
ATTRIBUTES = {"Year", "Value", "Observation status", "Unit multiplier", "Unit measure", "Units"}


def headline(file: str, indicator: str, keep: list[str]) -> pl.DataFrame:
    """Rows of an Open SDG CSV whose disaggregation columns are empty (except ``keep``)."""
    raw = pl.read_csv(DATA / file, infer_schema_length=0)
    blank = [c for c in raw.columns if c not in ATTRIBUTES | {"GeoCode", "Series", *keep}]
    rows = raw.filter(pl.all_horizontal(pl.col(c).is_null() for c in blank))
    rows = rows.filter(pl.col("Year").str.contains(r"^\d{4}$"))
    country = pl.col(keep[0]).fill_null("United Kingdom") if keep else pl.lit("United Kingdom")
    return rows.select(
        pl.lit(indicator).alias("indicator"),
        country.alias("country"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        pl.col("Value").cast(pl.Float64).alias("value"),
    )


def main() -> None:
    """Assess the three UK targets and print a summary."""
    observations = pl.concat(
        [
            headline("indicator_3-2-1.csv", "under5_mortality", ["Country"]),
            headline("indicator_7-2-1.csv", "renewable_share", []),
            headline("indicator_9-5-1.csv", "rd_share_gdp", []),
        ]
    )
    targets = pl.DataFrame(
        {
            "id": ["SDG 3.2", "RED 2020", "UK R&D 2027"],
            "indicator": ["under5_mortality", "renewable_share", "rd_share_gdp"],
            "direction": ["decrease", "increase", "increase"],
            "target_value": [25.0, 15.0, 2.4],
            "target_year": [2030, 2020, 2027],
            "baseline_year": [2015, 2005, 2015],
            "lower_bound": [0.0, 0.0, 0.0],
            "upper_bound": [1000.0, 100.0, 100.0],
        }
    )
    result = ontrack.assess(
        observations,
        targets,
        by="country",
        method=["open_sdg", "unsd_2022", "unsd_2023", "eurostat_short_term"],
    )
    print(f"Python: ontrack {ontrack.__version__} on polars {pl.__version__}")
    summary = result.group_by("target_id", "method", "status").len().sort("target_id", "method")
    with pl.Config(tbl_rows=40, fmt_str_lengths=30, tbl_width_chars=160):
        print(summary)
        behind = result.filter(pl.col("status") != "achieved").select(
            "target_id",
            "method",
            "method_status",
            "latest_year",
            "latest_value",
            "required_growth",
            "achieved_growth",
            "needed_growth",
        )
        print(behind)


if __name__ == "__main__":
    main()
