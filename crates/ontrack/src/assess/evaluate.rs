//! Evaluating one job: the series up to the deadline, the baseline, the metrics, the trend,
//! every requested method, and the projection.

use ontrack_kernels::growth::{metrics, Metrics, Point};
use ontrack_kernels::methods::{Case, MethodResult, Rates, Target};
use ontrack_kernels::trend::slope_test;
use ontrack_kernels::types::meets;
use ontrack_kernels::{Direction, Label, Status};

use crate::calendar::{format_period, write_period, PeriodKind};
use crate::options::{AssessOptions, BaselinePolicy};
use crate::panel::{Panel, SeriesBuf};
use crate::target::{ChangeType, TargetKind, TargetSpec};

use super::matching::{Job, UnitsJob};
use super::projection::project_target;
use super::row::{join_reasons, Keys, Row};
use super::targets::Targets;

/// Buffers reused from one series to the next (one set per batch of jobs), so that the
/// evaluation of a series allocates nothing in the common case.
#[derive(Default)]
pub(super) struct Scratch {
    /// The non-missing points of the series up to the deadline.
    points: Vec<Point>,
    /// Their years, then their values.
    columns: Vec<f64>,
    /// The values in the target's unit, when a scale applies.
    scaled: Vec<f64>,
    /// The series, where the panel reads it into a buffer.
    series: SeriesBuf,
}

/// Evaluate one job, appending its rows (one per method) to `out`.
pub(super) fn run_job<'a>(
    job: &'a Job,
    panel: &Panel,
    targets: Targets<'_>,
    options: &'a AssessOptions,
    scratch: &mut Scratch,
    out: &mut Vec<Row<'a>>,
) {
    let methods = &options.methods;
    match job {
        Job::Untargeted { group } => out.extend(methods.iter().map(|m| {
            Row::empty(
                Keys::Group(*group),
                None,
                m.name(),
                "no target matches this series".into(),
            )
        })),
        Job::NoData { target } => {
            let reason = targets.spec(*target).map_or_else(String::new, |s| {
                let mut r = format!("no observations for indicator {:?}", s.indicator);
                let filters: Vec<String> = s
                    .keys
                    .iter()
                    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
                    .collect();
                if !filters.is_empty() {
                    r.push_str(&format!(" with {}", filters.join(", ")));
                }
                r
            });
            out.extend(methods.iter().map(|m| {
                Row::empty(
                    Keys::Target(*target),
                    Some(*target),
                    m.name(),
                    reason.clone(),
                )
            }));
        }
        Job::Series { target, group } => {
            let Some(spec) = targets.measured(*target) else {
                return;
            };
            let spec: &TargetSpec = &spec;
            let mut buf = std::mem::take(&mut scratch.series);
            let (years, values) = panel.series(*group, &mut buf);
            let input = Input {
                spec,
                target: *target,
                keys: Keys::Group(*group),
                years,
                period_kind: panel.period_kind,
            };
            if options.scale.is_some() {
                let mut scaled = std::mem::take(&mut scratch.scaled);
                scaled.clear();
                scaled.extend(values.iter().map(|x| x / spec.scale));
                evaluate(&input, &scaled, options, scratch, out);
                scratch.scaled = scaled;
            } else {
                evaluate(&input, values, options, scratch, out);
            }
            scratch.series = buf;
        }
        Job::Units(units) => {
            let UnitsJob {
                target,
                groups,
                keys,
            } = units.as_ref();
            let Some(spec) = targets.measured(*target) else {
                return;
            };
            let spec: &TargetSpec = &spec;
            let (years, shares, note) = unit_shares(spec, groups, panel, options);
            let first = out.len();
            let input = Input {
                spec,
                target: *target,
                keys: Keys::Owned(keys),
                years: &years,
                period_kind: panel.period_kind,
            };
            evaluate(&input, &shares, options, scratch, out);
            for row in out.iter_mut().skip(first) {
                row.reason = join_reasons(Some(note.clone()), row.reason.take());
            }
        }
    }
}

/// One target on one series, as [`evaluate`] reads it.
struct Input<'s, 'a> {
    spec: &'s TargetSpec,
    /// The target's index.
    target: usize,
    keys: Keys<'a>,
    /// The series' periods, in period order.
    years: &'s [f64],
    period_kind: PeriodKind,
}

