//! Golden examples and direction tests of ESCAP, SDSN, Destatis, WHO AROC, Chinese plan
//! monitoring and UNSD's AARR variant (docs/methods.md, golden examples G7–G9, G11, G13, G15).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::too_many_lines,
    clippy::cast_precision_loss,
    missing_docs
)]

use approx::assert_relative_eq;
use ontrack_kernels::growth::{aarr, Point};
use ontrack_kernels::methods::destatis::{self, DestatisParams, Reading};
use ontrack_kernels::methods::escap::{self, EscapParams, RecencyWeights};
use ontrack_kernels::methods::sdsn::{self, SdsnParams, DEFAULT_MAX_MISSING_SHARE};
use ontrack_kernels::methods::unsd::Unsd2022Params;
use ontrack_kernels::methods::who_aroc::{self, ArocCaps, ArocType, Scenario, WhoArocParams};
use ontrack_kernels::methods::{china, Case, Method, MethodResult, Target};
use ontrack_kernels::{Direction, Status};

const TIGHT: f64 = 1e-9;

/// A series with its target; `case()` borrows it as a [`Case`] with the first point as base
/// and the last as latest.
#[derive(Debug, Clone)]
struct Series {
    years: Vec<f64>,
    values: Vec<f64>,
    target: Option<Target>,
    direction: Direction,
    lower: Option<f64>,
    upper: Option<f64>,
}

impl Series {
    fn new(
        years: &[f64],
        values: &[f64],
        target: Option<(f64, f64)>,
        direction: Direction,
    ) -> Self {
        Self {
            years: years.to_vec(),
            values: values.to_vec(),
            target: target.map(|(year, value)| Target {
                value,
                year,
                strict: false,
            }),
            direction,
            lower: None,
            upper: None,
        }
    }

    fn yearly(
        first: f64,
        values: &[f64],
        target: Option<(f64, f64)>,
        direction: Direction,
    ) -> Self {
        let years: Vec<f64> = (0..values.len()).map(|i| first + i as f64).collect();
        Self::new(&years, values, target, direction)
    }

    fn bounded(mut self, lower: f64, upper: f64) -> Self {
        self.lower = Some(lower);
        self.upper = Some(upper);
        self
    }

    fn case(&self) -> Case<'_> {
        let base = Point::new(self.years[0], self.values[0]);
        let n = self.years.len() - 1;
        let latest = Point::new(self.years[n], self.values[n]);
        Case {
            years: &self.years,
            values: &self.values,
            base,
            latest,
            target: self.target,
            direction: self.direction,
            lower_bound: self.lower,
            upper_bound: self.upper,
            rates: None,
        }
    }

    /// Reflect about `c`: `v -> c - v`, targets and bounds likewise, direction flipped.
    /// Exact for methods built on absolute changes.
    fn reflected(&self, c: f64) -> Self {
        Self {
            years: self.years.clone(),
            values: self.values.iter().map(|v| c - v).collect(),
            target: self.target.map(|t| Target {
                value: c - t.value,
                ..t
            }),
            direction: self.direction.flipped(),
            lower: self.upper.map(|u| c - u),
            upper: self.lower.map(|l| c - l),
        }
    }

    /// Invert: `v -> 1/v`, direction flipped. Exact mirror for growth rates (`ln(1/y) = -ln y`).
    fn inverted(&self) -> Self {
        Self {
            years: self.years.clone(),
            values: self.values.iter().map(|v| 1.0 / v).collect(),
            target: self.target.map(|t| Target {
                value: 1.0 / t.value,
                ..t
            }),
            direction: self.direction.flipped(),
            lower: None,
            upper: None,
        }
    }

    fn eval(&self, method: &Method) -> MethodResult {
        method.evaluate(&self.case())
    }
}

fn method(name: &str) -> Method {
    Method::from_name(name).unwrap_or_else(|| panic!("unknown method {name}"))
}

// ---------------------------------------------------------------------------------------------
// Registry

#[test]
fn every_new_name_round_trips() {
    for name in [
        "escap",
        "sdsn",
        "destatis_absolute",
        "destatis_relative",
        "who_aroc",
        "china_plan",
    ] {
        assert!(Method::NAMES.contains(&name), "{name} missing from NAMES");
        assert_eq!(method(name).name(), name);
    }
    for name in Method::NAMES {
        assert_eq!(method(name).name(), name);
    }
}

// ---------------------------------------------------------------------------------------------
// ESCAP (G8 and anticipated progress)

#[test]
fn g8_escap_current_status() {
    assert_relative_eq!(
        escap::current_status(50.0, 60.0, 80.0).unwrap(),
        0.3333333333,
        max_relative = TIGHT
    );
    // Decrease target: 10 -> 8 towards 5 covers 40% of the way.
    assert_relative_eq!(
        escap::current_status(10.0, 8.0, 5.0).unwrap(),
        0.4,
        max_relative = TIGHT
    );
    assert_eq!(escap::current_status(5.0, 6.0, 5.0), None);
}

#[test]
fn escap_weights_are_a_parameter() {
    // z = ln y = [0, 1, 1] at t = 0, 1, 2: OLS slope 0.5; linear weights (1, 2, 3) give 0.4.
    let years = [2000.0, 2001.0, 2002.0];
    let values = [1.0, 1f64.exp(), 1f64.exp()];
    let ols = escap::weighted_trend(&years, &values, RecencyWeights::Equal).unwrap();
    let lin = escap::weighted_trend(&years, &values, RecencyWeights::Linear).unwrap();
    assert!(ols.log_linear && lin.log_linear);
    assert_relative_eq!(ols.slope, 0.5, max_relative = TIGHT);
    assert_relative_eq!(lin.slope, 0.4, max_relative = TIGHT);
    assert_eq!(
        RecencyWeights::Geometric(0.5).weights(&years),
        vec![0.25, 0.5, 1.0]
    );
}

