//! `assess`: every target against every matching series, by every requested method.
//!
//! [`matching`] pairs targets with series (one job each), [`evaluate`] computes the rows of
//! one job (with [`projection`] for the probability columns), and [`frame`] turns the rows
//! into the result frame.

mod evaluate;
mod frame;
mod matching;
mod projection;
mod row;
mod targets;

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::Result;
use crate::options::AssessOptions;
use crate::output::restore_key_types;
use crate::panel::Panel;
use crate::progress::{in_chunks, Stage};
use crate::target::TargetTable;

use self::evaluate::{run_job, Scratch};
use self::frame::Layout;
use self::matching::plan_jobs;
use self::row::Row;
pub(crate) use self::targets::Targets;

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
/// // Statuses, labels, methods, kinds, directions and verdicts are `Enum` columns.
/// let status = result.column("method_status").unwrap().cast(&DataType::String).unwrap();
/// assert_eq!(status.str().unwrap().get(0), Some("substantial_progress"));
/// ```
pub fn assess(
    observations: &DataFrame,
    targets: &DataFrame,
    options: &AssessOptions,
) -> Result<DataFrame> {
    crate::threads::install(options.threads, || {
        options.validate()?;
        let panel = Panel::build(observations, options)?;
        let table = TargetTable::read(targets, &options.indicator, &options.by, panel.period_kind)?;
        let mut out = assess_specs(&panel, Targets::Table(&table), options, Stage::ONLY)?;
        restore_key_types(&mut out, observations, options.key_columns())?;
        Ok(out)
    })
}

/// Assess against already validated targets (a targets frame kept as columns, or the specs
/// of sensitivity passes); `stage` says which pass of a multi-pass call this is, for progress
/// reports.
pub(crate) fn assess_specs(
    panel: &Panel,
    targets: Targets<'_>,
    options: &AssessOptions,
    stage: Stage,
) -> Result<DataFrame> {
    let jobs = plan_jobs(panel, targets, options);
    let layout = Layout::new(panel, targets, options)?;
    // Every job gives one row per method.
    let rows_per_job = options.methods.len().max(1);
    let batches = in_chunks(&jobs, options.progress.as_ref(), stage, |chunk| {
        // Two batches per thread, each one chunk of every column.
        let per_batch = chunk
            .len()
            .div_ceil(2 * rayon::current_num_threads())
            .max(ROW_JOBS);
        chunk
            .par_chunks(per_batch)
            .map(|batch| {
                let mut sinks = layout.sinks(batch.len() * rows_per_job);
                let mut rows: Vec<Row<'_>> = Vec::with_capacity(ROW_JOBS * rows_per_job);
                let mut scratch = Scratch::default();
                for jobs in batch.chunks(ROW_JOBS) {
                    rows.clear();
                    for job in jobs {
                        run_job(job, panel, targets, options, &mut scratch, &mut rows);
                    }
                    layout.write(&rows, &mut sinks);
                }
                layout.finish(sinks)
            })
            .collect()
    })?;
    layout.frame(batches.into_iter().collect::<Result<_>>()?)
}

/// Jobs evaluated into rows at a time: their rows (a few hundred bytes each) stay in the
/// processor's cache while they are written into the column builders.
const ROW_JOBS: usize = 512;
