//! The SDSN SDG Index and Dashboards (Sustainable Development Report): normalisation between
//! bounds with censoring, goal scores, the index with its missing-data rule, and the trend
//! classes (docs/methods.md#sdsn).
//!
//! **Normalisation.** `x' = 100·(x - LB)/(UB - LB)` censored to `[0, 100]`, where `LB` is the
//! *worst* and `UB` the *best* value: for a lower-is-better indicator the bounds are swapped
//! (`LB` is the larger number), so that a higher score is always better.
//!
//! **Bounds for a [`Case`].** [`SdsnParams::bounds`] (`(worst, best)`) when given; otherwise the
//! case's natural bounds: for [`Direction::Increase`] worst = `lower_bound`, best =
//! `upper_bound`; for [`Direction::Decrease`] worst = `upper_bound`, best = `lower_bound`.
//! Without both bounds SDSN has no score to assess, and neither does this method by default:
//! the status is `insufficient_data` and `reason` says which bounds to give. With
//! [`SdsnParams::raw_without_bounds`] the trend is assessed on the raw values against the
//! target instead (the ratio of achieved to needed change is invariant under the affine
//! normalisation, apart from censoring), with the `score` left empty and a `reason`.
//!
//! **Trend.** Linear annual change of the score from the base to the latest point, against the
//! annual change needed from the base to reach the achievement threshold by the deadline
//! (`ratio` = achieved / needed): falling → `decreasing` (regressing); below 50% of needed →
//! `stagnating` (off track); 50–100% → `moderately_improving` (needs acceleration); ≥ 100%, or
//! at the threshold and not falling → `on_track`.
//!
//! **Threshold and deadline.** The threshold is [`SdsnParams::threshold`] (a score) when given,
//! else the target normalised (censored), else 100 without a target; the deadline is the
//! target year, else [`SdsnParams::deadline`] (2030).
//!
//! **Achieved.** When the target is met (the raw target with its strictness, or the score at or
//! above an explicit threshold) the unified status is `achieved`, checked first as in every
//! other method; the label keeps SDSN's trend arrow: `maintaining_achievement` when the score is
//! not falling, `decreasing` when it is (the SDR shows a green dashboard cell with a ↓ arrow).

use super::escap::inputs_finite;
use super::{classify, Case, MethodResult};
use crate::growth::{ratio, Point};
use crate::labels::Label;
use crate::types::{Direction, Status};

/// The SDSN rule: no index when more than this share of the indicators is missing (0.2).
pub const DEFAULT_MAX_MISSING_SHARE: f64 = 0.2;

/// Parameters of the SDSN trend assessment.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct SdsnParams {
    /// Normalisation bounds `(worst, best)`; `None`: the case's natural bounds (module docs).
    pub bounds: Option<(f64, f64)>,
    /// Achievement threshold on the 0–100 score; `None`: the target normalised, or 100
    /// without a target.
    pub threshold: Option<f64>,
    /// Cut-offs of achieved / needed annual change: on track, moderately improving (1.0, 0.5).
    pub cuts: [f64; 2],
    /// Deadline used when the case has no target (2030).
    pub deadline: f64,
    /// Without normalisation bounds, assess the trend on the raw values against the target
    /// (ontrack's alternative) instead of reporting `insufficient_data` as SDSN has no score
    /// then (false).
    pub raw_without_bounds: bool,
}

impl Default for SdsnParams {
    fn default() -> Self {
        Self {
            bounds: None,
            threshold: None,
            cuts: [1.0, 0.5],
            deadline: 2030.0,
            raw_without_bounds: false,
        }
    }
}

/// SDSN normalisation `100·(x - worst)/(best - worst)` censored to `[0, 100]`.
///
/// Pass `worst`/`best` in that order for either direction (for lower-is-better `worst > best`).
/// `None` when the bounds are equal or any input is not finite.
///
/// ```
/// use ontrack_kernels::methods::sdsn::normalise;
/// // Golden example G9: lower is better, worst 72.6, best 0.
/// assert!((normalise(30.0, 72.6, 0.0).unwrap() - 58.677_686).abs() < 1e-6);
/// assert_eq!(normalise(80.0, 72.6, 0.0), Some(0.0)); // censored
/// ```
#[must_use]
pub fn normalise(x: f64, worst: f64, best: f64) -> Option<f64> {
    if !(x.is_finite() && worst.is_finite() && best.is_finite()) {
        return None;
    }
    ratio(x - worst, best - worst).map(|r| (100.0 * r).clamp(0.0, 100.0))
}

