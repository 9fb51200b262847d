//! Keyword options of the entry points: read over the Rust defaults, and the defaults as a
//! dict.
//!
//! The defaults live once, in the `Default`s of the crate's option structs (and
//! [`ontrack::compare_defaults`]). A call gives its options as keywords under their public
//! Python names; an option that is not given keeps the Rust default, one that is given
//! replaces it (`None` for an optional one). [`defaults`] lists every option of each entry
//! point with its default, under the same names, and `tests/test_rules_agree.py` checks the
//! public Python signatures against it.

use ontrack::{
    AssessOptions, BaselinePolicy, Horizon, OntrackError, ProjectOptions, RollupHow, RollupOptions,
    SensitivityOptions,
};
use pyo3::conversion::FromPyObjectOwned;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors;

/// The keyword options of one call, taken one by one; [`Options::finish`] refuses any left.
pub(crate) struct Options<'py> {
    left: Bound<'py, PyDict>,
}

impl<'py> Options<'py> {
    /// The options of `kwargs` (copied: the caller's dict is not changed).
    pub(crate) fn new(py: Python<'py>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Self> {
        let left = match kwargs {
            Some(d) => d.copy()?,
            None => PyDict::new(py),
        };
        Ok(Self { left })
    }

    /// The value of option `key` if given (`None` = not given), removed from what is left.
    fn take<T: FromPyObjectOwned<'py>>(&self, key: &str) -> PyResult<Option<Option<T>>> {
        let Some(value) = self.left.get_item(key)? else {
            return Ok(None);
        };
        self.left.del_item(key)?;
        if value.is_none() {
            return Ok(Some(None));
        }
        let extracted = value.extract::<T>().map_err(|e| {
            let e: PyErr = e.into();
            PyTypeError::new_err(format!("option {key}: {e}"))
        })?;
        Ok(Some(Some(extracted)))
    }

    /// Set `target` from option `key` if given (`None` is refused: the option is not
    /// optional).
    pub(crate) fn value<T: FromPyObjectOwned<'py>>(
        &self,
        key: &str,
        target: &mut T,
    ) -> PyResult<()> {
        match self.take(key)? {
            Some(Some(v)) => *target = v,
            Some(None) => {
                return Err(errors::to_py(OntrackError::InvalidOption {
                    option: key.into(),
                    message: format!("{key} cannot be None"),
                }))
            }
            None => {}
        }
        Ok(())
    }

    /// Set the optional `target` from option `key` if given (`None` clears it).
    pub(crate) fn optional<T: FromPyObjectOwned<'py>>(
        &self,
        key: &str,
        target: &mut Option<T>,
    ) -> PyResult<()> {
        if let Some(v) = self.take(key)? {
            *target = v;
        }
        Ok(())
    }

    /// Refuse any option not taken (a typo in a caller of the private module).
    pub(crate) fn finish(self) -> PyResult<()> {
        match self.left.keys().iter().next() {
            None => Ok(()),
            Some(key) => Err(errors::to_py(OntrackError::InvalidOption {
                option: key.to_string(),
                message: format!("unknown option {key}"),
            })),
        }
    }
}

