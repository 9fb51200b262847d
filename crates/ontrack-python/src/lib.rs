//! Python bindings of ontrack: conversions between Python and the Rust crate, nothing more.
//!
//! The typed public API lives in `python/ontrack/`; this module (`ontrack._ontrack`) is private.
//! Every [`ontrack::OntrackError`] variant maps to its own Python exception class under
//! `OntrackError`, which is also a `ValueError`.

mod errors;
mod plugins;

use ontrack::{AssessOptions, BaselinePolicy};
use pyo3::prelude::*;
use pyo3_polars::{PolarsAllocator, PyDataFrame};

#[global_allocator]
static ALLOC: PolarsAllocator = PolarsAllocator::new();

/// Build [`AssessOptions`] from the keyword arguments of `ontrack.assess`.
#[allow(clippy::too_many_arguments)]
fn assess_options(
    methods: Vec<String>,
    by: Vec<String>,
    indicator: String,
    year: String,
    value: String,
    base_year: Option<f64>,
    baseline_policy: &str,
    as_of: Option<f64>,
    scale: Option<String>,
    include_untargeted: bool,
    trend_alpha: f64,
) -> ontrack::Result<AssessOptions> {
    let mut opts = AssessOptions::default()
        .with_columns(&indicator, &year, &value)
        .with_by(by)
        .with_methods(methods)?;
    opts.base_year = base_year;
    opts.baseline_policy = BaselinePolicy::parse(baseline_policy)?;
    opts.as_of = as_of;
    opts.scale = scale;
    opts.include_untargeted = include_untargeted;
    opts.trend_alpha = trend_alpha;
    Ok(opts)
}

/// Assess observations against targets (see `ontrack.assess`).
#[pyfunction]
#[pyo3(signature = (
    observations, targets, *, methods, by, indicator, year, value, base_year=None,
    baseline_policy="first_at_or_after", as_of=None, scale=None, include_untargeted=true,
    trend_alpha=0.05
))]
#[allow(clippy::too_many_arguments)]
fn assess(
    py: Python<'_>,
    observations: PyDataFrame,
    targets: PyDataFrame,
    methods: Vec<String>,
    by: Vec<String>,
    indicator: String,
    year: String,
    value: String,
    base_year: Option<f64>,
    baseline_policy: &str,
    as_of: Option<f64>,
    scale: Option<String>,
    include_untargeted: bool,
    trend_alpha: f64,
) -> PyResult<PyDataFrame> {
    let opts = assess_options(
        methods,
        by,
        indicator,
        year,
        value,
        base_year,
        baseline_policy,
        as_of,
        scale,
        include_untargeted,
        trend_alpha,
    )
    .map_err(errors::to_py)?;
    let (obs, tgt) = (observations.0, targets.0);
    let out = py
        .detach(|| ontrack::assess(&obs, &tgt, &opts))
        .map_err(errors::to_py)?;
    Ok(PyDataFrame(out))
}

/// The names of the named methods `assess` accepts.
#[pyfunction]
fn method_names() -> Vec<&'static str> {
    ontrack::Method::NAMES.to_vec()
}

/// The native module `ontrack._ontrack`.
#[pymodule]
fn _ontrack(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assess, m)?)?;
    m.add_function(wrap_pyfunction!(method_names, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("POLARS_CRATE_VERSION", "0.55.2")?;
    errors::register(m)?;
    Ok(())
}
