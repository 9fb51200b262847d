//! Golden examples of docs/methods.md#golden-examples (G1–G6, G10, G12–G14), asserted through
//! `assess`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::*;
use ontrack::polars::prelude::*;

fn g1() -> (DataFrame, DataFrame) {
    (
        series("x", &[(2015, 50.0), (2020, 60.0)]),
        target("x", "increase", 80.0, 2030, false),
    )
}

fn g2() -> (DataFrame, DataFrame) {
    (
        series("x", &[(2015, 10.0), (2021, 8.0)]),
        target("x", "decrease", 5.0, 2030, false),
    )
}

#[test]
fn g1_open_sdg_increase() {
    let (obs, t) = g1();
    let out = run(&obs, &t, &["open_sdg"]);
    assert_eq!(out.height(), 1);
    close(f(&out, "achieved_growth", 0), 0.037_137_289_3);
    close(f(&out, "required_growth", 0), 0.031_829_639_3);
    close(f(&out, "method_ratio", 0), 1.166_751_810_4);
    close(f(&out, "growth_ratio", 0), 1.166_751_810_4);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("substantial_progress")
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("on_track"));
    close_abs(f(&out, "score", 0), 4.048_291_5, 5e-8);
}

#[test]
fn g2_open_sdg_decrease() {
    let (obs, t) = g2();
    let out = run(&obs, &t, &["open_sdg"]);
    close(f(&out, "achieved_growth", 0), -0.036_507_516_0);
    close(f(&out, "required_growth", 0), -0.045_158_396_1);
    close(f(&out, "method_ratio", 0), 0.808_432_521_1);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("moderate_progress")
    );
    assert_eq!(s(&out, "status", 0).as_deref(), Some("needs_acceleration"));
}

#[test]
fn g3_open_sdg_scores_without_target() {
    use ontrack::kernels::methods::open_sdg::{score_without_target, OpenSdgParams};
    let p = OpenSdgParams::default();
    for (g, expected) in [(0.01, 1.25), (0.02, 5.0), (-0.01, -3.75), (0.003, -1.0)] {
        approx::assert_relative_eq!(
            score_without_target(g, 1.0, &p),
            expected,
            max_relative = 1e-12
        );
    }
    // Through assess: a direction target growing 1%/yr scores 1.25 (moderate progress).
    let obs = series("x", &[(2015, 100.0), (2016, 101.0)]);
    let t = df!("id" => ["T"], "indicator" => ["x"], "kind" => ["direction"], "direction" => ["increase"]).unwrap();
    let out = run(&obs, &t, &["open_sdg"]);
    close(f(&out, "score", 0), 1.25);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("moderate_progress")
    );
}

#[test]
fn g4_open_sdg_limit_factor() {
    use ontrack::kernels::methods::open_sdg::limit_factor;
    close(Some(limit_factor(95.0, Some(100.0), 4.44)), 0.203_670_494_4);
    close(Some(limit_factor(50.0, Some(100.0), 4.44)), 0.953_929_087_0);
    close(
        Some(limit_factor(105.0, Some(100.0), 4.44)),
        0.203_670_494_4,
    );
    close(Some(limit_factor(200.0, Some(100.0), 4.44)), 1.0);
    // Through assess: the upper bound is the limit of an increase indicator without target.
    let obs = series("x", &[(2015, 95.0), (2016, 95.5)]);
    let t = df!(
        "id" => ["T"], "indicator" => ["x"], "kind" => ["direction"], "direction" => ["increase"],
        "upper_bound" => [100.0],
    )
    .unwrap();
    let out = run(&obs, &t, &["open_sdg"]);
    let p = 95.5f64 / 95.0 - 1.0;
    let c = 0.203_670_494_4;
    // p = 0.526% ≥ 1.5%·C = 0.305%: substantial progress, score 500p/C − 5 clipped to 5.
    assert!(p >= 0.015 * c);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("substantial_progress")
    );
    close_abs(
        f(&out, "score", 0),
        (500.0 * p / c - 5.0).clamp(-5.0, 5.0),
        1e-6,
    );
}

