//! Python bindings of ontrack: conversions between Python and the Rust crate, nothing more.
//!
//! The typed public API lives in `python/ontrack/`; this module (`ontrack._ontrack`) is private.
//! Every [`ontrack::OntrackError`] variant maps to its own Python exception class under
//! `OntrackError`, which is also a `ValueError`.

mod errors;
mod observe;
mod plugins;

use ontrack::polars::prelude::DataFrame;
use ontrack::schema::{output_schema, Operation};
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
    projection: &Projection,
    method_params: Option<&str>,
    threads: Option<usize>,
) -> ontrack::Result<AssessOptions> {
    let mut opts = AssessOptions::default()
        .with_columns(&indicator, &year, &value)
        .with_by(by)
        .with_methods(methods)?;
    if let Some(json) = method_params {
        opts = opts.with_method_params(json)?;
    }
    opts.projection = projection
        .method
        .as_deref()
        .map(ontrack::parse_projection_method)
        .transpose()
        .map_err(|e| match e {
            // The argument is `projection` here (`method` is `project`'s name for it).
            ontrack::OntrackError::InvalidOption { message, .. } => {
                ontrack::OntrackError::InvalidOption {
                    option: "projection".into(),
                    message,
                }
            }
            other => other,
        })?;
    opts.levels.clone_from(&projection.levels);
    opts.on_track_probability = projection.on_track_probability;
    opts.off_track_probability = projection.off_track_probability;
    opts.attainment_horizon = projection.attainment_horizon;
    opts.log_scale = projection.log_scale;
    opts.base_year = base_year;
    opts.baseline_policy = BaselinePolicy::parse(baseline_policy)?;
    opts.as_of = as_of;
    opts.scale = scale;
    opts.include_untargeted = include_untargeted;
    opts.trend_alpha = trend_alpha;
    opts.threads = threads;
    Ok(opts)
}

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

/// Projection settings of `assess`.
struct Projection {
    method: Option<String>,
    levels: Vec<f64>,
    on_track_probability: f64,
    off_track_probability: f64,
    attainment_horizon: f64,
    log_scale: bool,
}

/// Assess observations against targets (see `ontrack.assess`).
#[pyfunction]
#[pyo3(signature = (
    observations, targets, *, methods, by, indicator, year, value, base_year=None,
    baseline_policy="first_at_or_after", as_of=None, scale=None, include_untargeted=true,
    trend_alpha=0.05, projection=Some("auto".to_string()), levels=vec![0.8, 0.95],
    on_track_probability=0.8, off_track_probability=0.2, attainment_horizon=30.0,
    mode="assess", base_years=None, method_params=None, log_scale=false, threads=None,
    include_targets_without_data=true, schema_only=false, progress=None
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
    projection: Option<String>,
    levels: Vec<f64>,
    on_track_probability: f64,
    off_track_probability: f64,
    attainment_horizon: f64,
    mode: &str,
    base_years: Option<Vec<f64>>,
    method_params: Option<String>,
    log_scale: bool,
    threads: Option<usize>,
    include_targets_without_data: bool,
    schema_only: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyDataFrame> {
    let projection = Projection {
        method: projection,
        levels,
        on_track_probability,
        off_track_probability,
        attainment_horizon,
        log_scale,
    };
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
        &projection,
        method_params.as_deref(),
        threads,
    )
    .map_err(errors::to_py)?;
    let opts = AssessOptions {
        include_targets_without_data,
        ..opts
    };
    let (obs, tgt) = (observations.0, targets.0);
    if schema_only {
        let operation = match mode {
            "compare" => Operation::CompareMethods(&opts),
            _ => Operation::Assess(&opts),
        };
        return schema_of(py, operation, &obs, &tgt);
    }
    let out = observe::run_observed(py, progress, |observer| {
        let opts = AssessOptions {
            progress: Some(observer),
            ..opts
        };
        match mode {
            "assess" => ontrack::assess(&obs, &tgt, &opts),
            "compare" => ontrack::compare_methods(&obs, &tgt, &opts),
            "sensitivity" => ontrack::sensitivity(
                &obs,
                &tgt,
                &ontrack::SensitivityOptions {
                    assess: opts,
                    base_years,
                },
            ),
            other => Err(ontrack::OntrackError::InvalidOption {
                option: "mode".into(),
                message: format!("unknown mode {other:?}"),
            }),
        }
    })?;
    Ok(PyDataFrame(out))
}