/// Per period, the share (in %) of sub-units whose value meets the unit threshold, among the
/// sub-units observed in that period.
fn unit_shares(
    spec: &TargetSpec,
    groups: &[usize],
    panel: &Panel,
    options: &AssessOptions,
) -> (Vec<f64>, Vec<f64>, String) {
    let threshold = spec.unit_threshold.unwrap_or(f64::NAN);
    let mut by_year: Vec<(f64, u32, u32)> = Vec::new();
    let mut all: Vec<(f64, bool)> = Vec::new();
    let mut buf = SeriesBuf::default();
    for &g in groups {
        let (years, values) = panel.series(g, &mut buf);
        for (y, v) in years.iter().zip(values) {
            if !v.is_nan() {
                let v = if options.scale.is_some() {
                    v / spec.scale
                } else {
                    *v
                };
                all.push((*y, meets(v, threshold, spec.direction, false)));
            }
        }
    }
    all.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    for (y, ok) in all {
        match by_year.last_mut() {
            Some((ly, n, m)) if *ly == y => {
                *n += 1;
                *m += u32::from(ok);
            }
            _ => by_year.push((y, 1, u32::from(ok))),
        }
    }
    let units = groups.len();
    let partial: Vec<String> = by_year
        .iter()
        .filter(|(_, n, _)| (*n as usize) < units)
        .map(|(y, n, _)| format!("{} ({n} of {units})", format_period(*y, panel.period_kind)))
        .collect();
    let mut note = format!(
        "share of {units} {} meeting {threshold}",
        spec.unit_column.as_deref().unwrap_or("units")
    );
    if !partial.is_empty() {
        note.push_str(&format!(
            "; shares computed over the units observed in {}",
            partial.join(", ")
        ));
    }
    let years = by_year.iter().map(|(y, _, _)| *y).collect();
    let shares = by_year
        .iter()
        .map(|(_, n, m)| 100.0 * f64::from(*m) / f64::from(*n))
        .collect();
    (years, shares, note)
}

/// Pick the baseline among the non-missing points.
fn choose_baseline(
    points: &[Point],
    base_year: Option<f64>,
    policy: BaselinePolicy,
) -> Option<Point> {
    let Some(b) = base_year else {
        return points.first().copied();
    };
    let after = points.iter().find(|p| p.year >= b).copied();
    let before = points.iter().rev().find(|p| p.year <= b).copied();
    match policy {
        BaselinePolicy::FirstAtOrAfter => after,
        BaselinePolicy::LastAtOrBefore => before,
        BaselinePolicy::Nearest => match (before, after) {
            (Some(x), Some(y)) => Some(if b - x.year <= y.year - b { x } else { y }),
            (x, y) => x.or(y),
        },
    }
}

/// What every row of one evaluation shares, and the rows of a series that cannot be
/// measured: one per method, with the same status.
struct Shared<'a> {
    keys: Keys<'a>,
    target: usize,
    baseline: Option<Point>,
    latest: Option<Point>,
    target_value: Option<f64>,
    n_points: u32,
    n_missing: u32,
    options: &'a AssessOptions,
}

impl<'a> Shared<'a> {
    /// One row per method with `status` and `label`.
    fn rows(&self, status: Status, label: Label, reason: Option<String>, out: &mut Vec<Row<'a>>) {
        out.extend(self.options.methods.iter().map(|m| Row {
            keys: self.keys,
            target: Some(self.target),
            method: m.name(),
            status,
            method_status: Some(label),
            score: None,
            method_ratio: None,
            baseline: self.baseline,
            latest: self.latest,
            target_value: self.target_value,
            metrics: Metrics::default(),
            trend: None,
            projection: None,
            n_points: self.n_points,
            n_missing: self.n_missing,
            reason: reason.clone(),
        }));
    }
}

