//! Open SDG / Statistics Canada progress measure (Eurostat-derived), as implemented in Open
//! SDG's public progress code (sdg-build, `sdg/ProgressMeasure.py`) and reproduced here by
//! default, its handling of zeros included.

use super::{classify, pace_ratio, Case, MethodResult};
use crate::growth::{cagr, Point};
use crate::labels::Label;
use crate::types::{meets, Direction, Status};

/// What the Open SDG method does where a compound growth rate needs care: a zero value or a
/// change of sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UndefinedGrowth {
    /// Open SDG's published rule (the default): a zero base value and a zero target are
    /// replaced by [`OpenSdgParams::zero_substitute`] (0.001); a zero current value is used as
    /// it is, so its growth rate is `(0/y_b)^(1/(t-b)) - 1 = -1`; a base and a current value of
    /// opposite signs are not assessed (`insufficient_data`, as Open SDG publishes no progress
    /// value for them). The sign `s` is that of the base value.
    #[default]
    Published,
    /// ontrack's alternative: nothing is substituted; where a growth rate is undefined (any zero
    /// value or a change of sign) absolute annual changes are compared instead and the `reason`
    /// says so. The sign `s` is -1 only when every value is negative.
    AnnualChange,
}

/// Thresholds and options of the Open SDG method (published defaults).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct OpenSdgParams {
    /// `R` at or above this is substantial progress (0.95).
    pub substantial: f64,
    /// `R` at or above this is moderate progress (0.60).
    pub moderate: f64,
    /// Without a target: `p` at or above `high·C` is substantial progress (0.015).
    pub no_target_high: f64,
    /// Without a target: `p` at or above `low·C` is moderate progress (0.005).
    pub no_target_low: f64,
    /// Exponent of the natural-limit factor `C` (4.44).
    pub limit_exponent: f64,
    /// Score slope and intercept for `R ≥ moderate` (7.1429, -4.2857, as published).
    pub score_high: (f64, f64),
    /// Score slope and intercept for `R < moderate` (4.1667, -2.5).
    pub score_low: (f64, f64),
    /// The value Open SDG puts in place of a zero base value or a zero target (0.001). Used
    /// by [`UndefinedGrowth::Published`] only.
    pub zero_substitute: f64,
    /// Zero values and changes of sign: Open SDG's published rule (`"published"`, default) or
    /// ontrack's comparison of annual changes (`"annual_change"`).
    pub undefined_growth: UndefinedGrowth,
    /// Fewest observations needed (2).
    pub min_points: usize,
}

impl Default for OpenSdgParams {
    fn default() -> Self {
        Self {
            substantial: 0.95,
            moderate: 0.60,
            no_target_high: 0.015,
            no_target_low: 0.005,
            limit_exponent: 4.44,
            score_high: (7.1429, -4.2857),
            score_low: (4.1667, -2.5),
            zero_substitute: 0.001,
            undefined_growth: UndefinedGrowth::Published,
            min_points: 2,
        }
    }
}

const LABELS: [Label; 4] = [
    Label::SubstantialProgress,
    Label::ModerateProgress,
    Label::LimitedProgress,
    Label::Deterioration,
];
const STATUSES: [Status; 4] = [
    Status::OnTrack,
    Status::NeedsAcceleration,
    Status::OffTrack,
    Status::Regressing,
];

/// The natural-limit factor `C` for a baseline `y_b` and limit `L`, as Open SDG computes it
/// (on magnitudes `|y_b|`, `|L|`): 1 if `|y_b| ≥ 2|L|` (so also for a limit of 0),
/// `1 - (|y_b|/|L|)^k` if `|y_b| ≤ |L|`, else `1 - ((2|L| - |y_b|)/|L|)^k`. A missing or
/// non-finite limit or baseline gives 1.
#[must_use]
pub fn limit_factor(baseline: f64, limit: Option<f64>, exponent: f64) -> f64 {
    let Some(l) = limit.filter(|l| l.is_finite()).map(f64::abs) else {
        return 1.0;
    };
    let b = baseline.abs();
    if !b.is_finite() || b >= 2.0 * l {
        1.0
    } else if b <= l {
        1.0 - (b / l).powf(exponent)
    } else {
        1.0 - ((2.0 * l - b) / l).powf(exponent)
    }
}