/// Read the options `assess`, `compare_methods` and `sensitivity` share over `opts`.
pub(crate) fn read_assess(options: &Options<'_>, opts: &mut AssessOptions) -> PyResult<()> {
    read_columns(options, opts)?;
    let mut methods: Option<Vec<String>> = None;
    options.optional("method", &mut methods)?;
    if let Some(names) = methods {
        *opts = std::mem::take(opts)
            .with_methods(names)
            .map_err(errors::to_py)?;
    }
    let mut params: Option<String> = None;
    options.optional("method_params", &mut params)?;
    if let Some(json) = params {
        *opts = std::mem::take(opts)
            .with_method_params(&json)
            .map_err(errors::to_py)?;
    }
    options.optional("base_year", &mut opts.base_year)?;
    let mut policy: Option<String> = None;
    options.optional("baseline_policy", &mut policy)?;
    if let Some(name) = policy {
        opts.baseline_policy = BaselinePolicy::parse(&name).map_err(errors::to_py)?;
    }
    options.optional("scale", &mut opts.scale)?;
    options.value("include_untargeted", &mut opts.include_untargeted)?;
    options.value("trend_alpha", &mut opts.trend_alpha)?;
    if let Some(projection) = options.take::<String>("projection")? {
        opts.projection = projection
            .as_deref()
            .map(projection_method)
            .transpose()
            .map_err(errors::to_py)?;
    }
    options.value("levels", &mut opts.levels)?;
    options.value("on_track_probability", &mut opts.on_track_probability)?;
    options.value("off_track_probability", &mut opts.off_track_probability)?;
    options.value("attainment_horizon", &mut opts.attainment_horizon)?;
    options.value("recency_weight", &mut opts.recency_weight)?;
    options.value("log_scale", &mut opts.log_scale)?;
    options.value(
        "include_targets_without_data",
        &mut opts.include_targets_without_data,
    )
}

/// Read the column options every operation but `rollup` has (`indicator`, `year`, `value`,
/// `by`, `as_of`, `threads`).
fn read_columns(options: &Options<'_>, opts: &mut AssessOptions) -> PyResult<()> {
    options.value("indicator", &mut opts.indicator)?;
    options.value("year", &mut opts.period)?;
    options.value("value", &mut opts.value)?;
    options.value("by", &mut opts.by)?;
    options.optional("as_of", &mut opts.as_of)?;
    options.optional("threads", &mut opts.threads)
}

/// A projection method named by the `projection` option of `assess`.
fn projection_method(name: &str) -> ontrack::Result<ontrack::kernels::projection::Method> {
    ontrack::parse_projection_method(name).map_err(|e| match e {
        // The argument is `projection` here (`method` is `project`'s name for it).
        OntrackError::InvalidOption { message, .. } => OntrackError::InvalidOption {
            option: "projection".into(),
            message,
        },
        other => other,
    })
}

/// Read the options of `project` over its defaults.
pub(crate) fn read_project(options: &Options<'_>) -> PyResult<ProjectOptions> {
    let mut opts = ProjectOptions::default();
    read_columns(options, &mut opts.columns)?;
    let mut methods: Option<Vec<String>> = None;
    options.optional("method", &mut methods)?;
    if let Some(names) = methods {
        opts = opts.with_methods(names).map_err(errors::to_py)?;
    }
    let (mut until, mut horizon): (Option<f64>, Option<i64>) = (None, None);
    options.optional("until", &mut until)?;
    options.optional("horizon", &mut horizon)?;
    opts.horizon = match (until, horizon) {
        (Some(_), Some(_)) => {
            return Err(errors::to_py(OntrackError::InvalidOption {
                option: "until".into(),
                message: "give either until= or horizon=, not both".into(),
            }))
        }
        (Some(u), None) => Horizon::Until(u),
        // Out of range either way: the crate's validation says which way, naming `horizon`.
        (None, Some(h)) => Horizon::Steps(u32::try_from(h.max(0)).unwrap_or(u32::MAX)),
        (None, None) => opts.horizon,
    };
    options.value("levels", &mut opts.levels)?;
    options.optional("lower_bound", &mut opts.bounds.0)?;
    options.optional("upper_bound", &mut opts.bounds.1)?;
    options.value("recency_weight", &mut opts.recency_weight)?;
    options.value("log_scale", &mut opts.log_scale)?;
    Ok(opts)
}

/// Read the options of `rollup` over its defaults.
pub(crate) fn read_rollup(options: &Options<'_>) -> PyResult<RollupOptions> {
    let mut opts = RollupOptions::default();
    options.value("by", &mut opts.by)?;
    let mut how: Option<String> = None;
    options.optional("how", &mut how)?;
    if let Some(name) = how {
        opts.how = RollupHow::parse(&name).map_err(errors::to_py)?;
    }
    options.value("min_coverage", &mut opts.min_coverage)?;
    options.optional("weight", &mut opts.weight)?;
    options.value("share_cuts", &mut opts.share_cuts)?;
    Ok(opts)
}

