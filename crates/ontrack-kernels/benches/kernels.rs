//! Criterion benchmarks of the kernels on one short yearly series (20 points): the closed-form
//! growth metrics, two named methods and the projection fits; and the projection fits on a
//! panel of 64 varied series (`panel64/`). `examples/panel.rs` times the fits per series on a
//! larger panel and fingerprints their outputs.
//!
//! ```text
//! cargo bench -p ontrack-kernels --bench kernels          # measure (release-like `bench` profile)
//! cargo test --workspace --benches                        # run each once (what `make test` does)
//! ```
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ontrack_kernels::growth::{cagr, metrics, Point};
use ontrack_kernels::methods::{Case, Method, Target};
use ontrack_kernels::projection::{fit, Method as ProjMethod, ProjectionOptions};
use ontrack_kernels::Direction;

/// A 20-point yearly series 2005–2024: trend plus deterministic pseudo-noise.
fn series() -> (Vec<f64>, Vec<f64>) {
    let years: Vec<f64> = (2005..2025).map(f64::from).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let values = years
        .iter()
        .enumerate()
        .map(|(i, _)| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            50.0 + 1.5 * i as f64 + 4.0 * noise
        })
        .collect();
    (years, values)
}

fn growth(c: &mut Criterion) {
    let (years, values) = series();
    let base = Point::new(years[0], values[0]);
    let last = Point::new(years[19], values[19]);
    c.bench_function("growth/cagr", |b| {
        b.iter(|| cagr(black_box(base), black_box(last)));
    });
    c.bench_function("trend/slope_test", |b| {
        b.iter(|| {
            ontrack_kernels::trend::slope_test(
                black_box(&years),
                black_box(&values),
                Direction::Increase,
                0.05,
            )
        });
    });
    c.bench_function("growth/metrics", |b| {
        b.iter(|| {
            metrics(
                black_box(base),
                black_box(last),
                black_box(90.0),
                black_box(2030.0),
                Direction::Increase,
            )
        });
    });
}

fn methods(c: &mut Criterion) {
    let (years, values) = series();
    let case = Case {
        years: &years,
        values: &values,
        base: Point::new(years[0], values[0]),
        latest: Point::new(years[19], values[19]),
        target: Some(Target {
            value: 90.0,
            year: 2030.0,
            strict: false,
        }),
        direction: Direction::Increase,
        lower_bound: None,
        upper_bound: None,
        rates: None,
    };
    for name in ["open_sdg", "unsd_2023"] {
        let method = Method::from_name(name).expect("a known method");
        c.bench_function(&format!("method/{name}"), |b| {
            b.iter(|| method.evaluate(black_box(&case)));
        });
    }
}

fn projections(c: &mut Criterion) {
    let (years, values) = series();
    for method in [
        ProjMethod::Drift,
        ProjMethod::DampedTrend,
        ProjMethod::Theta,
        ProjMethod::Auto,
    ] {
        let opts = ProjectionOptions::new(method);
        c.bench_function(&format!("fit/{}", method.as_str()), |b| {
            b.iter(|| fit(black_box(&years), black_box(&values), &opts).unwrap());
        });
    } // `auto` on a smooth curve (a declining fertility-like series): the smooth regime, which
      // fits damped trend; the noisy series above takes the rough regime (drift alone)
    let smooth: Vec<f64> = (0..20)
        .map(|i| 6.0 - 0.15 * f64::from(i) + 0.002 * f64::from(i * i))
        .collect();
    let opts = ProjectionOptions::new(ProjMethod::Auto);
    c.bench_function("fit/auto_smooth", |b| {
        b.iter(|| fit(black_box(&years), black_box(&smooth), &opts).unwrap());
    });
}

/// 64 series shaped like the panel of `benches/compare.py` (20 yearly points, level 10–100,
/// trend −1 %…+3 % of the level a year, uniform noise of ±1.5 % of the level).
fn panel() -> Vec<Vec<f64>> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..64)
        .map(|_| {
            let level = 10.0 + 90.0 * uniform();
            let slope = level * (0.04 * uniform() - 0.01);
            (0..20)
                .map(|i| level + slope * f64::from(i) + 0.03 * level * (uniform() - 0.5))
                .collect()
        })
        .collect()
}

/// Fits of a panel of varied series (one series repeated lets the branch predictor learn the
/// optimiser's path, which flatters it): time per 64 series.
fn projection_panel(c: &mut Criterion) {
    let (years, _) = series();
    let panel = panel();
    for method in [
        ProjMethod::Drift,
        ProjMethod::DampedTrend,
        ProjMethod::Theta,
        ProjMethod::Auto,
    ] {
        let opts = ProjectionOptions::new(method);
        c.bench_function(&format!("panel64/{}", method.as_str()), |b| {
            b.iter(|| {
                for values in &panel {
                    black_box(fit(black_box(&years), black_box(values), &opts).unwrap());
                }
            });
        });
    }
}

criterion_group!(benches, growth, methods, projections, projection_panel);
criterion_main!(benches);
