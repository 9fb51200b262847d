//! The projection columns of one target × series: probability of meeting the target,
//! projected value and interval at the deadline, expected attainment year.

use ontrack_kernels::growth::Point;
use ontrack_kernels::methods::Target;
use ontrack_kernels::types::meets;
use ontrack_kernels::{Direction, Status};

use crate::fit::fit_series;
use crate::options::AssessOptions;

use super::row::ProjectionOutcome;

/// Probability of meeting the target, projected value at the deadline and expected
/// attainment year, from the projection method of the options.
pub(super) fn project_target(
    points: &[Point],
    target: Target,
    direction: Direction,
    bounds: (Option<f64>, Option<f64>),
    options: &AssessOptions,
) -> ProjectionOutcome {
    let increase = direction == Direction::Increase;
    let band = |p: f64| {
        if p >= options.on_track_probability {
            Status::OnTrack
        } else if p >= options.off_track_probability {
            Status::NeedsAcceleration
        } else {
            Status::OffTrack
        }
    };
    let empty = ProjectionOutcome {
        method: None,
        value: None,
        intervals: Vec::new(),
        probability: None,
        attainment_year: None,
        status: None,
        reason: None,
    };
    let Some(last) = points.last() else {
        return empty;
    };
    if last.year >= target.year {
        // The deadline is reached: the observation decides, with certainty.
        let met = meets(last.value, target.value, direction, target.strict);
        return ProjectionOutcome {
            probability: Some(if met { 1.0 } else { 0.0 }),
            attainment_year: points
                .iter()
                .find(|p| meets(p.value, target.value, direction, target.strict))
                .map(|p| p.year),
            status: Some(if met {
                Status::Achieved
            } else {
                Status::OffTrack
            }),
            reason: Some("deadline reached: probability from the observation".into()),
            ..empty
        };
    }
    let Some(method) = options.projection else {
        return empty;
    };
    let (years, values): (Vec<f64>, Vec<f64>) = points.iter().map(|p| (p.year, p.value)).unzip();
    let fitted = fit_series(
        &years,
        &values,
        method,
        bounds,
        options.recency_weight,
        options.log_scale,
    );
    let p = match fitted {
        Ok(p) => p,
        Err(reason) => {
            return ProjectionOutcome {
                reason: Some(reason),
                ..empty
            }
        }
    };
    let dist = p.at(target.year);
    let probability = dist
        .as_ref()
        .map(|d| d.prob_meets(target.value, increase, target.strict));
    // Already met: the attainment year is the start of the latest run of observations that
    // meet the target; otherwise the first projected year that does.
    let met_since = points
        .iter()
        .rev()
        .take_while(|p| meets(p.value, target.value, direction, target.strict))
        .last()
        .map(|p| p.year);
    ProjectionOutcome {
        method: Some(p.method_used.as_str()),
        value: dist.as_ref().map(|d| d.point()),
        intervals: options
            .levels
            .iter()
            .map(|l| {
                dist.as_ref()
                    .and_then(|d| d.interval(*l))
                    .unwrap_or((f64::NAN, f64::NAN))
            })
            .collect(),
        probability,
        attainment_year: met_since.or_else(|| {
            ontrack_kernels::projection::expected_attainment_year(
                &p,
                target.value,
                increase,
                target.strict,
                last.year + options.attainment_horizon,
            )
        }),
        status: probability.map(band),
        reason: p.reason.clone(),
    }
}
