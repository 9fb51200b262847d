//! `assess`: every target against every matching series, by every requested method.

use std::collections::HashMap;

use ontrack_kernels::growth::{metrics, Metrics, Point};
use ontrack_kernels::methods::{Case, MethodResult, Target};
use ontrack_kernels::trend::{slope_test, SlopeTest};
use ontrack_kernels::types::meets;
use ontrack_kernels::{Direction, Status};
use polars::prelude::*;
use rayon::prelude::*;

use crate::calendar::{format_period, PeriodKind};
use crate::error::Result;
use crate::fit::fit_series;
use crate::options::{AssessOptions, BaselinePolicy};
use crate::output::{level_name, period_column, restore_key_types};
use crate::panel::Panel;
use crate::progress::{in_chunks, Stage};
use crate::target::{targets_from_frame, ChangeType, TargetKind, TargetSpec};

/// Assess observations against targets.
///
/// `observations` is long ("tidy"): one row per series and period, with the indicator, the
/// key columns of `options.by`, the period and the value. `targets` has one row per target
/// with the columns of the data contract (docs/data-contract.md#targets; see
/// [`crate::target::cols`]).
///
/// The result has one row per target × matching series × method, and a row for every series
/// without a target and every target without data (`status = insufficient_data`, with a
/// `reason`). Columns, in order:
///
/// | column | meaning |
/// |---|---|
/// | indicator, *by keys* | the series (a key is null for a target without data that applies to every value, and for the sub-unit key of a share-of-units target) |
/// | `target_id`, `kind`, `direction` | the target |
/// | `method` | the named method of this row |
/// | `status` | unified status: achieved, on_track, needs_acceleration, off_track, regressing, insufficient_data (a deadline reached without meeting the target is off_track, whatever the method's label) |
/// | `method_status` | the method's own class label |
/// | `score` | the method's score where it defines one (Open SDG: −5 to 5) |
/// | `method_ratio` | the method's key statistic (Open SDG/Eurostat `R`, UNSD `CR` or `E`, or direction-adjusted growth without a target) |
/// | `baseline_year`, `baseline_value` | the baseline used (for cumulative targets: the year before the window, value 0) |
/// | `latest_year`, `latest_value` | the latest observation at or before the deadline |
/// | `target_year`, `target_value` | the deadline and the number (a change target resolved to a level) |
/// | `progress` | `P = (y_t − y_b)/(y* − y_b)` (完成进度) |
/// | `completion_rate` | `y_t / y*` (完成率; cumulative: sum of flows / y*) |
/// | `time_elapsed` | `τ = (t − b)/(T − b)` (时间进度) |
/// | `schedule_gap` | `P − τ`; negative = behind schedule |
/// | `gap`, `relative_gap` | `d·(y* − y_t)` and `gap / |y* − y_b|` |
/// | `achieved_growth`, `required_growth`, `needed_growth` | CAGR achieved so far, required over the whole window, still needed from now |
/// | `achieved_change`, `required_change`, `needed_change` | the same as annual absolute changes |
/// | `growth_ratio`, `change_ratio` | `g_a / g_r` and `Δ_a / Δ_r` |
/// | `trend_slope`, `trend_p_value`, `trend` | least-squares slope from the baseline on, its p-value and verdict (significant_right_way / not_significant / significant_wrong_way) |
/// | `projection_method` | the projection method used for the columns below (after fallbacks), fitted on the observations from the baseline on (on the whole series when fewer than three) |
/// | `projected_value` | the projected value at the deadline |
/// | `projected_lower_<pct>`, `projected_upper_<pct>` | its prediction interval at each level of `options.levels` |
/// | `probability` | probability of meeting the target at the deadline under the method's predictive distribution (respecting `strict` and direction); 0 or 1 once the deadline is reached |
/// | `expected_attainment_year` | first year whose point projection meets the target, within `attainment_horizon` years of the latest observation (null otherwise); when the latest observation already meets it, the first year of the latest run of observations that do |
/// | `probabilistic_status` | on_track if `probability ≥ on_track_probability` (0.8), needs_acceleration down to `off_track_probability` (0.2), off_track below; achieved/off_track once the deadline is reached |
/// | `projection_reason` | the projection's model choice, fallbacks, gap filling, or why it was not possible |
/// | `n_points`, `n_missing` | non-missing observations used, and missing values (null/NaN) in the series up to the deadline |
/// | `label`, `group`, `weight`, `unit` | carried from the target |
/// | `reason` | why something could not be computed, and every fallback or choice made |
///
/// Period columns have the type of the observations' period (integer years, dates, or
/// floats for fractional years).
///
/// # Errors
/// Malformed input only: a missing column, a wrong column type, a null indicator or period,
/// a duplicate (series, period), an invalid target or option. Per-series trouble is reported
/// in `status` and `reason`.
///
/// # Example
/// ```
/// use ontrack::{assess, AssessOptions};
/// use ontrack::polars::prelude::*;
///
/// let obs = df!(
///     "indicator" => ["u5mr", "u5mr"],
///     "year" => [2015i64, 2020],
///     "value" => [50.0, 60.0],
/// ).unwrap();
/// let targets = df!(
///     "indicator" => ["u5mr"],
///     "direction" => ["increase"],
///     "target_value" => [80.0],
///     "target_year" => [2030i64],
/// ).unwrap();
/// let result = assess(&obs, &targets, &AssessOptions::default()).unwrap();
/// let status = result.column("method_status").unwrap().str().unwrap().get(0);
/// assert_eq!(status, Some("substantial_progress"));
/// ```
pub fn assess(
    observations: &DataFrame,
    targets: &DataFrame,
    options: &AssessOptions,
) -> Result<DataFrame> {
    crate::threads::install(options.threads, || {
        options.validate()?;
        let panel = Panel::build(observations, options)?;
        let specs =
            targets_from_frame(targets, &options.indicator, &options.by, panel.period_kind)?;
        let mut out = assess_specs(&panel, &specs, options, Stage::ONLY)?;
        restore_key_types(&mut out, observations, options.key_columns())?;
        Ok(out)
    })
}