#[test]
fn escap_anticipated_progress_on_a_geometric_series_both_directions() {
    // 2% a year from 50 (2015) to 2020; any weights recover ln 1.02 exactly.
    let values: Vec<f64> = (0..6).map(|k| 50.0 * 1.02f64.powi(k)).collect();
    let up = Series::yearly(2015.0, &values, Some((2030.0, 80.0)), Direction::Increase);
    let r = up.eval(&method("escap"));
    let a = (50.0 * 1.02f64.powi(15) - 50.0) / 30.0;
    assert_relative_eq!(r.ratio.unwrap(), a, max_relative = TIGHT);
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::NeedsAcceleration, "accelerate_progress")
    );
    assert_relative_eq!(
        r.score.unwrap(),
        (values[5] - 50.0) / 30.0,
        max_relative = TIGHT
    );
    assert!(r.reason.is_none());

    // The same series falling 2% a year towards a lower target: A keeps its sign.
    let down_values: Vec<f64> = (0..6).map(|k| 50.0 / 1.02f64.powi(k)).collect();
    let down = Series::yearly(
        2015.0,
        &down_values,
        Some((2030.0, 50.0 / 1.6)),
        Direction::Decrease,
    );
    let r = down.eval(&method("escap"));
    let a = (50.0 / 1.02f64.powi(15) - 50.0) / (50.0 / 1.6 - 50.0);
    assert!(a > 0.0 && a < 1.0);
    assert_relative_eq!(r.ratio.unwrap(), a, max_relative = TIGHT);
    assert_eq!(r.status, Status::NeedsAcceleration);
    // The exact mirror (1/y) lands in the same class.
    assert_eq!(
        up.inverted().eval(&method("escap")).label,
        "accelerate_progress"
    );
}

#[test]
fn escap_classes_in_both_directions() {
    let escap = method("escap");
    // G1 data: fast enough -> maintain; its inverse (a reduction) too.
    let fast = Series::new(
        &[2015.0, 2020.0],
        &[50.0, 60.0],
        Some((2030.0, 80.0)),
        Direction::Increase,
    );
    let r = fast.eval(&escap);
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::OnTrack, "maintain_progress")
    );
    assert_relative_eq!(r.ratio.unwrap(), 1.2133333333, max_relative = TIGHT); // G6's E
    assert_eq!(fast.inverted().eval(&escap).label, "maintain_progress");
    // Moving away -> reverse, both ways.
    let away = Series::new(
        &[2015.0, 2020.0],
        &[50.0, 45.0],
        Some((2030.0, 80.0)),
        Direction::Increase,
    );
    assert_eq!(away.eval(&escap).status, Status::Regressing);
    assert_eq!(away.eval(&escap).label, "reverse_trend");
    assert_eq!(away.inverted().eval(&escap).label, "reverse_trend");
    // Met -> achieved, both ways.
    let met = Series::new(
        &[2015.0, 2020.0],
        &[50.0, 85.0],
        Some((2030.0, 80.0)),
        Direction::Increase,
    );
    assert_eq!(met.eval(&escap).status, Status::Achieved);
    assert_eq!(met.inverted().eval(&escap).status, Status::Achieved);
}

#[test]
fn escap_falls_back_to_a_linear_trend_and_says_so() {
    let s = Series::yearly(
        2015.0,
        &[0.0, 1.0, 2.0, 3.0],
        Some((2025.0, 10.0)),
        Direction::Increase,
    );
    let r = s.eval(&method("escap"));
    assert!(r.reason.as_deref().unwrap().contains("linear"));
    // Slope 1/yr exactly: 3 + 7 = 10 by 2025 -> A = 1.
    assert_relative_eq!(r.ratio.unwrap(), 1.0, max_relative = TIGHT);
    assert_eq!(r.status, Status::OnTrack);
    let mirrored = s.reflected(0.0); // 0, -1, -2, -3 towards -10
    assert_eq!(mirrored.direction, Direction::Decrease);
    let r = mirrored.eval(&method("escap"));
    assert_relative_eq!(r.ratio.unwrap(), 1.0, max_relative = TIGHT);
}

#[test]
fn escap_without_target_uses_the_direction_adjusted_slope() {
    let values: Vec<f64> = (0..6).map(|k| 50.0 * 1.02f64.powi(k)).collect();
    let up = Series::yearly(2015.0, &values, None, Direction::Increase);
    let r = up.eval(&method("escap"));
    assert_relative_eq!(r.ratio.unwrap(), 1.02f64.ln(), max_relative = TIGHT);
    assert_eq!(r.status, Status::OnTrack);
    let r = up.inverted().eval(&method("escap"));
    assert_relative_eq!(r.ratio.unwrap(), 1.02f64.ln(), max_relative = TIGHT);
    let wrong = Series::yearly(2015.0, &values, None, Direction::Decrease);
    assert_eq!(wrong.eval(&method("escap")).status, Status::Regressing);
}

// ---------------------------------------------------------------------------------------------
// SDSN (G9 and the 20% rule)

#[test]
fn g9_sdsn_normalisation_lower_is_better() {
    assert_relative_eq!(
        sdsn::normalise(30.0, 72.6, 0.0).unwrap(),
        58.6776860,
        max_relative = 1e-8
    );
    assert_eq!(sdsn::normalise(80.0, 72.6, 0.0), Some(0.0));
    assert_eq!(sdsn::normalise(-5.0, 72.6, 0.0), Some(100.0));
    assert_eq!(sdsn::normalise(1.0, 3.0, 3.0), None);
}

