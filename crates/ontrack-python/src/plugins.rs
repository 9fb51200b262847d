//! Polars expression plugins: achieved and required CAGR, progress and time elapsed per group.
//!
//! Each plugin takes the value and period columns of one group (a whole column in `select`,
//! a group in `group_by().agg()` or a window in `over()`), sorts the non-missing points by
//! period, takes the first as the baseline and the last as the latest point, and returns one
//! value — the same quantities `assess` reports with its default baseline policy. The logic
//! is in plain functions so Rust tests can call it; `#[polars_expr]` only wraps them.
//!
//! The type rule of the inputs is [`input_type_error`], used twice: by the plugins (a polars
//! error, which reaches Python as text) and, before they run, by
//! [`check_expression_input`], which the Python wrappers call on each input so that a column
//! of the wrong type raises `ontrack.ColumnTypeError` naming it.
#![allow(unsafe_code)] // `#[polars_expr]` generates the `extern "C"` entry points polars calls.

use ontrack::kernels::growth::{
    cagr, progress as progress_of, time_elapsed as time_elapsed_of, Point,
};
use ontrack::{Frame, OntrackError};
use polars::prelude::*;
use pyo3::prelude::*;
use pyo3_polars::derive::polars_expr;
use pyo3_polars::PySeries;
use serde::Deserialize;

/// The two inputs of every expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Input {
    /// The observed values: numbers.
    Value,
    /// The periods: years (numbers) or dates.
    Period,
}

impl Input {
    /// The input of that name (`"value"` or `"period"`).
    fn parse(name: &str) -> Option<Self> {
        match name {
            "value" => Some(Self::Value),
            "period" => Some(Self::Period),
            _ => None,
        }
    }

    /// Whether a column of this type can be the input: strict, like `assess` (text or other
    /// non-numbers raise instead of becoming nulls); an all-null column is accepted.
    fn accepts(self, dtype: &DataType) -> bool {
        dtype.is_numeric()
            || matches!(dtype, DataType::Null)
            || (self == Self::Period && matches!(dtype, DataType::Date | DataType::Datetime(_, _)))
    }

    fn expected(self) -> &'static str {
        match self {
            Self::Value => "a number",
            Self::Period => "years (numbers) or dates",
        }
    }
}

/// The error of an input whose type cannot be used, naming its column; `None` when it can.
pub(crate) fn input_type_error(input: Input, series: &Series) -> Option<OntrackError> {
    (!input.accepts(series.dtype())).then(|| OntrackError::ColumnType {
        frame: Frame::Observations,
        column: series.name().to_string(),
        expected: input.expected().to_string(),
        found: series.dtype().to_string(),
    })
}

/// Raise `ColumnTypeError` (its `column` set) when `series` cannot be the `role` input
/// (`"value"` or `"period"`) of the expressions. Only the type is read: pass an empty slice.
#[pyfunction]
pub(crate) fn check_expression_input(role: &str, series: PySeries) -> PyResult<()> {
    let error = match Input::parse(role) {
        Some(input) => input_type_error(input, &series.0),
        None => Some(OntrackError::InvalidOption {
            option: "role".to_string(),
            message: format!("unknown expression input {role:?}; expected \"value\" or \"period\""),
        }),
    };
    error.map_or(Ok(()), |e| Err(crate::errors::to_py(e)))
}

