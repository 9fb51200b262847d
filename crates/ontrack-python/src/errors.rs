//! One Python exception class per [`ontrack::OntrackError`] variant, all under
//! `OntrackError(ValueError)`.

use ontrack::OntrackError as E;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

create_exception!(
    _ontrack,
    OntrackError,
    PyValueError,
    "Base class of every ontrack error; also a ValueError."
);
create_exception!(
    _ontrack,
    MissingColumnError,
    OntrackError,
    "A required column is absent."
);
create_exception!(
    _ontrack,
    ColumnTypeError,
    OntrackError,
    "A column has a type that cannot be used."
);
create_exception!(
    _ontrack,
    NullValueError,
    OntrackError,
    "A value that must be present is null."
);
create_exception!(
    _ontrack,
    DuplicateObservationError,
    OntrackError,
    "Two observations for the same series and period."
);
create_exception!(
    _ontrack,
    TargetError,
    OntrackError,
    "A target row is invalid."
);
create_exception!(
    _ontrack,
    DuplicateTargetError,
    TargetError,
    "Two targets share an id."
);
create_exception!(
    _ontrack,
    OptionError,
    OntrackError,
    "An option has an invalid value."
);
create_exception!(
    _ontrack,
    PlanError,
    OntrackError,
    "A plan file is malformed (the message gives file, line, column and target id)."
);
create_exception!(
    _ontrack,
    EngineError,
    OntrackError,
    "The polars engine reported an error."
);

/// Convert a Rust error into the matching Python exception.
pub(crate) fn to_py(err: E) -> PyErr {
    let msg = err.to_string();
    match err {
        E::MissingColumn { .. } => MissingColumnError::new_err(msg),
        E::ColumnType { .. } => ColumnTypeError::new_err(msg),
        E::NullValue { .. } => NullValueError::new_err(msg),
        E::DuplicateObservation { .. } => DuplicateObservationError::new_err(msg),
        E::InvalidTarget { .. } => TargetError::new_err(msg),
        E::DuplicateTarget { .. } => DuplicateTargetError::new_err(msg),
        E::InvalidOption { .. } => OptionError::new_err(msg),
        E::Plan { .. } => PlanError::new_err(msg),
        E::Polars(_) => EngineError::new_err(msg),
        // Only a raised signal handler or progress callable stops a call from Python, and
        // that exception is raised instead; a stop from elsewhere reads as an interrupt.
        E::Interrupted { .. } => pyo3::exceptions::PyKeyboardInterrupt::new_err(msg),
    }
}

/// Add the exception classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("OntrackError", py.get_type::<OntrackError>())?;
    m.add("MissingColumnError", py.get_type::<MissingColumnError>())?;
    m.add("ColumnTypeError", py.get_type::<ColumnTypeError>())?;
    m.add("NullValueError", py.get_type::<NullValueError>())?;
    m.add(
        "DuplicateObservationError",
        py.get_type::<DuplicateObservationError>(),
    )?;
    m.add("TargetError", py.get_type::<TargetError>())?;
    m.add(
        "DuplicateTargetError",
        py.get_type::<DuplicateTargetError>(),
    )?;
    m.add("OptionError", py.get_type::<OptionError>())?;
    m.add("PlanError", py.get_type::<PlanError>())?;
    m.add("EngineError", py.get_type::<EngineError>())?;
    Ok(())
}