#[test]
fn g9_sdsn_trend_stagnating_both_directions() {
    let t = sdsn::score_trend(
        Point::new(2015.0, 60.0),
        Point::new(2022.0, 67.0),
        100.0,
        2030.0,
    )
    .unwrap();
    assert_relative_eq!(t.needed_per_year, 2.6666666667, max_relative = TIGHT);
    assert_relative_eq!(t.achieved_per_year, 1.0, max_relative = TIGHT);
    assert_relative_eq!(t.ratio.unwrap(), 0.375, max_relative = TIGHT);

    // Through the method: scores as values on a 0-100 scale, target 100 by 2030.
    let up = Series::new(
        &[2015.0, 2022.0],
        &[60.0, 67.0],
        Some((2030.0, 100.0)),
        Direction::Increase,
    )
    .bounded(0.0, 100.0);
    let r = up.eval(&method("sdsn"));
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::OffTrack, "stagnating")
    );
    assert_relative_eq!(r.ratio.unwrap(), 0.375, max_relative = TIGHT);
    assert_relative_eq!(r.score.unwrap(), 67.0, max_relative = TIGHT);

    // Lower is better: 40 -> 33 towards 0 on the same bounds is the same score path.
    let down = up.reflected(100.0);
    assert_eq!(down.direction, Direction::Decrease);
    let r = down.eval(&method("sdsn"));
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::OffTrack, "stagnating")
    );
    assert_relative_eq!(r.ratio.unwrap(), 0.375, max_relative = TIGHT);
    assert_relative_eq!(r.score.unwrap(), 67.0, max_relative = TIGHT);
}

#[test]
fn sdsn_uses_case_bounds_oriented_by_direction() {
    // G9's bounds for a lower-is-better indicator: worst 72.6 is the *upper* bound.
    let s =
        Series::new(&[2015.0, 2022.0], &[45.0, 30.0], None, Direction::Decrease).bounded(0.0, 72.6);
    let r = s.eval(&method("sdsn"));
    assert_relative_eq!(r.score.unwrap(), 58.6776860, max_relative = 1e-8);
    // No target: threshold 100 by 2030. Achieved (58.68 - 38.02)/7 against (100 - 38.02)/15.
    let s_b = 100.0 * 27.6 / 72.6;
    let s_t = 100.0 * 42.6 / 72.6;
    let ratio = ((s_t - s_b) / 7.0) / ((100.0 - s_b) / 15.0);
    assert_relative_eq!(r.ratio.unwrap(), ratio, max_relative = TIGHT);
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::NeedsAcceleration, "moderately_improving")
    );
}

#[test]
fn sdsn_classes_in_both_directions() {
    let sdsn = method("sdsn");
    let cases = [
        (vec![60.0, 61.0], Status::OffTrack, "stagnating"),
        (
            vec![60.0, 70.0],
            Status::NeedsAcceleration,
            "moderately_improving",
        ),
        (vec![60.0, 80.0], Status::OnTrack, "on_track"),
        (vec![60.0, 55.0], Status::Regressing, "decreasing"),
        (
            vec![60.0, 100.0],
            Status::Achieved,
            "maintaining_achievement",
        ),
    ];
    for (values, status, label) in cases {
        let up = Series::new(
            &[2015.0, 2020.0],
            &values,
            Some((2030.0, 100.0)),
            Direction::Increase,
        )
        .bounded(0.0, 100.0);
        let r = up.eval(&sdsn);
        assert_eq!((r.status, r.label.as_str()), (status, label), "{values:?}");
        let r2 = up.reflected(100.0).eval(&sdsn);
        assert_eq!(
            (r2.status, r2.label.as_str()),
            (status, label),
            "mirrored {values:?}"
        );
        assert_eq!(r.ratio.is_some(), r2.ratio.is_some());
        if let (Some(a), Some(b)) = (r.ratio, r2.ratio) {
            assert_relative_eq!(a, b, max_relative = TIGHT);
        }
        // Without bounds SDSN has no score: insufficient data by default, as published;
        // on request the raw values give the same class (no censoring here).
        let raw = Series::new(
            &[2015.0, 2020.0],
            &values,
            Some((2030.0, 100.0)),
            Direction::Increase,
        );
        let r0 = raw.eval(&sdsn);
        assert_eq!(r0.status, Status::InsufficientData, "raw {values:?}");
        assert!(r0.reason.unwrap().contains("bounds"));
        let raw_sdsn = Method::Sdsn(SdsnParams {
            raw_without_bounds: true,
            ..SdsnParams::default()
        });
        let r3 = raw.eval(&raw_sdsn);
        assert_eq!(r3.status, status, "raw {values:?}");
        assert!(r3.score.is_none() && r3.reason.is_some());
        assert_eq!(raw.reflected(100.0).eval(&raw_sdsn).status, status);
    }
    // Met but falling: achieved with SDSN's "decreasing" arrow.
    let s = Series::new(
        &[2015.0, 2020.0],
        &[4.0, 6.0],
        Some((2030.0, 8.0)),
        Direction::Decrease,
    )
    .bounded(0.0, 20.0);
    let r = s.eval(&sdsn);
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::Achieved, "decreasing")
    );
}

