//! Projections of short yearly series with prediction intervals and predictive distributions.
//!
//! Methods ([`Method`]), all fitted on plain slices of strictly increasing, finite years and
//! values (the caller drops nulls):
//!
//! | method | model | spacing |
//! |---|---|---|
//! | `linear` | OLS straight line, exact t prediction interval (n−2 df) | any |
//! | `linear_weighted` | WLS with recency weights `λ^(t_last − t_i)` | any |
//! | `log_linear` | OLS on `ln y` (constant growth) | any |
//! | `log_linear_weighted` | WLS on `ln y` | any |
//! | `drift` | random walk with drift (Brownian motion with drift at the observed years) | any |
//! | `damped_trend` | ETS(A,Ad,N), α, β, φ and initial states estimated by least squares | regular grid* |
//! | `theta` | theta method (SES + half the OLS slope, Hyndman & Billah 2003) | regular grid* |
//! | `auto` | length- and roughness-aware combination of drift, theta and damped trend, see [`auto`] | any* |
//!
//! \* Exponential smoothing and theta need a regular grid. The grid step is the smallest gap
//! between consecutive years; when every gap is a whole multiple of it, the missing years are
//! filled by **linear interpolation** before fitting (the number filled is reported in
//! [`Projection::reason`]); otherwise [`ProjectionError::IrregularUnsupported`] is returned
//! (and [`fit_with_fallback`] falls back to `drift`, which handles any spacing exactly).
//!
//! Scales: log-linear methods fit `ln(y − L)` (`L` = lower bound or 0). With both natural bounds
//! `(L, U)` every method is fitted on `logit((y − L)/(U − L))` (values on a bound are nudged in
//! by [`scale::LOGIT_NUDGE`] of the range). With only a lower bound, [`ProjectionOptions::log_scale`]
//! fits the other methods on `ln(y − L)` too. Otherwise the identity scale is used and the
//! predictive distribution is censored at the bounds. Intervals are computed on the fitted scale
//! and mapped back monotonically, so projections and intervals never leave the bounds.

pub mod auto;
mod error;
mod model;
mod predictive;
mod regression;
pub mod scale;
mod simplex;
mod smoothing;

use std::fmt;
use std::str::FromStr;

pub use error::ProjectionError;
pub use predictive::{Predictive, Shape};
pub use scale::FitScale;

use model::Model;
use regression::{recency_weights, DriftFit, LineFit};
use scale::Clamp;
use smoothing::{DampedFit, ThetaFit};

/// Default recency weight λ of the weighted methods: `w_i = λ^(t_last − t_i)`, so an
/// observation's weight halves about every 6.6 years (`ln 0.5 / ln 0.9`).
pub const DEFAULT_RECENCY_WEIGHT: f64 = 0.9;

/// Projection method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Straight line by ordinary least squares.
    Linear,
    /// Straight line by weighted least squares, weights rising with recency.
    LinearWeighted,
    /// Straight line on the log scale (constant growth rate).
    LogLinear,
    /// Recency-weighted straight line on the log scale.
    LogLinearWeighted,
    /// Random walk with drift.
    Drift,
    /// Damped-trend exponential smoothing (Holt with damping).
    DampedTrend,
    /// The theta method.
    Theta,
    /// Automatic choice or combination, decided by out-of-sample evidence.
    Auto,
}

impl Method {
    /// Every method, in documentation order.
    pub const ALL: [Self; 8] = [
        Self::Linear,
        Self::LinearWeighted,
        Self::LogLinear,
        Self::LogLinearWeighted,
        Self::Drift,
        Self::DampedTrend,
        Self::Theta,
        Self::Auto,
    ];

    /// The method's name as used in frames and Python (`"linear"`, `"damped_trend"`, …).
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Linear => "linear",
            Self::LinearWeighted => "linear_weighted",
            Self::LogLinear => "log_linear",
            Self::LogLinearWeighted => "log_linear_weighted",
            Self::Drift => "drift",
            Self::DampedTrend => "damped_trend",
            Self::Theta => "theta",
            Self::Auto => "auto",
        }
    }

    fn is_log(self) -> bool {
        matches!(self, Self::LogLinear | Self::LogLinearWeighted)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of parsing a [`Method`] name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMethod(pub String);

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown projection method {:?} (expected one of linear, linear_weighted, log_linear, \
             log_linear_weighted, drift, damped_trend, theta, auto)",
            self.0
        )
    }
}

impl std::error::Error for UnknownMethod {}

