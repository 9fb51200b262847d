//! Building blocks of every method (docs/methods.md#building-blocks): growth rates, annual
//! changes, progress, time elapsed, gaps.
//!
//! Every function returns `None` where the quantity is undefined (zero or sign-changing values
//! for growth rates, a zero-length window, a baseline equal to the target for progress) instead
//! of an infinite or NaN number; callers decide how to fall back and say so.

use crate::types::Direction;

/// One observation: a (fractional) year and a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The period as a year (dates are decimal years).
    pub year: f64,
    /// The observed value.
    pub value: f64,
}

impl Point {
    /// A point at `year` with `value`.
    #[must_use]
    pub fn new(year: f64, value: f64) -> Self {
        Self { year, value }
    }
}

/// Compound annual growth rate from `from` to `to`: `(y1 / y0)^(1/(t1 - t0)) - 1`.
///
/// Defined only when both values are non-zero and of the same sign and the years differ; for
/// two negative values it is the growth of the magnitude (Open SDG's `s = -1` convention).
#[must_use]
pub fn cagr(from: Point, to: Point) -> Option<f64> {
    let span = to.year - from.year;
    if !(span.is_finite() && span != 0.0) {
        return None;
    }
    growth_over(from.value, to.value, span)
}

/// Compound growth per year that turns `y0` into `y1` over `span` years.
#[must_use]
pub fn growth_over(y0: f64, y1: f64, span: f64) -> Option<f64> {
    if !(y0.is_finite() && y1.is_finite() && span.is_finite()) || span == 0.0 {
        return None;
    }
    if y0 == 0.0 || y1 == 0.0 || (y0 > 0.0) != (y1 > 0.0) {
        return None;
    }
    let rate = (y1 / y0).powf(1.0 / span) - 1.0;
    rate.is_finite().then_some(rate)
}

/// Average annual change from `from` to `to`: `(y1 - y0)/(t1 - t0)`.
#[must_use]
pub fn annual_change(from: Point, to: Point) -> Option<f64> {
    let span = to.year - from.year;
    if !(span.is_finite() && span != 0.0) {
        return None;
    }
    let change = (to.value - from.value) / span;
    change.is_finite().then_some(change)
}

/// Average annual rate of reduction (health convention): `ln(y0 / y1)/(t1 - t0)`.
#[must_use]
pub fn aarr(from: Point, to: Point) -> Option<f64> {
    let span = to.year - from.year;
    if !(span.is_finite() && span != 0.0) || from.value <= 0.0 || to.value <= 0.0 {
        return None;
    }
    let rate = (from.value / to.value).ln() / span;
    rate.is_finite().then_some(rate)
}

/// Progress (完成进度): the share of the distance from baseline to target covered,
/// `(y_t - y_b)/(y* - y_b)`. `None` when the baseline equals the target.
#[must_use]
pub fn progress(baseline: f64, latest: f64, target: f64) -> Option<f64> {
    ratio(latest - baseline, target - baseline)
}

/// Time elapsed (时间进度): `(t - b)/(T - b)`. `None` when the deadline equals the base year.
#[must_use]
pub fn time_elapsed(base_year: f64, latest_year: f64, target_year: f64) -> Option<f64> {
    ratio(latest_year - base_year, target_year - base_year)
}

/// Gap still to go, `d·(y* - y_t)`: positive while the target is not reached.
#[must_use]
pub fn gap(latest: f64, target: f64, direction: Direction) -> f64 {
    direction.sign() * (target - latest)
}

/// `num / den`, or `None` when the quotient is not finite (including `den == 0`).
#[must_use]
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    if den == 0.0 {
        return None;
    }
    let q = num / den;
    q.is_finite().then_some(q)
}

/// Which quantities a pace ratio compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceBasis {
    /// Compound growth rates (the default of every named method).
    Growth,
    /// Absolute annual changes: the fallback when a growth rate is undefined (zero values or a
    /// sign change).
    Change,
}

impl PaceBasis {
    /// The name used in result frames.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Growth => "growth",
            Self::Change => "change",
        }
    }
}

/// The closed-form metrics of one series against one numeric target
/// (docs/methods.md#building-blocks).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    /// `P = (y_t - y_b)/(y* - y_b)`.
    pub progress: Option<f64>,
    /// `y_t / y*` (for cumulative targets: the sum of flows over `y*`).
    pub completion_rate: Option<f64>,
    /// `τ = (t - b)/(T - b)`.
    pub time_elapsed: Option<f64>,
    /// `P - τ`: negative when lagging behind schedule (时间过半、任务过半).
    pub schedule_gap: Option<f64>,
    /// `d·(y* - y_t)`.
    pub gap: Option<f64>,
    /// `gap / |y* - y_b|`.
    pub relative_gap: Option<f64>,
    /// Achieved CAGR `g_a` from baseline to latest.
    pub achieved_growth: Option<f64>,
    /// Required CAGR `g_r` from baseline to target over the whole window.
    pub required_growth: Option<f64>,
    /// CAGR `g_n` still needed from the latest point to the target.
    pub needed_growth: Option<f64>,
    /// Achieved annual change `Δ_a`.
    pub achieved_change: Option<f64>,
    /// Required annual change `Δ_r` over the whole window.
    pub required_change: Option<f64>,
    /// Annual change `Δ_n` still needed from the latest point.
    pub needed_change: Option<f64>,
}

/// Compute [`Metrics`] from a baseline point, a latest point and a target (`target`, `target_year`).
#[must_use]
pub fn metrics(
    base: Point,
    latest: Point,
    target: f64,
    target_year: f64,
    direction: Direction,
) -> Metrics {
    let goal = Point::new(target_year, target);
    let progress = progress(base.value, latest.value, target);
    let time_elapsed = time_elapsed(base.year, latest.year, target_year);
    let gap_value = gap(latest.value, target, direction);
    Metrics {
        progress,
        completion_rate: ratio(latest.value, target),
        time_elapsed,
        schedule_gap: progress.zip(time_elapsed).map(|(p, t)| p - t),
        gap: Some(gap_value),
        relative_gap: ratio(gap_value, (target - base.value).abs()),
        achieved_growth: cagr(base, latest),
        required_growth: cagr(base, goal),
        needed_growth: cagr(latest, goal),
        achieved_change: annual_change(base, latest),
        required_change: annual_change(base, goal),
        needed_change: annual_change(latest, goal),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn growth_is_undefined_across_zero_and_sign_changes() {
        assert_eq!(growth_over(0.0, 5.0, 3.0), None);
        assert_eq!(growth_over(-1.0, 5.0, 3.0), None);
        assert_eq!(growth_over(5.0, 5.0, 0.0), None);
        assert_relative_eq!(growth_over(-4.0, -1.0, 2.0).unwrap(), -0.5);
    }

    #[test]
    fn progress_is_undefined_when_baseline_equals_target() {
        assert_eq!(progress(3.0, 4.0, 3.0), None);
    }
}
