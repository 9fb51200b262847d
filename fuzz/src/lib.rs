//! Fuzz harnesses of ontrack: the plan parser (TOML and JSON) and `assess`/`project` on small
//! frames decoded from arbitrary bytes.
//!
//! Each harness returns normally for every input unless ontrack misbehaves: it panics (and the
//! fuzzer records a crash) when the library panics, or when a result loses an input series.
//! The same functions replay the corpus and the crash reproducers in the ordinary test build
//! (`crates/ontrack/tests/fuzz_corpus.rs` includes this file).
#![allow(clippy::missing_panics_doc)]

use ontrack::polars::prelude::*;
use ontrack::{AssessOptions, OntrackError, PlanFormat, ProjectOptions};
use std::collections::BTreeSet;

/// Parse a plan; on success, build its targets frame too.
pub fn plan(data: &[u8], format: PlanFormat) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let name = match format {
        PlanFormat::Toml => "fuzz.toml",
        PlanFormat::Json => "fuzz.json",
    };
    match ontrack::parse_plan(text, name, format) {
        Ok(plan) => {
            let _ = plan.targets_frame();
        }
        Err(e) => check_error(&e),
    }
}

/// Every error names something, except the engine's own.
fn check_error(e: &OntrackError) {
    let ctx = e.context();
    let named = ctx.column.is_some()
        || ctx.row.is_some()
        || ctx.series.is_some()
        || ctx.target_id.is_some()
        || ctx.option.is_some()
        || ctx.file.is_some();
    assert!(named || e.kind() == "Engine", "error names no culprit: {e}");
}

/// Reads bytes one at a time; zero when exhausted.
struct Bytes<'a>(std::slice::Iter<'a, u8>);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        self.0.next().copied().unwrap_or(0)
    }
    fn key(&mut self) -> &'static str {
        ["a", "b", "城镇化率", ""][usize::from(self.byte() % 4)]
    }
    fn year(&mut self) -> Option<i64> {
        let b = self.byte();
        match b {
            0..=199 => Some(2000 + i64::from(b % 40)),
            200..=239 => Some(i64::from(i16::from_le_bytes([self.byte(), self.byte()]))),
            240..=249 => Some(
                [
                    i64::MIN,
                    i64::MAX,
                    -1,
                    0,
                    9999,
                    1 << 40,
                    -(1 << 40),
                    3000,
                    1,
                    2,
                ][usize::from(b - 240)],
            ),
            _ => None,
        }
    }
    fn value(&mut self) -> Option<f64> {
        let b = self.byte();
        match b {
            0..=199 => Some(f64::from(b) - 50.0),
            200..=239 => Some(f64::from_le_bytes(std::array::from_fn(|_| self.byte()))),
            240..=251 => Some(
                [
                    f64::NAN,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    0.0,
                    -0.0,
                    1e300,
                    -1e300,
                    1e-300,
                    f64::MIN_POSITIVE,
                    f64::EPSILON,
                    f64::MAX,
                    f64::MIN,
                ][usize::from(b - 240)],
            ),
            _ => None,
        }
    }
}

/// An observations frame (indicator, region, year, value) and a targets frame decoded from
/// bytes: up to 15 observations and 3 targets.
#[must_use]
pub fn frames(data: &[u8]) -> Option<(DataFrame, DataFrame)> {
    let mut b = Bytes(data.iter());
    let n = usize::from(b.byte() % 16);
    let (mut ind, mut reg, mut year, mut value) = (vec![], vec![], vec![], vec![]);
    for _ in 0..n {
        ind.push(b.key());
        reg.push(b.key());
        year.push(b.year());
        value.push(b.value());
    }
    let obs = df!("indicator" => ind, "region" => reg, "year" => year, "value" => value).ok()?;
    let m = usize::from(b.byte() % 4);
    let (mut id, mut t_ind, mut dir, mut kind, mut tv, mut ty) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for i in 0..m {
        id.push(format!("t{i}"));
        t_ind.push(b.key());
        dir.push(["increase", "decrease", "sideways"][usize::from(b.byte() % 3)]);
        kind.push(
            [
                "level",
                "change",
                "cumulative",
                "direction",
                "binary",
                "share_of_units",
                "x",
            ][usize::from(b.byte() % 7)],
        );
        tv.push(b.value());
        ty.push(b.year());
    }
    let targets = df!(
        "id" => id, "indicator" => t_ind, "direction" => dir, "kind" => kind,
        "target_value" => tv, "target_year" => ty
    )
    .ok()?;
    Some((obs, targets))
}

/// The distinct (indicator, region) of a frame.
fn series(frame: &DataFrame) -> BTreeSet<(String, String)> {
    let (Ok(i), Ok(r)) = (frame.column("indicator"), frame.column("region")) else {
        return BTreeSet::new();
    };
    let (Ok(i), Ok(r)) = (i.str(), r.str()) else {
        return BTreeSet::new();
    };
    i.iter()
        .zip(r.iter())
        .map(|(a, b)| (a.unwrap_or("").to_string(), b.unwrap_or("").to_string()))
        .collect()
}

/// `assess` on decoded frames: an error naming the culprit, or every series in the result.
pub fn assess(data: &[u8]) {
    let Some((obs, targets)) = frames(data) else {
        return;
    };
    let method = ["open_sdg", "unsd_2023", "china_plan", "eurostat_short_term"]
        [usize::from(data.last().copied().unwrap_or(0) % 4)];
    let Ok(opts) = AssessOptions::default()
        .with_by(vec!["region".to_string()])
        .with_methods([method])
    else {
        return;
    };
    match ontrack::assess(&obs, &targets, &opts) {
        Ok(out) => {
            let lost: Vec<_> = series(&obs).difference(&series(&out)).cloned().collect();
            assert!(lost.is_empty(), "series lost: {lost:?}");
        }
        Err(e) => check_error(&e),
    }
}

/// `project` on decoded observations: an error naming the culprit, or every series kept.
pub fn project(data: &[u8]) {
    let Some((obs, _)) = frames(data) else {
        return;
    };
    let method = [
        "auto",
        "linear",
        "theta",
        "damped_trend",
        "log_linear",
        "drift",
    ][usize::from(data.first().copied().unwrap_or(0) % 6)];
    let columns = AssessOptions::default().with_by(vec!["region".to_string()]);
    let Ok(opts) = (ProjectOptions {
        columns,
        horizon: ontrack::Horizon::Steps(3),
        ..ProjectOptions::default()
    })
    .with_methods([method]) else {
        return;
    };
    match ontrack::project(&obs, &opts) {
        Ok(out) => {
            let lost: Vec<_> = series(&obs).difference(&series(&out)).cloned().collect();
            assert!(lost.is_empty(), "series lost: {lost:?}");
        }
        Err(e) => check_error(&e),
    }
}
