//! `project` and the probability columns of `assess`.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::cast_possible_truncation
)]

mod common;
use common::*;
use ontrack::polars::prelude::*;
use ontrack::{assess, project, AssessOptions, Horizon, ProjectOptions};

fn linear() -> DataFrame {
    series(
        "x",
        &[
            (2015, 10.0),
            (2016, 12.0),
            (2017, 14.0),
            (2018, 16.0),
            (2019, 18.0),
        ],
    )
}

#[test]
fn project_is_long_and_exact_on_a_line() {
    let opts = ProjectOptions {
        horizon: Horizon::Until(2025.0),
        ..ProjectOptions::default()
    }
    .with_methods(["linear", "linear_weighted", "drift"])
    .unwrap();
    let out = project(&linear(), &opts).unwrap();
    assert_eq!(out.height(), 3 * 6);
    for r in 0..out.height() {
        let year = f(&out, "year", r).unwrap();
        let point = f(&out, "point", r).unwrap();
        close(Some(point), 10.0 + 2.0 * (year - 2015.0));
        let (lo, hi) = (
            f(&out, "lower_95", r).unwrap(),
            f(&out, "upper_95", r).unwrap(),
        );
        assert!(lo <= point + 1e-9 && point <= hi + 1e-9);
    }
}

#[test]
fn intervals_widen_with_level_and_respect_bounds() {
    let obs = series(
        "share",
        &[
            (2010, 80.0),
            (2011, 86.0),
            (2012, 89.0),
            (2013, 94.0),
            (2014, 96.0),
            (2015, 97.5),
        ],
    );
    let opts = ProjectOptions {
        bounds: (Some(0.0), Some(100.0)),
        levels: vec![0.5, 0.8, 0.95],
        horizon: Horizon::Steps(10),
        ..ProjectOptions::default()
    };
    let out = project(&obs, &opts).unwrap();
    for r in 0..out.height() {
        let w = |l: &str| {
            f(&out, &format!("upper_{l}"), r).unwrap() - f(&out, &format!("lower_{l}"), r).unwrap()
        };
        assert!(w("50") <= w("80") + 1e-12 && w("80") <= w("95") + 1e-12);
        assert!(f(&out, "upper_95", r).unwrap() <= 100.0);
        assert!(f(&out, "lower_95", r).unwrap() >= 0.0);
    }
}

#[test]
fn too_short_series_keep_a_row_with_a_reason() {
    let obs = series("x", &[(2015, 1.0), (2016, 2.0)]);
    let out = project(&obs, &ProjectOptions::default()).unwrap();
    assert_eq!(out.height(), 1);
    assert_eq!(f(&out, "year", 0), None);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("projection not possible"));
}

#[test]
fn assess_reports_probability_and_attainment_year() {
    let out = run(
        &linear(),
        &target("x", "increase", 24.0, 2030, false),
        &["open_sdg"],
    );
    // A perfect line reaches 24 in 2022 (drift and linear agree on it).
    assert_eq!(f(&out, "expected_attainment_year", 0), Some(2022.0));
    assert!(f(&out, "probability", 0).unwrap() > 0.99);
    assert_eq!(
        s(&out, "probabilistic_status", 0).as_deref(),
        Some("on_track")
    );
    let lo = f(&out, "projected_lower_80", 0).unwrap();
    let hi = f(&out, "projected_upper_80", 0).unwrap();
    let point = f(&out, "projected_value", 0).unwrap();
    assert!(lo <= point && point <= hi);
    close(Some(point), 10.0 + 2.0 * 15.0);
}

#[test]
fn probability_falls_as_the_target_rises() {
    let obs = series(
        "x",
        &[
            (2010, 10.0),
            (2011, 13.0),
            (2012, 13.5),
            (2013, 16.0),
            (2014, 17.2),
            (2015, 19.9),
            (2016, 20.5),
            (2017, 23.0),
        ],
    );
    let mut last = 1.0;
    for goal in [30.0, 40.0, 45.0, 50.0, 55.0, 60.0, 80.0] {
        let out = run(
            &obs,
            &target("x", "increase", goal, 2030, false),
            &["open_sdg"],
        );
        let p = f(&out, "probability", 0).unwrap();
        assert!(p <= last + 1e-12, "target {goal}: {p} > {last}");
        last = p;
    }
    assert!(last < 0.05);
    // Mirror: for a decrease target, a higher target is easier.
    let down = run(
        &obs,
        &target("x", "decrease", 40.0, 2030, false),
        &["open_sdg"],
    );
    let up = run(
        &obs,
        &target("x", "increase", 40.0, 2030, false),
        &["open_sdg"],
    );
    close_abs(
        Some(f(&down, "probability", 0).unwrap() + f(&up, "probability", 0).unwrap()),
        1.0,
        1e-9,
    );
}