impl FromStr for Method {
    type Err = UnknownMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|m| m.as_str() == s)
            .copied()
            .ok_or_else(|| UnknownMethod(s.to_owned()))
    }
}

/// Options of [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionOptions {
    /// The method to fit.
    pub method: Method,
    /// Natural bounds `(lower, upper)` of the indicator (e.g. `(Some(0.0), Some(100.0))`).
    pub bounds: (Option<f64>, Option<f64>),
    /// λ ∈ (0, 1] of the recency weights `λ^(t_last − t_i)` (weighted methods only; 1 = OLS).
    pub recency_weight: f64,
    /// Fit the non-log methods on `ln(y − L)` (`L` = lower bound, or 0 without one). Ignored
    /// when both bounds are given (the logit scale is used).
    pub log_scale: bool,
}

impl Default for ProjectionOptions {
    fn default() -> Self {
        Self {
            method: Method::Auto,
            bounds: (None, None),
            recency_weight: DEFAULT_RECENCY_WEIGHT,
            log_scale: false,
        }
    }
}

impl ProjectionOptions {
    /// Default options for `method`.
    #[must_use]
    pub fn new(method: Method) -> Self {
        Self {
            method,
            ..Self::default()
        }
    }
}

/// A fitted projection: plain metadata plus the fitted model, queried per future year.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The method actually used (may differ from the request after a fallback).
    pub method_used: Method,
    /// For `auto` combinations: the member methods; otherwise empty.
    pub members: Vec<Method>,
    /// Why this method was used, fallbacks, gap filling; `None` when nothing to say.
    pub reason: Option<String>,
    /// Number of observed points fitted.
    pub fitted_on: usize,
    /// Last observed year.
    pub last_year: f64,
    /// Last observed value.
    pub last_value: f64,
    /// Scale the model was fitted on.
    pub fit_scale: FitScale,
    clamp: Clamp,
    model: Model,
}

impl Projection {
    /// Predictive distribution at `year`; `None` unless `year` is finite and after the last
    /// observed year.
    #[must_use]
    pub fn at(&self, year: f64) -> Option<Predictive> {
        if !year.is_finite() || year <= self.last_year {
            return None;
        }
        let (loc, scale, shape) = self.model.loc_scale(year);
        if !loc.is_finite() || scale.is_nan() || scale < 0.0 {
            return None;
        }
        Some(Predictive {
            year,
            loc,
            scale,
            shape,
            fit_scale: self.fit_scale,
            clamp: self.clamp,
        })
    }

    /// The fitted parameters on the fitted scale, by name: `slope`, `sigma2`, `df` for the
    /// regressions; `drift`, `sigma2`, `df` for drift; `alpha`, `beta` (= α·β*), `phi`, `level`,
    /// `trend`, `sse`, `sigma2`, `step` for damped trend; `alpha`, `b0`, `level`, `sse`, `sigma2`,
    /// `step` for theta; for an `auto` combination one `weight` per member (in the order of
    /// [`Projection::members`]), then six `scale_factor`s (1…6 steps ahead), `df` and
    /// `roughness` (see [`auto`]).
    #[must_use]
    pub fn params(&self) -> Vec<(&'static str, f64)> {
        self.model.params()
    }

    /// Point projection at `year` (see [`Projection::at`]).
    #[must_use]
    pub fn point(&self, year: f64) -> Option<f64> {
        self.at(year).map(|p| p.point())
    }

    /// Central prediction interval at `year` and `level ∈ (0, 1)`.
    #[must_use]
    pub fn interval(&self, year: f64, level: f64) -> Option<(f64, f64)> {
        self.at(year).and_then(|p| p.interval(level))
    }
}

/// Minimum number of observed points for `method`.
///
/// 3 for the regression methods and drift (one degree of freedom for the residual variance),
/// 5 for theta (α and the slope estimated, residual variance on ≥ 2 df), 7 for damped trend
/// (α, β, φ and two initial states estimated, residual variance on ≥ 2 df), 3 for `auto` (which
/// uses only the members the series is long enough for).
#[must_use]
pub fn minimum_points(method: Method) -> usize {
    match method {
        Method::Linear
        | Method::LinearWeighted
        | Method::LogLinear
        | Method::LogLinearWeighted
        | Method::Drift
        | Method::Auto => 3,
        Method::Theta => 5,
        Method::DampedTrend => 7,
    }
}

