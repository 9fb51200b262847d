//! Helpers shared by the functions that build result frames (`assess`, `project`,
//! `sensitivity`): period columns in the input's period type, key columns given back their
//! input type, and the column-name suffix of an interval level.

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use rayon::prelude::*;

use crate::calendar::{days_from_decimal_year, year_i64, PeriodKind};
use crate::error::Result;

/// A period column `name` of decimal years, in the type the observations gave periods in
/// (integer years, floats, or dates).
pub(crate) fn period_column(name: &str, values: Vec<f64>, kind: PeriodKind) -> Result<Column> {
    let name = PlSmallStr::from(name);
    let valid = validity(&values);
    Ok(match kind {
        PeriodKind::Year => {
            let years = values.into_iter().map(year_i64).collect();
            with_validity(Int64Chunked::from_vec(name, years), valid).into_column()
        }
        PeriodKind::Decimal => {
            with_validity(Float64Chunked::from_vec(name, values), valid).into_column()
        }
        PeriodKind::Date => {
            let days = values.into_iter().map(days_from_decimal_year).collect();
            with_validity(Int32Chunked::from_vec(name, days), valid)
                .into_column()
                .cast(&DataType::Date)?
        }
    })
}

/// A float column of `values` with NaN as null (one pass, no mask without a NaN).
pub(crate) fn float_column(name: PlSmallStr, values: Vec<f64>) -> Column {
    let valid = validity(&values);
    with_validity(Float64Chunked::from_vec(name, values), valid).into_column()
}

/// The validity mask of `values` (NaN = null), or `None` when none is NaN.
fn validity(values: &[f64]) -> Option<Bitmap> {
    values
        .iter()
        .any(|v| v.is_nan())
        .then(|| values.iter().map(|v| !v.is_nan()).collect())
}

/// `values` (one chunk) with the validity mask `valid`.
fn with_validity<T: PolarsNumericType>(
    values: ChunkedArray<T>,
    valid: Option<Bitmap>,
) -> ChunkedArray<T> {
    match valid {
        None => values,
        Some(mask) => {
            let name = values.name().clone();
            let chunks = values
                .downcast_iter()
                .map(|a| a.clone().with_validity(Some(mask.clone())));
            ChunkedArray::from_chunk_iter(name, chunks)
        }
    }
}

/// The frame made of batches of column chunks (each batch: every column, in order),
/// stacked in batch order; `None` without batches. The batches' chunks stay the columns'
/// chunks (no copy) unless there are more than [`MAX_CHUNKS`] of them.
pub(crate) fn stack_batches(batches: Vec<Vec<Column>>) -> Result<Option<DataFrame>> {
    let mut batches = batches.into_iter();
    let Some(first) = batches.next() else {
        return Ok(None);
    };
    let rest: Vec<Vec<Column>> = batches.collect();
    let columns: Vec<Column> = first
        .into_par_iter()
        .enumerate()
        .map(|(i, mut column)| {
            for batch in &rest {
                if let Some(chunk) = batch.get(i) {
                    column.append(chunk)?;
                }
            }
            let chunks = column.as_materialized_series().n_chunks();
            Ok(if chunks > MAX_CHUNKS {
                column.rechunk()
            } else {
                column
            })
        })
        .collect::<Result<_>>()?;
    let height = columns.first().map_or(0, Column::len);
    Ok(Some(DataFrame::new(height, columns)?))
}

/// The most chunks a result column keeps as written; more are joined into one.
const MAX_CHUNKS: usize = 64;

/// Key columns travel as strings; give the columns `keys` of `out` back the observations'
/// type (integer region codes stay integers).
pub(crate) fn restore_key_types<'a>(
    out: &mut DataFrame,
    observations: &DataFrame,
    keys: impl IntoIterator<Item = &'a String>,
) -> Result<()> {
    for name in keys {
        let Ok(input) = observations.column(name) else {
            continue;
        };
        let dtype = input.dtype();
        if dtype.is_string() {
            continue;
        }
        let cast = out.column(name)?.cast(dtype)?;
        out.with_column(cast)?;
    }
    Ok(())
}

/// The column-name suffix of an interval level: `0.8` → `"80"`, `0.975` → `"97.5"`.
pub(crate) fn level_name(level: f64) -> String {
    let pct = (level * 1000.0).round() / 10.0;
    if pct.fract() == 0.0 {
        #[allow(clippy::cast_possible_truncation)] // a whole percentage of a level in (0, 1)
        let whole = pct as i64;
        format!("{whole}")
    } else {
        format!("{pct}")
    }
}
