//! Python bindings of ontrack: conversions between Python and the Rust crate, nothing more.
//!
//! The typed public API lives in `python/ontrack/`; this module (`ontrack._ontrack`) is private.
//! Every [`ontrack::OntrackError`] variant maps to its own Python exception class under
//! `OntrackError`, which is also a `ValueError`.

mod errors;
mod observe;
mod options;
mod plugins;
mod rules;

use ontrack::polars::prelude::DataFrame;
use ontrack::schema::{output_schema, Operation};
use ontrack::AssessOptions;
use options::Options;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3_polars::{PolarsAllocator, PyDataFrame};

#[global_allocator]
static ALLOC: PolarsAllocator = PolarsAllocator::new();

/// An empty frame with the schema `operation` gives for frames of these schemas (see
/// `ontrack::schema::output_schema`).
fn schema_of(
    py: Python<'_>,
    operation: Operation<'_>,
    observations: &DataFrame,
    targets: &DataFrame,
) -> PyResult<PyDataFrame> {
    let schema = py
        .detach(|| output_schema(operation, observations.schema(), targets.schema()))
        .map_err(errors::to_py)?;
    Ok(PyDataFrame(DataFrame::empty_with_schema(&schema)))
}

/// Which assessment [`run_assessment`] runs.
#[derive(Clone, Copy)]
enum Assessment {
    Assess,
    CompareMethods,
}

