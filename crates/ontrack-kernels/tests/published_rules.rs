//! Named methods reproduce the publishing body's results by default, quirks included.
//!
//! Open SDG: the rules of sdg-build's `sdg/ProgressMeasure.py` (open-sdg/sdg-build on GitHub):
//! `SeriesProgress.__init__` replaces a zero target by 0.001, `calculate_progress_value`
//! replaces a zero base value by 0.001, and `growth_calculation(current, base, ...)` is
//! `(current/base)^(1/(t-b)) - 1` with no substitution of the current value, so a current
//! value of zero has growth -1. Expected values below are worked by hand from those formulas.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use approx::assert_relative_eq;
use ontrack_kernels::growth::Point;
use ontrack_kernels::methods::open_sdg::{self, published_growth, OpenSdgParams, UndefinedGrowth};
use ontrack_kernels::methods::{Case, Method, MethodResult, Target};
use ontrack_kernels::{Direction, Status};

const TIGHT: f64 = 1e-9;

fn assess(
    points: &[(f64, f64)],
    target: Option<(f64, f64)>,
    direction: Direction,
    params: &OpenSdgParams,
) -> MethodResult {
    let years: Vec<f64> = points.iter().map(|p| p.0).collect();
    let values: Vec<f64> = points.iter().map(|p| p.1).collect();
    let first = points[0];
    let last = points[points.len() - 1];
    let case = Case {
        years: &years,
        values: &values,
        base: Point::new(first.0, first.1),
        latest: Point::new(last.0, last.1),
        target: target.map(|(year, value)| Target {
            value,
            year,
            strict: false,
        }),
        direction,
        lower_bound: None,
        upper_bound: None,
        rates: None,
    };
    open_sdg::evaluate(&case, params)
}

fn published() -> OpenSdgParams {
    match Method::from_name("open_sdg").unwrap() {
        Method::OpenSdg(p) => p,
        other => panic!("open_sdg parsed as {other:?}"),
    }
}

/// A Statistics Canada series published through Open SDG: lower is better, 81124 in 2015,
/// 0 in 2023, target 0.001 by 2030. Published progress value 1.4224293, target achieved
/// (score 5).
///
/// g_a = (0/81124)^(1/8) - 1 = -1 (the zero current value is used as it is);
/// g_r = (0.001/81124)^(1/15) - 1 = exp(ln(1.23268e-8)/15) - 1 = 0.2969774 - 1 = -0.7030226;
/// R = s·d·g_a/|g_r| = 1·(-1)·(-1)/0.7030226 = 1.4224293.
#[test]
fn statistics_canada_zero_current_value_as_published() {
    let r = assess(
        &[(2015.0, 81124.0), (2019.0, 40000.0), (2023.0, 0.0)],
        Some((2030.0, 0.001)),
        Direction::Decrease,
        &published(),
    );
    let ga = published_growth(Point::new(2015.0, 81124.0), Point::new(2023.0, 0.0)).unwrap();
    assert_relative_eq!(ga, -1.0, max_relative = TIGHT);
    let gr = published_growth(Point::new(2015.0, 81124.0), Point::new(2030.0, 0.001)).unwrap();
    assert_relative_eq!(gr, -0.703_022_616_7, max_relative = TIGHT);
    // The published figure, to the 7 decimals Open SDG reports.
    assert!((r.ratio.unwrap() - 1.422_429_3).abs() < 5e-8, "{r:?}");
    assert_eq!(r.status, Status::Achieved);
    assert_eq!(r.label, "target_achieved");
    assert_eq!(r.score, Some(5.0));
    assert_eq!(r.reason, None);
}

