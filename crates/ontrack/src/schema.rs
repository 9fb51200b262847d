//! The schema of a result, known before anything runs.
//!
//! Distributed engines (Spark, Dask) must declare the output schema of a task before it runs,
//! and a driver wants schema and option errors before any job starts. [`output_schema`] gives
//! both from the input schemas alone: it runs the very same entry point on no rows, so the
//! schema it returns is by construction the schema of every real result for those inputs and
//! options, and it fails with the same [`crate::OntrackError`] as a real call would for a
//! missing column, a wrong column type or an invalid option.

use polars::prelude::*;

use crate::assess::assess;
use crate::compare::compare_methods;
use crate::error::{OntrackError, Result};
use crate::options::AssessOptions;
use crate::output::level_name;
use crate::project::{project, ProjectOptions};
use crate::rollup::{rollup, RollupOptions};

/// Which entry point a schema is asked for.
#[derive(Debug, Clone, Copy)]
pub enum Operation<'a> {
    /// [`crate::assess`].
    Assess(&'a AssessOptions),
    /// [`crate::compare_methods`].
    CompareMethods(&'a AssessOptions),
    /// [`crate::project`] (the targets schema is not used).
    Project(&'a ProjectOptions),
    /// [`crate::rollup`] (the observations schema is that of the result rolled up; the
    /// targets schema is not used).
    Rollup(&'a RollupOptions),
}

/// The schema of the result of `operation` on frames with these schemas.
///
/// ```
/// use ontrack::polars::prelude::*;
/// use ontrack::schema::{output_schema, Operation};
/// use ontrack::AssessOptions;
///
/// let obs = Schema::from_iter([
///     Field::new("indicator".into(), DataType::String),
///     Field::new("year".into(), DataType::Int64),
///     Field::new("value".into(), DataType::Float64),
/// ]);
/// let targets = Schema::from_iter([
///     Field::new("indicator".into(), DataType::String),
///     Field::new("direction".into(), DataType::String),
///     Field::new("target_value".into(), DataType::Float64),
///     Field::new("target_year".into(), DataType::Int64),
/// ]);
/// let opts = AssessOptions::default();
/// let schema = output_schema(Operation::Assess(&opts), &obs, &targets).unwrap();
/// assert!(schema.get("status").is_some_and(DataType::is_enum));
/// assert_eq!(schema.get("target_id"), Some(&DataType::String));
/// assert_eq!(schema.get("year").is_none(), true);
/// ```
///
/// # Errors
/// What the operation itself raises for such inputs: a missing column, a column type that
/// cannot be used, an invalid option.
pub fn output_schema(
    operation: Operation<'_>,
    observations: &Schema,
    targets: &Schema,
) -> Result<Schema> {
    let obs = DataFrame::empty_with_schema(observations);
    let tgt = DataFrame::empty_with_schema(targets);
    let out = match operation {
        Operation::Assess(opts) => assess(&obs, &tgt, opts)?,
        Operation::CompareMethods(opts) => compare_methods(&obs, &tgt, opts)?,
        Operation::Project(opts) => project(&obs, opts)?,
        Operation::Rollup(opts) => rollup(&obs, opts)?,
    };
    Ok(out.schema().as_ref().clone())
}

/// A result of ontrack, for the rules that name its columns (no options needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultKind {
    /// The result of [`crate::assess`].
    Assess,
    /// The result of [`crate::compare_methods`].
    CompareMethods,
    /// The result of [`crate::sensitivity`].
    Sensitivity,
    /// The result of [`crate::project`].
    Project,
    /// The result of [`crate::rollup`].
    Rollup,
}

impl ResultKind {
    /// Every kind of result.
    pub const ALL: [Self; 5] = [
        Self::Assess,
        Self::CompareMethods,
        Self::Sensitivity,
        Self::Project,
        Self::Rollup,
    ];

    /// The name of the entry point (`assess`, `compare_methods`, `sensitivity`, `project`,
    /// `rollup`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assess => "assess",
            Self::CompareMethods => "compare_methods",
            Self::Sensitivity => "sensitivity",
            Self::Project => "project",
            Self::Rollup => "rollup",
        }
    }

    /// The kind named `name` (see [`ResultKind::as_str`]).
    ///
    /// # Errors
    /// [`crate::OntrackError::InvalidOption`] (option `operation`) for any other name.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| {
                OntrackError::option(
                    "operation",
                    format!(
                        "unknown result {name:?}; expected one of {}",
                        Self::ALL.map(Self::as_str).join(", ")
                    ),
                )
            })
    }

    /// The key columns that follow the series keys (the indicator and the `by` columns; for
    /// a rollup, the `by` columns): `target_id` and `method` for an assessment, the period
    /// column and `method` for a projection, `method` for a rollup.
    #[must_use]
    pub fn trailing_keys(self, period: &str) -> Vec<String> {
        match self {
            Self::Assess | Self::CompareMethods | Self::Sensitivity => {
                vec!["target_id".into(), "method".into()]
            }
            Self::Project => vec![period.into(), "method".into()],
            Self::Rollup => vec!["method".into()],
        }
    }
}

