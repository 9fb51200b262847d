//! Properties of the `auto` projection and a check of its shipped constants.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    dead_code,
    missing_docs
)]

// The accuracy example's data loading and calibration, so that the shipped constants can be
// checked against the code that regenerates them.
#[path = "../examples/accuracy/calibrate.rs"]
mod calibrate;
#[path = "../examples/accuracy/data.rs"]
mod data;

use ontrack_kernels::projection::auto::BUCKETS;
use ontrack_kernels::projection::{fit, Method, Projection, ProjectionOptions};
use proptest::prelude::*;

fn auto(bounds: (Option<f64>, Option<f64>)) -> ProjectionOptions {
    ProjectionOptions {
        bounds,
        ..ProjectionOptions::new(Method::Auto)
    }
}

/// Every number a user can read off a projection for the next 10 years, as bits.
fn fingerprint(p: &Projection) -> Vec<u64> {
    let mut out = Vec::new();
    for k in 1..=10 {
        let year = p.last_year + f64::from(k);
        let d = p.at(year).unwrap();
        out.push(d.point().to_bits());
        for level in [0.8, 0.95] {
            let (lo, hi) = d.interval(level).unwrap();
            out.push(lo.to_bits());
            out.push(hi.to_bits());
        }
        out.push(d.prob_at_least(d.point() * 1.01).to_bits());
    }
    out.extend(p.params().iter().map(|(_, v)| v.to_bits()));
    out
}

fn series(len: usize, seed: u64, level: f64, slope: f64, noise: f64) -> (Vec<f64>, Vec<f64>) {
    let mut state = seed | 1;
    let years: Vec<f64> = (0..len).map(|i| 2000.0 + i as f64).collect();
    let values = (0..len)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            level + slope * i as f64 + noise * u
        })
        .collect();
    (years, values)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn intervals_nest_around_the_point(
        len in 3_usize..40,
        seed in any::<u64>(),
        slope in -3.0_f64..3.0,
        noise in 0.0_f64..20.0,
    ) {
        let (years, values) = series(len, seed, 100.0, slope, noise);
        let p = fit(&years, &values, &auto((None, None))).unwrap();
        for k in 1..=12 {
            let d = p.at(p.last_year + f64::from(k)).unwrap();
            let point = d.point();
            let (l80, u80) = d.interval(0.8).unwrap();
            let (l95, u95) = d.interval(0.95).unwrap();
            prop_assert!(l95 <= l80 && l80 <= point && point <= u80 && u80 <= u95);
            prop_assert!(point.is_finite() && l95.is_finite() && u95.is_finite());
        }
    }

    #[test]
    fn bounds_are_respected(
        len in 3_usize..30,
        seed in any::<u64>(),
        slope in -4.0_f64..4.0,
        noise in 0.0_f64..30.0,
    ) {
        let (years, raw) = series(len, seed, 50.0, slope, noise);
        let values: Vec<f64> = raw.iter().map(|v| v.clamp(0.0, 100.0)).collect();
        for bounds in [(Some(0.0), Some(100.0)), (Some(0.0), None)] {
            let p = fit(&years, &values, &auto(bounds)).unwrap();
            for k in 1..=15 {
                let d = p.at(p.last_year + f64::from(k)).unwrap();
                let (lo, hi) = d.interval(0.95).unwrap();
                prop_assert!(lo >= 0.0 && d.point() >= lo && d.point() <= hi);
                if bounds.1.is_some() {
                    prop_assert!(hi <= 100.0);
                }
            }
        }
    }

    /// The same series gives bit-identical output whatever else was fitted before it (other
    /// series, other lengths) and whether it is fitted first or last.
    #[test]
    fn deterministic_and_independent_of_other_series(
        len in 3_usize..40,
        seed in any::<u64>(),
        others in proptest::collection::vec((3_usize..40, any::<u64>()), 1..6),
    ) {
        let (years, values) = series(len, seed, 10.0, 0.5, 3.0);
        let first = fingerprint(&fit(&years, &values, &auto((None, None))).unwrap());
        for (n, s) in others {
            let (y, v) = series(n, s, 1000.0, -7.0, 200.0);
            let _ = fit(&y, &v, &auto((None, None)));
            let _ = fit(&y, &v, &auto((Some(0.0), None)));
        }
        let again = fingerprint(&fit(&years, &values, &auto((None, None))).unwrap());
        prop_assert_eq!(first, again);
    }
}