#[test]
fn sdsn_index_twenty_percent_rule() {
    let goals: Vec<Vec<Option<f64>>> = vec![
        vec![Some(80.0), Some(60.0), None, Some(70.0), Some(90.0)],
        vec![Some(50.0), Some(40.0), Some(60.0), Some(50.0), None],
    ];
    // 2 of 10 missing = 20%: still an index.
    assert_relative_eq!(sdsn::goal_score(&goals[0]).unwrap(), 75.0);
    assert_relative_eq!(sdsn::goal_score(&goals[1]).unwrap(), 50.0);
    let refs: Vec<&[Option<f64>]> = goals.iter().map(Vec::as_slice).collect();
    assert_relative_eq!(
        sdsn::index_from_indicators(&refs, DEFAULT_MAX_MISSING_SHARE).unwrap(),
        62.5
    );
    // A third missing (30%): no index.
    let mut more = goals.clone();
    more[1][0] = None;
    let refs: Vec<&[Option<f64>]> = more.iter().map(Vec::as_slice).collect();
    assert_eq!(
        sdsn::index_from_indicators(&refs, DEFAULT_MAX_MISSING_SHARE),
        None
    );
    // The free function with an explicit share; 1 of 5 (exactly 20%) and 3 of 15.
    assert!(sdsn::index(&[Some(1.0)], 0.2, 0.2).is_some());
    let three_of_fifteen =
        sdsn::missing_share(&[vec![None; 3], vec![Some(1.0); 12]].concat()).unwrap();
    assert!(sdsn::index(&[Some(1.0)], three_of_fifteen, 0.2).is_some());
    assert_eq!(sdsn::index(&[Some(1.0)], 0.2000001, 0.2), None);
    assert_eq!(sdsn::goal_score(&[None, None]), None);
    assert_eq!(sdsn::goal_score(&[]), None);
    assert_eq!(sdsn::missing_share(&[]), None);
    assert_eq!(sdsn::index(&[], 0.0, 0.2), None);
}

// ---------------------------------------------------------------------------------------------
// Destatis (G7)

fn g7(target: f64) -> Series {
    Series::yearly(
        2017.0,
        &[40.0, 42.0, 43.0, 45.0, 46.0, 48.0],
        Some((2030.0, target)),
        Direction::Increase,
    )
}

#[test]
fn g7_destatis_paces() {
    let s = g7(60.0);
    let abs = destatis::pace(
        &s.years,
        &s.values,
        2022.0,
        &DestatisParams::new(Reading::Absolute),
    )
    .unwrap();
    assert_relative_eq!(abs.rate, 1.6, max_relative = TIGHT);
    assert_relative_eq!(abs.project(2030.0).unwrap(), 60.8, max_relative = TIGHT);
    let rel = destatis::pace(
        &s.years,
        &s.values,
        2022.0,
        &DestatisParams::new(Reading::Relative),
    )
    .unwrap();
    assert_eq!(rel.reading, Reading::Relative);
    assert_relative_eq!(rel.rate, 0.037137, epsilon = 5e-7);
    assert_relative_eq!(rel.project(2030.0).unwrap(), 64.2586, epsilon = 5e-5);
}

#[test]
fn g7_destatis_target_60_is_sun_both_readings() {
    let s = g7(60.0);
    let r = s.eval(&method("destatis_absolute"));
    assert_eq!((r.status, r.label.as_str()), (Status::OnTrack, "sun"));
    assert_relative_eq!(r.ratio.unwrap(), (60.0 - 60.8) / 12.0, max_relative = TIGHT);
    let r = s.eval(&method("destatis_relative"));
    assert_eq!((r.status, r.label.as_str()), (Status::OnTrack, "sun"));
}

#[test]
fn g7_destatis_target_66() {
    let s = g7(66.0);
    let r = s.eval(&method("destatis_absolute"));
    assert_eq!((r.status, r.label.as_str()), (Status::OffTrack, "cloud"));
    assert_relative_eq!(r.ratio.unwrap(), 0.289, epsilon = 5e-4);
    let r = s.eval(&method("destatis_relative"));
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::NeedsAcceleration, "sun_with_cloud")
    );
    assert_relative_eq!(r.ratio.unwrap(), 0.0967, epsilon = 5e-5);
}

#[test]
fn g7_destatis_mirrored_decrease() {
    for (target, abs_label, rel_label) in [(60.0, "sun", "sun"), (66.0, "cloud", "sun_with_cloud")]
    {
        let s = g7(target);
        // Absolute: reflecting about 100 is exact, same miss.
        let m = s.reflected(100.0);
        let (a, b) = (
            s.eval(&method("destatis_absolute")),
            m.eval(&method("destatis_absolute")),
        );
        assert_eq!((b.label.as_str(), b.status), (abs_label, a.status));
        assert_relative_eq!(a.ratio.unwrap(), b.ratio.unwrap(), max_relative = TIGHT);
        // Relative: inverting is exact for growth rates; the class is the same.
        let inv = s.inverted();
        let r = inv.eval(&method("destatis_relative"));
        assert_eq!(r.label, rel_label, "target {target}");
    }
}