/// A zero current value is never replaced, so target 0 (→ 0.001) is met by it, and, when
/// higher is better, a fall to zero is growth -1: 50 in 2015, 0 in 2020, target 80 by 2030:
/// g_r = (80/50)^(1/15) - 1 = 1.6^(1/15) - 1 = 0.0318296393; R = 1·1·(-1)/0.0318296393 =
/// -31.4172582671 < 0: deterioration, score max(4.1667·R - 2.5, -5) = -5.
#[test]
fn zero_current_value_is_growth_minus_one() {
    let r = assess(
        &[(2015.0, 81124.0), (2022.0, 0.0)],
        Some((2030.0, 0.0)),
        Direction::Decrease,
        &published(),
    );
    assert_eq!(r.status, Status::Achieved);
    assert!((r.ratio.unwrap() - 1.422_429_3).abs() < 5e-8);
    assert!(r.reason.unwrap().contains("zero target replaced by 0.001"));

    let r = assess(
        &[(2015.0, 50.0), (2020.0, 0.0)],
        Some((2030.0, 80.0)),
        Direction::Increase,
        &published(),
    );
    assert_relative_eq!(r.ratio.unwrap(), -31.417_258_267_1, max_relative = TIGHT);
    assert_eq!(r.label, "deterioration");
    assert_eq!(r.score, Some(-5.0));
    assert_eq!(r.reason, None);
}

/// Base value zero, higher is better: 0 in 2015, 10 in 2020, target 30 by 2030.
/// Base → 0.001: g_a = (10/0.001)^(1/5) - 1 = 10^(4/5) - 1 = 5.3095734448;
/// g_r = (30/0.001)^(1/15) - 1 = 30000^(1/15) - 1 = 0.9882672101;
/// R = 5.3095734448/0.9882672101 = 5.3726091392 ≥ 0.95: substantial progress, score
/// min(7.1429·5.3726 - 4.2857, 5) = 5.
#[test]
fn zero_base_value_is_replaced_by_a_thousandth() {
    let r = assess(
        &[(2015.0, 0.0), (2020.0, 10.0)],
        Some((2030.0, 30.0)),
        Direction::Increase,
        &published(),
    );
    assert_relative_eq!(r.ratio.unwrap(), 5.372_609_139_2, max_relative = TIGHT);
    assert_eq!(r.label, "substantial_progress");
    assert_eq!(r.status, Status::OnTrack);
    assert_eq!(r.score, Some(5.0));
    assert!(r
        .reason
        .unwrap()
        .contains("zero base value replaced by 0.001"));

    // Lower is better, 0 in 2015 → 4 in 2019, target 2 by 2030: base → 0.001,
    // g_a = (4/0.001)^(1/4) - 1 = 4000^(1/4) - 1 = 6.9527072877,
    // g_r = (2/0.001)^(1/15) - 1 = 2000^(1/15) - 1 = 0.6598493258,
    // R = -6.9527072877/0.6598493258 = -10.5368104751 < 0: deterioration, score
    // max(4.1667·R - 2.5, -5) = -5.
    let r = assess(
        &[(2015.0, 0.0), (2019.0, 4.0)],
        Some((2030.0, 2.0)),
        Direction::Decrease,
        &published(),
    );
    assert_relative_eq!(r.ratio.unwrap(), -10.536_810_475_1, max_relative = TIGHT);
    assert_eq!(r.label, "deterioration");
    assert_eq!(r.score, Some(-5.0));
}

/// Target zero, lower is better: 50 in 2015, 20 in 2021, target 0 by 2030. Target → 0.001:
/// g_a = (20/50)^(1/6) - 1 = 0.4^(1/6) - 1 = -0.1416257811;
/// g_r = (0.001/50)^(1/15) - 1 = (2e-5)^(1/15) - 1 = -0.5138891294;
/// R = (-1)·(-0.1416257811)/0.5138891294 = 0.2755959855: 0 ≤ R < 0.60, limited progress;
/// score 4.1667·0.2755959855 - 2.5 = -1.3516742071.
#[test]
fn zero_target_is_replaced_by_a_thousandth() {
    let r = assess(
        &[(2015.0, 50.0), (2018.0, 30.0), (2021.0, 20.0)],
        Some((2030.0, 0.0)),
        Direction::Decrease,
        &published(),
    );
    assert_relative_eq!(r.ratio.unwrap(), 0.275_595_985_5, max_relative = TIGHT);
    assert_eq!(r.label, "limited_progress");
    assert_eq!(r.status, Status::OffTrack);
    assert_relative_eq!(r.score.unwrap(), -1.351_674_207_1, max_relative = TIGHT);
    assert!(r.reason.unwrap().contains("zero target replaced by 0.001"));

    // Open SDG checks "achieved" against the substituted target: 0.0005 ≤ 0.001.
    let r = assess(
        &[(2015.0, 50.0), (2021.0, 0.0005)],
        Some((2030.0, 0.0)),
        Direction::Decrease,
        &published(),
    );
    assert_eq!(r.status, Status::Achieved);
}