/// An exact straight line is extrapolated exactly at every length (drift fits it exactly and
/// takes all the weight), also where the regime would otherwise use damped trend or theta.
#[test]
fn exact_on_a_line() {
    for n in [3_usize, 4, 5, 6, 8, 12, 20, 30, 45] {
        let years: Vec<f64> = (0..n).map(|i| 2015.0 + i as f64).collect();
        let values: Vec<f64> = years.iter().map(|y| 12.5 - 0.75 * (y - 2015.0)).collect();
        let p = fit(&years, &values, &auto((None, None))).unwrap();
        assert_eq!(p.method_used, Method::Drift);
        for year in [1.0, 5.0, 15.0].map(|k| p.last_year + k) {
            let expected = 12.5 - 0.75 * (year - 2015.0);
            approx::assert_relative_eq!(p.point(year).unwrap(), expected, max_relative = 1e-12);
        }
    }
}

/// Threads do not change results: the same series fitted on several threads at once gives the
/// same bits as on the main thread.
#[test]
fn identical_across_threads() {
    let (years, values) = series(17, 42, 30.0, 1.2, 6.0);
    let here = fingerprint(&fit(&years, &values, &auto((None, None))).unwrap());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (y, v) = (years.clone(), values.clone());
            std::thread::spawn(move || fingerprint(&fit(&y, &v, &auto((None, None))).unwrap()))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), here);
    }
}

/// The shortest bucket's constants are what the regeneration code (`accuracy --calibrate`)
/// produces on the vendored validation series (the full regeneration fits damped trend
/// thousands of times and runs in the example, not here).
#[test]
fn shortest_bucket_constants_regenerate() {
    let series = data::load_all();
    let (edge, threshold, _, rough) = calibrate::regenerate_shortest(&series);
    let shipped = BUCKETS[0];
    assert_eq!(shipped.min_points, edge);
    assert_eq!(shipped.smooth_below, threshold);
    let (rule, diff_share, power, df, factors) = rough;
    assert_eq!(shipped.rough.prior, rule.prior);
    assert_eq!(shipped.rough.tilt, rule.k);
    assert_eq!(shipped.rough.diff_share, diff_share);
    assert_eq!(shipped.rough.roughness_power, power);
    assert_eq!(shipped.rough.df, df);
    for (a, b) in shipped.rough.factors.iter().zip(factors) {
        // the constants are printed with 3 decimals
        assert!((a - b).abs() <= 5e-4, "{a} vs {b}");
    }
    assert_eq!(shipped.smooth, shipped.rough);
}

/// The buckets are ordered and every regime is usable.
#[test]
fn buckets_are_well_formed() {
    assert_eq!(BUCKETS[0].min_points, 3);
    for w in BUCKETS.windows(2) {
        assert!(w[0].min_points < w[1].min_points);
    }
    for b in &BUCKETS {
        for r in [b.smooth, b.rough] {
            assert!(r.prior.iter().all(|p| *p >= 0.0) && r.prior.iter().sum::<f64>() > 0.0);
            assert!(r.df > 1.0 && r.factors.iter().all(|f| *f > 0.0));
            // members a bucket's series are too short for carry no prior weight
            let long_enough = [3, 5, 7].map(|m| b.min_points >= m);
            assert!(r
                .prior
                .iter()
                .zip(long_enough)
                .all(|(p, ok)| ok || *p == 0.0));
        }
    }
}
