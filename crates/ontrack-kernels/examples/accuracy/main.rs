//! Out-of-sample accuracy of the projection methods on yearly series: M1 yearly, Gapminder
//! (country × indicator) and WDI total fertility (`data/`).
//!
//! The last 6 observed years of every series are held out. Each method is fitted on the points
//! before them — all of them (`full`) or only the last 12, 8 or 5 (the monitoring case) — and
//! forecasts the held-out years. The series are split in halves, validation and test, by a
//! seeded hash of their names (`data::is_validation`). Printed per data set, length and split:
//! mean sMAPE, mean MASE, and the coverage of the central 80 % and 95 % intervals.
//!
//! ```text
//! cargo run --release -p ontrack-kernels --example accuracy                 # the table (make accuracy)
//! cargo run --release -p ontrack-kernels --example accuracy -- --calibrate  # auto's constants
//! ```
//!
//! `--calibrate` regenerates `projection::auto::BUCKETS` from the validation series only
//! (see `calibrate.rs`) and prints them as Rust.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss
)]

mod calibrate;
mod data;

use std::collections::BTreeMap;
use std::time::Instant;

use ontrack_kernels::projection::{fit, Method, ProjectionOptions};

use data::{Length, Series};

/// Methods of the table, `None` = naive (last value).
const METHODS: [Option<Method>; 5] = [
    None,
    Some(Method::Drift),
    Some(Method::Theta),
    Some(Method::DampedTrend),
    Some(Method::Auto),
];

#[derive(Default, Clone, Copy)]
struct Score {
    smape: f64,
    mase: f64,
    series: usize,
    cov80: usize,
    cov95: usize,
    points: usize,
    failed: usize,
    seconds: f64,
    fits: usize,
}

type Key = (&'static str, Length, bool, usize);

fn evaluate(series: &[Series]) -> BTreeMap<Key, Score> {
    let mut out: BTreeMap<Key, Score> = BTreeMap::new();
    for s in series {
        let val = data::is_validation(s);
        for length in data::lengths() {
            let Some(smp) = data::sample(s, length) else {
                continue;
            };
            for (mi, method) in METHODS.iter().enumerate() {
                let sc = out.entry((s.set, length, val, mi)).or_default();
                let proj = match method {
                    None => None,
                    Some(m) => {
                        let t0 = Instant::now();
                        let r = fit(smp.years, smp.values, &ProjectionOptions::new(*m));
                        sc.seconds += t0.elapsed().as_secs_f64();
                        sc.fits += 1;
                        match r {
                            Ok(p) => Some(p),
                            Err(_) => {
                                sc.failed += 1;
                                continue;
                            }
                        }
                    }
                };
                let last = *smp.values.last().unwrap();
                let (mut sm, mut ma) = (0.0, 0.0);
                for (year, actual) in smp.test_years.iter().zip(smp.test_values) {
                    let f = proj.as_ref().map_or(last, |p| p.point(*year).unwrap());
                    let d = f.abs() + actual.abs();
                    sm += if d > 0.0 {
                        200.0 * (f - actual).abs() / d
                    } else {
                        0.0
                    };
                    ma += (f - actual).abs() / smp.scale;
                    if let Some(p) = &proj {
                        let (l80, u80) = p.interval(*year, 0.8).unwrap();
                        let (l95, u95) = p.interval(*year, 0.95).unwrap();
                        sc.cov80 += usize::from(l80 <= *actual && *actual <= u80);
                        sc.cov95 += usize::from(l95 <= *actual && *actual <= u95);
                        sc.points += 1;
                    }
                }
                let k = smp.test_years.len() as f64;
                sc.smape += sm / k;
                sc.mase += ma / k;
                sc.series += 1;
            }
        }
    }
    out
}

fn print_table(series: &[Series], scores: &BTreeMap<Key, Score>, validation: bool) {
    let sets: Vec<&'static str> = {
        let mut v: Vec<&'static str> = series.iter().map(|s| s.set).collect();
        v.dedup();
        v
    };
    println!(
        "\n### {} split\n",
        if validation { "Validation" } else { "Test" }
    );
    println!(
        "sMAPE / MASE per method; auto's worst ratio to the best of drift, theta and damped trend \
         (the larger of its sMAPE and MASE ratios); coverage of auto's 80 % / 95 % intervals.\n"
    );
    println!("| set | length | series | naive | drift | theta | damped trend | auto | auto / best | auto 80 % | auto 95 % |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for set in &sets {
        for length in data::lengths() {
            let get = |mi: usize| scores.get(&(*set, length, validation, mi)).copied();
            let Some(auto) = get(4) else { continue };
            let mut row = format!("| {set} | {length} | {} |", auto.series);
            let mut best = (f64::INFINITY, f64::INFINITY);
            for mi in 0..METHODS.len() {
                let sc = get(mi).unwrap_or_default();
                let n = sc.series.max(1) as f64;
                let (s, m) = (sc.smape / n, sc.mase / n);
                if (1..=3).contains(&mi) && sc.failed == 0 {
                    best = (best.0.min(s), best.1.min(m));
                }
                let fail = if sc.failed > 0 {
                    format!(" ({} unfit)", sc.failed)
                } else {
                    String::new()
                };
                if sc.series == 0 {
                    row.push_str(" — |");
                } else {
                    row.push_str(&format!(" {s:.2} / {m:.3}{fail} |"));
                }
            }
            let n = auto.series.max(1) as f64;
            let r = (auto.smape / n / best.0).max(auto.mase / n / best.1);
            let pts = auto.points.max(1) as f64;
            row.push_str(&format!(
                " {r:.3} | {:.1} | {:.1} |",
                100.0 * auto.cov80 as f64 / pts,
                100.0 * auto.cov95 as f64 / pts
            ));
            println!("{row}");
        }
    }
}

