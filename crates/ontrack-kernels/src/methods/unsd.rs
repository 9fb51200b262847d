//! UNSD SDG Progress Chart methods: the 2017–2022 generation (ratio of achieved to required
//! growth) and the 2023+ three-class generation (expected progress at the achieved pace).

use super::{classify, pace_ratio, Case, MethodResult, FALLBACK_REASON};
use crate::growth::{aarr, annual_change, cagr, ratio, Point};
use crate::labels::Label;
use crate::types::Status;

/// Parameters of the 2017–2022 Progress Chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Unsd2022Params {
    /// Cut-offs of `CR = g_a / g_r`: substantial, fair, limited (0.95, 0.5, -0.1).
    pub cuts: [f64; 3],
    /// Cut-offs of direction-adjusted `g_a` without a target (0.01, 0.005, -0.01).
    pub no_target_cuts: [f64; 3],
    /// Within this relative distance of the target counts as achieved (0.0005 = 0.05%).
    pub achieved_tolerance: f64,
    /// Use average annual rates of reduction (`ln(y_b/y_t)/(t-b)`, the health convention)
    /// instead of compound growth rates.
    pub rate_of_reduction: bool,
}

impl Default for Unsd2022Params {
    fn default() -> Self {
        Self {
            cuts: [0.95, 0.5, -0.1],
            no_target_cuts: [0.01, 0.005, -0.01],
            achieved_tolerance: 0.0005,
            rate_of_reduction: false,
        }
    }
}

const LABELS_2022: [Label; 4] = [
    Label::SubstantialProgress,
    Label::FairProgress,
    Label::LimitedProgress,
    Label::Deterioration,
];
const STATUSES_4: [Status; 4] = [
    Status::OnTrack,
    Status::NeedsAcceleration,
    Status::OffTrack,
    Status::Regressing,
];

fn four_class(
    i: usize,
    labels: &[Label; 4],
    r: Option<f64>,
    reason: Option<String>,
) -> MethodResult {
    MethodResult {
        status: STATUSES_4.get(i).copied().unwrap_or(Status::Regressing),
        label: labels.get(i).copied().unwrap_or(Label::Deterioration),
        ratio: r,
        score: None,
        reason,
    }
}

fn achieved(r: Option<f64>, reason: Option<String>) -> MethodResult {
    MethodResult {
        status: Status::Achieved,
        label: Label::TargetAchieved,
        ratio: r,
        score: None,
        reason,
    }
}

/// Assess one case by the 2017–2022 UNSD Progress Chart method.
#[must_use]
pub fn evaluate_2022(case: &Case<'_>, p: &Unsd2022Params) -> MethodResult {
    if case.years.len() < 2 {
        return MethodResult::insufficient("unsd_2022 needs at least 2 observations");
    }
    if case.base.value == 0.0 {
        return MethodResult::insufficient("unsd_2022: the baseline value is zero");
    }
    let d = case.direction.sign();
    let (base, latest) = (case.base, case.latest);
    let achieved_rate = |from: Point, to: Point| {
        if p.rate_of_reduction {
            // A reduction is positive; express it as growth so the signs work as for CAGR.
            aarr(from, to).map(|r| -r)
        } else {
            cagr(from, to)
        }
    };
    let Some(target) = case.target else {
        return match achieved_rate(base, latest) {
            Some(g) => four_class(
                classify(d * g, &p.no_target_cuts),
                &LABELS_2022,
                Some(d * g),
                None,
            ),
            None => MethodResult::insufficient(
                "no target and the growth rate is undefined (a zero value or a change of sign)",
            ),
        };
    };
    let goal = Point::new(target.year, target.value);
    let (cr, reason) = pace_ratio(case.magnitude_sign(), d, base, latest, goal, achieved_rate);
    let within = (latest.value - target.value).abs() <= p.achieved_tolerance * target.value.abs();
    if case.target_met() || within {
        return achieved(cr, reason);
    }
    if base.value == target.value {
        // Baseline equal to target: achieved unless worse than the base. Not met here, so
        // the latest value is worse than the base.
        return four_class(
            3,
            &LABELS_2022,
            None,
            Some(
                "the baseline equals the target and the latest value is worse than the baseline"
                    .into(),
            ),
        );
    }
    match cr {
        Some(cr) => four_class(classify(cr, &p.cuts), &LABELS_2022, Some(cr), reason),
        None => MethodResult::insufficient("unsd_2022: the required rate is undefined"),
    }
}

