//! Out-of-sample accuracy of the projection methods on the M1 yearly series.
//!
//! Fits every method on `train`, forecasts the 6 `test` years and prints a markdown table of
//! mean sMAPE, mean MASE and the coverage of the 80 % and 95 % intervals, beside the naive
//! (last value) and drift benchmarks.
//!
//! ```text
//! cargo run --release -p ontrack-kernels --example m1_accuracy              # train → test
//! cargo run --release -p ontrack-kernels --example m1_accuracy -- --validation
//! cargo run --release -p ontrack-kernels --example m1_accuracy -- --validation-earlier
//! ```
//!
//! `--validation` never looks at `test`: it holds out the last 6 points of `train` instead.
//! `--validation-earlier` holds out the 6 `train` points before those (fitting on the rest
//! before them; series with fewer than 3 points left are skipped). The settings of `auto` were
//! chosen on these two train-only splits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use ontrack_kernels::projection::{fit, Method, ProjectionOptions};

const H: usize = 6;

struct Series {
    train: Vec<(f64, f64)>,
    test: Vec<(f64, f64)>,
}

/// `folds_back` = 0: train → test; k ≥ 1: hold out train points `[n − 6k, n − 6k + 6)`, fit on
/// the points before them.
fn load(folds_back: usize) -> Vec<Series> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/m1_yearly/m1_yearly.csv"
    );
    let text = std::fs::read_to_string(path).expect("read data/m1_yearly/m1_yearly.csv");
    let mut by_id: BTreeMap<String, Series> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        let (id, year, value, split) = (f[0], f[2], f[4], f[5]);
        let p = (year.parse::<f64>().unwrap(), value.parse::<f64>().unwrap());
        let s = by_id.entry(id.to_owned()).or_insert(Series {
            train: Vec::new(),
            test: Vec::new(),
        });
        if split == "train" {
            s.train.push(p);
        } else {
            s.test.push(p);
        }
    }
    let mut out: Vec<Series> = by_id.into_values().collect();
    for s in &mut out {
        s.train.sort_by(|a, b| a.0.total_cmp(&b.0));
        s.test.sort_by(|a, b| a.0.total_cmp(&b.0));
        if folds_back > 0 {
            let cut = s.train.len().saturating_sub(H * folds_back);
            let mut held = s.train.split_off(cut);
            held.truncate(H);
            s.test = held;
        }
    }
    out.retain(|s| s.train.len() >= 3 && !s.test.is_empty());
    out
}

#[derive(Default)]
struct Score {
    smape: f64,
    mase: f64,
    n_points: usize,
    cov80: usize,
    cov95: usize,
    n_int: usize,
    series: usize,
    failed: usize,
}

fn main() {
    let folds_back = if std::env::args().any(|a| a == "--validation-earlier") {
        2
    } else {
        usize::from(std::env::args().any(|a| a == "--validation"))
    };
    let data = load(folds_back);
    let mut rows: Vec<(String, Score)> = Vec::new();
    let mut auto_reasons: BTreeMap<String, usize> = BTreeMap::new();
    let names: Vec<String> = std::iter::once("naive".to_owned())
        .chain(Method::ALL.iter().map(|m| m.as_str().to_owned()))
        .collect();
    for name in &names {
        let mut sc = Score::default();
        for s in &data {
            let years: Vec<f64> = s.train.iter().map(|p| p.0).collect();
            let values: Vec<f64> = s.train.iter().map(|p| p.1).collect();
            let scale = values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>()
                / (values.len() - 1) as f64;
            let last = *values.last().unwrap();
            let proj = if name == "naive" {
                None
            } else {
                let m: Method = name.parse().unwrap();
                match fit(&years, &values, &ProjectionOptions::new(m)) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        sc.failed += 1;
                        continue;
                    }
                }
            };
            if let Some(p) = &proj {
                if name == "auto" {
                    let key = if p.members.is_empty() {
                        p.method_used.as_str().to_owned()
                    } else {
                        format!("{:?}", p.members)
                    };
                    *auto_reasons.entry(key).or_default() += 1;
                }
            }
            sc.series += 1;
            let (mut sm, mut ma) = (0.0, 0.0);
            for (year, actual) in s.test.iter().take(H) {
                let f = match &proj {
                    None => last,
                    Some(p) => p.point(*year).unwrap(),
                };
                sm += 200.0 * (f - actual).abs() / (f.abs() + actual.abs());
                ma += (f - actual).abs() / scale;
                if let Some(p) = &proj {
                    let (l80, u80) = p.interval(*year, 0.8).unwrap();
                    let (l95, u95) = p.interval(*year, 0.95).unwrap();
                    sc.cov80 += usize::from(l80 <= *actual && *actual <= u80);
                    sc.cov95 += usize::from(l95 <= *actual && *actual <= u95);
                    sc.n_int += 1;
                }
            }
            let k = s.test.len().min(H) as f64;
            sc.smape += sm / k;
            sc.mase += ma / k;
            sc.n_points += 1;
        }
        rows.push((name.clone(), sc));
    }
    println!(
        "M1 yearly, {} series, horizon {H}{}\n",
        data.len(),
        match folds_back {
            0 => "",
            1 => " (VALIDATION: last 6 train points held out)",
            _ =>
                " (EARLIER VALIDATION: train points n-12..n-7 held out, fitted on the rest before)",
        }
    );
    println!("| method | sMAPE | MASE | 80% coverage | 95% coverage | series fitted |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, sc) in &rows {
        let n = sc.n_points.max(1) as f64;
        let cov = |c: usize| {
            if sc.n_int == 0 {
                "—".to_owned()
            } else {
                format!("{:.1}%", 100.0 * c as f64 / sc.n_int as f64)
            }
        };
        println!(
            "| {name} | {:.2} | {:.3} | {} | {} | {}{} |",
            sc.smape / n,
            sc.mase / n,
            cov(sc.cov80),
            cov(sc.cov95),
            sc.series,
            if sc.failed > 0 {
                format!(" ({} too short/invalid)", sc.failed)
            } else {
                String::new()
            }
        );
    }
    println!("\nauto members used: {auto_reasons:?}");
}