/// Validates inputs shared by every method.
fn validate(
    years: &[f64],
    values: &[f64],
    opts: &ProjectionOptions,
) -> Result<(), ProjectionError> {
    if years.len() != values.len() {
        return Err(ProjectionError::LengthMismatch {
            years: years.len(),
            values: values.len(),
        });
    }
    if let Some(index) = years
        .iter()
        .zip(values)
        .position(|(t, y)| !t.is_finite() || !y.is_finite())
    {
        return Err(ProjectionError::NonFinite { index });
    }
    if let Some(i) = years.windows(2).position(|w| match w {
        [a, b] => b <= a,
        _ => false,
    }) {
        return Err(ProjectionError::Unsorted { index: i + 1 });
    }
    if !(opts.recency_weight > 0.0 && opts.recency_weight <= 1.0) {
        return Err(ProjectionError::InvalidOption(
            "recency_weight must lie in (0, 1]",
        ));
    }
    let (lo, hi) = opts.bounds;
    if lo.is_some_and(|l| !l.is_finite()) || hi.is_some_and(|h| !h.is_finite()) {
        return Err(ProjectionError::InvalidOption("bounds must be finite"));
    }
    if let (Some(l), Some(h)) = (lo, hi) {
        if l >= h {
            return Err(ProjectionError::InvalidOption(
                "lower bound must be below upper bound",
            ));
        }
    }
    if let Some(index) = values
        .iter()
        .position(|y| lo.is_some_and(|l| *y < l) || hi.is_some_and(|h| *y > h))
    {
        return Err(ProjectionError::OutOfBounds { index });
    }
    Ok(())
}

/// The scale `method` is fitted on under `opts`.
fn fit_scale_for(method: Method, opts: &ProjectionOptions) -> FitScale {
    match opts.bounds {
        (Some(lo), Some(hi)) => FitScale::Logit { lo, hi },
        (lo, _) if method.is_log() || opts.log_scale => FitScale::Log {
            shift: lo.unwrap_or(0.0),
        },
        _ => FitScale::Identity,
    }
}

/// Transforms the values to the fitted scale.
fn transform(values: &[f64], scale: FitScale) -> Result<Vec<f64>, ProjectionError> {
    values
        .iter()
        .enumerate()
        .map(|(index, y)| {
            scale.forward_data(*y).ok_or(match scale {
                FitScale::Log { .. } => ProjectionError::NonPositive { index },
                _ => ProjectionError::OutOfBounds { index },
            })
        })
        .collect()
}

/// The smallest positive gap between consecutive years, if any.
pub(crate) fn smallest_step(t: &[f64]) -> Option<f64> {
    let step = t
        .windows(2)
        .filter_map(|w| match w {
            [a, b] => Some(b - a),
            _ => None,
        })
        .fold(f64::INFINITY, f64::min);
    (step.is_finite() && step > 0.0).then_some(step)
}

/// Puts a series on a regular grid (step = smallest gap), filling gaps by linear interpolation.
/// Returns `(step, values on the grid, number of filled points)`.
pub(crate) fn regular_grid(
    t: &[f64],
    z: &[f64],
) -> Result<(f64, Vec<f64>, usize), ProjectionError> {
    let Some(step) = smallest_step(t) else {
        return Err(ProjectionError::IrregularUnsupported);
    };
    let mut out = Vec::with_capacity(t.len());
    let mut filled = 0_usize;
    if let Some(first) = z.first() {
        out.push(*first);
    }
    for (tw, zw) in t.windows(2).zip(z.windows(2)) {
        let ((t0, t1), (z0, z1)) = match (tw, zw) {
            ([t0, t1], [z0, z1]) => ((*t0, *t1), (*z0, *z1)),
            _ => continue,
        };
        let k = (t1 - t0) / step;
        let kr = k.round();
        if (k - kr).abs() > 1e-6 * kr.max(1.0) || kr < 1.0 {
            return Err(ProjectionError::IrregularUnsupported);
        }
        #[allow(clippy::cast_precision_loss)] // at most 10 000 points
        let grid_len = out.len() as f64;
        if kr > 10_000.0 || grid_len + kr > 10_000.0 {
            return Err(ProjectionError::IrregularUnsupported);
        }
        // 1 ≤ kr ≤ 10 000, checked above.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let steps = kr as u32;
        for j in 1..steps {
            let f = f64::from(j) / f64::from(steps);
            out.push(z0 + f * (z1 - z0));
            filled += 1;
        }
        out.push(z1);
    }
    Ok((step, out, filled))
}