/// Assess against already validated targets (used by plan files); `stage` says which pass
/// of a multi-pass call this is, for progress reports.
pub(crate) fn assess_specs(
    panel: &Panel,
    specs: &[TargetSpec],
    options: &AssessOptions,
    stage: Stage,
) -> Result<DataFrame> {
    let jobs = plan_jobs(panel, specs, options);
    let nested: Vec<Vec<Row>> = in_chunks(&jobs, options.progress.as_ref(), stage, |chunk| {
        chunk
            .par_iter()
            .map(|job| run_job(job, panel, specs, options))
            .collect()
    })?;
    let rows: Vec<&Row> = nested.iter().flatten().collect();
    build_frame(&rows, panel, specs, options)
}

/// Which series a target covers.
enum Job {
    /// A target on one series.
    Series { target: usize, group: usize },
    /// A share-of-units target over several sub-unit series with the same other keys
    /// (`keys`: those keys, the sub-unit key null).
    Units {
        target: usize,
        groups: Vec<usize>,
        keys: Vec<Option<String>>,
    },
    /// A target without any matching series.
    NoData { target: usize },
    /// A series without any target.
    Untargeted { group: usize },
}

/// Whether series `g` matches the key filters of `spec` (a null or absent filter matches any
/// value; the key `skip` is not compared).
fn key_matches(
    spec: &TargetSpec,
    panel: &Panel,
    g: usize,
    by: &[String],
    skip: Option<&str>,
) -> bool {
    by.iter().enumerate().all(|(i, name)| {
        if skip == Some(name.as_str()) {
            return true;
        }
        match spec.keys.get(name) {
            Some(Some(want)) => panel.key(g, i + 1) == Some(want.as_str()),
            _ => true,
        }
    })
}