#[test]
fn destatis_thunderstorm_achieved_and_window_rules() {
    let away = Series::yearly(
        2017.0,
        &[48.0, 47.0, 46.0, 45.0, 43.0, 42.0],
        Some((2030.0, 60.0)),
        Direction::Increase,
    );
    let r = away.eval(&method("destatis_absolute"));
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::Regressing, "thunderstorm")
    );
    assert_eq!(
        away.reflected(100.0)
            .eval(&method("destatis_absolute"))
            .label,
        "thunderstorm"
    );
    assert_eq!(
        away.inverted().eval(&method("destatis_relative")).label,
        "thunderstorm"
    );
    let met = g7(45.0);
    let r = met.eval(&method("destatis_relative"));
    assert_eq!((r.status, r.label.as_str()), (Status::Achieved, "sun"));
    assert_eq!(
        met.reflected(100.0)
            .eval(&method("destatis_absolute"))
            .status,
        Status::Achieved
    );
    // Only the last five changes count: an old jump is ignored.
    let long = Series::yearly(
        2011.0,
        &[
            0.0, 10.0, 20.0, 30.0, 40.0, 40.0, 40.0, 42.0, 43.0, 45.0, 46.0, 48.0,
        ],
        Some((2030.0, 66.0)),
        Direction::Increase,
    );
    let r = long.eval(&method("destatis_absolute"));
    assert_relative_eq!(r.ratio.unwrap(), 5.2 / 18.0, max_relative = TIGHT);
    // Three points in the window are not enough.
    let sparse = Series::new(
        &[2016.0, 2018.0, 2020.0, 2022.0],
        &[1.0, 2.0, 3.0, 4.0],
        Some((2030.0, 9.0)),
        Direction::Increase,
    );
    assert_eq!(
        sparse.eval(&method("destatis_absolute")).status,
        Status::InsufficientData
    );
    // Relative over a zero falls back to absolute and says so.
    let zero = Series::yearly(
        2017.0,
        &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0],
        Some((2030.0, 13.0)),
        Direction::Increase,
    );
    let r = zero.eval(&method("destatis_relative"));
    assert!(r.reason.is_some());
    assert_eq!(r.label, "sun");
}

// ---------------------------------------------------------------------------------------------
// WHO AROC (G15)

fn ramp(first_value: f64) -> (Vec<f64>, Vec<f64>) {
    let years: Vec<f64> = (2010..=2030).map(f64::from).collect();
    let values: Vec<f64> = (0..21).map(|k| first_value + f64::from(k)).collect();
    (years, values)
}

#[test]
fn g15_who_aroc_latest() {
    let (years, values) = ramp(80.0);
    let a = who_aroc::aroc(&years, &values, 2018.0, Scenario::Latest).unwrap();
    // Ten decimals are nine significant digits here: compare to half a unit in the last place.
    assert_relative_eq!(a, 0.0114942529, epsilon = 5e-11);
    assert_relative_eq!(a, 88.0 / 87.0 - 1.0, max_relative = TIGHT);
    let v = who_aroc::aroc_projection(
        &years,
        &values,
        2018.0,
        Scenario::Latest,
        2025.0,
        ArocCaps::default(),
        (None, None),
    )
    .unwrap();
    assert_relative_eq!(v, 95.3293450, max_relative = 1e-8);
    assert_relative_eq!(v, 88.0 * (88.0f64 / 87.0).powi(7), max_relative = TIGHT);
    // Base year itself: (1 + AROC)^0.
    let v = who_aroc::aroc_projection(
        &years,
        &values,
        2018.0,
        Scenario::Latest,
        2018.0,
        ArocCaps::default(),
        (None, None),
    )
    .unwrap();
    assert_relative_eq!(v, 88.0, max_relative = TIGHT);
}

#[test]
fn g15_who_aroc_target_and_percent_change() {
    let (years, values) = ramp(60.0);
    let target = Scenario::Target {
        value: 99.0,
        year: 2025.0,
    };
    let v = who_aroc::aroc_projection(
        &years,
        &values,
        2018.0,
        target,
        2025.0,
        ArocCaps::default(),
        (None, None),
    )
    .unwrap();
    assert_relative_eq!(v, 99.0, max_relative = 1e-12);
    let pc = Scenario::PercentChange {
        percent: 3.0,
        year: 2025.0,
    };
    let v = who_aroc::aroc_projection(
        &years,
        &values,
        2018.0,
        pc,
        2025.0,
        ArocCaps::default(),
        (None, None),
    )
    .unwrap();
    assert_relative_eq!(v, 70.04, max_relative = 1e-12);
    // Caps and trimming.
    let capped = who_aroc::aroc_projection(
        &years,
        &values,
        2018.0,
        target,
        2025.0,
        ArocCaps {
            min: None,
            max: Some(0.0),
        },
        (None, None),
    )
    .unwrap();
    assert_relative_eq!(capped, 68.0, max_relative = TIGHT);
    let trimmed = who_aroc::aroc_projection(
        &years,
        &values,
        2018.0,
        target,
        2025.0,
        ArocCaps::default(),
        (Some(0.0), Some(90.0)),
    )
    .unwrap();
    assert_relative_eq!(trimmed, 90.0);
    // No base-year observation, or no earlier one for "latest".
    assert_eq!(
        who_aroc::aroc(&years, &values, 2040.0, Scenario::Latest),
        None
    );
    assert_eq!(
        who_aroc::aroc(&years, &values, 2010.0, Scenario::Latest),
        None
    );
}