/// Residual-variance degrees of freedom lost by damped trend (α, β, φ, ℓ0, b0).
const DAMPED_PARAMS: usize = 5;
/// Residual-variance degrees of freedom lost by theta (the first error is zero because
/// `ℓ0 = y1`; α and the slope are estimated).
const THETA_PARAMS: usize = 3;

/// A model fitted on the fitted scale, with a note for the reason string and, for `auto`, the
/// member methods.
pub(crate) struct Fitted {
    pub(crate) model: Model,
    pub(crate) note: Option<String>,
    pub(crate) members: Vec<Method>,
}

impl Fitted {
    fn plain(model: Model, note: Option<String>) -> Self {
        Self {
            model,
            note,
            members: Vec::new(),
        }
    }
}

/// Fits one method on already transformed data.
pub(crate) fn fit_single(
    method: Method,
    t: &[f64],
    z: &[f64],
    recency_weight: f64,
) -> Result<Fitted, ProjectionError> {
    let n = t.len();
    let needed = minimum_points(method);
    if n < needed {
        return Err(ProjectionError::TooFewPoints { needed, got: n });
    }
    let failed = ProjectionError::FitFailed;
    match method {
        Method::Linear | Method::LogLinear => {
            let w = vec![1.0; n];
            LineFit::fit(t, z, &w)
                .map(|f| Fitted::plain(Model::Line(f), None))
                .ok_or(failed("least squares"))
        }
        Method::LinearWeighted | Method::LogLinearWeighted => {
            let w = recency_weights(t, recency_weight);
            LineFit::fit(t, z, &w)
                .map(|f| Fitted::plain(Model::Line(f), None))
                .ok_or(failed("weighted least squares"))
        }
        Method::Drift => DriftFit::fit(t, z)
            .map(|f| Fitted::plain(Model::Drift(f), None))
            .ok_or(failed("drift")),
        Method::DampedTrend | Method::Theta => {
            let (step, grid, filled) = regular_grid(t, z)?;
            let t_last = t.last().copied().ok_or(failed("empty"))?;
            let note = (filled > 0).then(|| {
                format!("{filled} missing year(s) filled by linear interpolation before fitting")
            });
            let m = grid.len();
            if method == Method::DampedTrend {
                let fit = DampedFit::fit(&grid).ok_or(failed("damped trend"))?;
                #[allow(clippy::cast_precision_loss)] // a point count: far below 2^53
                let s2 = fit.sse / (m.saturating_sub(DAMPED_PARAMS).max(1) as f64);
                Ok(Fitted::plain(
                    Model::Damped {
                        fit,
                        step,
                        t_last,
                        s2,
                        shape: Shape::Normal,
                    },
                    note,
                ))
            } else {
                let fit = ThetaFit::fit(&grid).ok_or(failed("theta"))?;
                #[allow(clippy::cast_precision_loss)] // a point count: far below 2^53
                let s2 = fit.sse / (m.saturating_sub(THETA_PARAMS).max(1) as f64);
                Ok(Fitted::plain(
                    Model::Theta {
                        fit,
                        step,
                        t_last,
                        s2,
                        shape: Shape::Normal,
                    },
                    note,
                ))
            }
        }
        Method::Auto => auto::fit_auto(t, z, recency_weight).map(|a| Fitted {
            model: a.model,
            note: Some(a.reason),
            members: a.members,
        }),
    }
}

/// Fits `opts.method` to the series.
///
/// `years` must be finite and strictly increasing, `values` finite (drop nulls first); errors
/// are returned, never panics. `auto` (see [`auto`]) combines drift, theta and damped trend
/// with weights set by the series' length and roughness and by the members' in-sample errors,
/// with intervals calibrated offline by length and horizon, and reports its choice in
/// [`Projection::reason`].
///
/// # Errors
/// See [`ProjectionError`].
pub fn fit(
    years: &[f64],
    values: &[f64],
    opts: &ProjectionOptions,
) -> Result<Projection, ProjectionError> {
    validate(years, values, opts)?;
    let n = values.len();
    let needed = minimum_points(opts.method);
    if n < needed {
        return Err(ProjectionError::TooFewPoints { needed, got: n });
    }
    let fit_scale = fit_scale_for(opts.method, opts);
    let z = transform(values, fit_scale)?;
    let Fitted {
        model,
        note: reason,
        members,
    } = fit_single(opts.method, years, &z, opts.recency_weight)?;
    // `auto` with a single member reports that member; a combination reports `auto`.
    let method_used = match members.as_slice() {
        [only] => *only,
        _ => opts.method,
    };
    Ok(Projection {
        method_used,
        members: if members.len() > 1 {
            members
        } else {
            Vec::new()
        },
        reason,
        fitted_on: n,
        last_year: years.last().copied().unwrap_or(f64::NAN),
        last_value: values.last().copied().unwrap_or(f64::NAN),
        fit_scale,
        clamp: Clamp {
            lo: opts.bounds.0,
            hi: opts.bounds.1,
        },
        model,
    })
}

