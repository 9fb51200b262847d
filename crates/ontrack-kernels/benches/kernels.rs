//! Criterion benchmarks of the kernels on one short yearly series (20 points): the closed-form
//! growth metrics, two named methods and the projection fits.
//!
//! ```text
//! cargo bench -p ontrack-kernels --bench kernels          # measure (release-like `bench` profile)
//! cargo test --workspace --benches                        # run each once (what `make test` does)
//! ```
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
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

criterion_group!(benches, growth, methods, projections);
criterion_main!(benches);
