//! Criterion benchmarks of the frame-level API on a synthetic panel of yearly series
//! (indicator × region, 20 years 2005–2024, ~2 % nulls, some missing years, one level target
//! per series).
//!
//! ```text
//! cargo bench -p ontrack --bench frame        # measure: 10^4 series (release-like `bench` profile)
//! cargo test --workspace --benches            # run each once on 200 series (`make test`)
//! ```
//!
//! The Python comparison with polars, pandas and statsforecast is `benches/compare.py`
//! (`make bench`).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ontrack::polars::prelude::*;
use ontrack::{assess, project, AssessOptions, Horizon, ProjectOptions};

const REGIONS: usize = 200;
const YEARS: std::ops::Range<i64> = 2005..2025;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Observations and targets of `n` series: `n / 200` indicators × 200 regions.
fn panel(n: usize) -> (DataFrame, DataFrame) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ind, mut reg, mut year, mut value) = (vec![], vec![], vec![], vec![]);
    let (mut t_ind, mut t_reg, mut t_dir, mut t_val) = (vec![], vec![], vec![], vec![]);
    for s in 0..n {
        let indicator = format!("ind_{:05}", s / REGIONS);
        let region = format!("region_{:03}", s % REGIONS);
        let level = 10.0 + 90.0 * rng.next();
        let slope = level * (0.04 * rng.next() - 0.01);
        for (i, y) in YEARS.enumerate() {
            if rng.next() < 0.05 {
                continue; // a missing year
            }
            let v = level + slope * i as f64 + 0.03 * level * (rng.next() - 0.5);
            ind.push(indicator.clone());
            reg.push(region.clone());
            year.push(y);
            value.push((rng.next() >= 0.02).then_some(v)); // ~2 % nulls
        }
        let increase = slope >= 0.0;
        t_ind.push(indicator);
        t_reg.push(region);
        t_dir.push(if increase { "increase" } else { "decrease" });
        t_val.push(level + slope * 25.0 * (0.6 + 0.8 * rng.next()));
    }
    let obs = df!("indicator" => ind, "region" => reg, "year" => year, "value" => value).unwrap();
    let targets = df!(
        "indicator" => t_ind,
        "region" => t_reg,
        "direction" => t_dir,
        "target_value" => t_val,
        "target_year" => vec![2030i64; n],
    )
    .unwrap();
    (obs, targets)
}

/// 10^4 series when measuring (`cargo bench`), 200 when run once as a test.
fn size() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        10_000
    } else {
        REGIONS
    }
}

fn frame(c: &mut Criterion) {
    let n = size();
    let (obs, targets) = panel(n);
    let mut group = c.benchmark_group(format!("frame_{n}_series"));
    group.sample_size(10);

    let closed_form = AssessOptions {
        projection: None,
        ..AssessOptions::default().with_by(["region"])
    };
    group.bench_function("assess/open_sdg", |b| {
        b.iter(|| assess(&obs, &targets, &closed_form).unwrap());
    });
    let with_projection = AssessOptions::default().with_by(["region"]);
    group.bench_function("assess/open_sdg+auto_projection", |b| {
        b.iter(|| assess(&obs, &targets, &with_projection).unwrap());
    });
    for method in ["drift", "damped_trend", "theta"] {
        let opts = ProjectOptions {
            columns: AssessOptions::default().with_by(["region"]),
            horizon: Horizon::Until(2030.0),
            ..ProjectOptions::default()
        }
        .with_methods([method])
        .unwrap();
        group.bench_function(format!("project/{method}"), |b| {
            b.iter_batched(
                || (),
                |()| project(&obs, &opts).unwrap(),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
