//! `compare_methods` and `sensitivity`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::*;
use ontrack::polars::prelude::*;
use ontrack::{compare_methods, sensitivity, AssessOptions, SensitivityOptions};

fn b(df: &DataFrame, col: &str, row: usize) -> Option<bool> {
    df.column(col).unwrap().bool().unwrap().get(row)
}

#[test]
fn methods_that_disagree_are_marked() {
    // G1 and G2 side by side: on G1 every method says on_track; on G2 Open SDG and UNSD say
    // needs_acceleration; Eurostat's short-term window has no base (6 years, 2 points).
    let obs = df!(
        "indicator" => ["g1", "g1", "g2", "g2"],
        "year" => [2015i64, 2020, 2015, 2021],
        "value" => [50.0, 60.0, 10.0, 8.0],
    )
    .unwrap();
    let targets = df!(
        "id" => ["A", "B"], "indicator" => ["g1", "g2"], "direction" => ["increase", "decrease"],
        "target_value" => [80.0, 5.0], "target_year" => [2030i64, 2030],
    )
    .unwrap();
    let opts = AssessOptions::default()
        .with_methods(["open_sdg", "unsd_2022", "unsd_2023", "eurostat_short_term"])
        .unwrap();
    let out = compare_methods(&obs, &targets, &opts).unwrap();
    assert_eq!(out.height(), 8);
    assert_eq!(b(&out, "methods_agree", 0), Some(true));
    assert_eq!(s(&out, "consensus_status", 0).as_deref(), Some("on_track"));
    assert_eq!(f(&out, "n_assessed_methods", 0), Some(4.0));
    // G2: open_sdg, unsd_2022, unsd_2023 → needs_acceleration; eurostat_short_term: the
    // 2021 latest point gives a window from 2016, whose first observation is 2021 itself.
    assert_eq!(s(&out, "status", 7).as_deref(), Some("insufficient_data"));
    assert_eq!(b(&out, "methods_agree", 4), Some(true));
    assert_eq!(f(&out, "n_assessed_methods", 4), Some(3.0));
    assert_eq!(
        s(&out, "status_spread", 4).as_deref(),
        Some("needs_acceleration: open_sdg, unsd_2022, unsd_2023; insufficient_data: eurostat_short_term")
    );
}

#[test]
fn a_real_disagreement_and_its_consensus() {
    // Fast growth 2010–2015, then stagnation: over the whole window the pace is ahead of
    // schedule (Open SDG R = 1.20, UNSD 2023 E = 1.27), but Eurostat's short-term window
    // (2015–2020, R = 0.17) sees insufficient progress.
    let obs = series("x", &[(2010, 50.0), (2015, 70.0), (2020, 71.0)]);
    let t = target("x", "increase", 90.0, 2030, false);
    let opts = AssessOptions::default()
        .with_methods(["open_sdg", "unsd_2023", "eurostat_short_term"])
        .unwrap();
    let out = compare_methods(&obs, &t, &opts).unwrap();
    let statuses: Vec<_> = (0..3).map(|r| s(&out, "status", r).unwrap()).collect();
    assert_eq!(statuses, ["on_track", "on_track", "off_track"]);
    for r in 0..3 {
        assert_eq!(b(&out, "methods_agree", r), Some(false));
        assert_eq!(s(&out, "consensus_status", r).as_deref(), Some("on_track"));
    }
    assert_eq!(
        s(&out, "status_spread", 0).as_deref(),
        Some("on_track: open_sdg, unsd_2023; off_track: eurostat_short_term")
    );
}

#[test]
fn one_method_is_not_a_comparison() {
    let obs = series("x", &[(2015, 1.0), (2016, 2.0)]);
    let e = compare_methods(
        &obs,
        &target("x", "increase", 3.0, 2030, false),
        &AssessOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("at least two methods"));
}

#[test]
fn sensitivity_to_base_year_and_latest_point() {
    // Steady growth: robust. A series whose last point jumps: sensitive to the latest point.
    // A series that fell then rose: its status depends on the base year.
    let obs = df!(
        "indicator" => ["steady"; 6].into_iter().chain(["jump"; 6]).chain(["vee"; 6]).collect::<Vec<_>>(),
        "year" => (0..18).map(|i| 2010 + (i % 6) as i64).collect::<Vec<_>>(),
        "value" => [
            100.0, 104.0, 108.2, 112.5, 117.0, 121.7,
            100.0, 100.5, 101.0, 101.4, 101.9, 125.0,
            100.0, 80.0, 70.0, 75.0, 85.0, 95.0,
        ],
    )
    .unwrap();
    let targets = df!(
        "id" => ["S", "J", "V"], "indicator" => ["steady", "jump", "vee"],
        "direction" => ["increase"; 3], "target_value" => [150.0, 130.0, 150.0], "target_year" => [2020i64; 3],
    )
    .unwrap();
    let out = sensitivity(&obs, &targets, &SensitivityOptions::default()).unwrap();
    assert_eq!(out.height(), 3);
    let row = |id: &str| {
        (0..3)
            .find(|&r| s(&out, "target_id", r).as_deref() == Some(id))
            .unwrap()
    };
    assert_eq!(s(&out, "robustness", row("S")).as_deref(), Some("robust"));
    assert_eq!(f(&out, "share_same_status", row("S")), Some(1.0));
    assert_eq!(
        s(&out, "robustness", row("J")).as_deref(),
        Some("sensitive_to_latest_point")
    );
    let vee = row("V");
    assert!(matches!(
        s(&out, "robustness", vee).as_deref(),
        Some("sensitive_to_base_year" | "fragile")
    ));
    let listed = s(&out, "statuses_by_base_year", vee).unwrap();
    assert!(
        listed.contains("2010: ") && listed.contains("2013: "),
        "{listed}"
    );
    assert!(f(&out, "share_same_status", vee).unwrap() < 1.0);
}

#[test]
fn explicit_base_years() {
    let obs = series(
        "x",
        &[(2010, 100.0), (2012, 90.0), (2014, 110.0), (2016, 120.0)],
    );
    let opts = SensitivityOptions {
        base_years: Some(vec![2010.0, 2012.0]),
        ..SensitivityOptions::default()
    };
    let out = sensitivity(&obs, &target("x", "increase", 140.0, 2020, false), &opts).unwrap();
    assert_eq!(f(&out, "n_base_years", 0), Some(2.0));
}
