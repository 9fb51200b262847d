//! ESCAP's Asia-Pacific SDG progress assessment: the current status index and the anticipated
//! progress index (docs/methods.md#escap).
//!
//! - Current status `CS = (y_t - y_b)/(y* - y_b)`: the share of the distance from the baseline
//!   to the target covered so far (negative = regression). ESCAP caps it at 1 for display; the
//!   kernel reports it **uncapped** in [`MethodResult::score`] and leaves display capping to the
//!   caller (`cs.min(1.0)`), so that rollups can choose.
//! - Anticipated progress: fit `ln y = α + βt` by weighted least squares with weights rising
//!   with recency ([`RecencyWeights`]), project from the latest value,
//!   `ŷ_T = y_t·exp(β(T - t))`, and compare with the distance needed,
//!   `A = (ŷ_T - y_b)/(y* - y_b)` ([`MethodResult::ratio`]). `A ≥ 1` maintain progress
//!   (on track), `0 ≤ A < 1` accelerate progress, `A < 0` reverse the trend.
//!
//! The signs take care of direction: for a reduction target (`y* < y_b`) both numerator and
//! denominator of `A` are negative while the projection moves towards the target.
//!
//! **Weights.** ESCAP says only that recent observations weigh more (working paper SD/WP/04,
//! 2017, "weighted extrapolation method"); ontrack does not reproduce a published weight
//! formula, so the weights are a parameter. The default, [`RecencyWeights::Linear`], gives
//! each observation the weight `t_i - t_first + 1` (the first fitted year weighs 1, each
//! later year one more). [`RecencyWeights::Geometric`] with `λ = 0.9` matches ontrack's weighted projections.
//!
//! **Non-positive values.** `ln y` is undefined; the kernel then fits a straight line
//! `y = α + βt` with the same weights, projects `ŷ_T = y_t + β(T - t)` and says so in `reason`.
//!
//! **No target.** ESCAP always sets a target; without one the kernel classifies the
//! direction-adjusted log-linear slope `d·β` (≈ the continuous annual growth rate) against
//! [`EscapParams::no_target_cuts`] (1% and 0 by default, the "significant" cut of the UNSD
//! 2017–2022 and Eurostat no-target rules): `≥ 1%` maintain, `[0, 1%)` accelerate, `< 0`
//! reverse.

use super::{classify, Case, MethodResult};
use crate::growth::{progress, ratio, Point};
use crate::labels::Label;
use crate::types::Status;

/// How observations are weighted in the anticipated-progress regression.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecencyWeights {
    /// Every observation weighs 1 (ordinary least squares).
    Equal,
    /// `w_i = t_i - t_first + 1`: weight rising linearly with recency (the default).
    Linear,
    /// `w_i = λ^(t_latest - t_i)` for `0 < λ ≤ 1` (ontrack's weighted projections use 0.9).
    Geometric(f64),
}

impl RecencyWeights {
    /// The weights of observations at `years` (ascending).
    #[must_use]
    pub fn weights(self, years: &[f64]) -> Vec<f64> {
        let first = years.first().copied().unwrap_or(0.0);
        let last = years.last().copied().unwrap_or(0.0);
        years
            .iter()
            .map(|t| match self {
                Self::Equal => 1.0,
                Self::Linear => t - first + 1.0,
                Self::Geometric(lambda) => lambda.powf(last - t),
            })
            .collect()
    }
}

/// Parameters of the ESCAP indices.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct EscapParams {
    /// Weighting of the regression (default [`RecencyWeights::Linear`]).
    pub weights: RecencyWeights,
    /// Cut-offs of `A`: maintain, accelerate (1.0, 0.0).
    pub cuts: [f64; 2],
    /// Without a target: cut-offs of the direction-adjusted slope `d·β` (0.01, 0.0).
    pub no_target_cuts: [f64; 2],
    /// Only observations from this year on enter the regression (2000, as published: the
    /// anticipated values are estimated from the data since 2000; `None`: every observation).
    pub fit_from: Option<f64>,
    /// Fewest observations in the regression (2).
    pub min_points: usize,
}