/// Score in [-5, 5] for a target ratio `R`.
#[must_use]
pub fn score_with_target(r: f64, p: &OpenSdgParams) -> f64 {
    let (slope, intercept) = if r >= p.moderate {
        p.score_high
    } else {
        p.score_low
    };
    (slope * r + intercept).clamp(-5.0, 5.0)
}

/// Score in [-5, 5] for a direction-adjusted growth `g` without a target, with limit factor `c`.
/// A baseline already at its limit (`c = 0`) that is kept or passed scores 5, as published.
#[must_use]
pub fn score_without_target(g: f64, c: f64, p: &OpenSdgParams) -> f64 {
    let s = if g < 0.0 {
        125.0 * g - 2.5
    } else if c == 0.0 {
        5.0
    } else if g < p.no_target_low * c {
        500.0 * g / c - 2.5
    } else if g < p.no_target_high * c {
        250.0 * g / c - 1.25
    } else {
        500.0 * g / c - 5.0
    };
    s.clamp(-5.0, 5.0)
}

/// The band of an indicator-level (mean) score: `[2.5, 5]` on track, `[0, 2.5)` needs
/// acceleration, `[-2.5, 0)` limited progress, below -2.5 deterioration.
#[must_use]
pub fn score_band(score: f64) -> (Status, Label) {
    let i = classify(score, &[2.5, 0.0, -2.5]);
    let status = STATUSES.get(i).copied().unwrap_or(Status::Regressing);
    let label = LABELS.get(i).copied().unwrap_or(Label::Deterioration);
    (status, label)
}

/// Assess one case by the Open SDG method.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &OpenSdgParams) -> MethodResult {
    if case.years.len() < p.min_points {
        return MethodResult::insufficient(format!(
            "open_sdg needs at least {} observations, found {}",
            p.min_points,
            case.years.len()
        ));
    }
    if case.latest.year <= case.base.year {
        return MethodResult::insufficient("open_sdg needs a current year after the base year");
    }
    match p.undefined_growth {
        UndefinedGrowth::Published => evaluate_published(case, p),
        UndefinedGrowth::AnnualChange => evaluate_annual_change(case, p),
    }
}

/// Compound annual growth as Open SDG computes it, `(y1/y0)^(1/(t1-t0)) - 1`: defined for a
/// non-zero `y0` and a `y1` of the same sign or zero (`y1 = 0` gives -1).
#[must_use]
pub fn published_growth(from: Point, to: Point) -> Option<f64> {
    let span = to.year - from.year;
    let defined = from.value != 0.0
        && from.value.is_finite()
        && to.value.is_finite()
        && span.is_finite()
        && span != 0.0;
    if !defined || (to.value != 0.0 && (to.value > 0.0) != (from.value > 0.0)) {
        return None;
    }
    let rate = (to.value / from.value).abs().powf(1.0 / span) - 1.0;
    rate.is_finite().then_some(rate)
}