#[test]
fn who_aroc_method_both_directions() {
    let m = method("who_aroc");
    // +2%/yr from 50: reaches 60 by 2030 (50·1.02^15 = 67.3) but not 80.
    let values: Vec<f64> = (0..6).map(|k| 50.0 * 1.02f64.powi(k)).collect();
    for (target, status, label) in [
        (60.0, Status::OnTrack, "projected_to_meet_target"),
        (80.0, Status::NeedsAcceleration, "projected_short_of_target"),
        (52.0, Status::Achieved, "target_achieved"),
    ] {
        let up = Series::yearly(2015.0, &values, Some((2030.0, target)), Direction::Increase);
        let r = up.eval(&m);
        assert_eq!(
            (r.status, r.label.as_str()),
            (status, label),
            "target {target}"
        );
        let r2 = up.inverted().eval(&m);
        assert_eq!(
            (r2.status, r2.label.as_str()),
            (status, label),
            "inverted, target {target}"
        );
        // The share of the remaining distance is invariant under inversion only for the
        // achieved class; check the projection instead for the others.
    }
    let r = Series::yearly(2015.0, &values, Some((2030.0, 80.0)), Direction::Increase).eval(&m);
    let projected = values[5] * 1.02f64.powi(10);
    assert_relative_eq!(
        r.ratio.unwrap(),
        (projected - values[5]) / (80.0 - values[5]),
        max_relative = TIGHT
    );
    // Moving away.
    let away = Series::yearly(
        2015.0,
        &[50.0, 49.0, 48.0],
        Some((2030.0, 80.0)),
        Direction::Increase,
    );
    assert_eq!(away.eval(&m).status, Status::Regressing);
    assert_eq!(away.inverted().eval(&m).status, Status::Regressing);
    // Flat.
    let flat = Series::yearly(
        2015.0,
        &[50.0, 50.0],
        Some((2030.0, 80.0)),
        Direction::Increase,
    );
    assert_eq!(flat.eval(&m).label, "no_change");
    // A zero falls back to the absolute change and says so.
    let zero = Series::yearly(
        2015.0,
        &[0.0, 1.0],
        Some((2030.0, 10.0)),
        Direction::Increase,
    );
    let r = zero.eval(&m);
    assert!(r.reason.is_some());
    assert_eq!(r.status, Status::OnTrack);
    // The "target" AROC always projects onto the target.
    let t = Method::WhoAroc(WhoArocParams {
        aroc_type: ArocType::Target,
        ..WhoArocParams::default()
    });
    let s = Series::yearly(2015.0, &values, Some((2030.0, 80.0)), Direction::Increase);
    assert_relative_eq!(s.eval(&t).ratio.unwrap(), 1.0, max_relative = 1e-12);
    // Trimming to the case's bounds keeps an over-shooting projection at the bound.
    let bounded = Series::yearly(
        2015.0,
        &[90.0, 95.0],
        Some((2030.0, 100.0)),
        Direction::Increase,
    )
    .bounded(0.0, 100.0);
    let r = bounded.eval(&m);
    assert_eq!(r.status, Status::OnTrack);
    assert_relative_eq!(r.ratio.unwrap(), 1.0, max_relative = TIGHT);
}

// ---------------------------------------------------------------------------------------------
// Chinese plan monitoring (G13 data)

#[test]
fn china_plan_figures_g13_both_directions() {
    let up = Series::new(
        &[2015.0, 2017.0],
        &[9.0, 10.5],
        Some((2018.0, 12.0)),
        Direction::Increase,
    );
    let f = china::plan_figures(
        up.case().base,
        up.case().latest,
        up.target.unwrap(),
        Direction::Increase,
    );
    assert_relative_eq!(f.progress.unwrap(), 0.5, max_relative = TIGHT);
    assert_relative_eq!(f.time_elapsed.unwrap(), 0.6666666667, max_relative = TIGHT);
    assert_relative_eq!(
        f.schedule_gap.unwrap(),
        -0.16666666667,
        max_relative = TIGHT
    );
    assert_relative_eq!(f.needed_change.unwrap(), 1.5, max_relative = TIGHT);
    assert_relative_eq!(f.achieved_change.unwrap(), 0.75, max_relative = TIGHT);
    assert_relative_eq!(
        f.needed_growth.unwrap(),
        12.0 / 10.5 - 1.0,
        max_relative = TIGHT
    );
    assert_relative_eq!(
        f.completion_rate.unwrap(),
        10.5 / 12.0,
        max_relative = TIGHT
    );
    let r = up.eval(&method("china_plan"));
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::NeedsAcceleration, "behind_schedule")
    );
    assert_relative_eq!(r.ratio.unwrap(), -0.16666666667, max_relative = TIGHT);
    assert_relative_eq!(r.score.unwrap(), 0.5, max_relative = TIGHT);

    let down = up.reflected(20.0); // 11 -> 9.5 towards 8
    let r = down.eval(&method("china_plan"));
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::NeedsAcceleration, "behind_schedule")
    );
    assert_relative_eq!(r.ratio.unwrap(), -0.16666666667, max_relative = TIGHT);
    let f = china::plan_figures(
        down.case().base,
        down.case().latest,
        down.target.unwrap(),
        Direction::Decrease,
    );
    assert_relative_eq!(f.completion_rate.unwrap(), 8.0 / 9.5, max_relative = TIGHT);
    assert_relative_eq!(f.needed_change.unwrap(), -1.5, max_relative = TIGHT);
}

