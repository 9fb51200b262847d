//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap
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

/// A deterministic panel (xorshift from `seed`): `n` noisy series over 2005–2022, some short,
/// some with gaps and null values, keyed by `region` (and by an integer `code` when
/// `with_code`), and a target for every other series.
pub fn seeded_panel(n: usize, seed: u64, with_code: bool) -> (DataFrame, DataFrame) {
    let (mut ind, mut region, mut code, mut year, mut value) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut state = seed;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for s in 0..n {
        let first = 2005 + (s % 13) as i64;
        let level = 10.0 + 90.0 * next();
        let slope = next() * 4.0 - 1.5;
        for y in first..=2022 {
            if next() < 0.08 {
                continue; // a gap
            }
            ind.push(if s % 3 == 0 { "a" } else { "b" });
            region.push(format!("r{s}"));
            code.push((s % 7) as i64);
            year.push(y);
            let noise = next() * 3.0 - 1.5;
            value.push((next() > 0.05).then_some(level + slope * (y - first) as f64 + noise));
        }
    }
    let mut obs = df!(
        "indicator" => ind, "region" => region, "code" => code, "year" => year, "value" => value,
    )
    .unwrap();
    let targeted: Vec<usize> = (0..n).filter(|s| s % 2 == 0).collect();
    let mut targets = df!(
        "indicator" => targeted.iter().map(|s| if s % 3 == 0 { "a" } else { "b" }).collect::<Vec<_>>(),
        "region" => targeted.iter().map(|s| format!("r{s}")).collect::<Vec<_>>(),
        "code" => targeted.iter().map(|s| (s % 7) as i64).collect::<Vec<_>>(),
        "direction" => targeted.iter().map(|s| if s % 4 == 0 { "increase" } else { "decrease" }).collect::<Vec<_>>(),
        "target_value" => targeted.iter().map(|s| 20.0 + *s as f64 % 80.0).collect::<Vec<_>>(),
        "target_year" => vec![2030i64; targeted.len()],
    )
    .unwrap();
    if !with_code {
        obs = obs.drop("code").unwrap();
        targets = targets.drop("code").unwrap();
    }
    (obs, targets)
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

/// A string cell (of a string or an `Enum` column).
pub fn s(df: &DataFrame, col: &str, row: usize) -> Option<String> {
    let text = df.column(col).unwrap().cast(&DataType::String).unwrap();
    text.str().unwrap().get(row).map(str::to_string)
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

/// This crate's directory: read when the test runs (cargo sets it for every test binary),
/// so that a binary reused from a shared target directory built in another checkout still
/// reads this checkout's files; the directory it was built in otherwise.
pub fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(
        || env!("CARGO_MANIFEST_DIR").into(),
        std::path::PathBuf::from,
    )
}