#[test]
fn g5_unsd_2022() {
    let (obs, t) = g1();
    let out = run(&obs, &t, &["unsd_2022"]);
    close(f(&out, "method_ratio", 0), 1.166_751_810_4);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("substantial_progress")
    );
    let (obs, t) = g2();
    let out = run(&obs, &t, &["unsd_2022"]);
    close(f(&out, "method_ratio", 0), 0.808_432_521_1);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("fair_progress")
    );
}

#[test]
fn g6_unsd_2023() {
    use ontrack::kernels::growth::Point;
    use ontrack::kernels::methods::unsd::projected_at_pace;
    let (obs, t) = g1();
    let out = run(&obs, &t, &["unsd_2023"]);
    let (proj, _) =
        projected_at_pace(Point::new(2015.0, 50.0), Point::new(2020.0, 60.0), 2030.0).unwrap();
    close(Some(proj), 86.4);
    close(f(&out, "method_ratio", 0), 1.213_333_333_3);
    assert_eq!(s(&out, "method_status", 0).as_deref(), Some("on_track"));
    let (obs, t) = g2();
    let out = run(&obs, &t, &["unsd_2023"]);
    let (proj, _) =
        projected_at_pace(Point::new(2015.0, 10.0), Point::new(2021.0, 8.0), 2030.0).unwrap();
    close(Some(proj), 5.724_334_022_4);
    close(f(&out, "method_ratio", 0), 0.855_133_195_5);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("fair_progress")
    );
}

#[test]
fn g10_eurostat_without_target() {
    let obs = series("x", &[(2018, 100.0), (2023, 104.0)]);
    let t = df!("id" => ["T"], "indicator" => ["x"], "kind" => ["direction"], "direction" => ["increase"]).unwrap();
    let out = run(&obs, &t, &["eurostat_short_term"]);
    close(f(&out, "method_ratio", 0), 0.007_874_988_5);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("moderate_progress")
    );
}

#[test]
fn g12_strict_level() {
    let obs = series("turnover", &[(2015, 2.0), (2017, 3.2)]);
    let t = target("turnover", "increase", 4.0, 2018, true);
    let out = run(&obs, &t, &["open_sdg"]);
    close(f(&out, "achieved_growth", 0), 0.264_911_064_1);
    close(f(&out, "needed_growth", 0), 0.25);
    close(f(&out, "required_growth", 0), 0.259_921_049_9);
    close(f(&out, "method_ratio", 0), 1.019_198_191_8);
    // Exactly 4.0 in 2018 does not "exceed" 4.0 ...
    let obs = series("turnover", &[(2015, 2.0), (2017, 3.2), (2018, 4.0)]);
    let out = run(&obs, &t, &["open_sdg"]);
    assert_ne!(s(&out, "status", 0).as_deref(), Some("achieved"));
    // ... but it does "reach" it.
    let t = target("turnover", "increase", 4.0, 2018, false);
    let out = run(&obs, &t, &["open_sdg"]);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("achieved"));
}

#[test]
fn g13_schedule() {
    let obs = series("share", &[(2015, 9.0), (2017, 10.5)]);
    let t = target("share", "increase", 12.0, 2018, false);
    let out = run(&obs, &t, &["open_sdg"]);
    close(f(&out, "progress", 0), 0.5);
    close(f(&out, "time_elapsed", 0), 0.666_666_666_7);
    close(f(&out, "schedule_gap", 0), -0.166_666_666_67);
    close(f(&out, "needed_change", 0), 1.5);
    close(f(&out, "achieved_change", 0), 0.75);
}