/// Read the options of `assess` or `compare_methods` over their defaults and run it (or
/// give its schema).
fn run_assessment(
    py: Python<'_>,
    which: Assessment,
    observations: PyDataFrame,
    targets: PyDataFrame,
    schema_only: bool,
    progress: Option<Py<PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDataFrame> {
    let mut opts = match which {
        Assessment::Assess => AssessOptions::default(),
        Assessment::CompareMethods => ontrack::compare_defaults(),
    };
    let options = Options::new(py, kwargs)?;
    options::read_assess(&options, &mut opts)?;
    options.finish()?;
    let (obs, tgt) = (observations.0, targets.0);
    if schema_only {
        let operation = match which {
            Assessment::Assess => Operation::Assess(&opts),
            Assessment::CompareMethods => Operation::CompareMethods(&opts),
        };
        return schema_of(py, operation, &obs, &tgt);
    }
    let out = observe::run_observed(py, progress, |observer| {
        let opts = AssessOptions {
            progress: Some(observer),
            ..opts
        };
        match which {
            Assessment::Assess => ontrack::assess(&obs, &tgt, &opts),
            Assessment::CompareMethods => ontrack::compare_methods(&obs, &tgt, &opts),
        }
    })?;
    Ok(PyDataFrame(out))
}

/// Assess observations against targets (see `ontrack.assess`); options not given keep the
/// Rust defaults (see `defaults()`).
#[pyfunction]
#[pyo3(signature = (observations, targets, *, schema_only=false, progress=None, **options))]
fn assess(
    py: Python<'_>,
    observations: PyDataFrame,
    targets: PyDataFrame,
    schema_only: bool,
    progress: Option<Py<PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDataFrame> {
    let which = Assessment::Assess;
    run_assessment(
        py,
        which,
        observations,
        targets,
        schema_only,
        progress,
        options,
    )
}

/// Assess by several methods side by side (see `ontrack.compare_methods`).
#[pyfunction]
#[pyo3(signature = (observations, targets, *, schema_only=false, progress=None, **options))]
fn compare_methods(
    py: Python<'_>,
    observations: PyDataFrame,
    targets: PyDataFrame,
    schema_only: bool,
    progress: Option<Py<PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDataFrame> {
    let which = Assessment::CompareMethods;
    run_assessment(
        py,
        which,
        observations,
        targets,
        schema_only,
        progress,
        options,
    )
}

/// How robust each status is (see `ontrack.sensitivity`).
#[pyfunction]
#[pyo3(signature = (observations, targets, *, progress=None, **options))]
fn sensitivity(
    py: Python<'_>,
    observations: PyDataFrame,
    targets: PyDataFrame,
    progress: Option<Py<PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDataFrame> {
    let mut opts = ontrack::SensitivityOptions::default();
    let reader = Options::new(py, options)?;
    options::read_assess(&reader, &mut opts.assess)?;
    reader.optional("base_years", &mut opts.base_years)?;
    reader.finish()?;
    let (obs, tgt) = (observations.0, targets.0);
    let out = observe::run_observed(py, progress, |observer| {
        let mut opts = opts;
        opts.assess.progress = Some(observer);
        ontrack::sensitivity(&obs, &tgt, &opts)
    })?;
    Ok(PyDataFrame(out))
}

/// Project every series (see `ontrack.project`).
#[pyfunction]
#[pyo3(signature = (observations, *, schema_only=false, progress=None, **options))]
fn project(
    py: Python<'_>,
    observations: PyDataFrame,
    schema_only: bool,
    progress: Option<Py<PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDataFrame> {
    let reader = Options::new(py, options)?;
    let opts = options::read_project(&reader)?;
    reader.finish()?;
    let obs = observations.0;
    if schema_only {
        return schema_of(py, Operation::Project(&opts), &obs, &DataFrame::empty());
    }
    let out = observe::run_observed(py, progress, |observer| {
        let mut opts = opts;
        opts.columns.progress = Some(observer);
        ontrack::project(&obs, &opts)
    })?;
    Ok(PyDataFrame(out))
}

/// Read a plan file: (targets frame, plan metadata as JSON, groups as JSON, unit columns).
#[pyfunction]
fn read_plan(
    py: Python<'_>,
    path: std::path::PathBuf,
) -> PyResult<(PyDataFrame, String, String, Vec<String>)> {
    let loaded = py.detach(|| -> ontrack::Result<_> {
        let plan = ontrack::read_plan(&path)?;
        let frame = plan.targets_frame()?;
        let meta = serde_json::to_string(&plan.meta).map_err(|e| {
            ontrack::OntrackError::InvalidOption {
                option: "plan".into(),
                message: e.to_string(),
            }
        })?;
        let groups = serde_json::to_string(&plan.groups).map_err(|e| {
            ontrack::OntrackError::InvalidOption {
                option: "plan".into(),
                message: e.to_string(),
            }
        })?;
        Ok((frame, meta, groups, plan.unit_columns()))
    });
    let (frame, meta, groups, units) = loaded.map_err(errors::to_py)?;
    Ok((PyDataFrame(frame), meta, groups, units))
}

/// Every problem of a plan file, as `file:line:col: target "id": ...` lines; empty when the
/// plan is valid (see `ontrack check`).
#[pyfunction]
fn check_plan(py: Python<'_>, path: std::path::PathBuf) -> Vec<String> {
    py.detach(|| {
        ontrack::plan::check_plan_file(&path)
            .iter()
            .map(ToString::to_string)
            .collect()
    })
}

/// Every named method with its published parameters as a JSON object (see `ontrack methods`).
#[pyfunction]
fn method_parameters() -> PyResult<Vec<(&'static str, String)>> {
    use ontrack::Method as M;
    let mut out = Vec::new();
    for name in M::NAMES {
        let Some(method) = M::from_name(name) else {
            continue;
        };
        let json = match &method {
            M::OpenSdg(p) => serde_json::to_string(p),
            M::Unsd2022(p) => serde_json::to_string(p),
            M::Unsd2023(p) => serde_json::to_string(p),
            M::Eurostat(p) => serde_json::to_string(p),
            M::Escap(p) => serde_json::to_string(p),
            M::Sdsn(p) => serde_json::to_string(p),
            M::Destatis(p) => serde_json::to_string(p),
            M::WhoAroc(p) => serde_json::to_string(p),
            M::ChinaPlan(p) => serde_json::to_string(p),
        }
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        out.push((name, json));
    }
    Ok(out)
}

/// Roll an assessment result up to groups (see `ontrack.rollup`).
#[pyfunction]
#[pyo3(signature = (result, *, schema_only=false, **options))]
fn rollup(
    py: Python<'_>,
    result: PyDataFrame,
    schema_only: bool,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyDataFrame> {
    let reader = Options::new(py, options)?;
    let opts = options::read_rollup(&reader)?;
    reader.finish()?;
    let frame = result.0;
    if schema_only {
        return schema_of(py, Operation::Rollup(&opts), &frame, &DataFrame::empty());
    }
    let out = py
        .detach(|| ontrack::rollup(&frame, &opts))
        .map_err(errors::to_py)?;
    Ok(PyDataFrame(out))
}

/// Set (`n`) or clear (`None`) the process-wide number of threads (see `ontrack.set_threads`).
#[pyfunction]
#[pyo3(signature = (n))]
fn set_threads(n: Option<usize>) -> PyResult<()> {
    ontrack::set_threads(n).map_err(errors::to_py)
}

/// The number of threads a call with the `threads` option `requested` runs on.
#[pyfunction]
#[pyo3(signature = (requested=None))]
fn threads(requested: Option<usize>) -> usize {
    ontrack::threads(requested)
}

/// The native module `ontrack._ontrack`.
#[pymodule]
fn _ontrack(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assess, m)?)?;
    m.add_function(wrap_pyfunction!(compare_methods, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(project, m)?)?;
    m.add_function(wrap_pyfunction!(options::defaults, m)?)?;
    m.add_function(wrap_pyfunction!(read_plan, m)?)?;
    m.add_function(wrap_pyfunction!(check_plan, m)?)?;
    m.add_function(wrap_pyfunction!(method_parameters, m)?)?;
    m.add_function(wrap_pyfunction!(rollup, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(threads, m)?)?;
    m.add_function(wrap_pyfunction!(plugins::check_expression_input, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("POLARS_CRATE_VERSION", "0.55.2")?;
    rules::register(m)?;
    errors::register(m)?;
    Ok(())
}