fn plan_jobs(panel: &Panel, specs: &[TargetSpec], options: &AssessOptions) -> Vec<Job> {
    // Targets naming every key find their series by one lookup in the panel's index; only
    // targets with a wildcard (null) key, or over sub-units, scan the series of their
    // indicator.
    // Named targets look their series up in parallel. Target `t` tries series `t` first:
    // targets listed in the order of the series (one each) find theirs without hashing.
    let lookups: Vec<Option<Option<usize>>> = specs
        .par_iter()
        .enumerate()
        .map_init(
            || Vec::with_capacity(options.by.len() + 1),
            |full_key: &mut Vec<Option<&str>>, (t, spec)| {
                if spec.kind == TargetKind::ShareOfUnits {
                    return None;
                }
                full_key.clear();
                full_key.push(Some(spec.indicator.as_str()));
                for b in &options.by {
                    match spec.keys.get(b) {
                        Some(Some(v)) => full_key.push(Some(v.as_str())),
                        _ => return None,
                    }
                }
                Some(panel.find(full_key, t))
            },
        )
        .collect();
    let mut by_indicator: Option<PlHashMap<&str, Vec<usize>>> = None;
    let mut targeted = vec![false; panel.len()];
    let mut jobs = Vec::with_capacity(specs.len());
    for ((t, spec), lookup) in specs.iter().enumerate().zip(lookups) {
        match lookup {
            Some(Some(g)) => {
                if let Some(flag) = targeted.get_mut(g) {
                    *flag = true;
                }
                jobs.push(Job::Series {
                    target: t,
                    group: g,
                });
                continue;
            }
            Some(None) => {
                if options.include_targets_without_data {
                    jobs.push(Job::NoData { target: t });
                }
                continue;
            }
            None => {}
        }
        let by_indicator = by_indicator.get_or_insert_with(|| {
            let mut map: PlHashMap<&str, Vec<usize>> = PlHashMap::default();
            for g in 0..panel.len() {
                if let Some(ind) = panel.key(g, 0) {
                    map.entry(ind).or_default().push(g);
                }
            }
            map
        });
        let candidates = by_indicator
            .get(spec.indicator.as_str())
            .map_or(&[][..], Vec::as_slice);
        let unit = spec
            .unit_column
            .as_deref()
            .filter(|_| spec.kind == TargetKind::ShareOfUnits);
        let matched: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&g| key_matches(spec, panel, g, &options.by, unit))
            .collect();
        for &g in &matched {
            if let Some(flag) = targeted.get_mut(g) {
                *flag = true;
            }
        }
        if matched.is_empty() {
            if options.include_targets_without_data {
                jobs.push(Job::NoData { target: t });
            }
        } else if let Some(unit) = unit {
            // Partition the sub-unit series by their other keys.
            let unit_pos = options.by.iter().position(|b| b == unit).map(|p| p + 1);
            let mut parts: HashMap<Vec<Option<String>>, Vec<usize>> = HashMap::new();
            let mut order = Vec::new();
            for g in matched {
                let mut key = panel.owned_keys(g);
                if let Some(slot) = unit_pos.and_then(|p| key.get_mut(p)) {
                    *slot = None;
                }
                let entry = parts.entry(key.clone()).or_default();
                if entry.is_empty() {
                    order.push(key);
                }
                entry.push(g);
            }
            for key in order {
                if let Some(groups) = parts.remove(&key) {
                    jobs.push(Job::Units {
                        target: t,
                        groups,
                        keys: key,
                    });
                }
            }
        } else {
            jobs.extend(matched.into_iter().map(|g| Job::Series {
                target: t,
                group: g,
            }));
        }
    }
    if options.include_untargeted {
        jobs.extend(
            targeted
                .iter()
                .enumerate()
                .filter(|(_, t)| !**t)
                .map(|(g, _)| Job::Untargeted { group: g }),
        );
    }
    jobs
}

/// Where a row's key values come from.
#[derive(Clone)]
enum Keys {
    Group(usize),
    Target(usize),
    Owned(Vec<Option<String>>),
}

