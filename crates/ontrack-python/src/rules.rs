//! The rules Python reads from the Rust core rather than writing them again: the statuses,
//! the names of methods and options' values, the naming of interval columns, the keys of
//! each result and the unit table.

use ontrack::schema::{self, ResultKind};
use ontrack::units::{self, Unit};
use pyo3::prelude::*;

use crate::errors;

/// The unified statuses, best first (`ontrack_kernels::Status::ALL`).
#[pyfunction]
pub(crate) fn statuses() -> Vec<&'static str> {
    ontrack::Status::ALL.map(ontrack::Status::as_str).to_vec()
}

/// The names of the named methods `assess` accepts.
#[pyfunction]
pub(crate) fn method_names() -> Vec<&'static str> {
    ontrack::Method::NAMES.to_vec()
}

/// The accepted values of the options that take a name, by option: `projection` (the
/// projection methods), `baseline_policy` and `how` (the rollup rules).
#[pyfunction]
pub(crate) fn option_names() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        (
            "projection",
            ontrack::kernels::projection::Method::ALL
                .iter()
                .map(|m| m.as_str())
                .collect(),
        ),
        (
            "baseline_policy",
            ontrack::BaselinePolicy::ALL.map(|p| p.as_str()).to_vec(),
        ),
        ("how", ontrack::RollupHow::NAMES.to_vec()),
    ]
}

/// The interval columns of a projection at `level` (`("lower_80", "upper_80")` for 0.8).
#[pyfunction]
pub(crate) fn interval_columns(level: f64) -> (String, String) {
    let [lower, upper] = schema::interval_columns(level);
    (lower, upper)
}

/// The level of an interval column and whether it is the upper end; `None` for any other
/// column.
#[pyfunction]
pub(crate) fn interval_level(column: &str) -> Option<(f64, bool)> {
    schema::interval_level(column)
}

/// The columns that identify a row of the result of `operation` (`assess`,
/// `compare_methods`, `sensitivity`, `project`, `rollup`) for these options.
#[pyfunction]
#[pyo3(signature = (operation, *, indicator, year, by))]
pub(crate) fn result_keys(
    operation: &str,
    indicator: &str,
    year: &str,
    by: Vec<String>,
) -> PyResult<Vec<String>> {
    let kind = ResultKind::parse(operation).map_err(errors::to_py)?;
    Ok(schema::result_keys(kind, indicator, year, &by))
}

/// The series keys of a result of `operation` with these columns: the columns before its
/// first other key column (`target_id`, `method`, or the period of a projection).
#[pyfunction]
#[pyo3(signature = (operation, columns, *, year))]
pub(crate) fn series_keys(
    operation: &str,
    columns: Vec<String>,
    year: &str,
) -> PyResult<Vec<String>> {
    let kind = ResultKind::parse(operation).map_err(errors::to_py)?;
    Ok(schema::series_keys(kind, &columns, year))
}

/// One unit as `(name, dimension, scale, english)`.
type UnitRow = (&'static str, &'static str, f64, &'static str);

fn unit_row(unit: Unit) -> UnitRow {
    (unit.name, unit.dimension.as_str(), unit.scale, unit.english)
}

/// The unit table: `(spelling, (name, dimension, scale, english))` per spelling.
#[pyfunction]
pub(crate) fn unit_table() -> Vec<(&'static str, UnitRow)> {
    units::UNITS
        .iter()
        .map(|(spelling, unit)| (*spelling, unit_row(*unit)))
        .collect()
}

/// The unit a label names (trimmed, English case-insensitive, `… (亿元)` read inside the
/// parentheses), as `(name, dimension, scale, english)`; `None` for an unknown label.
#[pyfunction]
pub(crate) fn lookup_unit(label: &str) -> Option<UnitRow> {
    units::lookup_unit(label).map(unit_row)
}

/// Whether values in unit `a` can be compared with values in unit `b` (both known).
#[pyfunction]
pub(crate) fn units_comparable(a: &str, b: &str) -> Option<bool> {
    Some(units::lookup_unit(a)?.comparable(&units::lookup_unit(b)?))
}

/// Register the functions of this module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(statuses, m)?)?;
    m.add_function(wrap_pyfunction!(method_names, m)?)?;
    m.add_function(wrap_pyfunction!(option_names, m)?)?;
    m.add_function(wrap_pyfunction!(interval_columns, m)?)?;
    m.add_function(wrap_pyfunction!(interval_level, m)?)?;
    m.add_function(wrap_pyfunction!(result_keys, m)?)?;
    m.add_function(wrap_pyfunction!(series_keys, m)?)?;
    m.add_function(wrap_pyfunction!(unit_table, m)?)?;
    m.add_function(wrap_pyfunction!(lookup_unit, m)?)?;
    m.add_function(wrap_pyfunction!(units_comparable, m)?)?;
    Ok(())
}