#[test]
fn g14_cumulative() {
    let obs = series("projects", &[(2016, 1500.0), (2017, 1600.0)]);
    let t = df!(
        "id" => ["T"], "indicator" => ["projects"], "kind" => ["cumulative"], "direction" => ["increase"],
        "target_value" => [5000.0], "target_year" => [2018i64], "window_start" => [2016i64],
    )
    .unwrap();
    let out = run(&obs, &t, &["open_sdg"]);
    close(f(&out, "completion_rate", 0), 0.62);
    close(f(&out, "time_elapsed", 0), 0.666_666_666_7);
    close(f(&out, "needed_change", 0), 1900.0);
    close(f(&out, "achieved_change", 0), 1550.0);
    close(f(&out, "latest_value", 0), 3100.0);
    assert_eq!(f(&out, "baseline_year", 0), Some(2015.0));
}

// Goldens of ESCAP, SDSN, Destatis, WHO AROC, plan monitoring and UNSD's AARR variant, through
// `assess` (the kernels test them on slices too).

#[test]
fn g7_destatis_through_assess() {
    let obs = series(
        "x",
        &[
            (2017, 40.0),
            (2018, 42.0),
            (2019, 43.0),
            (2020, 45.0),
            (2021, 46.0),
            (2022, 48.0),
        ],
    );
    let methods = ["destatis_absolute", "destatis_relative"];
    let out = run(&obs, &target("x", "increase", 60.0, 2030, false), &methods);
    assert_eq!(s(&out, "method_status", 0).as_deref(), Some("sun"));
    assert_eq!(s(&out, "method_status", 1).as_deref(), Some("sun"));
    let out = run(&obs, &target("x", "increase", 66.0, 2030, false), &methods);
    // Absolute: 48 + 8·1.6 = 60.8, miss (66 − 60.8)/(66 − 48) = 28.9% → cloud.
    assert_eq!(s(&out, "method_status", 0).as_deref(), Some("cloud"));
    close_abs(f(&out, "method_ratio", 0), 5.2 / 18.0, 1e-12);
    // Relative: 48·(48/40)^(8/5) = 64.2586, miss 9.67% → sun with cloud.
    assert_eq!(
        s(&out, "method_status", 1).as_deref(),
        Some("sun_with_cloud")
    );
    close_abs(f(&out, "method_ratio", 1), 0.0967, 5e-5);
}

#[test]
fn g8_escap_current_status_through_assess() {
    let obs = series("x", &[(2015, 50.0), (2018, 55.0), (2020, 60.0)]);
    let out = run(
        &obs,
        &target("x", "increase", 80.0, 2030, false),
        &["escap", "china_plan"],
    );
    close(f(&out, "score", 0), 0.333_333_333_3);
    close(f(&out, "progress", 0), 0.333_333_333_3);
    // The recency-weighted log-linear pace (about 3.6% a year) carries 60 past 80 by 2030.
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("maintain_progress")
    );
}

#[test]
fn g11_unsd_rate_of_reduction_through_assess() {
    let obs = series("x", &[(2015, 10.0), (2021, 8.0)]);
    let out = run(
        &obs,
        &target("x", "decrease", 5.0, 2030, false),
        &["unsd_2022_aarr"],
    );
    close(f(&out, "method_ratio", 0), 0.804_820_237_2);
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("fair_progress")
    );
}

#[test]
fn open_sdg_zero_rules_are_the_published_ones_and_annual_changes_an_option() {
    use ontrack::kernels::methods::open_sdg::{OpenSdgParams, UndefinedGrowth};
    use ontrack::kernels::methods::Method;
    let obs = series("x", &[(2015, 0.0), (2020, 10.0)]);
    let t = target("x", "increase", 30.0, 2030, false);
    // sdg-build (sdg/ProgressMeasure.py) replaces a zero base value by 0.001:
    // R = g_a/g_r = ((10/0.001)^(1/5) - 1)/((30/0.001)^(1/15) - 1).
    let default = run(&obs, &t, &["open_sdg"]);
    let ga = (10.0f64 / 0.001).powf(1.0 / 5.0) - 1.0;
    let gr = (30.0f64 / 0.001).powf(1.0 / 15.0) - 1.0;
    close(f(&default, "method_ratio", 0), ga / gr);
    assert!(s(&default, "reason", 0)
        .unwrap()
        .contains("zero base value replaced by 0.001"));
    let opts = ontrack::AssessOptions {
        methods: vec![Method::OpenSdg(OpenSdgParams {
            undefined_growth: UndefinedGrowth::AnnualChange,
            ..OpenSdgParams::default()
        })],
        ..ontrack::AssessOptions::default()
    };
    let out = ontrack::assess(&obs, &t, &opts).unwrap();
    // ontrack's alternative: Δ_a = 10/5 = 2 per year against Δ_r = 30/15 = 2: R = 1.
    close(f(&out, "method_ratio", 0), 1.0);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("absolute annual changes"));
}

