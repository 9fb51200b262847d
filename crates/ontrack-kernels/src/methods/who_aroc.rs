//! WHO annual-rate-of-change (AROC) scenarios, as in the WHO GPW13 "billionaiRe" package's
//! `scenario_aroc` (docs/methods.md#who-aroc):
//!
//! `y_h = y_base (1 + AROC)^(h - base)` for a horizon year `h`, with AROC
//! - **latest**: the last year-on-year change, from the previous observation to the base year,
//!   `(y_base / y_prev)^(1/(base - prev)) - 1` (one year apart in WHO's data; a gap is
//!   compounded over);
//! - **target**: the rate landing exactly on `y*` at `T`, `(y*/y_base)^(1/(T - base)) - 1`;
//! - **percent_change**: a *total* change of `pc`% by `T` (not per year),
//!   `(1 + pc/100)^(1/(T - base)) - 1`.
//!
//! Optional caps clamp the AROC ([`ArocCaps`], WHO's `limit_aroc_*`), and the projected value
//! can be trimmed to bounds (WHO's `trim`, default `[0, 100]` there; here the bounds given).
//!
//! **As a method** ([`evaluate`], name `who_aroc`): the scenario is projected from the case's
//! latest observation to the deadline and compared with the target. The `ratio` is the share
//! of the remaining distance the scenario covers, `r = (ŷ_T - y_t)/(y* - y_t)`:
//!
//! | condition | label | unified status |
//! |---|---|---|
//! | latest value meets the target | `target_achieved` | achieved |
//! | `ŷ_T` meets the target (`r ≥ 1`, respecting strictness) | `projected_to_meet_target` | on track |
//! | `0 < r < 1` | `projected_short_of_target` | needs acceleration |
//! | `r = 0` (no change) | `no_change` | off track |
//! | `r < 0` | `projected_away_from_target` | regressing |
//!
//! The `target` scenario lands on the target by construction and so always projects to meet
//! it; it is meant for scenario values ([`aroc_projection`]) rather than for assessment. When
//! the AROC is undefined (a zero value or a change of sign) the method falls back to the last
//! absolute annual change and says so.

use super::escap::inputs_finite;
use super::{Case, MethodResult, FALLBACK_REASON};
use crate::growth::{annual_change, growth_over, ratio, Point};
use crate::labels::Label;
use crate::types::{meets, Status};

/// An AROC scenario with everything it needs.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// The last year-on-year change up to the base year.
    Latest,
    /// The rate that reaches `value` in `year`.
    Target {
        /// The target value `y*`.
        value: f64,
        /// The target year `T`.
        year: f64,
    },
    /// A total change of `percent` % (e.g. `3.0` for +3%) by `year`.
    PercentChange {
        /// Total percent change (not per year).
        percent: f64,
        /// The year by which the change is reached.
        year: f64,
    },
}

/// Which AROC a [`WhoArocParams`] method uses; the target and year come from the case.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArocType {
    /// The last year-on-year change (the default).
    Latest,
    /// The rate landing on the case's target at its deadline.
    Target,
    /// A total change of this many percent by the case's deadline.
    PercentChange(f64),
}

/// Optional limits on the AROC.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ArocCaps {
    /// The AROC is at least this (e.g. `Some(0.0)`: never project a decline).
    pub min: Option<f64>,
    /// The AROC is at most this.
    pub max: Option<f64>,
}

impl ArocCaps {
    /// `aroc` clamped to the caps.
    #[must_use]
    pub fn apply(self, aroc: f64) -> f64 {
        let a = self.min.map_or(aroc, |m| aroc.max(m));
        self.max.map_or(a, |m| a.min(m))
    }
}

/// Parameters of the `who_aroc` method.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct WhoArocParams {
    /// The AROC scenario (default [`ArocType::Latest`]).
    pub aroc_type: ArocType,
    /// Caps on the AROC (none by default).
    pub caps: ArocCaps,
    /// Trim projections to the case's natural bounds (true).
    pub trim_to_bounds: bool,
}

impl Default for WhoArocParams {
    fn default() -> Self {
        Self {
            aroc_type: ArocType::Latest,
            caps: ArocCaps::default(),
            trim_to_bounds: true,
        }
    }
}

/// The observation at `year` (within 1e-9), if any.
fn value_at(years: &[f64], values: &[f64], year: f64) -> Option<f64> {
    years
        .iter()
        .zip(values)
        .find(|(t, v)| (**t - year).abs() <= 1e-9 && v.is_finite())
        .map(|(_, v)| *v)
}

/// The AROC of `scenario` for a series with base year `base_year` (uncapped).
///
/// `None` when the base year has no observation, `latest` has no earlier observation, the
/// scenario year equals the base year, or the rate is undefined (a zero value or a change of
/// sign; a total change of -100% or less).
#[must_use]
pub fn aroc(years: &[f64], values: &[f64], base_year: f64, scenario: Scenario) -> Option<f64> {
    let y_base = value_at(years, values, base_year)?;
    match scenario {
        Scenario::Latest => {
            let (prev_year, prev) = years
                .iter()
                .zip(values)
                .filter(|(t, v)| **t < base_year - 1e-9 && v.is_finite())
                .map(|(t, v)| (*t, *v))
                .next_back()?;
            growth_over(prev, y_base, base_year - prev_year)
        }
        Scenario::Target { value, year } => growth_over(y_base, value, year - base_year),
        Scenario::PercentChange { percent, year } => {
            growth_over(1.0, 1.0 + percent / 100.0, year - base_year)
        }
    }
}