/// Goal score: the mean of the indicator scores present; `None` when none is.
#[must_use]
pub fn goal_score(scores: &[Option<f64>]) -> Option<f64> {
    mean_present(scores)
}

/// The share of missing (or non-finite) entries; `None` for an empty slice.
#[must_use]
pub fn missing_share(scores: &[Option<f64>]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let missing = scores
        .iter()
        .filter(|s| !s.is_some_and(f64::is_finite))
        .count();
    #[allow(clippy::cast_precision_loss)] // row counts: far below 2^53
    Some(missing as f64 / scores.len() as f64)
}

/// The SDG Index: the mean of the goal scores present, or `None` when more than
/// `max_missing_share` ([`DEFAULT_MAX_MISSING_SHARE`] = 20%) of the indicators are missing
/// (`indicators_missing_share`, e.g. from [`missing_share`] over every indicator). Exactly the
/// maximum share still gives an index.
#[must_use]
pub fn index(
    goal_scores: &[Option<f64>],
    indicators_missing_share: f64,
    max_missing_share: f64,
) -> Option<f64> {
    if !indicators_missing_share.is_finite() || indicators_missing_share > max_missing_share + 1e-12
    {
        return None;
    }
    mean_present(goal_scores)
}

/// The SDG Index straight from indicator scores grouped by goal: goal scores by
/// [`goal_score`], the missing share over all indicators, then [`index`].
#[must_use]
pub fn index_from_indicators(goals: &[&[Option<f64>]], max_missing_share: f64) -> Option<f64> {
    let all: Vec<Option<f64>> = goals.iter().flat_map(|g| g.iter().copied()).collect();
    let share = missing_share(&all)?;
    let goal_scores: Vec<Option<f64>> = goals.iter().map(|g| goal_score(g)).collect();
    index(&goal_scores, share, max_missing_share)
}

fn mean_present(xs: &[Option<f64>]) -> Option<f64> {
    let (sum, n) = xs
        .iter()
        .flatten()
        .filter(|x| x.is_finite())
        .fold((0.0, 0_usize), |(s, n), x| (s + x, n + 1));
    #[allow(clippy::cast_precision_loss)] // a row count: far below 2^53
    (n > 0).then(|| sum / n as f64)
}

/// Achieved versus needed annual change of a score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreTrend {
    /// `(s_t - s_b)/(t - b)`.
    pub achieved_per_year: f64,
    /// `(threshold - s_b)/(T - b)`.
    pub needed_per_year: f64,
    /// `achieved / needed`; `None` when nothing is needed (the base is at the threshold).
    pub ratio: Option<f64>,
}

/// The SDSN trend quantities for scores `base` → `latest` against `threshold` by `deadline`.
/// `None` when the latest year does not follow the base year or the deadline does not follow
/// the base year.
#[must_use]
pub fn score_trend(
    base: Point,
    latest: Point,
    threshold: f64,
    deadline: f64,
) -> Option<ScoreTrend> {
    let span = latest.year - base.year;
    let window = deadline - base.year;
    if !(span > 0.0 && window > 0.0) {
        return None;
    }
    let achieved_per_year = (latest.value - base.value) / span;
    let needed_per_year = (threshold - base.value) / window;
    if !(achieved_per_year.is_finite() && needed_per_year.is_finite()) {
        return None;
    }
    Some(ScoreTrend {
        achieved_per_year,
        needed_per_year,
        ratio: if needed_per_year > 0.0 {
            ratio(achieved_per_year, needed_per_year)
        } else {
            None
        },
    })
}

