//! Polars expression plugins: achieved and required CAGR, progress and time elapsed per group.
//!
//! Each plugin takes the value and period columns of one group (a whole column in `select`,
//! a group in `group_by().agg()` or a window in `over()`), sorts the non-missing points by
//! period, takes the first as the baseline and the last as the latest point, and returns one
//! value — the same quantities `assess` reports with its default baseline policy. The logic
//! is in plain functions so Rust tests can call it; `#[polars_expr]` only wraps them.
#![allow(unsafe_code)] // `#[polars_expr]` generates the `extern "C"` entry points polars calls.

use ontrack::kernels::growth::{
    cagr, progress as progress_of, time_elapsed as time_elapsed_of, Point,
};
use polars::prelude::*;
use pyo3_polars::derive::polars_expr;
use serde::Deserialize;

/// The non-missing (period, value) points of a group, sorted by period.
pub(crate) fn points(inputs: &[Series]) -> PolarsResult<Vec<Point>> {
    let (Some(value), Some(year)) = (inputs.first(), inputs.get(1)) else {
        polars_bail!(ComputeError: "expected two inputs: value and year");
    };
    // Strict, like `assess`: text or other non-numbers raise instead of becoming nulls.
    if !(value.dtype().is_numeric() || matches!(value.dtype(), DataType::Null)) {
        polars_bail!(InvalidOperation: "ColumnTypeError: value input {:?} has type {}; expected a number", value.name(), value.dtype());
    }
    let year_ok = year.dtype().is_numeric()
        || matches!(year.dtype(), DataType::Null)
        || matches!(year.dtype(), DataType::Date | DataType::Datetime(_, _));
    if !year_ok {
        polars_bail!(InvalidOperation: "ColumnTypeError: period input {:?} has type {}; expected years (numbers) or dates", year.name(), year.dtype());
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cagr_sorts_and_skips_missing() {
        let value = Series::new("v".into(), [Some(60.0), None, Some(50.0)]);
        let year = Series::new("y".into(), [2020i64, 2017, 2015]);
        let out = cagr_impl(&[value, year]).unwrap();
        let g = out.f64().unwrap().get(0).unwrap();
        assert!((g - 0.037_137_289_3).abs() < 1e-10);
    }

    #[test]
    fn degenerate_groups_give_null_not_panic() {
        let value = Series::new("v".into(), [Some(5.0)]);
        let year = Series::new("y".into(), [2015i64]);
        let kw = TargetKwargs {
            target: Some(5.0),
            target_year: Some(2015.0),
        };
        assert_eq!(
            cagr_impl(&[value.clone(), year.clone()])
                .unwrap()
                .f64()
                .unwrap()
                .get(0),
            None
        );
        assert_eq!(
            progress_impl(&[value.clone(), year.clone()], &kw)
                .unwrap()
                .f64()
                .unwrap()
                .get(0),
            None
        );
        assert_eq!(
            time_elapsed_impl(&[value, year], &kw)
                .unwrap()
                .f64()
                .unwrap()
                .get(0),
            None
        );
        assert!(cagr_impl(&[]).is_err());
    }
}
