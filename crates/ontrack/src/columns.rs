//! Reading input columns with precise errors: which frame, which column, which row.

use polars::prelude::*;

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

/// How periods are expressed, so results can report them in the same type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// Integer years.
    Year,
    /// Calendar dates (computed on decimal years).
    Date,
    /// Fractional years given as floats.
    Decimal,
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
            .map(|v| v.map_or(f64::NAN, |y| y as f64))
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

/// Civil date (year, month, day) from days since 1970-01-01 (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A date (days since 1970-01-01) as a decimal year: `year + (day of year - 1)/(days in
/// year)`, the calendar rule every period of ontrack follows (2020-07-01 is 2020.4945…, the
/// 182nd of 366 days). The expression plugins use it too, so that a growth rate between two
/// dates is the same in an expression and in [`crate::assess`].
///
/// ```
/// assert_eq!(ontrack::decimal_year_from_days(0), 1970.0);
/// assert_eq!(ontrack::decimal_year_from_days(18_262), 2020.0); // 2020-01-01
/// ```
#[must_use]
pub fn decimal_year_from_days(days: i32) -> f64 {
    let (y, _, _) = civil_from_days(i64::from(days));
    let start = days_from_civil(y, 1, 1);
    let next = days_from_civil(y + 1, 1, 1);
    y as f64 + (i64::from(days) - start) as f64 / (next - start) as f64
}

/// The inverse of [`decimal_year_from_days`], rounded to the nearest day.
pub(crate) fn days_from_decimal_year(year: f64) -> i32 {
    let y = year.floor();
    let start = days_from_civil(y as i64, 1, 1);
    let next = days_from_civil(y as i64 + 1, 1, 1);
    let days = start as f64 + (year - y) * (next - start) as f64;
    days.round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_decimal_years() {
        for days in [-800, 0, 59, 365, 10_957, 18_000, 20_000] {
            assert_eq!(days_from_decimal_year(decimal_year_from_days(days)), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert!((decimal_year_from_days(days_from_civil(2020, 7, 2) as i32) - 2020.5).abs() < 1e-2);
    }
}