/// Opposite signs of base and current value: Open SDG publishes no progress value.
#[test]
fn change_of_sign_is_not_assessed_by_default() {
    let r = assess(
        &[(2015.0, 5.0), (2020.0, -2.0)],
        Some((2030.0, 10.0)),
        Direction::Increase,
        &published(),
    );
    assert_eq!(r.status, Status::InsufficientData);
    assert!(r.reason.unwrap().contains("annual_change"));
    let r = assess(
        &[(2015.0, 5.0), (2020.0, -2.0)],
        None,
        Direction::Increase,
        &published(),
    );
    assert_eq!(r.status, Status::InsufficientData);
}

/// The sign `s` is the base value's, as in sdg-build (not "every value negative"): -10 in
/// 2015, 1 in 2017, -5 in 2020, higher is better, no target: s = -1,
/// g_a = (-5/-10)^(1/5) - 1 = 0.5^0.2 - 1 = -0.1294494367, p = s·d·g_a = 0.1294494367
/// ≥ 0.015: substantial progress.
#[test]
fn sign_follows_the_base_value() {
    let r = assess(
        &[(2015.0, -10.0), (2017.0, 1.0), (2020.0, -5.0)],
        None,
        Direction::Increase,
        &published(),
    );
    assert_relative_eq!(r.ratio.unwrap(), 0.129_449_436_7, max_relative = TIGHT);
    assert_eq!(r.label, "substantial_progress");
}

/// ontrack's alternative stays available: no substitution, annual changes compared where a
/// growth rate is undefined. 81124 (2015) → 0 (2022), target -1 by 2030, lower is better:
/// Δ_a = -81124/7 per year, Δ_r = -81125/15 per year, R = d·Δ_a/|Δ_r| = (81124/7)/(81125/15).
#[test]
fn annual_change_fallback_is_an_explicit_parameter() {
    let params = OpenSdgParams {
        undefined_growth: UndefinedGrowth::AnnualChange,
        ..OpenSdgParams::default()
    };
    let r = assess(
        &[(2015.0, 81124.0), (2022.0, 0.0)],
        Some((2030.0, -1.0)),
        Direction::Decrease,
        &params,
    );
    let expected = (81124.0 / 7.0) / ((81124.0 + 1.0) / 15.0);
    assert_relative_eq!(r.ratio.unwrap(), expected, max_relative = TIGHT);
    assert!(r.reason.unwrap().contains("absolute annual changes"));

    let r = assess(
        &[(2015.0, 0.0), (2020.0, 10.0)],
        Some((2030.0, 30.0)),
        Direction::Increase,
        &params,
    );
    // Δ_a = 10/5 = 2, Δ_r = 30/15 = 2: R = 1.
    assert_relative_eq!(r.ratio.unwrap(), 1.0, max_relative = TIGHT);
    assert!(r.reason.unwrap().contains("absolute annual changes"));

    // The parameter by name, as `method_params` passes it.
    let named: OpenSdgParams = serde_json::from_value(serde_json::json!({
        "substantial": 0.95, "moderate": 0.6, "no_target_high": 0.015, "no_target_low": 0.005,
        "limit_exponent": 4.44, "score_high": [7.1429, -4.2857], "score_low": [4.1667, -2.5],
        "zero_substitute": 0.001, "undefined_growth": "annual_change", "min_points": 2
    }))
    .unwrap();
    assert_eq!(named, params);
}

