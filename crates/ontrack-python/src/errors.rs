//! Raising [`ontrack::OntrackError`] as the Python exception classes of `ontrack.errors`.
//!
//! The classes are defined once, in Python (`python/ontrack/errors.py`): an argument of the
//! wrong type must be both an `OntrackError` and a `TypeError`, which needs multiple
//! inheritance, and plain Python classes pickle by reference. This module picks the class of
//! each error variant by name and passes the message and the structured attributes of
//! [`ontrack::ErrorContext`] as keyword arguments.

use ontrack::{ErrorContext, OntrackError as E};
use pyo3::exceptions::{PyAttributeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The module defining the exception classes.
const MODULE: &str = "ontrack.errors";

/// The Python class names, re-exported by the native module (for code importing them from
/// `ontrack._ontrack`).
const CLASSES: [&str; 11] = [
    "OntrackError",
    "MissingColumnError",
    "ColumnTypeError",
    "NullValueError",
    "DuplicateObservationError",
    "TargetError",
    "DuplicateTargetError",
    "OptionError",
    "ArgumentTypeError",
    "PlanError",
    "EngineError",
];

/// The Python class of an error, by the variant's [`ontrack::OntrackError::kind`].
pub(crate) fn class_name(kind: &str) -> &'static str {
    match kind {
        "MissingColumn" => "MissingColumnError",
        "ColumnType" => "ColumnTypeError",
        "NullValue" => "NullValueError",
        "DuplicateObservation" => "DuplicateObservationError",
        "InvalidTarget" => "TargetError",
        "DuplicateTarget" => "DuplicateTargetError",
        "InvalidOption" => "OptionError",
        "Plan" => "PlanError",
        "Engine" => "EngineError",
        _ => "OntrackError",
    }
}

/// The structured attributes as keyword arguments.
fn kwargs<'py>(py: Python<'py>, ctx: &ErrorContext) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("column", ctx.column.as_deref())?;
    d.set_item("row", ctx.row)?;
    d.set_item("series", ctx.series.as_deref())?;
    d.set_item("target_id", ctx.target_id.as_deref())?;
    d.set_item("option", ctx.option.as_deref())?;
    d.set_item("file", ctx.file.as_deref())?;
    d.set_item("line", ctx.line)?;
    d.set_item("col", ctx.col)?;
    d.set_item("sheet", ctx.sheet.as_deref())?;
    d.set_item("bucket", ctx.bucket)?;
    Ok(d)
}

/// Build the Python exception of an error.
fn build(py: Python<'_>, err: &E) -> PyResult<PyErr> {
    let cls = py.import(MODULE)?.getattr(class_name(err.kind()))?;
    let instance = cls.call((err.to_string(),), Some(&kwargs(py, &err.context())?))?;
    Ok(PyErr::from_value(instance))
}

/// Convert a Rust error into the matching Python exception.
pub(crate) fn to_py(err: E) -> PyErr {
    if let E::Interrupted { .. } = err {
        // Only a raised signal handler or progress callable stops a call from Python, and
        // that exception is raised instead; a stop from elsewhere reads as an interrupt.
        return pyo3::exceptions::PyKeyboardInterrupt::new_err(err.to_string());
    }
    Python::attach(|py| {
        build(py, &err).unwrap_or_else(|import_failed| {
            // Only when `ontrack.errors` cannot be imported (a broken installation): keep the
            // message and say why the class is missing.
            let e = PyValueError::new_err(err.to_string());
            e.set_cause(py, Some(import_failed));
            e
        })
    })
}

/// The module's `__getattr__` (PEP 562): an exception class, imported from `ontrack.errors`
/// when first asked for.
#[pyfunction]
#[pyo3(name = "__getattr__")]
fn module_getattr(py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
    if CLASSES.contains(&name) {
        return Ok(py.import(MODULE)?.getattr(name)?.unbind());
    }
    Err(PyAttributeError::new_err(format!(
        "module 'ontrack._ontrack' has no attribute {name:?}"
    )))
}

/// Register the attribute names of the errors (`ERROR_ATTRIBUTES`, the one list of them:
/// `ontrack.errors.ATTRIBUTES` reads it), the error kinds with their classes, and the classes.
///
/// The classes are re-exported lazily, through the module's `__getattr__`: `ontrack.errors`
/// imports this module for `ERROR_ATTRIBUTES`, so importing it back while this module
/// initialises would be circular.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.setattr("__getattr__", wrap_pyfunction!(module_getattr, m)?)?;
    let all = m.index()?;
    for name in CLASSES {
        all.append(name)?;
    }
    m.add("ERROR_ATTRIBUTES", ErrorContext::FIELDS.to_vec())?;
    m.add(
        "ERROR_CLASSES",
        E::KINDS
            .iter()
            .map(|kind| (*kind, class_name(kind)))
            .collect::<Vec<_>>(),
    )?;
    Ok(())
}