/// The non-missing (period, value) points of a group, sorted by period.
pub(crate) fn points(inputs: &[Series]) -> PolarsResult<Vec<Point>> {
    let (Some(value), Some(year)) = (inputs.first(), inputs.get(1)) else {
        polars_bail!(ComputeError: "expected two inputs: value and year");
    };
    for (input, series) in [(Input::Value, value), (Input::Period, year)] {
        if let Some(error) = input_type_error(input, series) {
            polars_bail!(InvalidOperation: "ColumnTypeError: {error}");
        }
    }
    let value = value.strict_cast(&DataType::Float64)?;
    let year = match year.dtype() {
        DataType::Date | DataType::Datetime(_, _) => {
            // Dates become decimal years by the crate's own calendar rule, as in `assess`.
            let days = year.cast(&DataType::Date)?.cast(&DataType::Int32)?;
            let decimal: Float64Chunked = days
                .i32()?
                .iter()
                .map(|d| d.map(ontrack::decimal_year_from_days))
                .collect();
            decimal.with_name(year.name().clone()).into_series()
        }
        _ => year.strict_cast(&DataType::Float64)?,
    };
    let mut pts: Vec<Point> = value
        .f64()?
        .iter()
        .zip(year.f64()?.iter())
        .filter_map(|(v, y)| match (v, y) {
            (Some(v), Some(y)) if v.is_finite() && y.is_finite() => Some(Point::new(y, v)),
            _ => None,
        })
        .collect();
    pts.sort_by(|a, b| a.year.total_cmp(&b.year));
    Ok(pts)
}

fn scalar(name: &str, v: Option<f64>) -> Series {
    Series::new(name.into(), [v.filter(|x| x.is_finite())])
}

fn ends(inputs: &[Series]) -> PolarsResult<Option<(Point, Point)>> {
    let pts = points(inputs)?;
    Ok(pts.first().copied().zip(pts.last().copied()))
}

/// Keyword arguments carrying a target.
#[derive(Deserialize)]
pub(crate) struct TargetKwargs {
    target: Option<f64>,
    target_year: Option<f64>,
}

/// Achieved CAGR from the first to the last point.
pub(crate) fn cagr_impl(inputs: &[Series]) -> PolarsResult<Series> {
    let v = ends(inputs)?.and_then(|(b, l)| cagr(b, l));
    Ok(scalar("cagr", v))
}

/// Required CAGR from the first point to the target.
pub(crate) fn required_cagr_impl(inputs: &[Series], kw: &TargetKwargs) -> PolarsResult<Series> {
    let v = match (ends(inputs)?, kw.target, kw.target_year) {
        (Some((b, _)), Some(t), Some(ty)) => cagr(b, Point::new(ty, t)),
        _ => None,
    };
    Ok(scalar("required_cagr", v))
}

/// Progress `(y_t - y_b)/(y* - y_b)`.
pub(crate) fn progress_impl(inputs: &[Series], kw: &TargetKwargs) -> PolarsResult<Series> {
    let v = match (ends(inputs)?, kw.target) {
        (Some((b, l)), Some(t)) => progress_of(b.value, l.value, t),
        _ => None,
    };
    Ok(scalar("progress", v))
}

/// Time elapsed `(t - b)/(T - b)`.
pub(crate) fn time_elapsed_impl(inputs: &[Series], kw: &TargetKwargs) -> PolarsResult<Series> {
    let v = match (ends(inputs)?, kw.target_year) {
        (Some((b, l)), Some(ty)) => time_elapsed_of(b.year, l.year, ty),
        _ => None,
    };
    Ok(scalar("time_elapsed", v))
}

#[polars_expr(output_type=Float64)]
fn cagr_expr(inputs: &[Series]) -> PolarsResult<Series> {
    cagr_impl(inputs)
}

#[polars_expr(output_type=Float64)]
fn required_cagr_expr(inputs: &[Series], kwargs: TargetKwargs) -> PolarsResult<Series> {
    required_cagr_impl(inputs, &kwargs)
}

#[polars_expr(output_type=Float64)]
fn progress_expr(inputs: &[Series], kwargs: TargetKwargs) -> PolarsResult<Series> {
    progress_impl(inputs, &kwargs)
}

#[polars_expr(output_type=Float64)]
fn time_elapsed_expr(inputs: &[Series], kwargs: TargetKwargs) -> PolarsResult<Series> {
    time_elapsed_impl(inputs, &kwargs)
}