/// The limit factor on magnitudes, with a limit of 0 giving 1 and a base at its limit
/// scoring 5 when kept (sdg-build `get_progress_thresholds` / `get_score`).
#[test]
fn limit_factor_edge_rules_as_published() {
    assert_relative_eq!(open_sdg::limit_factor(5.0, Some(0.0), 4.44), 1.0);
    assert_relative_eq!(
        open_sdg::limit_factor(-95.0, Some(-100.0), 4.44),
        open_sdg::limit_factor(95.0, Some(100.0), 4.44)
    );
    assert_relative_eq!(open_sdg::limit_factor(100.0, Some(100.0), 4.44), 0.0);
    let p = published();
    assert_relative_eq!(open_sdg::score_without_target(0.0, 0.0, &p), 5.0);
    assert_relative_eq!(open_sdg::score_without_target(-0.01, 0.0, &p), -3.75);
}

/// `Method::all` is every named method, once each, in `NAMES` order, with the defaults
/// `from_name` gives.
#[test]
fn all_methods_are_every_name_with_its_defaults() {
    let all = Method::all();
    let names: Vec<&str> = all.iter().map(Method::name).collect();
    assert_eq!(names, Method::NAMES.to_vec());
    for (m, name) in all.iter().zip(Method::NAMES) {
        assert_eq!(Some(m.clone()), Method::from_name(name));
    }
}

/// SDSN scores an indicator only after normalising it between its bounds (Sustainable
/// Development Report, "Methods summary", <https://dashboards.sdgindex.org/chapters/methodology>:
/// indicators are rescaled from 0 to 100 between a lower and an upper bound). Without bounds
/// there is no score and no trend arrow: `insufficient_data` with the reason, by default. With
/// bounds 0 and 100 the same series is assessed: 60 (2015) → 70 (2020), target 100 by 2030:
/// achieved 2 points a year against (100 - 60)/15 = 2.6667 needed, 75 % → moderately improving.
#[test]
fn sdsn_without_bounds_is_not_scored_by_default() {
    let years = [2015.0, 2020.0];
    let values = [60.0, 70.0];
    let case = |lower, upper| Case {
        years: &years,
        values: &values,
        base: Point::new(2015.0, 60.0),
        latest: Point::new(2020.0, 70.0),
        target: Some(Target {
            value: 100.0,
            year: 2030.0,
            strict: false,
        }),
        direction: Direction::Increase,
        lower_bound: lower,
        upper_bound: upper,
        rates: None,
    };
    let sdsn = Method::from_name("sdsn").unwrap();
    let r = sdsn.evaluate(&case(None, None));
    assert_eq!(r.status, Status::InsufficientData);
    assert!(r.reason.unwrap().contains("bounds"));
    let r = sdsn.evaluate(&case(Some(0.0), Some(100.0)));
    assert_eq!(r.label, "moderately_improving");
    assert_relative_eq!(r.ratio.unwrap(), 0.75, max_relative = TIGHT);
}