/// Open SDG's published rule: zero base and zero target replaced by `zero_substitute`, a zero
/// current value used as it is, opposite signs not assessed.
fn evaluate_published(case: &Case<'_>, p: &OpenSdgParams) -> MethodResult {
    let s = if case.base.value < 0.0 { -1.0 } else { 1.0 };
    let d = case.direction.sign();
    let mut replaced = Vec::new();
    let mut subst = |what: &'static str, v: f64| {
        if v == 0.0 {
            replaced.push(what);
            p.zero_substitute
        } else {
            v
        }
    };
    let base = Point::new(case.base.year, subst("base value", case.base.value));
    let goal = case
        .target
        .map(|t| (t, Point::new(t.year, subst("target", t.value))));
    let substituted = (!replaced.is_empty()).then(|| {
        format!(
            "zero {} replaced by {} before growth rates, as Open SDG does",
            replaced.join(" and zero "),
            p.zero_substitute
        )
    });
    // Without a substituted zero, the published rates are the case's compound growth rates
    // (the same power of the same ratio), which the caller may have computed already.
    let as_cagr = |value: f64| base.value == case.base.value && value != 0.0;
    let achieved = if as_cagr(case.latest.value) {
        case.achieved_growth()
    } else {
        published_growth(base, case.latest)
    };
    let Some((target, goal)) = goal else {
        let Some(g) = achieved else {
            return MethodResult::insufficient(format!(
                "no target and the base value {} and current value {} have opposite signs: \
                 Open SDG publishes no progress value (undefined_growth = \"annual_change\" \
                 compares annual changes)",
                case.base.value, case.latest.value
            ));
        };
        // The limit factor uses the base value as observed, before any substitution.
        return without_target(case, p, s * d * g, case.base.value, substituted);
    };
    let met = meets(case.latest.value, goal.value, case.direction, target.strict);
    let required = if as_cagr(target.value) {
        case.required_growth()
    } else {
        published_growth(base, goal)
    };
    let r = achieved
        .zip(required)
        .and_then(|(ga, gr)| crate::growth::ratio(s * d * ga, gr.abs()));
    if !met && (achieved.is_none() || required.is_none()) {
        return MethodResult::insufficient(format!(
            "base value {}, current value {} and target {} are not all of one sign: Open SDG \
             publishes no progress value (undefined_growth = \"annual_change\" compares \
             annual changes)",
            case.base.value, case.latest.value, target.value
        ));
    }
    with_target(p, met, r, substituted)
}

/// ontrack's alternative: no substitution; annual changes where a growth rate is undefined.
fn evaluate_annual_change(case: &Case<'_>, p: &OpenSdgParams) -> MethodResult {
    let s = case.magnitude_sign();
    let d = case.direction.sign();
    let Some(goal) = case.goal() else {
        let Some(g) = cagr(case.base, case.latest) else {
            return MethodResult::insufficient(
                "no target and the growth rate is undefined (a zero value or a change of sign)",
            );
        };
        return without_target(case, p, s * d * g, case.base.value, None);
    };
    let (r, reason) = pace_ratio(s, d, case.base, case.latest, goal, cagr);
    with_target(p, case.target_met(), r, reason)
}

/// The no-target classes for a direction-adjusted growth `g`.
fn without_target(
    case: &Case<'_>,
    p: &OpenSdgParams,
    g: f64,
    base_value: f64,
    reason: Option<String>,
) -> MethodResult {
    let limit = match case.direction {
        Direction::Increase => case.upper_bound,
        Direction::Decrease => case.lower_bound,
    };
    let c = limit_factor(base_value, limit, p.limit_exponent);
    let i = classify(g, &[p.no_target_high * c, p.no_target_low * c, 0.0]);
    classified(i, Some(g), Some(score_without_target(g, c, p)), reason)
}

/// The target classes for a ratio `r` (checked after "target achieved").
fn with_target(
    p: &OpenSdgParams,
    met: bool,
    r: Option<f64>,
    reason: Option<String>,
) -> MethodResult {
    if met {
        return MethodResult {
            status: Status::Achieved,
            label: Label::TargetAchieved,
            ratio: r,
            score: Some(5.0),
            reason,
        };
    }
    match r {
        Some(r) => {
            let i = classify(r, &[p.substantial, p.moderate, 0.0]);
            classified(i, Some(r), Some(score_with_target(r, p)), reason)
        }
        None => {
            // Only possible when the baseline equals the target and the latest value has
            // moved away from it (the target would otherwise be met).
            MethodResult {
                status: Status::Regressing,
                label: Label::Deterioration,
                ratio: None,
                score: None,
                reason: Some(
                    "the baseline equals the target and the latest value has moved away from it"
                        .into(),
                ),
            }
        }
    }
}

fn classified(
    i: usize,
    ratio: Option<f64>,
    score: Option<f64>,
    reason: Option<String>,
) -> MethodResult {
    MethodResult {
        status: STATUSES.get(i).copied().unwrap_or(Status::Regressing),
        label: LABELS.get(i).copied().unwrap_or(Label::Deterioration),
        ratio,
        score,
        reason,
    }
}
