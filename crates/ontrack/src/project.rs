//! `project`: every series carried forward by one or more projection methods, with prediction
//! intervals, as one long frame.

use ontrack_kernels::projection::{self, Method as ProjMethod};
use std::sync::Arc;

use polars::prelude::*;
use rayon::prelude::*;

use crate::categories::{enum_from, position, Vocabulary};
use crate::error::{OntrackError, Result};
use crate::fit::fit_series;
use crate::options::{validate_levels, AssessOptions};
use crate::output::{level_name, period_column, restore_key_types, stack_batches};
use crate::panel::{Panel, SeriesBuf};
use crate::progress::{in_chunks, Stage};

/// How far to project.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Horizon {
    /// Every whole year after the last observation up to and including this year.
    Until(f64),
    /// This many whole years after each series' last observation.
    Steps(u32),
}

/// Options of [`project`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectOptions {
    /// Column names and series keys (`indicator`, `period`, `value`, `by`, `as_of`, `scale`
    /// are used, and `threads` and `progress` as in `assess`; the assessment-only fields are
    /// ignored).
    pub columns: AssessOptions,
    /// Projection methods; one block of rows per method (default: `auto`).
    pub methods: Vec<ProjMethod>,
    /// Prediction-interval levels in (0, 1) (default 0.8 and 0.95). Each gives columns
    /// `lower_<pct>` and `upper_<pct>`.
    pub levels: Vec<f64>,
    /// How far to project (default: until 2030).
    pub horizon: Horizon,
    /// Natural bounds applied to every series (projections stay inside them).
    pub bounds: (Option<f64>, Option<f64>),
    /// Recency weight λ of the weighted methods.
    pub recency_weight: f64,
    /// Fit on `ln(y − L)` (`L` = the lower bound, or 0): multiplicative growth, projections
    /// above `L` (see [`AssessOptions::log_scale`]).
    pub log_scale: bool,
}

impl Default for ProjectOptions {
    fn default() -> Self {
        Self {
            columns: AssessOptions::default(),
            methods: vec![ProjMethod::Auto],
            levels: vec![0.8, 0.95],
            horizon: Horizon::Until(2030.0),
            bounds: (None, None),
            recency_weight: projection::DEFAULT_RECENCY_WEIGHT,
            log_scale: false,
        }
    }
}

impl ProjectOptions {
    /// Set the methods by name (`linear`, `linear_weighted`, `log_linear`,
    /// `log_linear_weighted`, `drift`, `damped_trend`, `theta`, `auto`).
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] for an unknown name.
    pub fn with_methods<I, S>(mut self, names: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.methods = names
            .into_iter()
            .map(|n| parse_projection_method(n.as_ref()))
            .collect::<Result<_>>()?;
        Ok(self)
    }

    /// Check the options.
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] naming the option.
    pub fn validate(&self) -> Result<()> {
        if self.methods.is_empty() {
            return Err(OntrackError::option(
                "methods",
                "at least one projection method is needed",
            ));
        }
        validate_levels(&self.levels)?;
        match self.horizon {
            Horizon::Until(y) if !y.is_finite() => {
                return Err(OntrackError::option(
                    "until",
                    format!("must be a finite year, got {y}"),
                ))
            }
            Horizon::Steps(0) => {
                return Err(OntrackError::option("horizon", "must be at least 1 year"))
            }
            Horizon::Steps(h) if h > 1000 => {
                return Err(OntrackError::option(
                    "horizon",
                    format!("{h} years is beyond any sensible projection"),
                ))
            }
            _ => {}
        }
        if let (Some(lo), Some(hi)) = self.bounds {
            if lo >= hi {
                return Err(OntrackError::option(
                    "bounds",
                    format!("lower bound {lo} is not below upper bound {hi}"),
                ));
            }
        }
        if !(self.recency_weight > 0.0 && self.recency_weight <= 1.0) {
            return Err(OntrackError::option(
                "recency_weight",
                format!("must lie in (0, 1], got {}", self.recency_weight),
            ));
        }
        self.columns.validate()
    }
}

