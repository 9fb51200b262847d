//! One output row of `assess` before it becomes columns.

use ontrack_kernels::growth::{Metrics, Point};
use ontrack_kernels::trend::SlopeTest;
use ontrack_kernels::{Label, Status};

/// Where a row's key values come from.
#[derive(Clone, Copy)]
pub(super) enum Keys<'a> {
    /// The keys of series `g` of the panel.
    Group(usize),
    /// The keys of target `t` (a target without data).
    Target(usize),
    /// Keys of a job over several series (share-of-units targets), held by the job.
    Owned(&'a [Option<String>]),
}

/// One output row before it becomes columns.
pub(super) struct Row<'a> {
    pub(super) keys: Keys<'a>,
    pub(super) target: Option<usize>,
    pub(super) method: &'static str,
    pub(super) status: Status,
    pub(super) method_status: Option<Label>,
    pub(super) score: Option<f64>,
    pub(super) method_ratio: Option<f64>,
    pub(super) baseline: Option<Point>,
    pub(super) latest: Option<Point>,
    pub(super) target_value: Option<f64>,
    pub(super) metrics: Metrics,
    pub(super) trend: Option<SlopeTest>,
    pub(super) projection: Option<Box<ProjectionOutcome>>,
    pub(super) n_points: u32,
    pub(super) n_missing: u32,
    pub(super) reason: Option<String>,
}

/// What the projection says about one target × series.
#[derive(Clone)]
pub(super) struct ProjectionOutcome {
    pub(super) method: Option<&'static str>,
    pub(super) value: Option<f64>,
    pub(super) intervals: Vec<(f64, f64)>,
    pub(super) probability: Option<f64>,
    pub(super) attainment_year: Option<f64>,
    pub(super) status: Option<Status>,
    pub(super) reason: Option<String>,
}

impl ProjectionOutcome {
    /// Whether it says nothing (no projection, and the deadline not reached): the row then
    /// carries none, and allocates nothing for it.
    pub(super) fn is_empty(&self) -> bool {
        self.method.is_none()
            && self.value.is_none()
            && self.intervals.is_empty()
            && self.probability.is_none()
            && self.attainment_year.is_none()
            && self.status.is_none()
            && self.reason.is_none()
    }
}

impl<'a> Row<'a> {
    pub(super) fn empty(
        keys: Keys<'a>,
        target: Option<usize>,
        method: &'static str,
        reason: String,
    ) -> Self {
        Self {
            keys,
            target,
            method,
            status: Status::InsufficientData,
            method_status: Some(Label::InsufficientData),
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

/// Two reasons as one (`a; b`), skipping empty ones.
pub(super) fn join_reasons(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some(format!("{a}; {b}")),
        (Some(a), _) if !a.is_empty() => Some(a),
        (_, b) => b.filter(|s| !s.is_empty()),
    }
}