/// One output row before it becomes columns.
struct Row {
    keys: Keys,
    target: Option<usize>,
    method: &'static str,
    status: Status,
    method_status: Option<&'static str>,
    score: Option<f64>,
    method_ratio: Option<f64>,
    baseline: Option<Point>,
    latest: Option<Point>,
    target_value: Option<f64>,
    metrics: Metrics,
    trend: Option<SlopeTest>,
    projection: Option<Box<ProjectionOutcome>>,
    n_points: u32,
    n_missing: u32,
    reason: Option<String>,
}

/// What the projection says about one target × series.
#[derive(Clone)]
struct ProjectionOutcome {
    method: Option<&'static str>,
    value: Option<f64>,
    intervals: Vec<(f64, f64)>,
    probability: Option<f64>,
    attainment_year: Option<f64>,
    status: Option<Status>,
    reason: Option<String>,
}

impl Row {
    fn empty(keys: Keys, target: Option<usize>, method: &'static str, reason: String) -> Self {
        Self {
            keys,
            target,
            method,
            status: Status::InsufficientData,
            method_status: Some("insufficient_data"),
            score: None,
            method_ratio: None,
            baseline: None,
            latest: None,
            target_value: None,
            metrics: Metrics::default(),
            trend: None,
            projection: None,
            n_points: 0,
            n_missing: 0,
            reason: Some(reason),
        }
    }
}