/// Parse a projection method name.
///
/// # Errors
/// [`OntrackError::InvalidOption`] for an unknown name.
pub fn parse_projection_method(name: &str) -> Result<ProjMethod> {
    name.parse::<ProjMethod>().map_err(|_| {
        OntrackError::option(
            "method",
            format!(
                "unknown projection method {name:?}; expected one of {}",
                ProjMethod::ALL.map(|m| m.as_str()).join(", ")
            ),
        )
    })
}

/// One output row of [`project`].
struct Row {
    group: usize,
    method: ProjMethod,
    used: Option<ProjMethod>,
    year: Option<f64>,
    point: Option<f64>,
    bounds: Vec<(Option<f64>, Option<f64>)>,
    n_points: u32,
    /// The series' reason, shared by its rows.
    reason: Option<Arc<str>>,
}

/// Project every series of `observations`.
///
/// The result is long: one row per series × method × projected year, with the key columns,
/// `year`, `method` (requested), `method_used` (after any fallback; `auto` combinations report
/// `auto`), `point`, `lower_<pct>` / `upper_<pct>` per level, `n_points` and `reason` (the
/// model choice, fallbacks, gap filling). A series that cannot be projected keeps one row per
/// method with a null year and the reason.
///
/// # Errors
/// Malformed input (see [`crate::assess`]) and invalid options.
///
/// # Example
/// ```
/// use ontrack::{project, ProjectOptions, Horizon};
/// use ontrack::polars::prelude::*;
///
/// let obs = df!(
///     "indicator" => ["x"; 4],
///     "year" => [2015i64, 2016, 2017, 2018],
///     "value" => [10.0, 12.0, 14.0, 16.0],
/// ).unwrap();
/// let opts = ProjectOptions { horizon: Horizon::Steps(2), ..ProjectOptions::default() }
///     .with_methods(["linear"]).unwrap();
/// let out = project(&obs, &opts).unwrap();
/// let points: Vec<_> = out.column("point").unwrap().f64().unwrap().into_no_null_iter().collect();
/// assert!((points[0] - 18.0).abs() < 1e-9 && (points[1] - 20.0).abs() < 1e-9);
/// ```
pub fn project(observations: &DataFrame, options: &ProjectOptions) -> Result<DataFrame> {
    crate::threads::install(options.columns.threads, || {
        project_on_pool(observations, options)
    })
}

/// [`project`] on the thread pool chosen by the options.
fn project_on_pool(observations: &DataFrame, options: &ProjectOptions) -> Result<DataFrame> {
    options.validate()?;
    let panel = Panel::build(observations, &options.columns)?;
    let jobs: Vec<(usize, ProjMethod)> = (0..panel.len())
        .flat_map(|g| options.methods.iter().map(move |m| (g, *m)))
        .collect();
    // Batches of jobs are projected and written as column chunks while their rows are in
    // cache (as in `assess`); the rows are dropped right after.
    let batches = in_chunks(
        &jobs,
        options.columns.progress.as_ref(),
        Stage::ONLY,
        |chunk| {
            chunk
                .par_chunks(BATCH_JOBS)
                .map(|batch| {
                    let mut buf = SeriesBuf::default();
                    let rows: Vec<Row> = batch
                        .iter()
                        .flat_map(|&(g, method)| {
                            project_one(&panel, &mut buf, (g, method), options)
                        })
                        .collect();
                    build(&rows, &panel, options)
                })
                .collect()
        },
    )?;
    let batches = batches.into_iter().collect::<Result<Vec<_>>>()?;
    let mut out = match stack_batches(batches)? {
        Some(out) => out,
        None => DataFrame::new(0, build(&[], &panel, options)?)?,
    };
    restore_key_types(&mut out, observations, options.columns.key_columns())?;
    Ok(out)
}