/// The options of `assess` (and `compare_methods`, `sensitivity`) with their values in
/// `opts`, under their public names.
fn assess_dict<'py>(py: Python<'py>, opts: &AssessOptions) -> PyResult<Bound<'py, PyDict>> {
    let d = columns_dict(py, opts)?;
    let methods: Vec<&str> = opts.methods.iter().map(ontrack::Method::name).collect();
    d.set_item("method", methods)?;
    d.set_item("method_params", None::<String>)?;
    d.set_item("base_year", opts.base_year)?;
    d.set_item("baseline_policy", opts.baseline_policy.as_str())?;
    d.set_item("scale", opts.scale.as_deref())?;
    d.set_item("include_untargeted", opts.include_untargeted)?;
    d.set_item("trend_alpha", opts.trend_alpha)?;
    d.set_item("projection", opts.projection.map(|m| m.as_str()))?;
    d.set_item("levels", opts.levels.clone())?;
    d.set_item("on_track_probability", opts.on_track_probability)?;
    d.set_item("off_track_probability", opts.off_track_probability)?;
    d.set_item("attainment_horizon", opts.attainment_horizon)?;
    d.set_item("recency_weight", opts.recency_weight)?;
    d.set_item("log_scale", opts.log_scale)?;
    Ok(d)
}

fn columns_dict<'py>(py: Python<'py>, opts: &AssessOptions) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("by", opts.by.clone())?;
    d.set_item("indicator", opts.indicator.as_str())?;
    d.set_item("year", opts.period.as_str())?;
    d.set_item("value", opts.value.as_str())?;
    d.set_item("as_of", opts.as_of)?;
    d.set_item("threads", opts.threads)?;
    Ok(d)
}

fn project_dict(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let opts = ProjectOptions::default();
    let d = columns_dict(py, &opts.columns)?;
    let methods: Vec<&str> = opts.methods.iter().map(|m| m.as_str()).collect();
    d.set_item("method", methods)?;
    let (until, horizon) = match opts.horizon {
        Horizon::Until(y) => (Some(y), None),
        Horizon::Steps(h) => (None, Some(h)),
    };
    d.set_item("until", until)?;
    d.set_item("horizon", horizon)?;
    d.set_item("levels", opts.levels.clone())?;
    d.set_item("lower_bound", opts.bounds.0)?;
    d.set_item("upper_bound", opts.bounds.1)?;
    d.set_item("recency_weight", opts.recency_weight)?;
    d.set_item("log_scale", opts.log_scale)?;
    Ok(d)
}

fn rollup_dict(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let opts = RollupOptions::default();
    let d = PyDict::new(py);
    d.set_item("by", opts.by.clone())?;
    d.set_item("how", opts.how.as_str())?;
    d.set_item("min_coverage", opts.min_coverage)?;
    d.set_item("weight", opts.weight.as_deref())?;
    d.set_item("share_cuts", opts.share_cuts.to_vec())?;
    Ok(d)
}

/// Every option of each entry point with its default, by entry point (`assess`,
/// `compare_methods`, `sensitivity`, `project`, `rollup`), under the public Python names;
/// method lists are lists of names.
#[pyfunction]
pub(crate) fn defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("assess", assess_dict(py, &AssessOptions::default())?)?;
    out.set_item(
        "compare_methods",
        assess_dict(py, &ontrack::compare_defaults())?,
    )?;
    let sensitivity = SensitivityOptions::default();
    let d = assess_dict(py, &sensitivity.assess)?;
    d.set_item("base_years", sensitivity.base_years)?;
    out.set_item("sensitivity", d)?;
    out.set_item("project", project_dict(py)?)?;
    out.set_item("rollup", rollup_dict(py)?)?;
    Ok(out)
}