#[test]
fn china_plan_classes_in_both_directions() {
    let m = method("china_plan");
    for (latest, status, label) in [
        (11.0, Status::OnTrack, "ahead_of_schedule"),
        (11.0 - 1e-13, Status::OnTrack, "ahead_of_schedule"), // P = τ up to rounding
        (10.0, Status::NeedsAcceleration, "behind_schedule"),
        (8.5, Status::Regressing, "moving_backwards"),
        (12.0, Status::Achieved, "target_achieved"),
    ] {
        // Base 9 (2015), latest 2017, target 12 by 2018: τ = 2/3, P = (latest - 9)/3.
        let up = Series::new(
            &[2015.0, 2017.0],
            &[9.0, latest],
            Some((2018.0, 12.0)),
            Direction::Increase,
        );
        assert_eq!(up.eval(&m).status, status, "latest {latest}");
        assert_eq!(up.eval(&m).label, label);
        assert_eq!(
            up.reflected(30.0).eval(&m).status,
            status,
            "mirrored latest {latest}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// UNSD AARR (G11)

#[test]
fn g11_unsd_aarr() {
    let s = Series::new(
        &[2015.0, 2021.0],
        &[10.0, 8.0],
        Some((2030.0, 5.0)),
        Direction::Decrease,
    );
    let c = s.case();
    assert_relative_eq!(
        aarr(c.base, c.latest).unwrap(),
        0.0371905919,
        max_relative = TIGHT
    );
    assert_relative_eq!(
        aarr(c.base, Point::new(2030.0, 5.0)).unwrap(),
        0.0462098120,
        max_relative = TIGHT
    );
    let m = Method::Unsd2022(Unsd2022Params {
        rate_of_reduction: true,
        ..Unsd2022Params::default()
    });
    let r = m.evaluate(&c);
    assert_relative_eq!(r.ratio.unwrap(), 0.8048202372, max_relative = TIGHT);
    assert_eq!(
        (r.status, r.label.as_str()),
        (Status::NeedsAcceleration, "fair_progress")
    );
}

// ---------------------------------------------------------------------------------------------
// Degenerate input: no panics, no non-finite numbers, for every method.

fn new_methods() -> Vec<Method> {
    let mut v: Vec<Method> = [
        "escap",
        "sdsn",
        "destatis_absolute",
        "destatis_relative",
        "who_aroc",
        "china_plan",
    ]
    .iter()
    .map(|n| method(n))
    .collect();
    v.push(Method::Escap(EscapParams {
        weights: RecencyWeights::Geometric(0.9),
        fit_from: Some(2016.0),
        ..EscapParams::default()
    }));
    v.push(Method::Sdsn(SdsnParams {
        threshold: Some(80.0),
        bounds: Some((0.0, 100.0)),
        ..SdsnParams::default()
    }));
    v.push(Method::WhoAroc(WhoArocParams {
        aroc_type: ArocType::PercentChange(-100.0),
        ..WhoArocParams::default()
    }));
    v.push(Method::WhoAroc(WhoArocParams {
        aroc_type: ArocType::Target,
        caps: ArocCaps {
            min: Some(-0.5),
            max: Some(0.5),
        },
        trim_to_bounds: false,
    }));
    v
}

fn check_sane(r: &MethodResult, what: &str) {
    for x in [r.ratio, r.score].into_iter().flatten() {
        assert!(x.is_finite(), "{what}: non-finite {r:?}");
    }
    if r.status == Status::InsufficientData {
        assert!(r.reason.is_some(), "{what}: insufficient without reason");
    }
}

#[test]
fn degenerate_input_never_panics() {
    let nan = f64::NAN;
    let inf = f64::INFINITY;
    let series: Vec<Series> = vec![
        Series::new(&[2020.0], &[5.0], Some((2030.0, 10.0)), Direction::Increase),
        Series::new(&[2020.0], &[5.0], None, Direction::Decrease),
        Series::new(
            &[2015.0, 2020.0],
            &[0.0, 0.0],
            Some((2030.0, 0.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[0.0, 0.0],
            Some((2030.0, 10.0)),
            Direction::Decrease,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[5.0, 6.0],
            Some((2030.0, 5.0)),
            Direction::Decrease,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[5.0, 5.0],
            Some((2030.0, 5.0)),
            Direction::Increase,
        )
        .bounded(5.0, 5.0),
        Series::new(
            &[2015.0, 2020.0],
            &[5.0, 4.0],
            Some((2015.0, 9.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2020.0, 2020.0],
            &[5.0, 6.0],
            Some((2030.0, 9.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[-5.0, 3.0],
            Some((2030.0, 9.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[-5.0, -3.0],
            Some((2030.0, -1.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[nan, 3.0],
            Some((2030.0, 9.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[1.0, inf],
            Some((2030.0, 9.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[1.0, 2.0],
            Some((2030.0, nan)),
            Direction::Increase,
        )
        .bounded(0.0, 10.0),
        Series::new(
            &[2015.0, 2020.0],
            &[1.0, 2.0],
            Some((2020.0, 3.0)),
            Direction::Increase,
        ),
        Series::new(
            &[2015.0, 2020.0],
            &[1e300, 1e-300],
            Some((2030.0, 1e300)),
            Direction::Increase,
        ),
        Series::yearly(
            2015.0,
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            Some((2030.0, 9.0)),
            Direction::Increase,
        )
        .bounded(10.0, 0.0),
    ];
    for s in &series {
        for m in new_methods() {
            let r = s.eval(&m);
            check_sane(&r, &format!("{} on {s:?}", m.name()));
            let r = s.reflected(3.0).eval(&m);
            check_sane(&r, &format!("{} on mirrored {s:?}", m.name()));
        }
    }
    // Empty slices with stray base/latest points.
    let empty = Case {
        years: &[],
        values: &[],
        base: Point::new(2015.0, 1.0),
        latest: Point::new(2020.0, 2.0),
        target: Some(Target {
            value: 3.0,
            year: 2030.0,
            strict: false,
        }),
        direction: Direction::Increase,
        lower_bound: None,
        upper_bound: None,
        rates: None,
    };
    for m in new_methods() {
        check_sane(&m.evaluate(&empty), m.name());
    }
    // The free helpers on degenerate input.
    assert_eq!(
        escap::weighted_trend(&[2020.0], &[1.0], RecencyWeights::Linear),
        None
    );
    assert_eq!(
        escap::weighted_trend(&[2020.0, 2020.0], &[1.0, 2.0], RecencyWeights::Linear),
        None
    );
    assert_eq!(escap::weighted_trend(&[], &[], RecencyWeights::Equal), None);
    assert_eq!(
        destatis::pace(&[], &[], 2020.0, &DestatisParams::default()),
        None
    );
    assert_eq!(destatis::miss(5.0, 6.0, 5.0), None);
    assert_eq!(who_aroc::aroc(&[], &[], 2020.0, Scenario::Latest), None);
    assert_eq!(
        who_aroc::aroc(
            &[2020.0],
            &[5.0],
            2020.0,
            Scenario::Target {
                value: 9.0,
                year: 2020.0
            }
        ),
        None
    );
    assert_eq!(
        who_aroc::aroc(
            &[2020.0],
            &[5.0],
            2020.0,
            Scenario::PercentChange {
                percent: -100.0,
                year: 2025.0
            }
        ),
        None
    );
    assert_eq!(
        sdsn::score_trend(
            Point::new(2020.0, 1.0),
            Point::new(2020.0, 2.0),
            100.0,
            2030.0
        ),
        None
    );
}

#[test]
fn strict_targets_are_respected() {
    // "Exceeds 60": the absolute projection lands exactly on 60 (50 + 2·5) and is not enough.
    let mut s = Series::yearly(
        2017.0,
        &[40.0, 42.0, 44.0, 46.0, 48.0, 50.0],
        Some((2027.0, 60.0)),
        Direction::Increase,
    );
    let r = s.eval(&method("destatis_absolute"));
    assert_eq!(r.label, "sun");
    s.target = s.target.map(|t| Target { strict: true, ..t });
    let r = s.eval(&method("destatis_absolute"));
    assert_ne!(r.status, Status::Achieved);
    // Met exactly at the latest point: achieved only when not strict.
    let mut at = Series::new(
        &[2015.0, 2020.0],
        &[50.0, 60.0],
        Some((2030.0, 60.0)),
        Direction::Increase,
    );
    for name in ["escap", "who_aroc", "china_plan"] {
        assert_eq!(at.eval(&method(name)).status, Status::Achieved, "{name}");
    }
    at.target = at.target.map(|t| Target { strict: true, ..t });
    for name in ["escap", "who_aroc", "china_plan"] {
        assert_ne!(at.eval(&method(name)).status, Status::Achieved, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties: no panics on arbitrary input; exact mirror symmetry for the absolute-change methods.

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn arb_series() -> impl Strategy<Value = Series> {
        (
            prop::collection::vec(-100.0f64..100.0, 1..9),
            prop::option::of((2010.0f64..2045.0, -100.0f64..100.0)),
            any::<bool>(),
            prop::option::of((-50.0f64..0.0, 0.0f64..150.0)),
            any::<bool>(),
        )
            .prop_map(|(mut values, target, up, bounds, zeros)| {
                if zeros {
                    for v in values.iter_mut().step_by(2) {
                        *v = 0.0;
                    }
                }
                let direction = if up {
                    Direction::Increase
                } else {
                    Direction::Decrease
                };
                let target = target.map(|(y, v)| (y.round(), v));
                let s = Series::yearly(2010.0, &values, target, direction);
                match bounds {
                    Some((l, u)) => s.bounded(l, u),
                    None => s,
                }
            })
    }

    proptest! {
        #[test]
        fn never_panics_and_stays_finite(s in arb_series()) {
            for m in new_methods() {
                check_sane(&s.eval(&m), m.name());
                check_sane(&s.inverted().eval(&m), m.name());
            }
        }

        #[test]
        fn reflection_keeps_the_class(
            values in prop::collection::vec(1.0f64..99.0, 2..9),
            target in 1.0f64..99.0,
            year in 2020.0f64..2040.0,
            up in any::<bool>(),
        ) {
            let direction = if up { Direction::Increase } else { Direction::Decrease };
            let s = Series::yearly(2010.0, &values, Some((year.round(), target)), direction)
                .bounded(0.0, 100.0);
            let m = s.reflected(100.0);
            for name in ["sdsn", "destatis_absolute", "china_plan"] {
                let (a, b) = (s.eval(&method(name)), m.eval(&method(name)));
                prop_assert_eq!((a.status, a.label), (b.status, b.label), "{}", name);
                match (a.ratio, b.ratio) {
                    (Some(x), Some(y)) => prop_assert!((x - y).abs() <= 1e-9 * (1.0 + x.abs()), "{}", name),
                    (x, y) => prop_assert_eq!(x.is_some(), y.is_some(), "{}", name),
                }
            }
        }

        #[test]
        fn inversion_keeps_the_growth_classes(
            growth in -0.05f64..0.05,
            target in 20.0f64..200.0,
            up in any::<bool>(),
        ) {
            // An exactly geometric series: every growth-based method sees the mirror exactly.
            let values: Vec<f64> = (0..6).map(|k| 50.0 * (1.0 + growth).powi(k)).collect();
            let direction = if up { Direction::Increase } else { Direction::Decrease };
            let s = Series::yearly(2015.0, &values, Some((2030.0, target)), direction);
            let inv = s.inverted();
            // Classes that depend only on meeting the target or on the direction of change are
            // exact mirrors (Destatis' "sun" also covers a miss under 5%, which is not).
            for (name, exact) in [
                ("destatis_relative", &[Status::Achieved, Status::Regressing][..]),
                ("who_aroc", &[Status::Achieved, Status::OnTrack, Status::Regressing][..]),
            ] {
                let (a, b) = (s.eval(&method(name)), inv.eval(&method(name)));
                if exact.contains(&a.status) {
                    prop_assert_eq!(a.status, b.status, "{} {:?}", name, values);
                }
            }
        }
    }
}
