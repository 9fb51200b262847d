//! Eurostat's assessment in the EU SDG monitoring report: a long-term (15-year) and a
//! short-term (5-year) window, each assessed on its own.

use super::{classify, pace_ratio, Case, MethodResult};
use crate::growth::{cagr, Point};
use crate::labels::Label;
use crate::types::Status;

/// Which Eurostat window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// The past 15 years.
    LongTerm,
    /// The past 5 years.
    ShortTerm,
}

impl Window {
    /// The `method` column value.
    #[must_use]
    pub fn method_name(self) -> &'static str {
        match self {
            Self::LongTerm => "eurostat_long_term",
            Self::ShortTerm => "eurostat_short_term",
        }
    }
}

/// Parameters of one Eurostat window.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct EurostatParams {
    /// Which window this is.
    pub window: Window,
    /// Window length in years (15 or 5).
    pub years: f64,
    /// When the window's first year has no data, a later year is used, as long as at least
    /// this many years remain (10 long-term, 3 short-term).
    pub min_span: f64,
    /// Cut-offs of `R = g_a/g_r` with a target (0.95, 0.60, 0).
    pub cuts: [f64; 3],
    /// Cut-offs of direction-adjusted `g_a` without a target (0.01, 0, -0.01).
    pub no_target_cuts: [f64; 3],
}

impl EurostatParams {
    /// The long-term (15-year) window with published thresholds.
    #[must_use]
    pub fn long_term() -> Self {
        Self {
            window: Window::LongTerm,
            years: 15.0,
            min_span: 10.0,
            cuts: [0.95, 0.60, 0.0],
            no_target_cuts: [0.01, 0.0, -0.01],
        }
    }

    /// The short-term (5-year) window with published thresholds.
    #[must_use]
    pub fn short_term() -> Self {
        Self {
            window: Window::ShortTerm,
            years: 5.0,
            min_span: 3.0,
            ..Self::long_term()
        }
    }
}

/// The window's base point: the first observation at or after `latest - years`.
#[must_use]
pub fn window_base(case: &Case<'_>, p: &EurostatParams) -> Option<Point> {
    let start = case.latest.year - p.years;
    case.years
        .iter()
        .zip(case.values)
        .find(|(y, _)| **y >= start - 1e-9)
        .map(|(y, v)| Point::new(*y, *v))
        .filter(|b| case.latest.year - b.year >= p.min_span - 1e-9)
}

/// Assess one case in one Eurostat window.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &EurostatParams) -> MethodResult {
    const WITH: [Label; 4] = [
        Label::SignificantProgress,
        Label::ModerateProgress,
        Label::InsufficientProgress,
        Label::MovementAway,
    ];
    const WITH_STATUS: [Status; 4] = [
        Status::OnTrack,
        Status::NeedsAcceleration,
        Status::OffTrack,
        Status::Regressing,
    ];
    const WITHOUT: [Label; 4] = [
        Label::SignificantProgress,
        Label::ModerateProgress,
        Label::ModerateMovementAway,
        Label::SignificantMovementAway,
    ];
    const WITHOUT_STATUS: [Status; 4] = [
        Status::OnTrack,
        Status::NeedsAcceleration,
        Status::Regressing,
        Status::Regressing,
    ];
    let Some(base) = window_base(case, p) else {
        return MethodResult::insufficient(format!(
            "{}: no observation leaves at least {} years before the latest one within the {}-year window",
            p.window.method_name(),
            p.min_span,
            p.years
        ));
    };
    let latest = case.latest;
    let d = case.direction.sign();
    let pick = |i: usize, labels: &[Label; 4], statuses: &[Status; 4], r, reason| MethodResult {
        status: statuses.get(i).copied().unwrap_or(Status::Regressing),
        label: labels.get(i).copied().unwrap_or(Label::MovementAway),
        ratio: r,
        score: None,
        reason,
    };
    let Some(target) = case.target else {
        return match cagr(base, latest) {
            Some(g) => pick(
                classify(d * g, &p.no_target_cuts),
                &WITHOUT,
                &WITHOUT_STATUS,
                Some(d * g),
                None,
            ),
            None => MethodResult::insufficient(
                "no target and the growth rate is undefined (a zero value or a change of sign)",
            ),
        };
    };
    let goal = Point::new(target.year, target.value);
    let (r, reason) = pace_ratio(case.magnitude_sign(), d, base, latest, goal, cagr);
    if case.target_met() {
        return MethodResult {
            status: Status::Achieved,
            label: Label::TargetAchieved,
            ratio: r,
            score: None,
            reason,
        };
    }
    match r {
        Some(r) => pick(classify(r, &p.cuts), &WITH, &WITH_STATUS, Some(r), reason),
        None => pick(
            3,
            &WITH,
            &WITH_STATUS,
            None,
            Some(
                "the window's base equals the target and the latest value has moved away from it"
                    .into(),
            ),
        ),
    }
}
