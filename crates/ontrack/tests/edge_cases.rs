//! The documented behaviour of every edge case (docs/data-contract.md#edge-cases).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::*;
use ontrack::polars::prelude::*;
use ontrack::{assess, AssessOptions};

#[test]
fn zero_and_sign_changes_fall_back_to_absolute_changes() {
    let obs = series("x", &[(2015, 0.0), (2020, 10.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 30.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(f(&out, "achieved_growth", 0), None);
    close(f(&out, "change_ratio", 0), 2.0 / 2.0);
    // The named method applies its own published rule: Open SDG (sdg-build) replaces the zero
    // base by 0.001, R = ((10/0.001)^(1/5) - 1)/((30/0.001)^(1/15) - 1) = 5.3726091392.
    close(f(&out, "method_ratio", 0), 5.372_609_139_2);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("zero base value replaced by 0.001"));
    // UNSD 2017-2022 has no such rule: a fall to zero compares annual changes,
    // -0.2 per year against +1/15 needed: CR = -3, deterioration.
    let out = run(
        &series("x", &[(2015, 1.0), (2020, 0.0)]),
        &target("x", "increase", 2.0, 2030, false),
        &["unsd_2022"],
    );
    assert_eq!(f(&out, "achieved_growth", 0), None);
    close(f(&out, "method_ratio", 0), -3.0);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("absolute annual changes"));
    // A change of sign: growth columns null; Open SDG publishes no progress value.
    let obs = series("x", &[(2015, -5.0), (2020, 5.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 30.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(f(&out, "achieved_growth", 0), None);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("insufficient_data"));
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("not all of one sign"));
}

#[test]
fn baseline_equal_to_target() {
    let obs = series("x", &[(2015, 10.0), (2020, 12.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 10.0, 2030, false),
        &["open_sdg", "unsd_2022"],
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("achieved"));
    assert_eq!(f(&out, "progress", 0), None);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("baseline equals the target"));
    let obs = series("x", &[(2015, 10.0), (2020, 9.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 10.0, 2030, false),
        &["open_sdg", "unsd_2022"],
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("regressing"));
    assert_eq!(
        s(&out, "method_status", 1).as_deref(),
        Some("deterioration")
    );
}

#[test]
fn target_already_met() {
    let obs = series("x", &[(2015, 50.0), (2020, 85.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 80.0, 2030, false),
        &["open_sdg", "unsd_2023", "eurostat_short_term"],
    );
    for row in 0..3 {
        assert_eq!(s(&out, "status", row).as_deref(), Some("achieved"));
    }
    close(f(&out, "score", 0), 5.0);
    assert!(f(&out, "gap", 0).unwrap() < 0.0);
}

#[test]
fn passed_deadline_is_assessed_at_the_deadline() {
    let obs = series("x", &[(2015, 50.0), (2018, 55.0), (2020, 90.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 80.0, 2018, false),
        &["open_sdg"],
    );
    assert_eq!(f(&out, "latest_year", 0), Some(2018.0));
    assert_ne!(s(&out, "status", 0).as_deref(), Some("achieved"));
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("deadline 2018 has passed"));
}

#[test]
fn nulls_are_counted_not_dropped() {
    let obs = df!(
        "indicator" => ["x", "x", "x"],
        "year" => [2015i64, 2016, 2017],
        "value" => [Some(1.0), None, Some(f64::NAN)],
    )
    .unwrap();
    let out = run(
        &obs,
        &target("x", "increase", 2.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(f(&out, "n_missing", 0), Some(2.0));
    assert_eq!(f(&out, "n_points", 0), Some(1.0));
    assert_eq!(s(&out, "status", 0).as_deref(), Some("insufficient_data"));
    let reason = s(&out, "reason", 0).unwrap();
    assert!(
        reason.contains("2 missing value(s) ignored (2016, 2017)"),
        "{reason}"
    );
    assert!(reason.contains("only one usable observation"), "{reason}");
}

#[test]
fn unsorted_input_gives_the_same_result() {
    let sorted = series("x", &[(2015, 50.0), (2017, 55.0), (2020, 60.0)]);
    let shuffled = series("x", &[(2020, 60.0), (2015, 50.0), (2017, 55.0)]);
    let t = target("x", "increase", 80.0, 2030, false);
    let a = run(&sorted, &t, &["open_sdg"]);
    let b = run(&shuffled, &t, &["open_sdg"]);
    assert!(a.equals_missing(&b));
}

#[test]
fn one_point_only() {
    let obs = series("x", &[(2015, 50.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 80.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("insufficient_data"));
    // ... unless that point already meets the target.
    let out = run(
        &obs,
        &target("x", "increase", 40.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("achieved"));
}

#[test]
fn gaps_in_years_use_real_spans() {
    let obs = series("x", &[(2010, 100.0), (2013, 110.0), (2020, 121.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 150.0, 2030, false),
        &["open_sdg"],
    );
    close(f(&out, "achieved_growth", 0), 1.21f64.powf(0.1) - 1.0);
}

#[test]
fn target_without_data_keeps_its_row() {
    let obs = series("x", &[(2015, 1.0), (2016, 2.0)]);
    let t = df!(
        "id" => ["T1", "T2"], "indicator" => ["x", "nope"], "direction" => ["increase", "increase"],
        "target_value" => [3.0, 3.0], "target_year" => [2030i64, 2030],
    )
    .unwrap();
    let out = run(&obs, &t, &["open_sdg", "unsd_2023"]);
    assert_eq!(out.height(), 4);
    let rows: Vec<_> = (0..4)
        .filter(|&r| s(&out, "target_id", r).as_deref() == Some("T2"))
        .collect();
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(s(&out, "status", r).as_deref(), Some("insufficient_data"));
        assert_eq!(s(&out, "indicator", r).as_deref(), Some("nope"));
        assert!(s(&out, "reason", r)
            .unwrap()
            .contains("no observations for indicator \"nope\""));
    }
}

/// Rows of one batch keyed by a series, by a target without data and by no target at all:
/// every row carries the keys of its own series or target, whichever comes first in the batch
/// (the result's key columns are gathered from the series until a row is keyed otherwise).
#[test]
fn mixed_rows_keep_their_own_keys() {
    let obs = df!(
        "indicator" => ["x", "x", "x", "x", "z", "z"],
        "region" => ["r1", "r1", "r2", "r2", "r3", "r3"],
        "year" => [2015i64, 2016, 2015, 2016, 2015, 2016],
        "value" => [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    )
    .unwrap();
    let targets = df!(
        "id" => ["T1", "T2", "T3"],
        "indicator" => ["x", "y", "x"],
        "region" => ["r1", "r9", "r2"],
        "direction" => ["increase", "increase", "increase"],
        "target_value" => [3.0, 3.0, 6.0],
        "target_year" => [2030i64, 2030, 2030],
    )
    .unwrap();
    let opts = AssessOptions {
        by: vec!["region".into()],
        ..AssessOptions::default()
    }
    .with_methods(["open_sdg"])
    .unwrap();
    let out = assess(&obs, &targets, &opts).unwrap();
    let mut rows: Vec<[Option<String>; 3]> = (0..out.height())
        .map(|r| {
            [
                s(&out, "target_id", r),
                s(&out, "indicator", r),
                s(&out, "region", r),
            ]
        })
        .collect();
    rows.sort();
    let row =
        |t: Option<&str>, i: &str, g: &str| [t.map(str::to_string), Some(i.into()), Some(g.into())];
    assert_eq!(
        rows,
        vec![
            row(None, "z", "r3"),
            row(Some("T1"), "x", "r1"),
            row(Some("T2"), "y", "r9"),
            row(Some("T3"), "x", "r2"),
        ]
    );
}

#[test]
fn every_series_appears_even_without_target() {
    let obs = df!(
        "indicator" => ["x", "x", "y", "y"],
        "year" => [2015i64, 2016, 2015, 2016],
        "value" => [1.0, 2.0, 3.0, 4.0],
    )
    .unwrap();
    let out = run(
        &obs,
        &target("x", "increase", 3.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(out.height(), 2);
    assert_eq!(s(&out, "indicator", 1).as_deref(), Some("y"));
    assert_eq!(
        s(&out, "reason", 1).as_deref(),
        Some("no target matches this series")
    );
}

#[test]
fn null_key_in_target_applies_to_every_group_and_int_keys_keep_their_type() {
    let obs = df!(
        "indicator" => ["x", "x", "x", "x"],
        "region" => [1i64, 1, 2, 2],
        "year" => [2015i64, 2020, 2015, 2020],
        "value" => [50.0, 60.0, 50.0, 45.0],
    )
    .unwrap();
    let t = df!(
        "id" => ["all", "r2"], "indicator" => ["x", "x"], "region" => [None, Some(2i64)],
        "direction" => ["increase", "increase"], "target_value" => [80.0, 70.0], "target_year" => [2030i64, 2030],
    )
    .unwrap();
    let opts = AssessOptions::default().with_by(["region"]);
    let out = assess(&obs, &t, &opts).unwrap();
    assert_eq!(out.height(), 3);
    assert_eq!(out.column("region").unwrap().dtype(), &DataType::Int64);
    let regressing = out
        .filter(
            &out.column("status")
                .unwrap()
                .cast(&DataType::String)
                .unwrap()
                .str()
                .unwrap()
                .equal("regressing"),
        )
        .unwrap();
    assert_eq!(
        regressing.height(),
        2,
        "region 2 falls against both targets"
    );
}

#[test]
fn baseline_policies() {
    let obs = series("x", &[(2013, 40.0), (2016, 50.0), (2020, 60.0)]);
    let t = target("x", "increase", 80.0, 2030, false);
    let mut opts = AssessOptions::default().with_base_year(2015.0);
    let out = assess(&obs, &t, &opts).unwrap();
    assert_eq!(f(&out, "baseline_year", 0), Some(2016.0));
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("no data for base year 2015: baseline 2016"));
    opts.baseline_policy = ontrack::BaselinePolicy::LastAtOrBefore;
    assert_eq!(
        f(&assess(&obs, &t, &opts).unwrap(), "baseline_year", 0),
        Some(2013.0)
    );
    opts.baseline_policy = ontrack::BaselinePolicy::Nearest;
    assert_eq!(
        f(&assess(&obs, &t, &opts).unwrap(), "baseline_year", 0),
        Some(2016.0)
    );
    // An explicit baseline value wins over the data.
    let t = df!(
        "indicator" => ["x"], "direction" => ["increase"], "target_value" => [80.0], "target_year" => [2030i64],
        "baseline_year" => [2015i64], "baseline_value" => [45.0],
    )
    .unwrap();
    let out = assess(&obs, &t, &AssessOptions::default()).unwrap();
    assert_eq!(f(&out, "baseline_value", 0), Some(45.0));
}

#[test]
fn change_targets_resolve_from_the_baseline() {
    let obs = series("x", &[(2015, 40.0), (2020, 60.0)]);
    let t = df!(
        "indicator" => ["x", "x"], "id" => ["double", "plus10"], "kind" => ["change", "change"],
        "direction" => ["increase", "increase"], "target_value" => [1.0, 10.0], "change_type" => ["relative", "absolute"],
        "target_year" => [2030i64, 2030],
    )
    .unwrap();
    let out = run(&obs, &t, &["open_sdg"]);
    assert_eq!(f(&out, "target_value", 0), Some(80.0));
    assert_eq!(f(&out, "target_value", 1), Some(50.0));
    assert_eq!(s(&out, "status", 1).as_deref(), Some("achieved"));
}

#[test]
fn share_of_units_every_county() {
    let obs = df!(
        "indicator" => ["cov"; 6],
        "county" => ["a", "b", "c", "a", "b", "c"],
        "year" => [2016i64, 2016, 2016, 2018, 2018, 2018],
        "value" => [1.0, 0.0, 0.0, 1.0, 1.0, 0.0],
    )
    .unwrap();
    let t = df!(
        "id" => ["every county"], "indicator" => ["cov"], "kind" => ["share_of_units"], "direction" => ["increase"],
        "target_value" => [100.0], "target_year" => [2020i64], "unit_column" => ["county"], "unit_threshold" => [1.0],
    )
    .unwrap();
    let opts = AssessOptions::default().with_by(["county"]);
    let out = assess(&obs, &t, &opts).unwrap();
    assert_eq!(out.height(), 1);
    close(f(&out, "baseline_value", 0), 100.0 / 3.0);
    close(f(&out, "latest_value", 0), 200.0 / 3.0);
    assert_eq!(s(&out, "county", 0), None);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .starts_with("share of 3 county meeting 1"));
}

#[test]
fn binary_milestones() {
    let t = df!(
        "id" => ["m"], "indicator" => ["done"], "kind" => ["binary"], "direction" => ["increase"], "target_year" => [2020i64],
    )
    .unwrap();
    let pending = run(&series("done", &[(2017, 0.0)]), &t, &["open_sdg"]);
    assert_eq!(
        s(&pending, "method_status", 0).as_deref(),
        Some("milestone_pending")
    );
    let missed = run(
        &series("done", &[(2017, 0.0), (2020, 0.0)]),
        &t,
        &["open_sdg"],
    );
    assert_eq!(s(&missed, "status", 0).as_deref(), Some("off_track"));
    let done = run(
        &series("done", &[(2017, 0.0), (2019, 1.0)]),
        &t,
        &["open_sdg"],
    );
    assert_eq!(s(&done, "status", 0).as_deref(), Some("achieved"));
}

#[test]
fn cumulative_stops_at_a_missing_flow() {
    let obs = series("p", &[(2016, 1500.0), (2018, 1600.0)]);
    let t = df!(
        "indicator" => ["p"], "kind" => ["cumulative"], "direction" => ["increase"],
        "target_value" => [5000.0], "target_year" => [2018i64], "window_start" => [2016i64],
    )
    .unwrap();
    let out = run(&obs, &t, &["open_sdg"]);
    assert_eq!(f(&out, "latest_value", 0), Some(1500.0));
    assert!(s(&out, "reason", 0).unwrap().contains("no flow for 2017"));
}

#[test]
fn dates_are_accepted_and_reported_as_dates() {
    let days = |y: i32| (y - 1970) * 365 + (y - 1969) / 4; // 1 January of year y
    let mut obs = df!(
        "indicator" => ["x", "x"],
        "year" => [days(2015), days(2020)],
        "value" => [50.0, 60.0],
    )
    .unwrap();
    let dates = obs.column("year").unwrap().cast(&DataType::Date).unwrap();
    obs.with_column(dates).unwrap();
    let out = run(
        &obs,
        &target("x", "increase", 80.0, 2030, false),
        &["open_sdg"],
    );
    assert_eq!(
        out.column("baseline_year").unwrap().dtype(),
        &DataType::Date
    );
    let g = f(&out, "achieved_growth", 0).unwrap();
    assert!((g - 0.037_137).abs() < 1e-4, "{g}");
}

#[test]
fn scales_convert_units() {
    // Observations in yuan with a scale column, target in 亿元 (1e8).
    let obs = df!(
        "indicator" => ["t", "t"], "year" => [2015i64, 2017], "value" => [2.0, 3.2], "scale" => [1e8, 1e8],
    )
    .unwrap();
    let t = df!(
        "indicator" => ["t"], "direction" => ["increase"], "target_value" => [4.0], "target_year" => [2018i64],
        "unit" => ["亿元"], "scale" => [1e8],
    )
    .unwrap();
    let opts = AssessOptions {
        scale: Some("scale".into()),
        ..AssessOptions::default()
    };
    let out = assess(&obs, &t, &opts).unwrap();
    close(f(&out, "latest_value", 0), 3.2);
    assert_eq!(s(&out, "unit", 0).as_deref(), Some("亿元"));
}

#[test]
fn a_missed_deadline_is_off_track_whatever_the_pace() {
    // UK renewable share: 15% by 2020 (EU RED), 13.9 reached; the pace ratio is above 0.95.
    let obs = series("x", &[(2005, 1.7), (2020, 13.9)]);
    let out = run(
        &obs,
        &target("x", "increase", 15.0, 2020, false),
        &["open_sdg"],
    );
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("substantial_progress")
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("off_track"));
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("deadline is reached"));
}

#[test]
fn a_baseline_beyond_the_target_that_falls_back_is_regression_for_every_method() {
    // Dominica (UNICEF SOWC 2019): U5MR 15 (2000) → 36 (2018) against ≤ 25 by 2030.
    let obs = series("u5mr", &[(2000, 15.0), (2005, 20.0), (2018, 36.0)]);
    let methods = [
        "open_sdg",
        "unsd_2022",
        "unsd_2022_aarr",
        "unsd_2023",
        "eurostat_long_term",
    ];
    let out = run(
        &obs,
        &target("u5mr", "decrease", 25.0, 2030, false),
        &methods,
    );
    for r in 0..out.height() {
        assert_eq!(
            s(&out, "status", r).as_deref(),
            Some("regressing"),
            "{}",
            s(&out, "method", r).unwrap()
        );
    }
}

#[test]
fn a_baseline_on_the_latest_point_says_so() {
    // Langfang turnover: 2012 and 2018 values, base year 2016, deadline 2018.
    let obs = series("t", &[(2012, 16.19), (2018, 90.66)]);
    let t = df!(
        "indicator" => ["t"], "direction" => ["increase"], "target_value" => [40.0], "target_year" => [2018i64],
        "strict" => [true], "baseline_year" => [2016i64],
    )
    .unwrap();
    let out = run(&obs, &t, &["open_sdg"]);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("achieved"));
    assert_eq!(f(&out, "progress", 0), None);
    assert_eq!(f(&out, "time_elapsed", 0), None);
    let reason = s(&out, "reason", 0).unwrap();
    assert!(
        reason.contains("the baseline (2018) is the latest usable observation"),
        "{reason}"
    );
    assert!(!reason.contains("zero value"), "{reason}");
}