impl Default for EscapParams {
    fn default() -> Self {
        Self {
            weights: RecencyWeights::Linear,
            cuts: [1.0, 0.0],
            no_target_cuts: [0.01, 0.0],
            fit_from: Some(2000.0),
            min_points: 2,
        }
    }
}

/// ESCAP's current status index `CS = (y_t - y_b)/(y* - y_b)`, uncapped; `None` when the
/// baseline equals the target.
///
/// ```
/// use ontrack_kernels::methods::escap::current_status;
/// // Golden example G8 (docs/methods.md#golden-examples).
/// let cs = current_status(50.0, 60.0, 80.0).unwrap();
/// assert!((cs - 1.0 / 3.0).abs() < 1e-12);
/// ```
#[must_use]
pub fn current_status(baseline: f64, latest: f64, target: f64) -> Option<f64> {
    progress(baseline, latest, target)
}

/// A weighted trend fitted for the anticipated-progress index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedTrend {
    /// The slope `β`: per year on the log scale (continuous growth rate), or in units per
    /// year when `log_linear` is false.
    pub slope: f64,
    /// Whether `ln y` was fitted (`false`: the absolute-trend fallback for non-positive values).
    pub log_linear: bool,
}

/// Weighted least-squares slope of `z` on `t`; `None` with fewer than two distinct years or
/// non-positive total weight.
fn wls_slope(t: &[f64], z: &[f64], w: &[f64]) -> Option<f64> {
    let sum_w: f64 = w.iter().sum();
    if !(sum_w.is_finite() && sum_w > 0.0) {
        return None;
    }
    let t_bar = t.iter().zip(w).map(|(ti, wi)| ti * wi).sum::<f64>() / sum_w;
    let z_bar = z.iter().zip(w).map(|(zi, wi)| zi * wi).sum::<f64>() / sum_w;
    let (mut sxx, mut sxz) = (0.0, 0.0);
    for ((ti, zi), wi) in t.iter().zip(z).zip(w) {
        sxx += wi * (ti - t_bar) * (ti - t_bar);
        sxz += wi * (ti - t_bar) * (zi - z_bar);
    }
    ratio(sxz, sxx).filter(|_| sxx > 0.0)
}

/// Fit the anticipated-progress trend on `years`/`values` (ascending): `ln y` on `t` when every
/// value is positive, else `y` on `t` (the fallback). `None` with fewer than two observations,
/// all in one year, or non-finite values.
#[must_use]
pub fn weighted_trend(
    years: &[f64],
    values: &[f64],
    weights: RecencyWeights,
) -> Option<WeightedTrend> {
    let n = years.len().min(values.len());
    if n < 2 || values.iter().any(|v| !v.is_finite()) || years.iter().any(|t| !t.is_finite()) {
        return None;
    }
    let t = years.get(..n)?;
    let y = values.get(..n)?;
    let w = weights.weights(t);
    if y.iter().all(|v| *v > 0.0) {
        let z: Vec<f64> = y.iter().map(|v| v.ln()).collect();
        wls_slope(t, &z, &w).map(|slope| WeightedTrend {
            slope,
            log_linear: true,
        })
    } else {
        wls_slope(t, y, &w).map(|slope| WeightedTrend {
            slope,
            log_linear: false,
        })
    }
}

/// The anticipated value at `target_year`, carried from the latest point:
/// `y_t·exp(β(T - t))` (log-linear) or `y_t + β(T - t)` (fallback).
#[must_use]
pub fn anticipated_value(latest: Point, target_year: f64, trend: WeightedTrend) -> Option<f64> {
    let horizon = target_year - latest.year;
    let v = if trend.log_linear {
        latest.value * (trend.slope * horizon).exp()
    } else {
        latest.value + trend.slope * horizon
    };
    v.is_finite().then_some(v)
}

