//! Open SDG / Statistics Canada progress measure (Eurostat-derived), as implemented in Open
//! SDG's public progress code and restated in METHODS.md §2.

use super::{classify, pace_ratio, Case, MethodResult};
use crate::growth::{cagr, Point};
use crate::types::{Direction, Status};

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
    /// Open SDG replaces zero values by 0.001 before taking growth rates. ontrack does this only
    /// when asked (`Some(0.001)`); by default it falls back to absolute changes and says so.
    pub zero_substitute: Option<f64>,
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
            zero_substitute: None,
            min_points: 2,
        }
    }
}

const LABELS: [&str; 4] = [
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
];
const STATUSES: [Status; 4] = [
    Status::OnTrack,
    Status::NeedsAcceleration,
    Status::OffTrack,
    Status::Regressing,
];

/// The natural-limit factor `C` for a baseline `y_b` and limit `L` (METHODS.md §2):
/// `1 - (y_b/L)^k` if `y_b ≤ L`, `1 - ((2L - y_b)/L)^k` if `L < y_b < 2L`, else 1.
/// A non-positive or missing limit, or a negative baseline, gives 1.
#[must_use]
pub fn limit_factor(baseline: f64, limit: Option<f64>, exponent: f64) -> f64 {
    let Some(l) = limit.filter(|l| l.is_finite() && *l > 0.0) else {
        return 1.0;
    };
    if !baseline.is_finite() || baseline < 0.0 {
        // The factor is defined for values between 0 and 2L; outside that there is no limit
        // to approach.
        return 1.0;
    }
    if baseline <= l {
        1.0 - (baseline / l).powf(exponent)
    } else if baseline < 2.0 * l {
        1.0 - ((2.0 * l - baseline) / l).powf(exponent)
    } else {
        1.0
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
#[must_use]
pub fn score_without_target(g: f64, c: f64, p: &OpenSdgParams) -> f64 {
    let s = if g < 0.0 {
        125.0 * g - 2.5
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
pub fn score_band(score: f64) -> (Status, &'static str) {
    let i = classify(score, &[2.5, 0.0, -2.5]);
    let status = STATUSES.get(i).copied().unwrap_or(Status::Regressing);
    let label = LABELS.get(i).copied().unwrap_or("deterioration");
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
    // s = -1 when every value is negative: growth rates then describe magnitudes.
    let s = if case.values.iter().all(|v| *v < 0.0) {
        -1.0
    } else {
        1.0
    };
    let d = case.direction.sign();
    let subst = |v: f64| match p.zero_substitute {
        Some(eps) if v == 0.0 => eps,
        _ => v,
    };
    let base = Point::new(case.base.year, subst(case.base.value));
    let latest = Point::new(case.latest.year, subst(case.latest.value));
    let achieved = cagr(base, latest);

    let Some(target) = case.target else {
        let Some(g) = achieved else {
            return MethodResult::insufficient(
                "no target and the growth rate is undefined (a zero value or a change of sign)",
            );
        };
        let g = s * d * g;
        let limit = match case.direction {
            Direction::Increase => case.upper_bound,
            Direction::Decrease => case.lower_bound,
        };
        let c = limit_factor(base.value, limit, p.limit_exponent);
        let i = classify(g, &[p.no_target_high * c, p.no_target_low * c, 0.0]);
        return classified(i, Some(g), Some(score_without_target(g, c, p)), None);
    };

    let goal = Point::new(target.year, subst(target.value));
    let (r, reason) = pace_ratio(s, d, base, latest, goal, cagr);
    if case.target_met() {
        return MethodResult {
            status: Status::Achieved,
            label: "target_achieved",
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
                label: "deterioration",
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
        label: LABELS.get(i).copied().unwrap_or("deterioration"),
        ratio,
        score,
        reason,
    }
}
