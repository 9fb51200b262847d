//! Destatis weather symbols (German Sustainable Development Strategy indicator report,
//! docs/methods.md#destatis).
//!
//! The average change over the last five annual changes (six yearly points; at least four
//! points) is carried from the latest value to the deadline. The *miss* is the part of the
//! remaining distance the projection leaves uncovered, `(y* - ŷ_T)/(y* - y_t)` (the same
//! formula for both directions: numerator and denominator change sign together):
//!
//! | symbol | rule | unified status |
//! |---|---|---|
//! | `sun` | projection reaches the target, or miss < 5% | on track (achieved when already met) |
//! | `sun_with_cloud` | 5% ≤ miss ≤ 20% | needs acceleration |
//! | `cloud` | miss > 20%, moving the right way (or not moving) | off track |
//! | `thunderstorm` | moving the wrong way | regressing |
//!
//! Whether the change is absolute or relative is [`Reading`]: [`Reading::Absolute`] averages
//! the annual changes, `(y_t - y_{t-5})/5`, and projects `y_t + Δ(T - t)`;
//! [`Reading::Relative`] compounds, `g = (y_t / y_{t-5})^(1/5) - 1`, and projects
//! `y_t (1 + g)^(T - t)`. With gaps the rate runs from the first to the last observation in
//! the window (the mean of the annual changes telescopes to that). A relative reading of
//! non-positive values falls back to the absolute reading and says so. `ratio` is the miss.
//! Without a numeric target the method cannot be applied (insufficient data).

use super::escap::inputs_finite;
use super::{Case, MethodResult, FALLBACK_REASON};
use crate::growth::{annual_change, cagr, ratio, Point};
use crate::labels::Label;
use crate::types::{meets, Status};

/// Whether the average change is absolute or relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    /// Mean absolute annual change, carried linearly.
    Absolute,
    /// Compound annual growth rate, carried geometrically.
    Relative,
}

impl Reading {
    /// The `method` column value (`destatis_absolute`, `destatis_relative`).
    #[must_use]
    pub fn method_name(self) -> &'static str {
        match self {
            Self::Absolute => "destatis_absolute",
            Self::Relative => "destatis_relative",
        }
    }
}

/// Parameters of the Destatis weather symbols.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct DestatisParams {
    /// Absolute or relative changes.
    pub reading: Reading,
    /// Number of annual changes averaged (5): the window covers `latest - changes ..= latest`.
    pub changes: f64,
    /// Fewest observations in the window (4).
    pub min_points: usize,
    /// Miss cut-offs: below the first is sun, up to and including the second sun with cloud
    /// (0.05, 0.20).
    pub cuts: [f64; 2],
}

impl DestatisParams {
    /// The published defaults with the given reading.
    #[must_use]
    pub fn new(reading: Reading) -> Self {
        Self {
            reading,
            changes: 5.0,
            min_points: 4,
            cuts: [0.05, 0.20],
        }
    }
}

impl Default for DestatisParams {
    fn default() -> Self {
        Self::new(Reading::Absolute)
    }
}

/// The average change over the window, as used for the projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// Units per year (absolute) or growth per year (relative).
    pub rate: f64,
    /// The reading actually used (relative falls back to absolute for non-positive values).
    pub reading: Reading,
    /// The first point of the window.
    pub from: Point,
    /// The latest point.
    pub to: Point,
}

impl Pace {
    /// The value at `year`, carried from the latest point.
    #[must_use]
    pub fn project(&self, year: f64) -> Option<f64> {
        let h = year - self.to.year;
        let v = match self.reading {
            Reading::Absolute => self.to.value + self.rate * h,
            Reading::Relative => self.to.value * (1.0 + self.rate).powf(h),
        };
        v.is_finite().then_some(v)
    }
}