#[test]
fn reached_deadlines_are_certain() {
    let obs = series("x", &[(2015, 10.0), (2018, 14.0), (2020, 16.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 15.0, 2020, false),
        &["open_sdg"],
    );
    assert_eq!(f(&out, "probability", 0), Some(1.0));
    assert_eq!(f(&out, "expected_attainment_year", 0), Some(2020.0));
    let out = run(
        &obs,
        &target("x", "increase", 17.0, 2020, false),
        &["open_sdg"],
    );
    assert_eq!(f(&out, "probability", 0), Some(0.0));
    assert_eq!(
        s(&out, "probabilistic_status", 0).as_deref(),
        Some("off_track")
    );
}

#[test]
fn projection_can_be_switched_off_or_chosen() {
    let mut opts = AssessOptions {
        projection: None,
        ..AssessOptions::default()
    };
    let out = assess(
        &linear(),
        &target("x", "increase", 24.0, 2030, false),
        &opts,
    )
    .unwrap();
    assert_eq!(f(&out, "probability", 0), None);
    opts.projection = Some(ontrack::parse_projection_method("theta").unwrap());
    let out = assess(
        &linear(),
        &target("x", "increase", 24.0, 2030, false),
        &opts,
    )
    .unwrap();
    assert_eq!(s(&out, "projection_method", 0).as_deref(), Some("theta"));
}

#[test]
fn already_met_targets_report_when_they_were_met() {
    let obs = series(
        "x",
        &[
            (2015, 30.0),
            (2016, 24.0),
            (2017, 26.0),
            (2018, 23.0),
            (2019, 22.0),
        ],
    );
    let out = run(
        &obs,
        &target("x", "decrease", 25.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("achieved"));
    assert_eq!(f(&out, "expected_attainment_year", 0), Some(2018.0));
}

#[test]
fn the_projection_is_fitted_from_the_baseline_on() {
    // A collapse long before the baseline must not drive the projection: from 2010 on the
    // series rises by exactly 1 a year, so the linear projection is exact.
    let mut pts = vec![(2000, 500.0), (2001, 300.0), (2002, 100.0)];
    pts.extend((0..10).map(|i| (2010 + i, 10.0 + f64::from(i as i32))));
    let obs = series("x", &pts);
    let t = df!(
        "indicator" => ["x"], "direction" => ["increase"], "target_value" => [30.0], "target_year" => [2030i64],
        "baseline_year" => [2010i64],
    )
    .unwrap();
    let opts = AssessOptions {
        projection: Some(ontrack::parse_projection_method("linear").unwrap()),
        ..AssessOptions::default()
    };
    let out = assess(&obs, &t, &opts).unwrap();
    close(f(&out, "projected_value", 0), 30.0);
    assert_eq!(f(&out, "expected_attainment_year", 0), Some(2030.0));
}

/// 100 · 1.1^k for 2011..=2020: constant 10 % growth.
fn geometric() -> DataFrame {
    let points: Vec<(i64, f64)> = (0..10)
        .map(|k| (2011 + k, 100.0 * 1.1f64.powi(k as i32)))
        .collect();
    series("x", &points)
}

#[test]
fn log_scale_projects_constant_growth_exactly() {
    let opts = |log_scale| {
        ProjectOptions {
            horizon: Horizon::Until(2025.0),
            log_scale,
            ..ProjectOptions::default()
        }
        .with_methods(["drift"])
        .unwrap()
    };
    let out = project(&geometric(), &opts(true)).unwrap();
    for r in 0..out.height() {
        let k = f(&out, "year", r).unwrap() - 2011.0;
        close(f(&out, "point", r), 100.0 * 1.1f64.powf(k));
        // A perfect geometric series has no drift error: the interval collapses on the point.
        assert!(f(&out, "lower_95", r).unwrap() > 0.0);
    }
    // On the original scale drift is additive: the mean annual difference is carried on.
    let plain = project(&geometric(), &opts(false)).unwrap();
    let last = 100.0 * 1.1f64.powi(9);
    close(f(&plain, "point", 0), last + (last - 100.0) / 9.0);
    assert!(s(&plain, "reason", 0).is_none_or(|r| !r.contains("log scale")));
}

#[test]
fn log_scale_falls_back_to_the_original_scale_with_a_reason() {
    let obs = series(
        "x",
        &[
            (2015, 0.0),
            (2016, 2.0),
            (2017, 4.0),
            (2018, 6.0),
            (2019, 8.0),
        ],
    );
    let opts = ProjectOptions {
        horizon: Horizon::Steps(1),
        log_scale: true,
        ..ProjectOptions::default()
    }
    .with_methods(["drift"])
    .unwrap();
    let out = project(&obs, &opts).unwrap();
    close(f(&out, "point", 0), 10.0);
    let reason = s(&out, "reason", 0).unwrap();
    assert!(reason.contains("log scale not possible"), "{reason}");
}

#[test]
fn assess_uses_the_log_scale_for_its_projection() {
    let targets = df!(
        "indicator" => ["x"],
        "direction" => ["increase"],
        "target_value" => [400.0],
        "target_year" => [2030i64],
    )
    .unwrap();
    let opts = AssessOptions {
        projection: Some(ontrack::parse_projection_method("drift").unwrap()),
        log_scale: true,
        ..AssessOptions::default()
    };
    let out = assess(&geometric(), &targets, &opts).unwrap();
    close(f(&out, "projected_value", 0), 100.0 * 1.1f64.powi(19));
    assert_eq!(f(&out, "expected_attainment_year", 0), Some(2026.0));
}