/// Project every series (see `ontrack.project`).
#[pyfunction]
#[pyo3(signature = (
    observations, *, methods, by, indicator, year, value, until=None, horizon=None,
    levels=vec![0.8, 0.95], lower_bound=None, upper_bound=None, as_of=None, log_scale=false,
    threads=None, schema_only=false, progress=None
))]
#[allow(clippy::too_many_arguments)]
fn project(
    py: Python<'_>,
    observations: PyDataFrame,
    methods: Vec<String>,
    by: Vec<String>,
    indicator: String,
    year: String,
    value: String,
    until: Option<f64>,
    horizon: Option<i64>,
    levels: Vec<f64>,
    lower_bound: Option<f64>,
    upper_bound: Option<f64>,
    as_of: Option<f64>,
    log_scale: bool,
    threads: Option<usize>,
    schema_only: bool,
    progress: Option<Py<PyAny>>,
) -> PyResult<PyDataFrame> {
    let horizon = match (until, horizon) {
        (Some(_), Some(_)) => {
            return Err(errors::to_py(ontrack::OntrackError::InvalidOption {
                option: "until".into(),
                message: "give either until= or horizon=, not both".into(),
            }))
        }
        (Some(u), None) => ontrack::Horizon::Until(u),
        // Out of range either way: the crate's validation says which way, naming `horizon`.
        (None, Some(h)) => ontrack::Horizon::Steps(u32::try_from(h.max(0)).unwrap_or(u32::MAX)),
        (None, None) => ontrack::Horizon::Until(2030.0),
    };
    let mut columns = AssessOptions::default()
        .with_columns(&indicator, &year, &value)
        .with_by(by);
    columns.as_of = as_of;
    columns.threads = threads;
    let opts = ontrack::ProjectOptions {
        columns,
        levels,
        horizon,
        bounds: (lower_bound, upper_bound),
        log_scale,
        ..ontrack::ProjectOptions::default()
    }
    .with_methods(methods)
    .map_err(errors::to_py)?;
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
#[pyo3(signature = (
    result, *, by, how="mean_score", min_coverage=0.8, weight=None, schema_only=false
))]
fn rollup(
    py: Python<'_>,
    result: PyDataFrame,
    by: Vec<String>,
    how: &str,
    min_coverage: f64,
    weight: Option<String>,
    schema_only: bool,
) -> PyResult<PyDataFrame> {
    let how = ontrack::RollupHow::parse(how).map_err(errors::to_py)?;
    let mut opts = ontrack::RollupOptions::by(by)
        .with_how(how)
        .with_min_coverage(min_coverage);
    opts.weight = weight;
    let frame = result.0;
    if schema_only {
        return schema_of(py, Operation::Rollup(&opts), &frame, &DataFrame::empty());
    }
    let out = py
        .detach(|| ontrack::rollup(&frame, &opts))
        .map_err(errors::to_py)?;
    Ok(PyDataFrame(out))
}

/// The names of the named methods `assess` accepts.
#[pyfunction]
fn method_names() -> Vec<&'static str> {
    ontrack::Method::NAMES.to_vec()
}

/// The methods `compare_methods` compares by default (every named method, in order).
#[pyfunction]
fn compare_method_names() -> Vec<&'static str> {
    ontrack::Method::all()
        .iter()
        .map(ontrack::Method::name)
        .collect()
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
    m.add_function(wrap_pyfunction!(method_names, m)?)?;
    m.add_function(wrap_pyfunction!(compare_method_names, m)?)?;
    m.add_function(wrap_pyfunction!(project, m)?)?;
    m.add_function(wrap_pyfunction!(read_plan, m)?)?;
    m.add_function(wrap_pyfunction!(check_plan, m)?)?;
    m.add_function(wrap_pyfunction!(method_parameters, m)?)?;
    m.add_function(wrap_pyfunction!(rollup, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(threads, m)?)?;
    m.add_function(wrap_pyfunction!(plugins::check_expression_input, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("POLARS_CRATE_VERSION", "0.55.2")?;
    errors::register(m)?;
    Ok(())
}
