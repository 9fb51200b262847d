//! The schema of a result, known before anything runs.
//!
//! Distributed engines (Spark, Dask) must declare the output schema of a task before it runs,
//! and a driver wants schema and option errors before any job starts. [`output_schema`] gives
//! both from the input schemas alone: it runs the very same entry point on no rows, so the
//! schema it returns is by construction the schema of every real result for those inputs and
//! options, and it fails with the same [`crate::OntrackError`] as a real call would for a
//! missing column, a wrong column type or an invalid option.

use polars::prelude::*;

use crate::error::Result;
use crate::options::AssessOptions;
use crate::project::ProjectOptions;
use crate::rollup::RollupOptions;

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
/// assert_eq!(schema.get("status"), Some(&DataType::String));
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
        Operation::Assess(opts) => crate::assess(&obs, &tgt, opts)?,
        Operation::CompareMethods(opts) => crate::compare_methods(&obs, &tgt, opts)?,
        Operation::Project(opts) => crate::project(&obs, opts)?,
        Operation::Rollup(opts) => crate::rollup(&obs, opts)?,
    };
    Ok(out.schema().as_ref().clone())
}
