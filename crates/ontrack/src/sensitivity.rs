//! `sensitivity`: how fragile each status is — across candidate base years, and when the
//! latest observation is left out.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::assess::{assess_specs, Targets};
use crate::calendar::format_period;
use crate::categories::Vocabulary;
use crate::error::{Frame, OntrackError, Result};
use crate::input::strings;
use crate::options::AssessOptions;
use crate::output::restore_key_types;
use crate::panel::Panel;
use crate::progress::Stage;
use crate::target::{targets_from_frame, TargetKind, TargetSpec};

/// Options of [`sensitivity`].
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityOptions {
    /// The assessment being checked (columns, methods, ...).
    pub assess: AssessOptions,
    /// Candidate base years; `None` takes every year present in the observations except
    /// the last two (the most recent twelve at most).
    pub base_years: Option<Vec<f64>>,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        Self {
            assess: AssessOptions {
                projection: None,
                ..AssessOptions::default()
            },
            base_years: None,
        }
    }
}

/// Status of every row, and the baseline year it used.
type RowStatuses = (Vec<Option<String>>, Vec<Option<f64>>);

/// Read the status and baseline-year columns of a result.
fn statuses(df: &DataFrame) -> Result<RowStatuses> {
    let status = strings(df.column("status")?, Frame::Result)?;
    let base = df
        .column("baseline_year")?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect();
    Ok((status, base))
}

fn candidate_years(panel: &Panel, explicit: Option<&Vec<f64>>) -> Result<Vec<f64>> {
    if let Some(years) = explicit {
        if years.iter().any(|y| !y.is_finite()) {
            return Err(OntrackError::option(
                "base_years",
                "every base year must be finite",
            ));
        }
        return Ok(years.clone());
    }
    let mut years: Vec<f64> = panel.all_years();
    years.sort_by(f64::total_cmp);
    years.dedup();
    let keep = years.len().saturating_sub(2);
    years.truncate(keep);
    let skip = years.len().saturating_sub(12);
    Ok(years.into_iter().skip(skip).collect())
}

/// Re-assess with the baseline moved to each candidate base year and with each series'
/// latest observation left out, and say how robust every status is.
///
/// One row per row of [`crate::assess`] (keys, `target_id`, `method`, `status`,
/// `baseline_year`), plus:
///
/// | column | meaning |
/// |---|---|
/// | `statuses_by_base_year` | the status for each distinct baseline actually used, e.g. `2015: on_track; 2016: needs_acceleration` |
/// | `n_base_years` | how many distinct baselines gave an assessable status |
/// | `share_same_status` | share of those that agree with `status` |
/// | `status_without_latest` | the status when the latest observation of the series is left out |
/// | `robustness` | `robust`, `sensitive_to_base_year`, `sensitive_to_latest_point`, `fragile` (both) or `not_assessed` |
///
/// Explicit baseline values of targets are replaced by the data's values at the candidate
/// years; cumulative targets keep their window (their baseline is the window start).
///
/// # Errors
/// As [`crate::assess`].
pub fn sensitivity(
    observations: &DataFrame,
    targets: &DataFrame,
    options: &SensitivityOptions,
) -> Result<DataFrame> {
    crate::threads::install(options.assess.threads, || {
        sensitivity_on_pool(observations, targets, options)
    })
}

