//! Property tests: direction symmetry, scale invariance, monotone progress.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_wrap
)]

mod common;
use common::*;
use ontrack::polars::prelude::*;
use proptest::prelude::*;

const METHODS: [&str; 5] = [
    "open_sdg",
    "unsd_2022",
    "unsd_2023",
    "eurostat_long_term",
    "eurostat_short_term",
];
const CUTS: [f64; 8] = [0.95, 0.6, 0.5, 0.0, -0.1, 0.1, 0.01, 0.005];

fn frame(values: &[f64]) -> DataFrame {
    let pts: Vec<(i64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (2010 + i as i64, *v))
        .collect();
    series("x", &pts)
}

fn near_a_cut(out: &DataFrame) -> bool {
    (0..out.height()).any(|r| {
        f(out, "method_ratio", r).is_some_and(|x| CUTS.iter().any(|c| (x - c).abs() < 1e-6))
    })
}

fn statuses(out: &DataFrame) -> Vec<Option<String>> {
    (0..out.height()).map(|r| s(out, "status", r)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mirrored_values_and_direction_give_the_same_status(
        values in prop::collection::vec(1.0f64..100.0, 2..12),
        target in 1.0f64..150.0,
        up in any::<bool>(),
    ) {
        let (d, flipped) = if up { ("increase", "decrease") } else { ("decrease", "increase") };
        let out = run(&frame(&values), &target_frame(d, target), &METHODS);
        let mirrored: Vec<f64> = values.iter().map(|v| -v).collect();
        let out_m = run(&frame(&mirrored), &target_frame(flipped, -target), &METHODS);
        prop_assume!(!near_a_cut(&out));
        prop_assert_eq!(statuses(&out), statuses(&out_m));
        for r in 0..out.height() {
            match (f(&out, "method_ratio", r), f(&out_m, "method_ratio", r)) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0)),
                (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
            }
        }
    }

    #[test]
    fn scaling_all_values_leaves_ratios_and_status_unchanged(
        values in prop::collection::vec(1.0f64..100.0, 2..12),
        target in 1.0f64..150.0,
        k in 0.001f64..1000.0,
        up in any::<bool>(),
    ) {
        let d = if up { "increase" } else { "decrease" };
        let out = run(&frame(&values), &target_frame(d, target), &METHODS);
        let scaled: Vec<f64> = values.iter().map(|v| v * k).collect();
        let out_k = run(&frame(&scaled), &target_frame(d, target * k), &METHODS);
        prop_assume!(!near_a_cut(&out));
        prop_assert_eq!(statuses(&out), statuses(&out_k));
        for col in ["growth_ratio", "change_ratio", "method_ratio", "progress"] {
            for r in 0..out.height() {
                match (f(&out, col, r), f(&out_k, col, r)) {
                    (Some(a), Some(b)) => prop_assert!((a - b).abs() <= 1e-7 * a.abs().max(1.0), "{col}: {a} vs {b}"),
                    (a, b) => prop_assert_eq!(a.is_some(), b.is_some()),
                }
            }
        }
    }

    #[test]
    fn progress_rises_with_the_latest_value(
        values in prop::collection::vec(1.0f64..100.0, 2..8),
        bump in 0.01f64..50.0,
    ) {
        let target = 200.0;
        let out = run(&frame(&values), &target_frame("increase", target), &["open_sdg"]);
        let mut higher = values.clone();
        *higher.last_mut().unwrap() += bump;
        let out_h = run(&frame(&higher), &target_frame("increase", target), &["open_sdg"]);
        prop_assert!(f(&out_h, "progress", 0).unwrap() > f(&out, "progress", 0).unwrap());
        prop_assert!(f(&out_h, "gap", 0).unwrap() < f(&out, "gap", 0).unwrap());
    }
}

fn target_frame(direction: &str, value: f64) -> DataFrame {
    target("x", direction, value, 2030, false)
}