/// Fits `opts.method`, falling back down a documented ladder instead of failing on a series
/// that is too short or unsuitable:
///
/// 1. the requested method;
/// 2. a log-linear method on data not above the log shift → its non-log counterpart;
/// 3. `damped_trend` → `theta` → `drift` when too short or irregular (theta and damped trend
///    need a regular grid);
/// 4. `linear`, `linear_weighted`, `log_linear`, `log_linear_weighted` → `drift` when too short
///    (they need 3 points like drift, so this only matters for custom callers);
/// 5. nothing fits (fewer than 3 points, invalid input): the error of the last attempt.
///
/// The returned [`Projection::reason`] says which fallback was taken and why.
///
/// # Errors
/// Malformed input ([`ProjectionError::NonFinite`], [`ProjectionError::Unsorted`], …) and
/// series with fewer than 3 points.
pub fn fit_with_fallback(
    years: &[f64],
    values: &[f64],
    opts: &ProjectionOptions,
) -> Result<Projection, ProjectionError> {
    let mut method = opts.method;
    let mut log_scale = opts.log_scale;
    let mut notes: Vec<String> = Vec::new();
    loop {
        let o = ProjectionOptions {
            method,
            log_scale,
            ..opts.clone()
        };
        match fit(years, values, &o) {
            Ok(mut p) => {
                if !notes.is_empty() {
                    if let Some(r) = p.reason.take() {
                        notes.push(r);
                    }
                    p.reason = Some(notes.join("; "));
                }
                return Ok(p);
            }
            Err(e) => {
                // The log scale asked for, but a value at or below the lower bound: fit the
                // same method on the original scale.
                if log_scale && !method.is_log() && matches!(e, ProjectionError::NonPositive { .. })
                {
                    notes.push(format!(
                        "log scale not possible ({e}); fitted on the original scale"
                    ));
                    log_scale = false;
                    continue;
                }
                let next = match (&e, method) {
                    (ProjectionError::NonPositive { .. }, Method::LogLinear) => Method::Linear,
                    (ProjectionError::NonPositive { .. }, Method::LogLinearWeighted) => {
                        Method::LinearWeighted
                    }
                    (
                        ProjectionError::TooFewPoints { .. }
                        | ProjectionError::IrregularUnsupported
                        | ProjectionError::FitFailed(_),
                        Method::DampedTrend,
                    ) => Method::Theta,
                    (
                        ProjectionError::TooFewPoints { .. }
                        | ProjectionError::IrregularUnsupported
                        | ProjectionError::FitFailed(_),
                        Method::Theta
                        | Method::Linear
                        | Method::LinearWeighted
                        | Method::LogLinear
                        | Method::LogLinearWeighted
                        | Method::Auto,
                    ) => Method::Drift,
                    _ => return Err(e),
                };
                notes.push(format!("{method} not fitted ({e}); fell back to {next}"));
                method = next;
            }
        }
    }
}

/// First integer year after the last observed year, up to and including `until_year`, whose
/// point projection meets `target`: `≥ target` when `increase` (`>` when `strict`), `≤` (`<`)
/// otherwise. `None` when no such year lies within the horizon.
#[must_use]
pub fn expected_attainment_year(
    projection: &Projection,
    target: f64,
    increase: bool,
    strict: bool,
    until_year: f64,
) -> Option<f64> {
    if !target.is_finite() || !until_year.is_finite() {
        return None;
    }
    let first = projection.last_year.floor() + 1.0;
    if until_year < first {
        return None;
    }
    // Years are counted, not stepped by `+= 1.0` (which stops changing past 2^53), and at
    // most a thousand are searched.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let steps = (until_year - first).min(1000.0).floor() as u32 + 1;
    for i in 0..steps {
        let year = first + f64::from(i);
        let p = projection.point(year)?;
        let meets = match (increase, strict) {
            (true, false) => p >= target,
            (true, true) => p > target,
            (false, false) => p <= target,
            (false, true) => p < target,
        };
        if meets {
            return Some(year);
        }
    }
    None
}
