//! Reading input columns with precise errors: which frame, which column, which row.

use polars::prelude::*;

use crate::calendar::{decimal_year_from_days, year_f64, PeriodKind};
use crate::error::{Frame, OntrackError, Result};

/// The column `name` of `df`, or a [`OntrackError::MissingColumn`] listing what is there.
pub(crate) fn require<'a>(df: &'a DataFrame, frame: Frame, name: &str) -> Result<&'a Column> {
    df.column(name).map_err(|_| OntrackError::MissingColumn {
        frame,
        column: name.to_string(),
        available: df
            .get_column_names()
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// The column `name` of `df` if it exists.
pub(crate) fn optional<'a>(df: &'a DataFrame, name: &str) -> Option<&'a Column> {
    df.column(name).ok()
}

fn type_error(frame: Frame, col: &Column, expected: &str) -> OntrackError {
    OntrackError::ColumnType {
        frame,
        column: col.name().to_string(),
        expected: expected.to_string(),
        found: col.dtype().to_string(),
    }
}

/// A text-like column (string, categorical) or an integer/boolean key column, cast to a
/// string column (the caller borrows `&str` from it: no per-cell allocation).
pub(crate) fn string_column(col: &Column, frame: Frame) -> Result<Column> {
    let dtype = col.dtype();
    let ok = dtype.is_string()
        || dtype.is_categorical()
        || dtype.is_enum()
        || dtype.is_integer()
        || dtype.is_bool()
        || dtype.is_null();
    if !ok {
        return Err(type_error(
            frame,
            col,
            "a string, categorical or integer column",
        ));
    }
    Ok(col.cast(&DataType::String)?)
}

/// A text-like or integer key column as owned strings (for small frames such as targets).
pub(crate) fn strings(col: &Column, frame: Frame) -> Result<Vec<Option<String>>> {
    let cast = string_column(col, frame)?;
    Ok(cast.str()?.iter().map(|s| s.map(str::to_string)).collect())
}

/// A numeric column as `f64` (nulls and NaN stay missing).
pub(crate) fn floats(col: &Column, frame: Frame) -> Result<Vec<Option<f64>>> {
    let dtype = col.dtype();
    if !(dtype.is_primitive_numeric() || dtype.is_decimal() || dtype.is_null() || dtype.is_bool()) {
        return Err(type_error(frame, col, "a numeric column"));
    }
    let cast = col.cast(&DataType::Float64)?;
    Ok(cast
        .f64()?
        .iter()
        .map(|v| v.filter(|x| !x.is_nan()))
        .collect())
}

/// A numeric column as `f64`, a null as NaN (a NaN and a null are both missing values): half
/// the memory of [`floats`] for the observations' values.
pub(crate) fn floats_nan(col: &Column, frame: Frame) -> Result<Vec<f64>> {
    let ca = float_column(col, frame)?;
    let mut out = Vec::with_capacity(ca.len());
    for arr in ca.downcast_iter() {
        let start = out.len();
        out.extend_from_slice(arr.values());
        if let Some(valid) = arr.validity().filter(|v| v.unset_bits() > 0) {
            for (slot, ok) in out.iter_mut().skip(start).zip(valid.iter()) {
                if !ok {
                    *slot = f64::NAN;
                }
            }
        }
    }
    Ok(out)
}

/// A numeric column cast to `Float64` (no copy when it already is one).
pub(crate) fn float_column(col: &Column, frame: Frame) -> Result<Float64Chunked> {
    let dtype = col.dtype();
    if !(dtype.is_primitive_numeric() || dtype.is_decimal() || dtype.is_null() || dtype.is_bool()) {
        return Err(type_error(frame, col, "a numeric column"));
    }
    Ok(col.cast(&DataType::Float64)?.f64()?.clone())
}

/// A boolean column; also accepts integers 0/1 and the strings "true"/"false".
pub(crate) fn bools(col: &Column, frame: Frame) -> Result<Vec<Option<bool>>> {
    let dtype = col.dtype();
    if dtype.is_bool() {
        return Ok(col.bool()?.iter().collect());
    }
    if dtype.is_null() {
        return Ok(vec![None; col.len()]);
    }
    if dtype.is_integer() {
        let cast = col.cast(&DataType::Int64)?;
        return cast
            .i64()?
            .iter()
            .enumerate()
            .map(|(row, v)| match v {
                None => Ok(None),
                Some(0) => Ok(Some(false)),
                Some(1) => Ok(Some(true)),
                Some(other) => Err(OntrackError::ColumnType {
                    frame,
                    column: col.name().to_string(),
                    expected: "booleans (or 0/1)".into(),
                    found: format!("the integer {other} at row {row}"),
                }),
            })
            .collect();
    }
    if dtype.is_string() {
        return col
            .str()?
            .iter()
            .enumerate()
            .map(|(row, v)| match v.map(|s| s.trim().to_ascii_lowercase()) {
                None => Ok(None),
                Some(s) if s.is_empty() => Ok(None),
                Some(s) if s == "true" || s == "yes" || s == "1" => Ok(Some(true)),
                Some(s) if s == "false" || s == "no" || s == "0" => Ok(Some(false)),
                Some(s) => Err(OntrackError::ColumnType {
                    frame,
                    column: col.name().to_string(),
                    expected: "booleans (or \"true\"/\"false\")".into(),
                    found: format!("the string {s:?} at row {row}"),
                }),
            })
            .collect();
    }
    Err(type_error(frame, col, "a boolean column"))
}

/// A period column as decimal years.
pub(crate) struct Periods {
    pub kind: PeriodKind,
    /// Decimal years; `NaN` where the period is missing.
    pub years: Vec<f64>,
}

/// Read a period column: integer years, float years, dates or datetimes.
pub(crate) fn periods(col: &Column, frame: Frame) -> Result<Periods> {
    let dtype = col.dtype().clone();
    if dtype.is_integer() {
        let cast = col.cast(&DataType::Int64)?;
        let years = cast
            .i64()?
            .iter()
            .map(|v| v.map_or(f64::NAN, year_f64))
            .collect();
        return Ok(Periods {
            kind: PeriodKind::Year,
            years,
        });
    }
    if dtype.is_float() {
        let cast = col.cast(&DataType::Float64)?;
        let years: Vec<f64> = cast.f64()?.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
        let whole = years.iter().all(|y| y.is_nan() || y.fract() == 0.0);
        return Ok(Periods {
            kind: if whole {
                PeriodKind::Year
            } else {
                PeriodKind::Decimal
            },
            years,
        });
    }
    if matches!(dtype, DataType::Date | DataType::Datetime(_, _)) {
        let as_date = col.cast(&DataType::Date)?;
        let days = as_date.cast(&DataType::Int32)?;
        let years = days
            .i32()?
            .iter()
            .map(|d| d.map_or(f64::NAN, decimal_year_from_days))
            .collect();
        return Ok(Periods {
            kind: PeriodKind::Date,
            years,
        });
    }
    Err(type_error(
        frame,
        col,
        "integer years, float years, dates or datetimes",
    ))
}
