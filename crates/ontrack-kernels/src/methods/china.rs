//! Chinese plan-monitoring figures (规划实施监测): 完成率, 完成进度 against 时间进度, and the
//! average annual growth still needed in the remaining years (docs/methods.md#china-plan).
//!
//! - 完成率 (completion rate): `y_t / y*` for a higher-is-better level target; for a
//!   lower-is-better (逆指标) target the inverse `y* / y_t`, the usual convention for negative
//!   indicators, so that 1 means met in both directions.
//! - 完成进度 (progress) `P = (y_t - y_b)/(y* - y_b)` against 时间进度 (time elapsed)
//!   `τ = (t - b)/(T - b)`; the schedule gap `P - τ` (the `ratio`).
//! - 剩余年份年均需增长 (growth still needed per remaining year) `g_n = (y*/y_t)^(1/(T-t)) - 1`
//!   and the change `Δ_n = (y* - y_t)/(T - t)`.
//!
//! Status by "时间过半、任务过半" (half the time gone, half the task done):
//!
//! | condition | label | unified status |
//! |---|---|---|
//! | target met | `target_achieved` (完成) | achieved |
//! | `P ≥ τ` | `ahead_of_schedule` (达到或快于序时进度) | on track |
//! | `0 ≤ P < τ` | `behind_schedule` (滞后于序时进度) | needs acceleration |
//! | `P < 0` | `moving_backwards` (逆向变化) | regressing |
//!
//! `score` is the progress `P`. A target without a deadline after the base year, a base equal to
//! the target, or no observation after the base cannot be assessed on schedule: the first two
//! give `insufficient_data` unless met, a base equal to the target and not met is regressing.

use super::escap::inputs_finite;
use super::{Case, MethodResult, Target};
use crate::growth::{annual_change, cagr, progress, ratio, time_elapsed, Point};
use crate::labels::Label;
use crate::types::{Direction, Status};

/// Parameters of the plan-monitoring rule.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct ChinaPlanParams {
    /// `P` within this of `τ` counts as on schedule (1e-9, against rounding only).
    pub tolerance: f64,
}

impl Default for ChinaPlanParams {
    fn default() -> Self {
        Self { tolerance: 1e-9 }
    }
}

/// The plan-monitoring figures of one series against one level target.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PlanFigures {
    /// 完成率: `y_t / y*` (higher is better) or `y* / y_t` (lower is better).
    pub completion_rate: Option<f64>,
    /// 完成进度 `P = (y_t - y_b)/(y* - y_b)`.
    pub progress: Option<f64>,
    /// 时间进度 `τ = (t - b)/(T - b)`.
    pub time_elapsed: Option<f64>,
    /// `P - τ`: negative when behind schedule.
    pub schedule_gap: Option<f64>,
    /// Compound growth per year still needed, `(y*/y_t)^(1/(T-t)) - 1`.
    pub needed_growth: Option<f64>,
    /// Change per year still needed, `(y* - y_t)/(T - t)`.
    pub needed_change: Option<f64>,
    /// Achieved compound growth per year since the base.
    pub achieved_growth: Option<f64>,
    /// Achieved change per year since the base.
    pub achieved_change: Option<f64>,
}

/// Compute the [`PlanFigures`] for base and latest points against a target.
///
/// ```
/// use ontrack_kernels::growth::Point;
/// use ontrack_kernels::methods::{china::plan_figures, Target};
/// use ontrack_kernels::Direction;
/// // Golden example G13: 9.0 (2015) -> 10.5 (2017), target 12 by 2018.
/// let target = Target { value: 12.0, year: 2018.0, strict: false };
/// let f = plan_figures(Point::new(2015.0, 9.0), Point::new(2017.0, 10.5), target, Direction::Increase);
/// assert!((f.progress.unwrap() - 0.5).abs() < 1e-12);
/// assert!((f.schedule_gap.unwrap() + 1.0 / 6.0).abs() < 1e-12); // behind schedule
/// assert!((f.needed_change.unwrap() - 1.5).abs() < 1e-12);
/// ```
#[must_use]
pub fn plan_figures(
    base: Point,
    latest: Point,
    target: Target,
    direction: Direction,
) -> PlanFigures {
    let goal = Point::new(target.year, target.value);
    let progress = progress(base.value, latest.value, target.value);
    let time_elapsed = time_elapsed(base.year, latest.year, target.year);
    PlanFigures {
        completion_rate: match direction {
            Direction::Increase => ratio(latest.value, target.value),
            Direction::Decrease => ratio(target.value, latest.value),
        },
        progress,
        time_elapsed,
        schedule_gap: progress.zip(time_elapsed).map(|(p, t)| p - t),
        needed_growth: cagr(latest, goal),
        needed_change: annual_change(latest, goal),
        achieved_growth: cagr(base, latest),
        achieved_change: annual_change(base, latest),
    }
}

fn result(status: Status, label: Label, f: &PlanFigures, reason: Option<String>) -> MethodResult {
    MethodResult {
        status,
        label,
        ratio: f.schedule_gap,
        score: f.progress,
        reason,
    }
}

/// Assess one case by the "时间过半、任务过半" rule.
#[must_use]
pub fn evaluate(case: &Case<'_>, p: &ChinaPlanParams) -> MethodResult {
    if !inputs_finite(case) {
        return MethodResult::insufficient("china_plan: a value, year or target is not finite");
    }
    let Some(target) = case.target else {
        return MethodResult::insufficient("china_plan needs a numeric target");
    };
    let f = plan_figures(case.base, case.latest, target, case.direction);
    if case.target_met() {
        return result(Status::Achieved, Label::TargetAchieved, &f, None);
    }
    if case.latest.year <= case.base.year {
        return MethodResult::insufficient("china_plan needs an observation after the base year");
    }
    let Some(tau) = f.time_elapsed.filter(|_| target.year > case.base.year) else {
        return MethodResult::insufficient(
            "china_plan: the deadline does not follow the base year",
        );
    };
    let Some(progress) = f.progress else {
        return result(
            Status::Regressing,
            Label::MovingBackwards,
            &f,
            Some(
                "the baseline equals the target and the latest value has moved away from it".into(),
            ),
        );
    };
    if progress < 0.0 {
        result(Status::Regressing, Label::MovingBackwards, &f, None)
    } else if progress >= tau - p.tolerance {
        result(Status::OnTrack, Label::AheadOfSchedule, &f, None)
    } else {
        result(Status::NeedsAcceleration, Label::BehindSchedule, &f, None)
    }
}