/// Evaluate one target on one series (`values` in the target's unit, NaN = missing),
/// appending one row per method to `out`.
fn evaluate<'a>(
    input: &Input<'_, 'a>,
    values: &[f64],
    options: &'a AssessOptions,
    scratch: &mut Scratch,
    out: &mut Vec<Row<'a>>,
) {
    let Input {
        spec,
        target,
        keys,
        years,
        period_kind,
    } = *input;
    let mut notes: Vec<String> = Vec::new();
    // Observations up to the deadline (a passed deadline is assessed at the deadline).
    let cutoff = spec.year.unwrap_or(f64::INFINITY);
    let n_missing = points_to_deadline(
        years,
        values,
        cutoff,
        period_kind,
        &mut notes,
        &mut scratch.points,
    );

    // Kind-specific series: running sums for cumulative targets.
    let mut base_override: Option<Point> = None;
    if spec.kind == TargetKind::Cumulative {
        let missing: Vec<f64> = missing_periods(years, values, cutoff).collect();
        let (sums, base) = running_sums(spec, &scratch.points, &missing, period_kind, &mut notes);
        scratch.points = sums;
        base_override = Some(base);
    }
    let points = &scratch.points;
    let n_points = u32::try_from(points.len()).unwrap_or(u32::MAX);
    let baseline =
        base_override.or_else(|| baseline_of(spec, points, options, period_kind, &mut notes));
    let latest = points.last().copied();
    let shared = Shared {
        keys,
        target,
        baseline,
        latest,
        target_value: resolved_target_value(spec, baseline),
        n_points,
        n_missing,
        options,
    };

    // Binary milestones: done or not by the deadline.
    if spec.kind == TargetKind::Binary {
        let (status, label, note) = milestone(points, latest, spec.year);
        notes.extend(note);
        shared.rows(
            status,
            label,
            join_reasons(Some(notes.join("; ")), None),
            out,
        );
        return;
    }
    let (Some(base), Some(last)) = (baseline, latest) else {
        notes.push(if points.is_empty() {
            "no non-missing observations".to_string()
        } else {
            "no observation at or around the base year".to_string()
        });
        let reason = join_reasons(Some(notes.join("; ")), None);
        shared.rows(
            Status::InsufficientData,
            Label::InsufficientData,
            reason,
            out,
        );
        return;
    };
    let pace = Pace {
        spec,
        shared: &shared,
        points,
        base,
        last,
        period_kind,
    };
    measure_pace(&pace, notes, &mut scratch.columns, out);
}

/// The periods of missing values up to `cutoff`.
fn missing_periods<'a>(
    years: &'a [f64],
    values: &'a [f64],
    cutoff: f64,
) -> impl Iterator<Item = f64> + 'a {
    years
        .iter()
        .zip(values)
        .take_while(move |(y, _)| **y <= cutoff)
        .filter(|(_, v)| v.is_nan())
        .map(|(y, _)| *y)
}

/// The non-missing points up to `cutoff` (into `points`) and the number of missing values
/// there, with notes on later observations left out and on missing values ignored.
fn points_to_deadline(
    years: &[f64],
    values: &[f64],
    cutoff: f64,
    period_kind: PeriodKind,
    notes: &mut Vec<String>,
    points: &mut Vec<Point>,
) -> u32 {
    let fmt = |y: f64| format_period(y, period_kind);
    let later = years
        .iter()
        .zip(values)
        .filter(|(y, v)| **y > cutoff && !v.is_nan())
        .count();
    if later > 0 {
        notes.push(format!(
            "the deadline {} has passed: assessed at the deadline ({later} later observation(s) not used)",
            fmt(cutoff)
        ));
    }
    points.clear();
    let mut n_missing = 0usize;
    for (y, v) in years.iter().zip(values) {
        if *y > cutoff {
            break;
        }
        if v.is_nan() {
            n_missing += 1;
        } else {
            points.push(Point::new(*y, *v));
        }
    }
    if n_missing > 0 {
        // One string, written in place: a third of the series of a typical panel have one.
        let mut note = format!("{n_missing} missing value(s) ignored (");
        for (k, y) in missing_periods(years, values, cutoff).take(5).enumerate() {
            if k > 0 {
                note.push_str(", ");
            }
            write_period(&mut note, y, period_kind);
        }
        note.push_str(if n_missing > 5 { ", …)" } else { ")" });
        notes.push(note);
    }
    u32::try_from(n_missing).unwrap_or(u32::MAX)
}

/// A cumulative target's series: the running sums of the flows from its window start (with
/// the baseline, 0 the period before the window, first), stopped before a missing flow.
fn running_sums(
    spec: &TargetSpec,
    points: &[Point],
    missing: &[f64],
    period_kind: PeriodKind,
    notes: &mut Vec<String>,
) -> (Vec<Point>, Point) {
    let fmt = |y: f64| format_period(y, period_kind);
    let start = spec.window_start.unwrap_or(f64::NEG_INFINITY);
    let mut sums = Vec::new();
    let mut total = 0.0;
    let mut expected = start;
    let mut stop_note = None;
    let window_missing: Vec<f64> = missing.iter().copied().filter(|y| *y >= start).collect();
    for p in points.iter().filter(|p| p.year >= start) {
        if period_kind == PeriodKind::Year && p.year > expected + 0.5 {
            stop_note = Some(format!(
                "no flow for {}: the cumulative sum stops before it",
                fmt(expected)
            ));
            break;
        }
        if let Some(m) = window_missing.iter().find(|m| **m < p.year) {
            stop_note = Some(format!(
                "missing flow for {}: the cumulative sum stops before it",
                fmt(*m)
            ));
            break;
        }
        total += p.value;
        sums.push(Point::new(p.year, total));
        expected = p.year + 1.0;
    }
    notes.extend(stop_note);
    let base_year = if period_kind == PeriodKind::Year {
        start - 1.0
    } else {
        start
    };
    let base = Point::new(base_year, 0.0);
    (std::iter::once(base).chain(sums).collect(), base)
}

