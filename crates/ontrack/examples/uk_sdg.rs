//! Assess real UK data (ONS SDG platform) against official targets, by every method at once:
//!
//! - SDG 3.2: under-5 mortality at most 25 per 1,000 live births by 2030, by UK country;
//! - EU Renewable Energy Directive 2009/28/EC: the UK's renewable share of final energy
//!   consumption 15% by 2020;
//! - the UK government's R&D target: 2.4% of GDP by 2027.
//!
//! Run with `make demo` (or `cargo run -p ontrack --example uk_sdg`).

use std::error::Error;
use std::path::PathBuf;

use ontrack::polars::prelude::*;
use ontrack::{assess, AssessOptions};

fn data_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), PathBuf::from)
        .join("../../data/uk_ons_sdg")
}

/// Columns read from one file: indicator names, kept key columns, years, values.
type Rows = (Vec<String>, Vec<Vec<String>>, Vec<i64>, Vec<f64>);

/// Headline rows of an Open SDG CSV: every column except Year/Value/attributes empty.
/// `keep` names disaggregation columns to keep as keys (rows may fill them).
fn read_open_sdg(file: &str, indicator: &str, keep: &[&str]) -> Result<Rows, Box<dyn Error>> {
    const ATTRIBUTES: [&str; 7] = [
        "Year",
        "Value",
        "Observation status",
        "Unit multiplier",
        "Unit measure",
        "Units",
        "GeoCode",
    ];
    let mut reader = csv::Reader::from_path(data_dir().join(file))?;
    let headers = reader.headers()?.clone();
    let mut names = Vec::new();
    let mut keys: Vec<Vec<String>> = vec![Vec::new(); keep.len()];
    let mut years = Vec::new();
    let mut values = Vec::new();
    for record in reader.records() {
        let record = record?;
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .unwrap_or("")
        };
        let headline = headers.iter().zip(record.iter()).all(|(h, v)| {
            ATTRIBUTES.contains(&h) || keep.contains(&h) || h == "Series" || v.is_empty()
        });
        if !headline || !get("Sex").is_empty() {
            continue;
        }
        let Ok(year) = get("Year").parse::<i64>() else {
            continue;
        };
        names.push(indicator.to_string());
        for (k, column) in keep.iter().zip(keys.iter_mut()) {
            let v = get(k);
            column.push(if v.is_empty() {
                "United Kingdom".into()
            } else {
                v.to_string()
            });
        }
        years.push(year);
        values.push(get("Value").parse::<f64>()?);
    }
    Ok((names, keys, years, values))
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut indicator = Vec::new();
    let mut country = Vec::new();
    let mut year = Vec::new();
    let mut value = Vec::new();
    for (file, name, keep) in [
        ("indicator_3-2-1.csv", "under5_mortality", &["Country"][..]),
        ("indicator_7-2-1.csv", "renewable_share", &[][..]),
        ("indicator_9-5-1.csv", "rd_share_gdp", &[][..]),
    ] {
        let (n, k, y, v) = read_open_sdg(file, name, keep)?;
        let keys = k
            .into_iter()
            .next()
            .unwrap_or_else(|| vec!["United Kingdom".to_string(); n.len()]);
        indicator.extend(n);
        country.extend(keys);
        year.extend(y);
        value.extend(v);
    }
    let observations = df!(
        "indicator" => indicator,
        "country" => country,
        "year" => year,
        "value" => value,
    )?;
    let targets = df!(
        "id" => ["SDG 3.2", "RED 2020", "UK R&D 2027"],
        "indicator" => ["under5_mortality", "renewable_share", "rd_share_gdp"],
        "direction" => ["decrease", "increase", "increase"],
        "target_value" => [25.0, 15.0, 2.4],
        "target_year" => [2030i64, 2020, 2027],
        "lower_bound" => [0.0, 0.0, 0.0],
        "upper_bound" => [1000.0, 100.0, 100.0],
        "baseline_year" => [2015i64, 2005, 2015],
    )?;
    let options = AssessOptions::default()
        .with_by(["country"])
        .with_methods(["open_sdg", "unsd_2022", "unsd_2023", "eurostat_short_term"])?;
    let result = assess(&observations, &targets, &options)?;
    println!(
        "ontrack assessed {} observations of {} indicators against {} targets:\n",
        observations.height(),
        3,
        targets.height()
    );
    let shown = result.select([
        "country",
        "target_id",
        "method",
        "status",
        "method_status",
        "latest_year",
        "latest_value",
        "target_value",
        "method_ratio",
        "probability",
    ])?;
    std::env::set_var("POLARS_FMT_MAX_ROWS", "40");
    std::env::set_var("POLARS_FMT_MAX_COLS", "12");
    std::env::set_var("POLARS_FMT_STR_LEN", "24");
    std::env::set_var("POLARS_TABLE_WIDTH", "170");
    println!("{shown}");
    let notes = result
        .column("reason")?
        .str()?
        .iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>();
    for note in notes {
        println!("note: {note}");
    }
    Ok(())
}