/// ESCAP's anticipated progress index is estimated from the data since 2000 (ESCAP, SDG
/// progress report technical notes, <https://data.unescap.org/dataviz/methodology/technical-notes.html>;
/// the UN regional commissions applying it, e.g. UNECE,
/// <https://w3.unece.org/sdg2023/technical-notes.html>: "estimated using the available data
/// between 2000 and" the latest year). A flat 50 in 1995 and 1998, then 5 % a year from 50 in
/// 2000 (2005: 50·1.05^5, 2010: 50·1.05^10), target 100 by 2030, base 1995: fitted on 2000 on,
/// the log-linear slope is ln 1.05 whatever the weights, ŷ_2030 = 50·1.05^10·1.05^20, and
/// A = (ŷ_2030 - 50)/(100 - 50) = 1.05^30 - 1 = 3.3219423751 (maintain progress).
#[test]
fn escap_fits_on_data_since_2000_by_default() {
    let years = [1995.0, 1998.0, 2000.0, 2005.0, 2010.0];
    let values = [
        50.0,
        50.0,
        50.0,
        50.0 * 1.05f64.powi(5),
        50.0 * 1.05f64.powi(10),
    ];
    let case = Case {
        years: &years,
        values: &values,
        base: Point::new(1995.0, 50.0),
        latest: Point::new(2010.0, values[4]),
        target: Some(Target {
            value: 100.0,
            year: 2030.0,
            strict: false,
        }),
        direction: Direction::Increase,
        lower_bound: None,
        upper_bound: None,
        rates: None,
    };
    let r = Method::from_name("escap").unwrap().evaluate(&case);
    assert_relative_eq!(
        r.ratio.unwrap(),
        1.05f64.powi(30) - 1.0,
        max_relative = TIGHT
    );
    assert_eq!(r.status, Status::OnTrack);
    // Every observation in the fit (ontrack's former default): the flat start lowers the pace.
    let all = Method::Escap(ontrack_kernels::methods::escap::EscapParams {
        fit_from: None,
        ..ontrack_kernels::methods::escap::EscapParams::default()
    })
    .evaluate(&case);
    assert!(all.ratio.unwrap() < r.ratio.unwrap() - 0.1, "{all:?}");
}

/// A caller that gives the case's growth rates (as `assess` does, from its metrics) gets the
/// same Open SDG result as one that does not, zeros, sign changes and negative series
/// included: the published rule's substitutions still apply where they change a rate.
#[test]
fn open_sdg_results_are_the_same_with_the_rates_given() {
    use ontrack_kernels::growth::metrics;
    use ontrack_kernels::methods::Rates;
    let series: [&[(f64, f64)]; 8] = [
        &[(2015.0, 10.0), (2018.0, 12.0), (2021.0, 15.0)],
        &[(2015.0, 0.0), (2018.0, 3.0), (2021.0, 5.0)],
        &[(2015.0, 4.0), (2018.0, 2.0), (2021.0, 0.0)],
        &[(2015.0, -4.0), (2018.0, -3.0), (2021.0, -1.0)],
        &[(2015.0, -2.0), (2018.0, 1.0), (2021.0, 3.0)],
        &[(2015.0, 5.0), (2021.0, 5.0)],
        &[(2015.0, 81124.0), (2023.0, 0.0)],
        &[(2015.0, 1e-3), (2016.0, 2e300)],
    ];
    let targets = [0.0, 20.0, -5.0, 0.001, 5.0];
    let mut compared = 0;
    for points in series {
        let years: Vec<f64> = points.iter().map(|p| p.0).collect();
        let values: Vec<f64> = points.iter().map(|p| p.1).collect();
        let (base, latest) = (points[0], points[points.len() - 1]);
        let (base, latest) = (Point::new(base.0, base.1), Point::new(latest.0, latest.1));
        for &value in &targets {
            for direction in [Direction::Increase, Direction::Decrease] {
                for policy in [UndefinedGrowth::Published, UndefinedGrowth::AnnualChange] {
                    let params = OpenSdgParams {
                        undefined_growth: policy,
                        ..published()
                    };
                    let m = metrics(base, latest, value, 2030.0, direction);
                    let case = Case {
                        years: &years,
                        values: &values,
                        base,
                        latest,
                        target: Some(Target {
                            value,
                            year: 2030.0,
                            strict: false,
                        }),
                        direction,
                        lower_bound: None,
                        upper_bound: None,
                        rates: None,
                    };
                    let given = Case {
                        rates: Some(Rates {
                            achieved: m.achieved_growth,
                            required: m.required_growth,
                        }),
                        ..case
                    };
                    let (a, b) = (
                        open_sdg::evaluate(&case, &params),
                        open_sdg::evaluate(&given, &params),
                    );
                    assert_eq!(a, b, "{points:?} target {value} {direction:?} {policy:?}");
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 8 * 5 * 2 * 2);
}