/// The scenario value at `horizon_year`: `y_base (1 + AROC)^(horizon - base)`, with the AROC
/// clamped by `caps` and the value trimmed to `bounds` (`(lower, upper)`, each optional).
///
/// ```
/// use ontrack_kernels::methods::who_aroc::{aroc_projection, ArocCaps, Scenario};
/// // Golden example G15: 80, 81, ..., 100 over 2010-2030, base 2018 (88).
/// let years: Vec<f64> = (2010..=2030).map(f64::from).collect();
/// let values: Vec<f64> = (80..=100).map(f64::from).collect();
/// let v = aroc_projection(&years, &values, 2018.0, Scenario::Latest, 2025.0,
///                         ArocCaps::default(), (None, None)).unwrap();
/// assert!((v - 95.329_345_0).abs() < 1e-6);
/// ```
#[must_use]
pub fn aroc_projection(
    years: &[f64],
    values: &[f64],
    base_year: f64,
    scenario: Scenario,
    horizon_year: f64,
    caps: ArocCaps,
    bounds: (Option<f64>, Option<f64>),
) -> Option<f64> {
    let y_base = value_at(years, values, base_year)?;
    let rate = caps.apply(aroc(years, values, base_year, scenario)?);
    let v = y_base * (1.0 + rate).powf(horizon_year - base_year);
    v.is_finite().then(|| trim(v, bounds))
}

/// `v` clamped to the optional bounds.
#[must_use]
pub fn trim(v: f64, (lower, upper): (Option<f64>, Option<f64>)) -> f64 {
    let v = lower.map_or(v, |l| v.max(l));
    upper.map_or(v, |u| v.min(u))
}

fn result(status: Status, label: Label, r: Option<f64>, reason: Option<String>) -> MethodResult {
    MethodResult {
        status,
        label,
        ratio: r,
        score: None,
        reason,
    }
}

/// Assess one case by a WHO AROC scenario projected from the latest observation.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &WhoArocParams) -> MethodResult {
    if !inputs_finite(case) {
        return MethodResult::insufficient("who_aroc: a value, year or target is not finite");
    }
    let Some(target) = case.target else {
        return MethodResult::insufficient("who_aroc needs a numeric target");
    };
    let latest = case.latest;
    let scenario = match p.aroc_type {
        ArocType::Latest => Scenario::Latest,
        ArocType::Target => Scenario::Target {
            value: target.value,
            year: target.year,
        },
        ArocType::PercentChange(percent) => Scenario::PercentChange {
            percent,
            year: target.year,
        },
    };
    let bounds = if p.trim_to_bounds {
        (case.lower_bound, case.upper_bound)
    } else {
        (None, None)
    };
    let projected = match aroc_projection(
        case.years,
        case.values,
        latest.year,
        scenario,
        target.year,
        p.caps,
        bounds,
    ) {
        Some(v) => Some((v, None)),
        None if p.aroc_type == ArocType::Latest => {
            // Fall back to the last absolute change (a zero value or a change of sign).
            let prev = case
                .years
                .iter()
                .zip(case.values)
                .filter(|(t, v)| **t < latest.year - 1e-9 && v.is_finite())
                .map(|(t, v)| Point::new(*t, *v))
                .next_back();
            prev.and_then(|prev| annual_change(prev, latest))
                .map(|c| latest.value + c * (target.year - latest.year))
                .filter(|v| v.is_finite())
                .map(|v| (trim(v, bounds), Some(FALLBACK_REASON.to_string())))
        }
        None => None,
    };
    let Some((mut projected, reason)) = projected else {
        return MethodResult::insufficient(
            "who_aroc: the AROC is undefined (no observation before the latest one, a zero value, a change of sign, or the deadline equals the latest year)",
        );
    };
    // The "target" AROC lands on the target by construction; remove the rounding of the
    // power so that it meets a "reaches" target exactly.
    if p.aroc_type == ArocType::Target
        && (projected - target.value).abs() <= 1e-12 * target.value.abs().max(1.0)
    {
        projected = target.value;
    }
    let r = ratio(projected - latest.value, target.value - latest.value);
    if case.target_met() {
        return result(Status::Achieved, Label::TargetAchieved, r, reason);
    }
    if meets(projected, target.value, case.direction, target.strict) {
        return result(Status::OnTrack, Label::ProjectedToMeetTarget, r, reason);
    }
    match r {
        Some(r) if r > 0.0 => result(
            Status::NeedsAcceleration,
            Label::ProjectedShortOfTarget,
            Some(r),
            reason,
        ),
        Some(r) if r < 0.0 => result(
            Status::Regressing,
            Label::ProjectedAwayFromTarget,
            Some(r),
            reason,
        ),
        _ => result(Status::OffTrack, Label::NoChange, r, reason),
    }
}