#[test]
fn method_parameters_override_the_published_defaults_by_name() {
    let obs = series("x", &[(2015, 0.0), (2020, 10.0)]);
    let t = target("x", "increase", 30.0, 2030, false);
    let opts = ontrack::AssessOptions::default()
        .with_methods(["open_sdg", "unsd_2023"])
        .unwrap()
        .with_method_params(r#"{"open_sdg": {"undefined_growth": "annual_change"}}"#)
        .unwrap();
    let out = ontrack::assess(&obs, &t, &opts).unwrap();
    close(f(&out, "method_ratio", 0), 1.0);
    // The other method keeps its defaults: the same as without overrides.
    let plain = run(&obs, &t, &["open_sdg", "unsd_2023"]);
    assert_eq!(s(&out, "method_status", 1), s(&plain, "method_status", 1));
    assert_eq!(f(&out, "method_ratio", 1), f(&plain, "method_ratio", 1));

    // Raising Open SDG's moderate cut-off above R turns moderate progress into limited.
    let obs = series("x", &[(2015, 50.0), (2020, 55.0)]);
    let t = target("x", "increase", 80.0, 2030, false);
    let base = run(&obs, &t, &["open_sdg"]);
    let r = f(&base, "method_ratio", 0).unwrap();
    assert!((0.60..0.95).contains(&r), "{r}");
    assert_eq!(
        s(&base, "method_status", 0).as_deref(),
        Some("moderate_progress")
    );
    let strict = ontrack::AssessOptions::default()
        .with_methods(["open_sdg"])
        .unwrap()
        .with_method_params(&format!(r#"{{"open_sdg": {{"moderate": {}}}}}"#, r + 0.01))
        .unwrap();
    let out = ontrack::assess(&obs, &t, &strict).unwrap();
    assert_eq!(
        s(&out, "method_status", 0).as_deref(),
        Some("limited_progress")
    );
}

#[test]
fn method_parameter_errors_name_the_method_and_the_parameter() {
    let opts = || {
        ontrack::AssessOptions::default()
            .with_methods(["open_sdg", "eurostat_long_term"])
            .unwrap()
    };
    let message = |json: &str| opts().with_method_params(json).unwrap_err().to_string();
    let unknown = message(r#"{"open_sdg": {"moderat": 0.5}}"#);
    assert!(
        unknown.contains("open_sdg")
            && unknown.contains("\"moderat\"")
            && unknown.contains("moderate"),
        "{unknown}"
    );
    let wrong_type = message(r#"{"open_sdg": {"moderate": "high"}}"#);
    assert!(
        wrong_type.contains("invalid parameter value"),
        "{wrong_type}"
    );
    let not_selected = message(r#"{"unsd_2023": {"cuts": [0.9, 0.4]}}"#);
    assert!(
        not_selected.contains("not among the selected methods"),
        "{not_selected}"
    );
    let other_method = message(r#"{"eurostat_long_term": {"window": "short_term"}}"#);
    assert!(
        other_method.contains("eurostat_short_term"),
        "{other_method}"
    );
    assert!(message("[1, 2]").contains("expected an object"));
    assert!(message("{").contains("not JSON"));
}