fn run_job(job: &Job, panel: &Panel, specs: &[TargetSpec], options: &AssessOptions) -> Vec<Row> {
    let methods = &options.methods;
    match job {
        Job::Untargeted { group } => methods
            .iter()
            .map(|m| {
                Row::empty(
                    Keys::Group(*group),
                    None,
                    m.name(),
                    "no target matches this series".into(),
                )
            })
            .collect(),
        Job::NoData { target } => {
            let reason = specs.get(*target).map_or_else(String::new, |s| {
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
            methods
                .iter()
                .map(|m| {
                    Row::empty(
                        Keys::Target(*target),
                        Some(*target),
                        m.name(),
                        reason.clone(),
                    )
                })
                .collect()
        }
        Job::Series { target, group } => {
            let Some(spec) = specs.get(*target) else {
                return Vec::new();
            };
            let (years, values) = panel.series(*group);
            let scaled: Vec<Option<f64>>;
            let values = if options.scale.is_some() {
                scaled = values.iter().map(|v| v.map(|x| x / spec.scale)).collect();
                &scaled[..]
            } else {
                values
            };
            evaluate(
                spec,
                *target,
                Keys::Group(*group),
                years,
                values,
                panel.period_kind,
                options,
            )
        }
        Job::Units {
            target,
            groups,
            keys,
        } => {
            let Some(spec) = specs.get(*target) else {
                return Vec::new();
            };
            let (years, shares, note) = unit_shares(spec, groups, panel, options);
            let mut rows = evaluate(
                spec,
                *target,
                Keys::Owned(keys.clone()),
                &years,
                &shares,
                panel.period_kind,
                options,
            );
            for row in &mut rows {
                row.reason = join_reasons(Some(note.clone()), row.reason.take());
            }
            rows
        }
    }
}

/// Per period, the share (in %) of sub-units whose value meets the unit threshold, among the
/// sub-units observed in that period.
fn unit_shares(
    spec: &TargetSpec,
    groups: &[usize],
    panel: &Panel,
    options: &AssessOptions,
) -> (Vec<f64>, Vec<Option<f64>>, String) {
    let threshold = spec.unit_threshold.unwrap_or(f64::NAN);
    let mut by_year: Vec<(f64, u32, u32)> = Vec::new();
    let mut all: Vec<(f64, bool)> = Vec::new();
    for &g in groups {
        let (years, values) = panel.series(g);
        for (y, v) in years.iter().zip(values) {
            if let Some(v) = v {
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
        .map(|(_, n, m)| Some(100.0 * f64::from(*m) / f64::from(*n)))
        .collect();
    (years, shares, note)
}

fn join_reasons(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some(format!("{a}; {b}")),
        (Some(a), _) if !a.is_empty() => Some(a),
        (_, b) => b.filter(|s| !s.is_empty()),
    }
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

#[allow(clippy::too_many_lines)]
fn evaluate(
    spec: &TargetSpec,
    target_idx: usize,
    keys: Keys,
    years: &[f64],
    values: &[Option<f64>],
    period_kind: PeriodKind,
    options: &AssessOptions,
) -> Vec<Row> {
    let mut notes: Vec<String> = Vec::new();
    let deadline = spec.year;
    let fmt = |y: f64| format_period(y, period_kind);

    // Observations up to the deadline (a passed deadline is assessed at the deadline).
    let cutoff = deadline.unwrap_or(f64::INFINITY);
    let later = years
        .iter()
        .zip(values)
        .filter(|(y, v)| **y > cutoff && v.is_some())
        .count();
    if later > 0 {
        notes.push(format!(
            "the deadline {} has passed: assessed at the deadline ({later} later observation(s) not used)",
            fmt(cutoff)
        ));
    }
    let mut points: Vec<Point> = Vec::with_capacity(years.len());
    let mut n_missing = 0usize;
    for (y, v) in years.iter().zip(values) {
        if *y > cutoff {
            break;
        }
        match v {
            Some(v) => points.push(Point::new(*y, *v)),
            None => n_missing += 1,
        }
    }
    // The periods of missing values (up to the deadline), for notes.
    let missing = || {
        years
            .iter()
            .zip(values)
            .take_while(|(y, _)| **y <= cutoff)
            .filter(|(_, v)| v.is_none())
            .map(|(y, _)| *y)
    };
    if n_missing > 0 {
        let shown: Vec<String> = missing().take(5).map(fmt).collect();
        notes.push(format!(
            "{n_missing} missing value(s) ignored ({}{})",
            shown.join(", "),
            if n_missing > 5 { ", …" } else { "" }
        ));
    }
    let n_missing = u32::try_from(n_missing).unwrap_or(u32::MAX);

    // Kind-specific series: running sums for cumulative targets.
    let mut base_override: Option<Point> = None;
    if spec.kind == TargetKind::Cumulative {
        let start = spec.window_start.unwrap_or(f64::NEG_INFINITY);
        let mut sums = Vec::new();
        let mut total = 0.0;
        let mut expected = start;
        let mut stop_note = None;
        let window_missing: Vec<f64> = missing().filter(|y| *y >= start).collect();
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
        base_override = Some(Point::new(base_year, 0.0));
        points = std::iter::once(Point::new(base_year, 0.0))
            .chain(sums)
            .collect();
    }
    let n_points = u32::try_from(points.len()).unwrap_or(u32::MAX);

    let direction = spec.direction;
    let base_year = spec.baseline_year.or(options.base_year);
    let baseline = base_override.or_else(|| match (spec.baseline_value, spec.baseline_year) {
        (Some(v), Some(y)) => Some(Point::new(y, v)),
        _ => {
            let chosen = choose_baseline(&points, base_year, options.baseline_policy);
            if let (Some(c), Some(b)) = (chosen, base_year) {
                if c.year != b {
                    notes.push(format!(
                        "no data for base year {}: baseline {} ({})",
                        fmt(b),
                        fmt(c.year),
                        options.baseline_policy.as_str()
                    ));
                }
            }
            chosen
        }
    });
    let latest = points.last().copied();

    let target_value = match (spec.kind, spec.value, baseline) {
        (TargetKind::Change, Some(v), Some(b)) => Some(match spec.change_type {
            ChangeType::Relative => b.value * (1.0 + v),
            ChangeType::Absolute => b.value + v,
        }),
        (TargetKind::Change, _, None) => None,
        (_, v, _) => v,
    };

    let base_row =
        |status: Status, label: &'static str, method: &'static str, reason: Option<String>| Row {
            keys: keys.clone(),
            target: Some(target_idx),
            method,
            status,
            method_status: Some(label),
            score: None,
            method_ratio: None,
            baseline,
            latest,
            target_value,
            metrics: Metrics::default(),
            trend: None,
            projection: None,
            n_points,
            n_missing,
            reason,
        };

    // Binary milestones: done or not by the deadline.
    if spec.kind == TargetKind::Binary {
        let done = points
            .iter()
            .any(|p| meets(p.value, 1.0, Direction::Increase, false));
        let (status, label, note) = match (done, latest) {
            (true, _) => (Status::Achieved, "milestone_done", None),
            (false, None) => (
                Status::InsufficientData,
                "insufficient_data",
                Some("no observation of the milestone".to_string()),
            ),
            (false, Some(l)) if deadline.is_some_and(|d| l.year >= d) => (
                Status::OffTrack,
                "milestone_missed",
                Some("not done by the deadline".to_string()),
            ),
            (false, Some(_)) => (
                Status::NeedsAcceleration,
                "milestone_pending",
                Some("not done yet; the deadline has not passed".to_string()),
            ),
        };
        notes.extend(note);
        let reason = join_reasons(Some(notes.join("; ")), None);
        return options
            .methods
            .iter()
            .map(|m| base_row(status, label, m.name(), reason.clone()))
            .collect();
    }

    let (Some(base), Some(last)) = (baseline, latest) else {
        notes.push(if points.is_empty() {
            "no non-missing observations".to_string()
        } else {
            "no observation at or around the base year".to_string()
        });
        let reason = join_reasons(Some(notes.join("; ")), None);
        return options
            .methods
            .iter()
            .map(|m| {
                base_row(
                    Status::InsufficientData,
                    "insufficient_data",
                    m.name(),
                    reason.clone(),
                )
            })
            .collect();
    };

    let numeric_target = match (target_value, deadline) {
        (Some(v), Some(y)) if spec.kind != TargetKind::Direction => Some(Target {
            value: v,
            year: y,
            strict: spec.strict,
        }),
        _ => None,
    };
    // The latest point at or before the baseline: nothing to measure a pace on.
    let single = last.year <= base.year;
    let m = match numeric_target {
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
    };
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
    let (all_years, all_values): (Vec<f64>, Vec<f64>) =
        points.iter().map(|p| (p.year, p.value)).unzip();
    let trend = slope_test(
        all_years.get(first_in_window..).unwrap_or(&[]),
        all_values.get(first_in_window..).unwrap_or(&[]),
        direction,
        options.trend_alpha,
    );
    if single {
        notes.push(if points.len() > 1 {
            format!(
                "the baseline ({}) is the latest usable observation: no pace can be measured",
                fmt(last.year)
            )
        } else {
            format!(
                "only one usable observation ({}): no pace can be measured",
                fmt(last.year)
            )
        });
    }
    let case = Case {
        years: &all_years,
        values: &all_values,
        base,
        latest: last,
        target: numeric_target,
        direction,
        lower_bound: spec.lower_bound,
        upper_bound: spec.upper_bound,
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
            &points[..]
        };
        project_target(window, t, direction, bounds, options)
    });

    options
        .methods
        .iter()
        .map(|method| {
            let result = if single {
                if case.target_met() {
                    MethodResult {
                        status: Status::Achieved,
                        label: "target_achieved",
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
                keys: keys.clone(),
                target: Some(target_idx),
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
                projection: projection.clone().map(Box::new),
                n_points,
                n_missing,
                reason: join_reasons(series_reason.clone(), result.reason),
            }
        })
        .collect()
}

/// Probability of meeting the target, projected value at the deadline and expected
/// attainment year, from the projection method of the options.
fn project_target(
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
    let (years, values): (Vec<f64>, Vec<Option<f64>>) =
        points.iter().map(|p| (p.year, Some(p.value))).unzip();
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

/// A text column from one accessor per row.
fn text_column<'a>(name: &str, rows: &[&'a Row], f: impl Fn(&'a Row) -> Option<&'a str>) -> Column {
    let ca: StringChunked = rows.iter().map(|r| f(r)).collect();
    ca.with_name(name.into()).into_column()
}

/// A float column from one accessor per row (non-finite values become null).
fn float_column<'a>(name: &str, rows: &[&'a Row], f: impl Fn(&'a Row) -> Option<f64>) -> Column {
    let ca: Float64Chunked = rows
        .iter()
        .map(|r| f(r).filter(|x| x.is_finite()))
        .collect();
    ca.with_name(name.into()).into_column()
}

/// Builds one output column; the columns of a result are built in parallel.
type ColumnBuilder<'a> = Box<dyn Fn() -> Result<Column> + Send + Sync + 'a>;

#[allow(clippy::too_many_lines)]
fn build_frame<'a>(
    rows: &'a [&'a Row],
    panel: &'a Panel,
    specs: &'a [TargetSpec],
    options: &'a AssessOptions,
) -> Result<DataFrame> {
    let n = rows.len();
    let spec = |r: &'a Row| -> Option<&'a TargetSpec> { r.target.and_then(|t| specs.get(t)) };
    let proj = |r: &'a Row| r.projection.as_deref();
    let kind = panel.period_kind;
    let mut builders: Vec<ColumnBuilder<'a>> = Vec::with_capacity(56);
    let text = |name: &'static str, f: fn(&'a Row) -> Option<&'a str>| -> ColumnBuilder<'a> {
        Box::new(move || Ok(text_column(name, rows, f)))
    };
    let float = |name: &'static str, f: fn(&'a Row) -> Option<f64>| -> ColumnBuilder<'a> {
        Box::new(move || Ok(float_column(name, rows, f)))
    };

    // Keys: the indicator, then the `by` columns, as strings (the caller casts them back to
    // their input type).
    for (i, name) in options.key_columns().enumerate() {
        builders.push(Box::new(move || {
            Ok(text_column(name, rows, |r| match &r.keys {
                Keys::Group(g) => panel.key(*g, i),
                Keys::Owned(k) => k.get(i).and_then(|v| v.as_deref()),
                Keys::Target(t) => specs.get(*t).and_then(|s| {
                    if i == 0 {
                        Some(s.indicator.as_str())
                    } else {
                        options
                            .by
                            .get(i - 1)
                            .and_then(|b| s.keys.get(b))
                            .and_then(|v| v.as_deref())
                    }
                }),
            }))
        }));
    }
    builders.push(Box::new(move || {
        Ok(text_column("target_id", rows, |r| {
            spec(r).map(|s| s.id.as_str())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("kind", rows, |r| {
            spec(r).map(|s| s.kind.as_str())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("direction", rows, |r| {
            spec(r).map(|s| s.direction.as_str())
        }))
    }));
    builders.push(text("method", |r| Some(r.method)));
    builders.push(text("status", |r| Some(r.status.as_str())));
    builders.push(text("method_status", |r| r.method_status));
    builders.push(float("score", |r| r.score));
    builders.push(float("method_ratio", |r| r.method_ratio));
    builders.push(Box::new(move || {
        period_column(
            "baseline_year",
            rows.iter().map(|r| r.baseline.map(|p| p.year)).collect(),
            kind,
        )
    }));
    builders.push(float("baseline_value", |r| r.baseline.map(|p| p.value)));
    builders.push(Box::new(move || {
        period_column(
            "latest_year",
            rows.iter().map(|r| r.latest.map(|p| p.year)).collect(),
            kind,
        )
    }));
    builders.push(float("latest_value", |r| r.latest.map(|p| p.value)));
    builders.push(Box::new(move || {
        period_column(
            "target_year",
            rows.iter().map(|r| spec(r).and_then(|s| s.year)).collect(),
            kind,
        )
    }));
    builders.push(float("target_value", |r| r.target_value));
    builders.push(float("progress", |r| r.metrics.progress));
    builders.push(float("completion_rate", |r| r.metrics.completion_rate));
    builders.push(float("time_elapsed", |r| r.metrics.time_elapsed));
    builders.push(float("schedule_gap", |r| r.metrics.schedule_gap));
    builders.push(float("gap", |r| r.metrics.gap));
    builders.push(float("relative_gap", |r| r.metrics.relative_gap));
    builders.push(float("achieved_growth", |r| r.metrics.achieved_growth));
    builders.push(float("required_growth", |r| r.metrics.required_growth));
    builders.push(float("needed_growth", |r| r.metrics.needed_growth));
    builders.push(float("achieved_change", |r| r.metrics.achieved_change));
    builders.push(float("required_change", |r| r.metrics.required_change));
    builders.push(float("needed_change", |r| r.metrics.needed_change));
    builders.push(float("growth_ratio", |r| {
        r.metrics
            .achieved_growth
            .zip(r.metrics.required_growth)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    }));
    builders.push(float("change_ratio", |r| {
        r.metrics
            .achieved_change
            .zip(r.metrics.required_change)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    }));
    builders.push(float("trend_slope", |r| r.trend.map(|t| t.slope)));
    builders.push(float("trend_p_value", |r| r.trend.and_then(|t| t.p_value)));
    builders.push(text("trend", |r| r.trend.map(|t| t.verdict.as_str())));
    builders.push(Box::new(move || {
        Ok(text_column("projection_method", rows, |r| {
            proj(r).and_then(|p| p.method)
        }))
    }));
    builders.push(Box::new(move || {
        Ok(float_column("projected_value", rows, |r| {
            proj(r).and_then(|p| p.value)
        }))
    }));
    for (i, level) in options.levels.iter().enumerate() {
        let name = level_name(*level);
        for (side, upper) in [("lower", false), ("upper", true)] {
            let column = format!("projected_{side}_{name}");
            builders.push(Box::new(move || {
                Ok(float_column(&column, rows, |r| {
                    proj(r)
                        .and_then(|p| p.intervals.get(i))
                        .map(|b| if upper { b.1 } else { b.0 })
                }))
            }));
        }
    }
    builders.push(Box::new(move || {
        Ok(float_column("probability", rows, |r| {
            proj(r).and_then(|p| p.probability)
        }))
    }));
    builders.push(Box::new(move || {
        period_column(
            "expected_attainment_year",
            rows.iter()
                .map(|r| proj(r).and_then(|p| p.attainment_year))
                .collect(),
            kind,
        )
    }));
    builders.push(Box::new(move || {
        Ok(text_column("probabilistic_status", rows, |r| {
            proj(r).and_then(|p| p.status).map(Status::as_str)
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("projection_reason", rows, |r| {
            proj(r).and_then(|p| p.reason.as_deref())
        }))
    }));
    builders.push(Box::new(move || {
        let ca: UInt32Chunked = rows.iter().map(|r| Some(r.n_points)).collect();
        Ok(ca.with_name("n_points".into()).into_column())
    }));
    builders.push(Box::new(move || {
        let ca: UInt32Chunked = rows.iter().map(|r| Some(r.n_missing)).collect();
        Ok(ca.with_name("n_missing".into()).into_column())
    }));
    builders.push(Box::new(move || {
        Ok(text_column("label", rows, |r| {
            spec(r).and_then(|s| s.label.as_deref())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("group", rows, |r| {
            spec(r).and_then(|s| s.group.as_deref())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(float_column("weight", rows, |r| spec(r).map(|s| s.weight)))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("unit", rows, |r| {
            spec(r).and_then(|s| s.unit.as_deref())
        }))
    }));
    builders.push(text("reason", |r| r.reason.as_deref()));
    let columns: Vec<Column> = builders
        .par_iter()
        .map(|build| build())
        .collect::<Result<_>>()?;
    Ok(DataFrame::new(n, columns)?)
}