/// The columns that identify a row of a result, in the order they appear in it: the series
/// keys (`indicator`, then `by`; a rollup has no indicator), which lead the result, then
/// [`ResultKind::trailing_keys`].
///
/// ```
/// use ontrack::schema::{result_keys, ResultKind};
/// let by = ["region".to_string()];
/// assert_eq!(
///     result_keys(ResultKind::Assess, "indicator", "year", &by),
///     ["indicator", "region", "target_id", "method"]
/// );
/// assert_eq!(
///     result_keys(ResultKind::Project, "indicator", "year", &by),
///     ["indicator", "region", "year", "method"]
/// );
/// assert_eq!(result_keys(ResultKind::Rollup, "indicator", "year", &by), ["region", "method"]);
/// ```
#[must_use]
pub fn result_keys(kind: ResultKind, indicator: &str, period: &str, by: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    if kind != ResultKind::Rollup {
        keys.push(indicator.into());
    }
    for name in by.iter().chain(&kind.trailing_keys(period)) {
        if !keys.contains(name) {
            keys.push(name.clone());
        }
    }
    keys
}

/// The series keys of a result whose options are not known: its leading columns, up to the
/// first of [`ResultKind::trailing_keys`] present (none when none is present).
///
/// ```
/// use ontrack::schema::{series_keys, ResultKind};
/// let columns = ["indicator", "region", "target_id", "method", "status"];
/// assert_eq!(series_keys(ResultKind::Assess, &columns, "year"), ["indicator", "region"]);
/// assert_eq!(series_keys(ResultKind::Assess, &["indicator", "method"], "year"), ["indicator"]);
/// assert!(series_keys(ResultKind::Project, &["point"], "year").is_empty());
/// ```
#[must_use]
pub fn series_keys<S: AsRef<str>>(kind: ResultKind, columns: &[S], period: &str) -> Vec<String> {
    let trailing = kind.trailing_keys(period);
    let end = columns
        .iter()
        .position(|c| trailing.iter().any(|t| t == c.as_ref()));
    end.map_or_else(Vec::new, |end| {
        columns
            .iter()
            .take(end)
            .map(|c| c.as_ref().to_string())
            .collect()
    })
}

/// The names of the interval columns of a projection at `level`: `lower_80`, `upper_80` for
/// 0.8, `lower_97.5`, `upper_97.5` for 0.975 (an assessment prefixes them with
/// `projected_`).
///
/// ```
/// assert_eq!(ontrack::schema::interval_columns(0.8), ["lower_80", "upper_80"]);
/// assert_eq!(ontrack::schema::interval_columns(0.975), ["lower_97.5", "upper_97.5"]);
/// ```
#[must_use]
pub fn interval_columns(level: f64) -> [String; 2] {
    let name = level_name(level);
    [format!("lower_{name}"), format!("upper_{name}")]
}

/// The level of an interval column named by [`interval_columns`] (with or without the
/// `projected_` prefix of an assessment), and whether it is the upper end; `None` for any
/// other name.
///
/// ```
/// use ontrack::schema::interval_level;
/// assert_eq!(interval_level("lower_80"), Some((0.8, false)));
/// assert_eq!(interval_level("projected_upper_97.5"), Some((0.975, true)));
/// assert_eq!(interval_level("lower_bound"), None);
/// assert_eq!(interval_level("lower_80.00"), None);
/// ```
#[must_use]
pub fn interval_level(column: &str) -> Option<(f64, bool)> {
    let bare = column.strip_prefix("projected_").unwrap_or(column);
    let (upper, pct) = if let Some(pct) = bare.strip_prefix("lower_") {
        (false, pct)
    } else {
        (true, bare.strip_prefix("upper_")?)
    };
    if !pct.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let level = pct.parse::<f64>().ok()? / 100.0;
    let [lower_name, upper_name] = interval_columns(level);
    let own = if upper { upper_name } else { lower_name };
    (level > 0.0 && level < 1.0 && own == bare).then_some((level, upper))
}
