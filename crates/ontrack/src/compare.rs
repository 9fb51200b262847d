//! `compare_methods`: every named method on the same data, side by side, with where they
//! disagree on the unified status.

use ontrack_kernels::methods::Method;
use ontrack_kernels::Status;
use polars::prelude::*;

use crate::assess::assess;
use crate::categories::Vocabulary;
use crate::error::{Frame, OntrackError, Result};
use crate::input::strings;
use crate::options::AssessOptions;

/// Assess by every method of `options.methods` and mark, for each target × series, whether
/// the methods agree. An empty `options.methods` compares every named method
/// ([`Method::all`], all twelve with their published defaults), the default of Python's
/// `ontrack.compare_methods`. A method that needs inputs a series lacks (SDSN's bounds, say)
/// keeps its row with status `insufficient_data` and the reason.
///
/// The result is [`assess`]'s frame (one row per target × series × method, methods in the
/// order given) with four more columns, equal on the rows of one target × series:
///
/// | column | meaning |
/// |---|---|
/// | `methods_agree` | every method that could assess the series gives the same unified status (null when fewer than two could) |
/// | `consensus_status` | the most frequent unified status among those methods (a tie goes to the worse status) |
/// | `n_assessed_methods` | how many methods could assess the series (status ≠ insufficient_data) |
/// | `status_spread` | which method gave which status, e.g. `on_track: open_sdg, unsd_2022; needs_acceleration: unsd_2023` |
///
/// # Errors
/// As [`assess`]; also [`OntrackError::InvalidOption`] with exactly one method.
///
/// # Example
/// ```
/// use ontrack::{compare_methods, AssessOptions};
/// use ontrack::polars::prelude::*;
///
/// let obs = df!("indicator" => ["x", "x"], "year" => [2015i64, 2021], "value" => [10.0, 8.0]).unwrap();
/// let targets = df!(
///     "indicator" => ["x"], "direction" => ["decrease"], "target_value" => [5.0], "target_year" => [2030i64],
/// ).unwrap();
/// let opts = AssessOptions::default().with_methods(["open_sdg", "unsd_2023"]).unwrap();
/// let out = compare_methods(&obs, &targets, &opts).unwrap();
/// assert_eq!(out.column("methods_agree").unwrap().bool().unwrap().get(0), Some(true));
///
/// // Every named method: one row each.
/// let every = AssessOptions { methods: Vec::new(), ..AssessOptions::default() };
/// assert_eq!(compare_methods(&obs, &targets, &every).unwrap().height(), 12);
/// ```
pub fn compare_methods(
    observations: &DataFrame,
    targets: &DataFrame,
    options: &AssessOptions,
) -> Result<DataFrame> {
    let every;
    let options = if options.methods.is_empty() {
        every = AssessOptions {
            methods: Method::all(),
            ..options.clone()
        };
        &every
    } else {
        options
    };
    if options.methods.len() < 2 {
        return Err(OntrackError::option(
            "method",
            "compare_methods needs at least two methods",
        ));
    }
    let mut out = assess(observations, targets, options)?;
    let block = options.methods.len();
    let statuses = strings(out.column("status")?, Frame::Result)?;
    let methods = strings(out.column("method")?, Frame::Result)?;
    let n = statuses.len();
    let mut agree: Vec<Option<bool>> = Vec::with_capacity(n);
    let mut consensus: Vec<Option<&'static str>> = Vec::with_capacity(n);
    let mut assessed: Vec<u32> = Vec::with_capacity(n);
    let mut spread: Vec<String> = Vec::with_capacity(n);
    for (chunk_s, chunk_m) in statuses.chunks(block).zip(methods.chunks(block)) {
        let parsed: Vec<(Status, &str)> = chunk_s
            .iter()
            .zip(chunk_m)
            .filter_map(|(s, m)| {
                let status = Status::ALL
                    .into_iter()
                    .find(|st| Some(st.as_str()) == s.as_deref())?;
                Some((status, m.as_deref().unwrap_or("")))
            })
            .collect();
        let valid: Vec<Status> = parsed
            .iter()
            .map(|(s, _)| *s)
            .filter(|s| *s != Status::InsufficientData)
            .collect();
        let counts: Vec<(Status, usize)> = Status::ALL
            .into_iter()
            .map(|st| (st, valid.iter().filter(|v| **v == st).count()))
            .filter(|(_, c)| *c > 0)
            .collect();
        // Status::ALL runs best to worst, so the last maximum is the worse of a tie.
        let best = counts
            .iter()
            .fold(None::<(Status, usize)>, |acc, &(st, c)| match acc {
                Some((_, ac)) if ac > c => acc,
                _ => Some((st, c)),
            })
            .map(|(st, _)| st.as_str());
        let block_agree = (valid.len() >= 2).then_some(counts.len() == 1);
        let text = Status::ALL
            .into_iter()
            .filter_map(|st| {
                let names: Vec<&str> = parsed
                    .iter()
                    .filter(|(s, _)| *s == st)
                    .map(|(_, m)| *m)
                    .collect();
                (!names.is_empty()).then(|| format!("{}: {}", st.as_str(), names.join(", ")))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let count = u32::try_from(valid.len()).unwrap_or(u32::MAX);
        for _ in 0..chunk_s.len() {
            agree.push(block_agree);
            consensus.push(best);
            assessed.push(count);
            spread.push(text.clone());
        }
    }
    out.with_column(Column::new("methods_agree".into(), agree))?;
    let status = Vocabulary::Status.dtype()?;
    out.with_column(Column::new("consensus_status".into(), consensus).cast(&status)?)?;
    out.with_column(Column::new("n_assessed_methods".into(), assessed))?;
    out.with_column(Column::new("status_spread".into(), spread))?;
    Ok(out)
}

/// The defaults of [`compare_methods`] (those of Python's `ontrack.compare_methods`): every
/// named method ([`Method::all`]) and no projection (the probability columns stay null; a
/// projection does not depend on the method, so comparing methods does not need it), the
/// rest as [`AssessOptions::default`].
///
/// ```
/// let opts = ontrack::compare_defaults();
/// assert_eq!(opts.methods.len(), ontrack::Method::NAMES.len());
/// assert!(opts.projection.is_none());
/// ```
#[must_use]
pub fn compare_defaults() -> AssessOptions {
    AssessOptions {
        methods: Method::all(),
        projection: None,
        ..AssessOptions::default()
    }
}