/// [`sensitivity`] on the thread pool chosen by the options.
fn sensitivity_on_pool(
    observations: &DataFrame,
    targets: &DataFrame,
    options: &SensitivityOptions,
) -> Result<DataFrame> {
    let opts = &options.assess;
    opts.validate()?;
    let panel = Panel::build(observations, opts)?;
    let specs = targets_from_frame(targets, &opts.indicator, &opts.by, panel.period_kind)?;
    let years = candidate_years(&panel, options.base_years.as_ref())?;
    // Passes over the same target × series pairs: the reference, one per candidate base
    // year, and one without the latest points (progress counts them all).
    let passes = years.len() + 2;
    let stage = |index| Stage {
        index,
        count: passes,
    };
    let reference = assess_specs(&panel, Targets::Specs(&specs), opts, stage(0))?;
    let (status, _) = statuses(&reference)?;
    let n = status.len();

    let mut by_base: Vec<BTreeMap<i64, (f64, String)>> = vec![BTreeMap::new(); n];
    for (pass, year) in (1..).zip(years) {
        let moved: Vec<TargetSpec> = specs
            .iter()
            .map(|s| {
                let mut s = s.clone();
                if s.kind != TargetKind::Cumulative && s.year.is_none_or(|t| year < t) {
                    s.baseline_year = Some(year);
                    s.baseline_value = None;
                }
                s
            })
            .collect();
        let variant = assess_specs(&panel, Targets::Specs(&moved), opts, stage(pass))?;
        let (vs, vb) = statuses(&variant)?;
        for ((slot, s), b) in by_base.iter_mut().zip(vs).zip(vb) {
            if let (Some(s), Some(b)) = (s, b) {
                if s != "insufficient_data" {
                    // Keyed by the baseline used (in milli-years), so two candidates that
                    // land on the same observation count once.
                    #[allow(clippy::cast_possible_truncation)]
                    // a year in milli-years: far inside i64
                    let key = (b * 1000.0).round() as i64;
                    slot.insert(key, (b, s));
                }
            }
        }
    }
    let without = assess_specs(
        &panel.without_latest(),
        Targets::Specs(&specs),
        opts,
        stage(passes - 1),
    )?;
    let (latest_out, _) = statuses(&without)?;

    let mut text = Vec::with_capacity(n);
    let mut counts = Vec::with_capacity(n);
    let mut shares = Vec::with_capacity(n);
    let mut robustness = Vec::with_capacity(n);
    for i in 0..n {
        let reference_status = status.get(i).cloned().flatten();
        let variants = by_base.get(i).cloned().unwrap_or_default();
        let listed: Vec<String> = variants
            .values()
            .map(|(b, s)| format!("{}: {s}", format_period(*b, panel.period_kind)))
            .collect();
        text.push((!listed.is_empty()).then(|| listed.join("; ")));
        // One variant per base year: counts far below u32::MAX.
        let n_variants = u32::try_from(variants.len()).unwrap_or(u32::MAX);
        counts.push(n_variants);
        let same = variants
            .values()
            .filter(|(_, s)| Some(s) == reference_status.as_ref())
            .count();
        let same = u32::try_from(same).unwrap_or(u32::MAX);
        shares.push((n_variants > 0).then(|| f64::from(same) / f64::from(n_variants)));
        let without_latest = latest_out.get(i).cloned().flatten();
        let verdict = match reference_status.as_deref() {
            None | Some("insufficient_data") => "not_assessed",
            Some(r) => {
                let base_ok = same == n_variants;
                let latest_ok = without_latest
                    .as_deref()
                    .is_none_or(|w| w == r || w == "insufficient_data");
                match (base_ok, latest_ok) {
                    (true, true) => "robust",
                    (false, true) => "sensitive_to_base_year",
                    (true, false) => "sensitive_to_latest_point",
                    (false, false) => "fragile",
                }
            }
        };
        robustness.push(verdict);
    }
    let mut keep: Vec<String> = std::iter::once(opts.indicator.clone())
        .chain(opts.by.iter().cloned())
        .collect();
    keep.extend(["target_id", "method", "status", "baseline_year"].map(String::from));
    let mut out = reference.select(keep)?;
    out.with_column(Column::new("statuses_by_base_year".into(), text))?;
    out.with_column(Column::new("n_base_years".into(), counts))?;
    out.with_column(Column::new("share_same_status".into(), shares))?;
    let status = Vocabulary::Status.dtype()?;
    out.with_column(Column::new("status_without_latest".into(), latest_out).cast(&status)?)?;
    out.with_column(Column::new("robustness".into(), robustness))?;
    restore_key_types(&mut out, observations, opts.key_columns())?;
    Ok(out)
}
