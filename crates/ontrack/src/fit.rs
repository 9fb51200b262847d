//! Fitting one series with a projection method: shared by `project` and the projection
//! columns of `assess`.

use ontrack_kernels::projection::{fit_with_fallback, Method, Projection, ProjectionOptions};

/// Fit `method` on the non-missing points (`values` not NaN) of one series, falling back down the documented
/// ladder. Errors become a reason.
pub(crate) fn fit_series(
    years: &[f64],
    values: &[f64],
    method: Method,
    bounds: (Option<f64>, Option<f64>),
    recency_weight: f64,
    log_scale: bool,
) -> std::result::Result<Projection, String> {
    // Sized up front: collecting the filtered points would grow both vectors several times
    // per series.
    let mut ys = Vec::with_capacity(values.len());
    let mut vs = Vec::with_capacity(values.len());
    for (y, v) in years.iter().zip(values).filter(|(_, v)| !v.is_nan()) {
        ys.push(*y);
        vs.push(*v);
    }
    let opts = ProjectionOptions {
        method,
        bounds,
        recency_weight,
        log_scale,
    };
    fit_with_fallback(&ys, &vs, &opts).map_err(|e| format!("{method} projection not possible: {e}"))
}