/// Parameters of the 2023+ three-class Progress Chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Unsd2023Params {
    /// Cut-offs of expected progress `E`: on track, fair (0.95, 0.10).
    pub cuts: [f64; 2],
    /// Cut-offs of direction-adjusted `g_a` without a target (0.02, 0.005).
    pub no_target_cuts: [f64; 2],
    /// For a 0% or 100% target on a 0–100 indicator, within this many points counts as
    /// achieved (1.0).
    pub percent_tolerance: f64,
}

impl Default for Unsd2023Params {
    fn default() -> Self {
        Self {
            cuts: [0.95, 0.10],
            no_target_cuts: [0.02, 0.005],
            percent_tolerance: 1.0,
        }
    }
}

/// The value expected at the deadline if the achieved pace continues:
/// `y_t (1 + g_a)^(T - t)`, or `y_t + Δ_a (T - t)` when the growth rate is undefined.
/// Returns the projection and whether the linear fallback was used.
#[must_use]
pub fn projected_at_pace(base: Point, latest: Point, target_year: f64) -> Option<(f64, bool)> {
    let horizon = target_year - latest.year;
    match cagr(base, latest) {
        Some(g) => Some((latest.value * (1.0 + g).powf(horizon), false)),
        None => annual_change(base, latest).map(|c| (latest.value + c * horizon, true)),
    }
}

/// Assess one case by the 2023+ UNSD Progress Chart method.
#[must_use]
pub fn evaluate_2023(case: &Case<'_>, p: &Unsd2023Params) -> MethodResult {
    if case.years.len() < 2 {
        return MethodResult::insufficient("unsd_2023 needs at least 2 observations");
    }
    let d = case.direction.sign();
    let (base, latest) = (case.base, case.latest);
    let moving_wrong_way = d * (latest.value - base.value) < 0.0;
    let third = |r: Option<f64>, reason: Option<String>| MethodResult {
        status: if moving_wrong_way {
            Status::Regressing
        } else {
            Status::OffTrack
        },
        label: Label::StagnationOrRegression,
        ratio: r,
        score: None,
        reason,
    };
    let class = |i: usize, r: Option<f64>, reason: Option<String>| match i {
        0 => MethodResult {
            status: Status::OnTrack,
            label: Label::OnTrack,
            ratio: r,
            score: None,
            reason,
        },
        1 => MethodResult {
            status: Status::NeedsAcceleration,
            label: Label::FairProgress,
            ratio: r,
            score: None,
            reason,
        },
        _ => third(r, reason),
    };
    let Some(target) = case.target else {
        return match cagr(base, latest) {
            Some(g) => class(classify(d * g, &p.no_target_cuts), Some(d * g), None),
            None => MethodResult::insufficient(
                "no target and the growth rate is undefined (a zero value or a change of sign)",
            ),
        };
    };
    let Some((projected, linear)) = projected_at_pace(base, latest, target.year) else {
        return MethodResult::insufficient("unsd_2023: the achieved pace is undefined");
    };
    let reason = linear.then(|| FALLBACK_REASON.to_string());
    // Direction-adjusted, so that a baseline already beyond the target that falls back
    // counts as regression rather than as progress "towards" the target.
    let e = ratio(
        d * (projected - base.value),
        (target.value - base.value).abs(),
    );
    let percent_scale = case.lower_bound == Some(0.0) && case.upper_bound == Some(100.0);
    let near_percent_target = percent_scale
        && (target.value == 0.0 || target.value == 100.0)
        && (latest.value - target.value).abs() <= p.percent_tolerance;
    if case.target_met() || near_percent_target {
        return achieved(e, reason);
    }
    match e {
        Some(e) => class(classify(e, &p.cuts), Some(e), reason),
        None => third(
            None,
            Some(
                "the baseline equals the target and the latest value has moved away from it".into(),
            ),
        ),
    }
}