fn main() {
    let series = data::load_all();
    if std::env::args().any(|a| a == "--calibrate") {
        let buckets = calibrate::regenerate(&series);
        let regime = |r: &calibrate::Regime| {
            format!(
                "Regime {{ prior: [{:.1}, {:.1}, {:.1}], tilt: {:?}, diff_share: {:?}, \
                 roughness_power: {:?}, df: {:?}, factors: [{}] }}",
                r.0.prior[0],
                r.0.prior[1],
                r.0.prior[2],
                r.0.k,
                r.1,
                r.2,
                r.3,
                r.4.iter()
                    .map(|x| format!("{x:.3}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        println!("pub const BUCKETS: [Bucket; {}] = [", buckets.len());
        for (edge, c, sm, ro) in &buckets {
            println!(
                "    Bucket {{\n        min_points: {edge},\n        smooth_below: {c:?},\n        \
                 smooth: {},\n        rough: {},\n    }},",
                regime(sm),
                regime(ro)
            );
        }
        println!("];");
        return;
    }
    let mut counts: BTreeMap<(&str, bool), usize> = BTreeMap::new();
    for s in &series {
        *counts.entry((s.set, data::is_validation(s))).or_default() += 1;
    }
    println!("Series (validation / test):");
    for ((set, val), n) in &counts {
        println!("- {set} {}: {n}", if *val { "validation" } else { "test" });
    }
    let scores = evaluate(&series);
    print_table(&series, &scores, true);
    print_table(&series, &scores, false);
    println!("\n### Fit time per series (this run; all sets, lengths and splits)\n");
    println!("| method | µs per fit |");
    println!("|---|---:|");
    for (mi, m) in METHODS.iter().enumerate() {
        let Some(m) = m else { continue };
        let (secs, fits) = scores
            .iter()
            .filter(|(k, _)| k.3 == mi)
            .fold((0.0, 0), |acc, (_, s)| (acc.0 + s.seconds, acc.1 + s.fits));
        println!("| {m} | {:.1} |", 1e6 * secs / fits.max(1) as f64);
    }
}