/// The baseline: the target's own, or the point the baseline policy picks around the base
/// year (with a note when it is not at the base year).
fn baseline_of(
    spec: &TargetSpec,
    points: &[Point],
    options: &AssessOptions,
    period_kind: PeriodKind,
    notes: &mut Vec<String>,
) -> Option<Point> {
    if let (Some(v), Some(y)) = (spec.baseline_value, spec.baseline_year) {
        return Some(Point::new(y, v));
    }
    let base_year = spec.baseline_year.or(options.base_year);
    let chosen = choose_baseline(points, base_year, options.baseline_policy);
    if let (Some(c), Some(b)) = (chosen, base_year) {
        if c.year != b {
            notes.push(format!(
                "no data for base year {}: baseline {} ({})",
                format_period(b, period_kind),
                format_period(c.year, period_kind),
                options.baseline_policy.as_str()
            ));
        }
    }
    chosen
}

/// The target as a level: a change target resolved against the baseline.
fn resolved_target_value(spec: &TargetSpec, baseline: Option<Point>) -> Option<f64> {
    match (spec.kind, spec.value, baseline) {
        (TargetKind::Change, Some(v), Some(b)) => Some(match spec.change_type {
            ChangeType::Relative => b.value * (1.0 + v),
            ChangeType::Absolute => b.value + v,
        }),
        (TargetKind::Change, _, None) => None,
        (_, v, _) => v,
    }
}

/// A binary milestone's status, label and note: done or not by the deadline.
fn milestone(
    points: &[Point],
    latest: Option<Point>,
    deadline: Option<f64>,
) -> (Status, Label, Option<String>) {
    let done = points
        .iter()
        .any(|p| meets(p.value, 1.0, Direction::Increase, false));
    match (done, latest) {
        (true, _) => (Status::Achieved, Label::MilestoneDone, None),
        (false, None) => (
            Status::InsufficientData,
            Label::InsufficientData,
            Some("no observation of the milestone".to_string()),
        ),
        (false, Some(l)) if deadline.is_some_and(|d| l.year >= d) => (
            Status::OffTrack,
            Label::MilestoneMissed,
            Some("not done by the deadline".to_string()),
        ),
        (false, Some(_)) => (
            Status::NeedsAcceleration,
            Label::MilestonePending,
            Some("not done yet; the deadline has not passed".to_string()),
        ),
    }
}

/// The metrics from the baseline to the latest point; `single` (the latest point at or
/// before the baseline) keeps only what one point can say.
fn pace_metrics(
    numeric_target: Option<Target>,
    single: bool,
    base: Point,
    last: Point,
    direction: Direction,
) -> Metrics {
    match numeric_target {
        Some(t) if single => {
            // Only what one point can say: where it stands against the target.
            let full = metrics(base, last, t.value, t.year, direction);
            Metrics {
                completion_rate: full.completion_rate,
                gap: full.gap,
                needed_growth: full.needed_growth,
                needed_change: full.needed_change,
                ..Metrics::default()
            }
        }
        Some(t) => metrics(base, last, t.value, t.year, direction),
        None => Metrics {
            achieved_growth: ontrack_kernels::growth::cagr(base, last),
            achieved_change: ontrack_kernels::growth::annual_change(base, last),
            ..Metrics::default()
        },
    }
}