/// The normalisation bounds `(worst, best)` for a case: the parameter, else the case's
/// natural bounds oriented by direction.
#[must_use]
pub fn case_bounds(case: &Case<'_>, p: &SdsnParams) -> Option<(f64, f64)> {
    p.bounds
        .or(match case.direction {
            Direction::Increase => case.lower_bound.zip(case.upper_bound),
            Direction::Decrease => case.upper_bound.zip(case.lower_bound),
        })
        .filter(|(w, b)| w.is_finite() && b.is_finite() && w != b)
}

fn result(
    status: Status,
    label: Label,
    ratio: Option<f64>,
    score: Option<f64>,
    reason: Option<String>,
) -> MethodResult {
    MethodResult {
        status,
        label,
        ratio,
        score,
        reason,
    }
}

/// Assess one case by the SDSN trend rule; `score` is the latest normalised score.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &SdsnParams) -> MethodResult {
    if !inputs_finite(case) {
        return MethodResult::insufficient("sdsn: a value, year or target is not finite");
    }
    if case.years.len() < 2 || case.latest.year <= case.base.year {
        return MethodResult::insufficient("sdsn needs a base and a later latest observation");
    }
    let deadline = case.target.map_or(p.deadline, |t| t.year);
    let bounds = case_bounds(case, p);
    // Scores (or oriented raw values), the threshold on that scale, and whether it is met.
    let (s_b, s_t, threshold, met, score, reason) = if let Some((worst, best)) = bounds {
        let norm = |x: f64| normalise(x, worst, best);
        let (Some(s_b), Some(s_t)) = (norm(case.base.value), norm(case.latest.value)) else {
            return MethodResult::insufficient("sdsn: a value is not finite");
        };
        let (threshold, met) = match (p.threshold, case.target) {
            (Some(thr), _) => (thr, s_t >= thr),
            (None, Some(t)) => match norm(t.value) {
                Some(thr) => (thr, case.target_met()),
                None => return MethodResult::insufficient("sdsn: the target is not finite"),
            },
            (None, None) => (100.0, s_t >= 100.0),
        };
        (s_b, s_t, threshold, met, Some(s_t), None)
    } else {
        if !p.raw_without_bounds {
            return MethodResult::insufficient(
                "sdsn needs normalisation bounds (worst and best): give the target's lower_bound \
                 and upper_bound or sdsn's `bounds` (`raw_without_bounds` assesses the raw values \
                 against the target instead)",
            );
        }
        let Some(target) = case.target else {
            return MethodResult::insufficient(
                "sdsn needs normalisation bounds (worst and best) or a target",
            );
        };
        if p.threshold.is_some() {
            return MethodResult::insufficient(
                "sdsn: a threshold on the 0-100 score was given but the case has no normalisation bounds",
            );
        }
        let d = case.direction.sign();
        (
            d * case.base.value,
            d * case.latest.value,
            d * target.value,
            case.target_met(),
            None,
            Some(
                "no normalisation bounds: the trend is assessed on the raw values against the target (no score)"
                    .to_string(),
            ),
        )
    };
    let trend = score_trend(
        Point::new(case.base.year, s_b),
        Point::new(case.latest.year, s_t),
        threshold,
        deadline,
    );
    // The latest year follows the base year (checked above), so falling is `s_t < s_b`.
    let falling = s_t < s_b;
    if met {
        let label = if falling {
            Label::Decreasing
        } else {
            Label::MaintainingAchievement
        };
        let r = trend.and_then(|t| t.ratio);
        return result(Status::Achieved, label, r, score, reason);
    }
    let Some(trend) = trend else {
        return MethodResult::insufficient("sdsn: the deadline does not follow the base year");
    };
    if falling {
        return result(
            Status::Regressing,
            Label::Decreasing,
            trend.ratio,
            score,
            reason,
        );
    }
    if s_t >= threshold {
        return result(Status::OnTrack, Label::OnTrack, trend.ratio, score, reason);
    }
    let Some(r) = trend.ratio else {
        return MethodResult::insufficient("sdsn: the needed change is undefined");
    };
    let (status, label) = match classify(r, &p.cuts) {
        0 => (Status::OnTrack, Label::OnTrack),
        1 => (Status::NeedsAcceleration, Label::ModeratelyImproving),
        _ => (Status::OffTrack, Label::Stagnating),
    };
    result(status, label, Some(r), score, reason)
}
