//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ontrack::polars::prelude::*;
use ontrack::{assess, AssessOptions};

/// One series `name` with (year, value) points.
pub fn series(name: &str, points: &[(i64, f64)]) -> DataFrame {
    df!(
        "indicator" => vec![name; points.len()],
        "year" => points.iter().map(|p| p.0).collect::<Vec<_>>(),
        "value" => points.iter().map(|p| p.1).collect::<Vec<_>>(),
    )
    .unwrap()
}

/// A single level target.
pub fn target(name: &str, direction: &str, value: f64, year: i64, strict: bool) -> DataFrame {
    df!(
        "id" => ["T"],
        "indicator" => [name],
        "direction" => [direction],
        "target_value" => [value],
        "target_year" => [year],
        "strict" => [strict],
    )
    .unwrap()
}

/// Run `assess` with the given method names.
pub fn run(obs: &DataFrame, targets: &DataFrame, methods: &[&str]) -> DataFrame {
    let opts = AssessOptions::default().with_methods(methods).unwrap();
    assess(obs, targets, &opts).unwrap()
}

/// A float cell.
pub fn f(df: &DataFrame, col: &str, row: usize) -> Option<f64> {
    df.column(col)
        .unwrap()
        .cast(&DataType::Float64)
        .unwrap()
        .f64()
        .unwrap()
        .get(row)
}

/// A string cell.
pub fn s(df: &DataFrame, col: &str, row: usize) -> Option<String> {
    df.column(col)
        .unwrap()
        .str()
        .unwrap()
        .get(row)
        .map(str::to_string)
}

/// Assert `actual` equals `expected` to a relative 1e-9, or to the ten decimals the golden
/// examples print (docs/methods.md#golden-examples: half a unit of the tenth decimal) for small
/// numbers whose ten decimals carry fewer than ten significant digits.
#[track_caller]
pub fn close(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got null"));
    let tol = (1e-9 * expected.abs()).max(5e-11);
    assert!(
        (a - expected).abs() <= tol,
        "expected {expected} (±{tol:e}), got {a}"
    );
}

/// Assert `actual` equals `expected` to the digits given (absolute tolerance).
#[track_caller]
pub fn close_abs(actual: Option<f64>, expected: f64, tol: f64) {
    let a = actual.unwrap_or_else(|| panic!("expected {expected}, got null"));
    assert!(
        (a - expected).abs() <= tol,
        "expected {expected} ± {tol}, got {a}"
    );
}