/// The rows of a series with a baseline and a latest point: metrics, trend, projection and
/// every requested method.
fn measure_pace<'a>(
    pace: &Pace<'_, 'a>,
    mut notes: Vec<String>,
    columns: &mut Vec<f64>,
    out: &mut Vec<Row<'a>>,
) {
    let Pace {
        spec,
        shared,
        points,
        base,
        last,
        period_kind,
    } = *pace;
    let options = shared.options;
    let direction = spec.direction;
    let numeric_target = match (shared.target_value, spec.year) {
        (Some(v), Some(y)) if spec.kind != TargetKind::Direction => Some(Target {
            value: v,
            year: y,
            strict: spec.strict,
        }),
        _ => None,
    };
    // The latest point at or before the baseline: nothing to measure a pace on.
    let single = last.year <= base.year;
    let m = pace_metrics(numeric_target, single, base, last, direction);
    if let Some(t) = numeric_target.filter(|_| !single) {
        if t.value == base.value {
            notes.push("the baseline equals the target: progress is undefined".into());
        }
        if m.achieved_growth.is_none() || m.required_growth.is_none() {
            notes.push(
                "growth rates undefined (a zero value or a change of sign): compare annual changes"
                    .into(),
            );
        }
    }
    // Points are in period order: the assessment window (from the baseline on) is a suffix.
    let first_in_window = points.partition_point(|p| p.year < base.year);
    let from_base = points.get(first_in_window..).unwrap_or(&[]);
    // Years and values side by side in one buffer.
    columns.clear();
    columns.extend(points.iter().map(|p| p.year));
    columns.extend(points.iter().map(|p| p.value));
    let (all_years, all_values) = columns.split_at(points.len());
    let trend = slope_test(
        all_years.get(first_in_window..).unwrap_or(&[]),
        all_values.get(first_in_window..).unwrap_or(&[]),
        direction,
        options.trend_alpha,
    );
    if single {
        let at = format_period(last.year, period_kind);
        notes.push(if points.len() > 1 {
            format!("the baseline ({at}) is the latest usable observation: no pace can be measured")
        } else {
            format!("only one usable observation ({at}): no pace can be measured")
        });
    }
    let case = Case {
        years: all_years,
        values: all_values,
        base,
        latest: last,
        target: numeric_target,
        direction,
        lower_bound: spec.lower_bound,
        upper_bound: spec.upper_bound,
        // The metrics' growth rates are the case's: the methods reuse them.
        rates: (!single).then_some(Rates {
            achieved: m.achieved_growth,
            required: m.required_growth,
        }),
    };
    let series_reason = if notes.is_empty() {
        None
    } else {
        Some(notes.join("; "))
    };
    let projection = numeric_target.filter(|_| !single).map(|t| {
        let bounds = if spec.kind == TargetKind::ShareOfUnits {
            (Some(0.0), Some(100.0))
        } else {
            (spec.lower_bound, spec.upper_bound)
        };
        // Fit on the assessment window (from the baseline on), so that a distant past
        // with another regime does not drive the projection; with fewer than three points
        // there, on the whole series.
        let window = if from_base.len() >= 3 {
            from_base
        } else {
            points
        };
        project_target(window, t, direction, bounds, options)
    });

    let last_method = options.methods.len().saturating_sub(1);
    let mut series_reason = series_reason;
    out.extend(options.methods.iter().enumerate().map(|(i, method)| {
        let result = if single {
            if case.target_met() {
                MethodResult {
                    status: Status::Achieved,
                    label: Label::TargetAchieved,
                    ratio: None,
                    score: None,
                    reason: None,
                }
            } else {
                MethodResult::insufficient(String::new())
            }
        } else {
            method.evaluate(&case)
        };
        let result = missed_deadline(result, &case);
        Row {
            keys: shared.keys,
            target: Some(shared.target),
            method: method.name(),
            status: result.status,
            method_status: Some(result.label),
            score: result.score,
            method_ratio: result.ratio,
            baseline: Some(base),
            latest: Some(last),
            target_value: numeric_target.map(|t| t.value),
            metrics: m,
            trend,
            projection: projection
                .as_ref()
                .filter(|p| !p.is_empty())
                .map(|p| Box::new(p.clone())),
            n_points: shared.n_points,
            n_missing: shared.n_missing,
            // The last row takes the series' reason, the others a copy.
            reason: join_reasons(
                if i == last_method {
                    series_reason.take()
                } else {
                    series_reason.clone()
                },
                result.reason,
            ),
        }
    }));
}

/// What [`measure_pace`] measures: a target on the points of a series with a baseline and a
/// latest point.
struct Pace<'s, 'a> {
    spec: &'s TargetSpec,
    shared: &'s Shared<'a>,
    points: &'s [Point],
    base: Point,
    last: Point,
    period_kind: PeriodKind,
}

/// A deadline reached without meeting the target is a miss, whatever pace a method reads
/// into the series: the unified status becomes `off_track` (or stays `regressing`); the
/// method's own label is kept.
fn missed_deadline(mut result: MethodResult, case: &Case<'_>) -> MethodResult {
    let Some(target) = case.target else {
        return result;
    };
    let reached = case.latest.year >= target.year;
    if reached
        && !case.target_met()
        && matches!(result.status, Status::OnTrack | Status::NeedsAcceleration)
    {
        result.status = Status::OffTrack;
        result.reason = join_reasons(
            result.reason.take(),
            Some(
                "the deadline is reached and the target is not met: off_track whatever the pace"
                    .into(),
            ),
        );
    }
    result
}
