//! `compare_methods` compares every named method by default, on real data: the ONS UK SDG
//! platform's under-5 mortality by country and sex (SDG 3.2: at most 25 per 1,000 live births
//! by 2030) and the UK's renewable share of final energy (15 % by 2020), read from the files in
//! `data/uk_ons_sdg` as published.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use std::collections::BTreeMap;

use ontrack::polars::prelude::*;
use ontrack::{compare_methods, AssessOptions, Method};

/// Observations of one Open SDG file: every row with a four-digit year whose columns other
/// than `keys`, Year, Value and the attribute columns are empty.
fn read(file: &str, indicator: &str, keys: &[&str]) -> DataFrame {
    const ATTRIBUTES: [&str; 8] = [
        "Year",
        "Value",
        "Series",
        "Observation status",
        "Unit multiplier",
        "Unit measure",
        "Units",
        "GeoCode",
    ];
    let path = common::manifest_dir()
        .join("../../data/uk_ons_sdg")
        .join(file);
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let (mut years, mut values) = (Vec::new(), Vec::new());
    let mut key_values: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
    for record in reader.records() {
        let record = record.unwrap();
        let headline = headers
            .iter()
            .zip(record.iter())
            .all(|(h, v)| ATTRIBUTES.contains(&h) || keys.contains(&h) || v.is_empty());
        let Ok(year) = record[0].parse::<i64>() else {
            continue;
        };
        if !headline {
            continue;
        }
        years.push(year);
        let value = headers.iter().position(|h| h == "Value").unwrap();
        values.push(record[value].parse::<f64>().unwrap());
        for (k, out) in keys.iter().zip(key_values.iter_mut()) {
            let i = headers.iter().position(|h| h == *k).unwrap();
            out.push(if record[i].is_empty() {
                "all".to_string()
            } else {
                record[i].to_string()
            });
        }
    }
    let n = years.len();
    let mut columns = vec![
        Column::new("indicator".into(), vec![indicator; n]),
        Column::new("year".into(), years),
        Column::new("value".into(), values),
    ];
    for name in ["Country", "Sex"] {
        let col = keys
            .iter()
            .position(|k| *k == name)
            .map_or_else(|| vec!["all".to_string(); n], |i| key_values[i].clone());
        columns.push(Column::new(name.to_lowercase().into(), col));
    }
    DataFrame::new(n, columns).unwrap()
}

#[test]
fn default_comparison_has_every_method_for_every_series_of_real_data() {
    let mut obs = read(
        "indicator_3-2-1.csv",
        "under5_mortality",
        &["Country", "Sex"],
    );
    obs.vstack_mut(&read("indicator_7-2-1.csv", "renewable_share", &[]))
        .unwrap();
    // No bounds: SDSN cannot normalise, and must say so rather than drop its rows.
    let targets = df!(
        "indicator" => ["under5_mortality", "renewable_share"],
        "direction" => ["decrease", "increase"],
        "target_value" => [25.0, 15.0],
        "target_year" => [2030i64, 2020],
    )
    .unwrap();
    let options = AssessOptions {
        methods: Vec::new(),
        projection: None,
        ..AssessOptions::default()
    }
    .with_by(["country", "sex"]);
    let out = compare_methods(&obs, &targets, &options).unwrap();

    let col = |name: &str| -> Vec<String> {
        // Enum columns (method, status) read as their names.
        let text = out.column(name).unwrap().cast(&DataType::String).unwrap();
        text.str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect()
    };
    let (ind, country, sex, method, status, reason) = (
        col("indicator"),
        col("country"),
        col("sex"),
        col("method"),
        col("status"),
        col("reason"),
    );
    let mut per_series: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for i in 0..out.height() {
        per_series
            .entry((ind[i].clone(), country[i].clone(), sex[i].clone()))
            .or_default()
            .push(method[i].clone());
        if method[i] == "sdsn" {
            // No bounds given: SDSN has no score, so the row says insufficient data and why.
            assert_eq!(status[i], "insufficient_data", "row {i}");
            assert!(reason[i].contains("bounds"), "row {i}: {}", reason[i]);
        }
    }
    // 3.2.1: England, Wales, Scotland, Northern Ireland and the UK, each by sex and for both;
    // 7.2.1: the UK headline.
    let n_mortality = per_series
        .keys()
        .filter(|k| k.0 == "under5_mortality")
        .count();
    assert!(n_mortality >= 5, "{per_series:?}");
    assert!(per_series.keys().any(|k| k.0 == "renewable_share"));
    let every: Vec<String> = Method::NAMES.iter().map(|s| (*s).to_string()).collect();
    for (series, methods) in &per_series {
        assert_eq!(methods, &every, "{series:?}");
    }
    assert_eq!(out.height(), per_series.len() * 12);
}