/// The average change of the observations in `[latest_year - changes, latest_year]`.
///
/// `None` when the window holds fewer than `min_points` observations (or fewer than two), or no
/// observation at `latest_year`. A relative reading falls back to absolute when a value is zero
/// or the sign changes (the returned [`Pace::reading`] says which was used).
///
/// ```
/// use ontrack_kernels::methods::destatis::{pace, DestatisParams, Reading};
/// // Golden example G7 (docs/methods.md#golden-examples).
/// let years = [2017.0, 2018.0, 2019.0, 2020.0, 2021.0, 2022.0];
/// let values = [40.0, 42.0, 43.0, 45.0, 46.0, 48.0];
/// let abs = pace(&years, &values, 2022.0, &DestatisParams::new(Reading::Absolute)).unwrap();
/// assert!((abs.project(2030.0).unwrap() - 60.8).abs() < 1e-9);
/// let rel = pace(&years, &values, 2022.0, &DestatisParams::new(Reading::Relative)).unwrap();
/// assert!((rel.project(2030.0).unwrap() - 64.2586).abs() < 1e-4);
/// ```
#[must_use]
pub fn pace(years: &[f64], values: &[f64], latest_year: f64, p: &DestatisParams) -> Option<Pace> {
    let window: Vec<Point> = years
        .iter()
        .zip(values)
        .filter(|(t, v)| {
            v.is_finite() && **t >= latest_year - p.changes - 1e-9 && **t <= latest_year + 1e-9
        })
        .map(|(t, v)| Point::new(*t, *v))
        .collect();
    if window.len() < p.min_points.max(2) {
        return None;
    }
    let from = *window.first()?;
    let to = *window.last()?;
    if (to.year - latest_year).abs() > 1e-9 {
        return None;
    }
    let relative = match p.reading {
        Reading::Relative => cagr(from, to),
        Reading::Absolute => None,
    };
    match relative {
        Some(rate) => Some(Pace {
            rate,
            reading: Reading::Relative,
            from,
            to,
        }),
        None => annual_change(from, to).map(|rate| Pace {
            rate,
            reading: Reading::Absolute,
            from,
            to,
        }),
    }
}

/// The miss `(y* - ŷ_T)/(y* - y_t)`: the share of the remaining distance left uncovered by the
/// projection (≤ 0 when the projection reaches the target). `None` when `y_t = y*`.
#[must_use]
pub fn miss(latest: f64, projected: f64, target: f64) -> Option<f64> {
    ratio(target - projected, target - latest)
}

fn symbol(i: usize, miss: Option<f64>, reason: Option<String>) -> MethodResult {
    let (status, label) = match i {
        0 => (Status::OnTrack, Label::Sun),
        1 => (Status::NeedsAcceleration, Label::SunWithCloud),
        2 => (Status::OffTrack, Label::Cloud),
        _ => (Status::Regressing, Label::Thunderstorm),
    };
    MethodResult {
        status,
        label,
        ratio: miss,
        score: None,
        reason,
    }
}

/// Assess one case by the Destatis weather symbols.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &DestatisParams) -> MethodResult {
    if !inputs_finite(case) {
        return MethodResult::insufficient("destatis: a value, year or target is not finite");
    }
    let name = p.reading.method_name();
    let Some(target) = case.target else {
        return MethodResult::insufficient(format!("{name} needs a numeric target"));
    };
    let Some(pace) = pace(case.years, case.values, case.latest.year, p) else {
        return MethodResult::insufficient(format!(
            "{name} needs at least {} observations within the last {} years up to the latest one",
            p.min_points.max(2),
            p.changes
        ));
    };
    let reason = (p.reading == Reading::Relative && pace.reading == Reading::Absolute)
        .then(|| FALLBACK_REASON.to_string());
    let Some(projected) = pace.project(target.year) else {
        return MethodResult::insufficient(format!("{name}: the projection is not finite"));
    };
    let latest = case.latest.value;
    let m = miss(latest, projected, target.value);
    if case.target_met() {
        return MethodResult {
            status: Status::Achieved,
            label: Label::Sun,
            ratio: m,
            score: None,
            reason,
        };
    }
    // The sign of the change, not of the rate: for negative values a relative rate describes
    // the magnitude.
    if case.direction.sign() * (pace.to.value - pace.from.value) < 0.0 {
        return symbol(3, m, reason);
    }
    if meets(projected, target.value, case.direction, target.strict) {
        return symbol(0, m, reason);
    }
    let [sun, sun_with_cloud] = p.cuts;
    let i = match m {
        Some(m) if m < sun => 0,
        Some(m) if m <= sun_with_cloud => 1,
        _ => 2,
    };
    symbol(i, m, reason)
}