fn project_one(
    panel: &Panel,
    buf: &mut SeriesBuf,
    (g, method): (usize, ProjMethod),
    options: &ProjectOptions,
) -> Vec<Row> {
    let (years, values) = panel.series(g, buf);
    let n_points = u32::try_from(values.iter().filter(|v| !v.is_nan()).count()).unwrap_or(u32::MAX);
    let fitted = fit_series(
        years,
        values,
        method,
        options.bounds,
        options.recency_weight,
        options.log_scale,
    );
    let p = match fitted {
        Ok(p) => p,
        Err(reason) => {
            return vec![Row {
                group: g,
                method,
                used: None,
                year: None,
                point: None,
                bounds: vec![(None, None); options.levels.len()],
                n_points,
                reason: Some(reason.into()),
            }]
        }
    };
    let reason: Option<Arc<str>> = p.reason.as_deref().map(Arc::from);
    let first = p.last_year.floor() + 1.0;
    let last = match options.horizon {
        Horizon::Until(y) => y,
        Horizon::Steps(h) => p.last_year.floor() + f64::from(h),
    };
    // Years are counted, not stepped by `+= 1.0`: past 2^53 adding a year changes nothing,
    // and a far `until` would make rows without end.
    let nothing = |reason: String| {
        vec![Row {
            group: g,
            method,
            used: Some(p.method_used),
            year: None,
            point: None,
            bounds: vec![(None, None); options.levels.len()],
            n_points,
            reason: Some(reason.into()),
        }]
    };
    if first > last {
        return nothing(format!(
            "the series already reaches {last}: nothing to project"
        ));
    }
    if first + 1.0 == first || last - first >= MAX_PROJECTED_YEARS {
        return nothing(format!(
            "projecting from {first} to {last} is beyond any sensible projection \
             (at most {MAX_PROJECTED_YEARS} years)"
        ));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let steps = (last - first).floor() as u32 + 1;
    let mut rows = Vec::new();
    for i in 0..steps {
        let year = first + f64::from(i);
        let dist = p.at(year);
        rows.push(Row {
            group: g,
            method,
            used: Some(p.method_used),
            year: Some(year),
            point: dist.as_ref().map(|d| d.point()),
            bounds: options
                .levels
                .iter()
                .map(|l| {
                    dist.as_ref()
                        .and_then(|d| d.interval(*l))
                        .map_or((None, None), |(a, b)| (Some(a), Some(b)))
                })
                .collect(),
            n_points,
            reason: reason.clone(),
        });
    }
    rows
}

/// Jobs (series × method) per batch of rows written at once.
const BATCH_JOBS: usize = 256;

/// The most years projected for one series (as for `horizon`).
const MAX_PROJECTED_YEARS: f64 = 1000.0;

/// The columns of a batch of rows (see [`project`]).
fn build(rows: &[Row], panel: &Panel, options: &ProjectOptions) -> Result<Vec<Column>> {
    let cols = &options.columns;
    let mut columns: Vec<Column> = Vec::new();
    let series = rows
        .iter()
        .map(|r| IdxSize::try_from(r.group))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| OntrackError::option("observations", "more than 4 billion series"))?;
    for (i, name) in cols.key_columns().enumerate() {
        let values = panel.key_values(i, &series)?;
        columns.push(values.with_name(name.as_str().into()).into_column());
    }
    columns.push(period_column(
        &cols.period,
        rows.iter().map(|r| r.year.unwrap_or(f64::NAN)).collect(),
        panel.period_kind,
    )?);
    let category = |m: &ProjMethod| position(&ProjMethod::ALL, m);
    columns.push(enum_from(
        "method",
        Vocabulary::ProjectionMethod,
        rows.iter().map(|r| category(&r.method)),
    )?);
    columns.push(enum_from(
        "method_used",
        Vocabulary::ProjectionMethod,
        rows.iter().map(|r| r.used.as_ref().and_then(category)),
    )?);
    let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
    columns.push(Column::new(
        "point".into(),
        rows.iter().map(|r| finite(r.point)).collect::<Vec<_>>(),
    ));
    for (i, level) in options.levels.iter().enumerate() {
        let name = level_name(*level);
        let get = |r: &Row, upper: bool| {
            r.bounds
                .get(i)
                .and_then(|(a, b)| if upper { *b } else { *a })
        };
        columns.push(Column::new(
            format!("lower_{name}").into(),
            rows.iter()
                .map(|r| finite(get(r, false)))
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            format!("upper_{name}").into(),
            rows.iter()
                .map(|r| finite(get(r, true)))
                .collect::<Vec<_>>(),
        ));
    }
    columns.push(Column::new(
        "n_points".into(),
        rows.iter().map(|r| r.n_points).collect::<Vec<u32>>(),
    ));
    columns.push(Column::new(
        "reason".into(),
        rows.iter().map(|r| r.reason.as_deref()).collect::<Vec<_>>(),
    ));
    Ok(columns)
}