/// ESCAP's anticipated progress index `A = (ŷ_T - y_b)/(y* - y_b)`; `None` when the baseline
/// equals the target.
#[must_use]
pub fn anticipated_progress(baseline: f64, anticipated: f64, target: f64) -> Option<f64> {
    progress(baseline, anticipated, target)
}

const LABELS: [Label; 3] = [
    Label::MaintainProgress,
    Label::AccelerateProgress,
    Label::ReverseTrend,
];
const STATUSES: [Status; 3] = [
    Status::OnTrack,
    Status::NeedsAcceleration,
    Status::Regressing,
];

const LINEAR_REASON: &str =
    "non-positive values: ln y is undefined, so an absolute linear trend (weighted least squares on y) was projected instead";

fn class(i: usize, ratio: Option<f64>, score: Option<f64>, reason: Option<String>) -> MethodResult {
    MethodResult {
        status: STATUSES.get(i).copied().unwrap_or(Status::Regressing),
        label: LABELS.get(i).copied().unwrap_or(Label::ReverseTrend),
        ratio,
        score,
        reason,
    }
}

/// Assess one case by ESCAP's anticipated progress index; `score` is the (uncapped) current
/// status index.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &EscapParams) -> MethodResult {
    if !inputs_finite(case) {
        return MethodResult::insufficient("escap: a value, year or target is not finite");
    }
    let (years, values): (Vec<f64>, Vec<f64>) = case
        .years
        .iter()
        .zip(case.values)
        .filter(|(t, _)| p.fit_from.is_none_or(|from| **t >= from - 1e-9))
        .filter(|(t, _)| **t <= case.latest.year + 1e-9)
        .map(|(t, v)| (*t, *v))
        .unzip();
    let min_points = p.min_points.max(2);
    if years.len() < min_points {
        return MethodResult::insufficient(format!(
            "escap needs at least {min_points} observations in the regression, found {}",
            years.len()
        ));
    }
    let Some(trend) = weighted_trend(&years, &values, p.weights) else {
        return MethodResult::insufficient(
            "escap: the weighted trend is undefined (all observations in one year or non-finite values)",
        );
    };
    let reason = (!trend.log_linear).then(|| LINEAR_REASON.to_string());
    let d = case.direction.sign();
    let Some(target) = case.target else {
        if !trend.log_linear {
            return MethodResult::insufficient(
                "no target and the growth rate is undefined (non-positive values)",
            );
        }
        let g = d * trend.slope;
        return class(classify(g, &p.no_target_cuts), Some(g), None, None);
    };
    let (base, latest) = (case.base, case.latest);
    let cs = current_status(base.value, latest.value, target.value);
    let a = anticipated_value(latest, target.year, trend)
        .and_then(|v| anticipated_progress(base.value, v, target.value));
    if case.target_met() {
        return MethodResult {
            status: Status::Achieved,
            label: Label::TargetAchieved,
            ratio: a,
            score: cs,
            reason,
        };
    }
    match a {
        Some(a) => class(classify(a, &p.cuts), Some(a), cs, reason),
        None if base.value == target.value => class(
            2,
            None,
            cs,
            Some(
                "the baseline equals the target and the latest value has moved away from it".into(),
            ),
        ),
        None => MethodResult::insufficient("escap: the anticipated value is not finite"),
    }
}

/// Whether the base, latest and target points are all finite (shared by ESCAP, SDSN, Destatis,
/// WHO AROC and plan monitoring; a candidate for a `Case` method in `methods/mod.rs`).
pub(crate) fn inputs_finite(case: &Case<'_>) -> bool {
    [
        case.base.year,
        case.base.value,
        case.latest.year,
        case.latest.value,
    ]
    .iter()
    .all(|x| x.is_finite())
        && case
            .target
            .is_none_or(|t| t.value.is_finite() && t.year.is_finite())
}
