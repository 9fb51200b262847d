//! The automatic method: a length- and roughness-aware combination of drift, theta and damped
//! trend with intervals calibrated offline.
//!
//! A series of `n` points falls in a length bucket ([`BUCKETS`], by `n`: 3–4, 5–6, 7–9,
//! 10–14, 15–24, 25–39, 40 and more). Its [`roughness`] (mean absolute second difference over
//! the mean absolute deviation of the first differences from their mean: near 0 for a smooth
//! curve, 1.4–2 for noise around a trend) picks the bucket's `smooth` or `rough` [`Regime`].
//! The regime fixes:
//!
//! * the point rule: the weighted mean of the members drift, theta and damped trend
//!   ([`MEMBERS`]), each fitted once on the whole series, with weights
//!   `w_m ∝ prior_m · (s²_m / min s²)^(−tilt)`, where `s²_m` is member `m`'s in-sample one-step
//!   error variance (its `sigma2`) and the minimum runs over the members with a positive prior.
//!   A series that drift fits exactly (a straight line) is extrapolated by drift alone.
//!   Members need 3 (drift), 5 (theta) and 7 (damped trend) points; a member that cannot be
//!   fitted (e.g. years that cannot be put on a regular grid) is left out and the weights are
//!   renormalised over the others;
//! * the predictive distribution: location = the weighted mean; nominal squared scale = the
//!   weighted mean of the members' squared scales plus the weighted spread of their locations
//!   (the variance of the mixture); the calibrated scale is
//!   `factors[h − 1] · clamp(roughness, ROUGH_RANGE)^roughness_power ·
//!   √(nominal² + (diff_share · mean|Δy|)²)` at `h` = 1…6 steps ahead (linear between whole
//!   steps, the 6-step factor beyond: the members' own variances keep growing), and the shape
//!   is Student-t with the regime's `df`. The mean absolute first difference keeps the
//!   intervals of very smooth series, whose one-step residuals are tiny, from collapsing; the
//!   roughness term lets smooth and rough series of one regime differ.
//!
//! Nothing is refitted at rolling origins: a series costs one fit of each member it uses.
//!
//! How the constants were obtained: offline, on the validation half of the yearly series of
//! `data/` (M1 yearly, Gapminder country × indicator, WDI total fertility; the split is a seeded
//! hash of the series names), with the last 6 years of each series held out and the series cut
//! to 3–30 points or left whole. Per bucket, the threshold (a decile of the bucket's
//! roughness, or none) and the two rules were searched (priors on a 0.1 grid, tilt in {0, 0.5,
//! 1, 2, 4}) to minimise the worst ratio of sMAPE and MASE to the best of drift, theta and
//! damped trend over the cells of the accuracy table (set × length full, 12, 8, 5). The
//! factors put the 80 % quantile of the absolute errors in calibrated scales (each data set
//! weighted equally, a set with fewer than 20 samples less) on the t 90 % point at each
//! horizon, and `df` is the one whose 95 % interval then covers closest to 95 %; `diff_share`
//! (0–1) and `roughness_power` (−2…2) were searched on a grid for the smallest worst coverage
//! miss of any one data set (with at least 20 samples). The test half of the series was not
//! used.
//!
//! `cargo run --release -p ontrack-kernels --example accuracy -- --calibrate` regenerates the
//! constants; `tests/auto.rs` checks the shortest bucket's against it on the vendored data.
//! `benches/README.md` has the accuracy table.
//!
//! The projection of a series depends only on that series and these constants.

use super::model::{Calibration, Model, PointRule};
use super::{fit_single, minimum_points, Method, ProjectionError};

/// Result of the automatic method.
pub(crate) struct AutoFit {
    pub(crate) model: Model,
    pub(crate) members: Vec<Method>,
    pub(crate) reason: String,
}

/// The candidate members, in the order of [`Regime::prior`].
pub const MEMBERS: [Method; 3] = [Method::Drift, Method::Theta, Method::DampedTrend];

/// Point rule and interval calibration of one kind of series (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Regime {
    /// Prior weights of drift, theta and damped trend.
    pub prior: [f64; 3],
    /// Exponent of the in-sample error-variance tilt of the weights (0 = fixed weights).
    pub tilt: f64,
    /// Share of the series' mean absolute first difference added in quadrature to the nominal
    /// scale: `√(nominal² + (diff_share · mean|Δy|)²)`.
    pub diff_share: f64,
    /// Exponent of the roughness adjustment of the scale, `clamp(roughness, ROUGH_RANGE)^power`.
    pub roughness_power: f64,
    /// Degrees of freedom of the Student-t shape.
    pub df: f64,
    /// Scale factors 1…6 steps ahead.
    pub factors: [f64; 6],
}

/// Roughness is clamped to this range in the scale adjustment (the range where the
/// calibration series lie; outside it a power would extrapolate).
pub const ROUGH_RANGE: (f64, f64) = (0.2, 3.0);

/// One length bucket: series with at least `min_points` points (and fewer than the next
/// bucket's) and roughness below `smooth_below` use `smooth`, the others `rough`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Smallest number of points of the bucket.
    pub min_points: usize,
    /// Roughness threshold (`-inf`: every series uses `rough`).
    pub smooth_below: f64,
    /// Regime of the smoother series.
    pub smooth: Regime,
    /// Regime of the rougher series.
    pub rough: Regime,
}

/// The buckets, by increasing `min_points`. Generated by
/// `cargo run --release -p ontrack-kernels --example accuracy -- --calibrate` (see the module
/// docs); do not edit by hand.
#[rustfmt::skip]
pub const BUCKETS: [Bucket; 7] = [
    Bucket {
        min_points: 3,
        smooth_below: f64::NEG_INFINITY,
        smooth: Regime { prior: [1.0, 0.0, 0.0], tilt: 0.0, diff_share: 0.3, roughness_power: -0.25, df: 2.0, factors: [0.792, 1.182, 1.490, 1.868, 2.167, 2.545] },
        rough: Regime { prior: [1.0, 0.0, 0.0], tilt: 0.0, diff_share: 0.3, roughness_power: -0.25, df: 2.0, factors: [0.792, 1.182, 1.490, 1.868, 2.167, 2.545] },
    },
    Bucket {
        min_points: 5,
        smooth_below: 0.9523809523809581,
        smooth: Regime { prior: [0.8, 0.2, 0.0], tilt: 0.0, diff_share: 0.05, roughness_power: -1.75, df: 2.0, factors: [0.322, 0.373, 0.472, 0.544, 0.565, 0.616] },
        rough: Regime { prior: [0.9, 0.1, 0.0], tilt: 1.0, diff_share: 0.75, roughness_power: -0.75, df: 2.5, factors: [0.718, 1.055, 1.295, 1.511, 1.605, 1.787] },
    },
    Bucket {
        min_points: 7,
        smooth_below: 1.3231219351080887,
        smooth: Regime { prior: [0.0, 0.0, 1.0], tilt: 0.0, diff_share: 0.75, roughness_power: 2.0, df: 2.5, factors: [0.598, 0.926, 1.370, 1.892, 2.058, 2.357] },
        rough: Regime { prior: [0.8, 0.0, 0.2], tilt: 4.0, diff_share: 1.0, roughness_power: 1.75, df: 4.0, factors: [0.278, 0.367, 0.480, 0.514, 0.559, 0.567] },
    },
    Bucket {
        min_points: 10,
        smooth_below: 1.587588652482267,
        smooth: Regime { prior: [0.1, 0.4, 0.5], tilt: 4.0, diff_share: 0.1, roughness_power: 0.25, df: 2.0, factors: [0.699, 0.939, 1.234, 1.385, 1.530, 1.712] },
        rough: Regime { prior: [0.8, 0.2, 0.0], tilt: 4.0, diff_share: 1.0, roughness_power: -2.0, df: 4.0, factors: [2.013, 2.013, 3.110, 2.994, 3.094, 3.651] },
    },
    Bucket {
        min_points: 15,
        smooth_below: 1.2416058394160583,
        smooth: Regime { prior: [0.0, 0.0, 1.0], tilt: 0.0, diff_share: 0.5, roughness_power: 1.25, df: 2.5, factors: [0.725, 1.453, 2.179, 2.744, 3.003, 3.387] },
        rough: Regime { prior: [1.0, 0.0, 0.0], tilt: 0.0, diff_share: 0.0, roughness_power: -1.0, df: 7.0, factors: [1.791, 1.800, 2.119, 2.244, 2.319, 2.406] },
    },
    Bucket {
        min_points: 25,
        smooth_below: 1.5114163260325792,
        smooth: Regime { prior: [0.0, 0.0, 1.0], tilt: 0.0, diff_share: 0.2, roughness_power: 0.75, df: 2.5, factors: [0.654, 1.286, 1.405, 1.712, 1.911, 2.023] },
        rough: Regime { prior: [0.9, 0.0, 0.1], tilt: 4.0, diff_share: 0.0, roughness_power: -1.25, df: 30.0, factors: [2.376, 1.816, 2.319, 2.500, 2.633, 2.817] },
    },
    Bucket {
        min_points: 40,
        smooth_below: 0.45553637877008213,
        smooth: Regime { prior: [0.4, 0.0, 0.6], tilt: 2.0, diff_share: 0.0, roughness_power: 2.0, df: 2.0, factors: [10.358, 12.073, 14.185, 15.394, 17.617, 18.379] },
        rough: Regime { prior: [0.0, 0.0, 1.0], tilt: 0.0, diff_share: 0.5, roughness_power: 2.0, df: 2.5, factors: [0.695, 0.972, 0.891, 0.795, 0.835, 0.848] },
    },
];

/// Roughness of a series: the mean absolute second difference over the mean absolute deviation
/// of the first differences from their mean; 0 when the first differences are constant (a
/// straight line) or there are fewer than 3 points.
#[must_use]
pub fn roughness(values: &[f64]) -> f64 {
    let d: Vec<f64> = values
        .windows(2)
        .map(|w| match w {
            [a, b] => b - a,
            _ => 0.0,
        })
        .collect();
    if d.len() < 2 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)] // point counts: far below 2^53
    let (nd, nd2) = (d.len() as f64, (d.len() - 1) as f64);
    let mean = d.iter().sum::<f64>() / nd;
    let dev = d.iter().map(|x| (x - mean).abs()).sum::<f64>() / nd;
    let d2 = d
        .windows(2)
        .map(|w| match w {
            [a, b] => (b - a).abs(),
            _ => 0.0,
        })
        .sum::<f64>()
        / nd2;
    if dev > 0.0 {
        d2 / dev
    } else {
        0.0
    }
}

/// The bucket of a series of `n` points.
#[must_use]
pub fn bucket(n: usize) -> &'static Bucket {
    let [first, ..] = &BUCKETS;
    BUCKETS
        .iter()
        .rev()
        .find(|b| n >= b.min_points)
        .unwrap_or(first)
}

/// A member whose in-sample one-step error variance is at most
/// `(EXACT_TOLERANCE · mean|Δy|)²` fits the series exactly (a straight line for drift).
pub const EXACT_TOLERANCE: f64 = 1e-9;

/// Weights of the members with in-sample error variances `s2` (`None` = not fitted) for
/// prior weights `prior` and tilt exponent `tilt`: `prior · (s² / min s²)^(−tilt)` (minimum
/// over the members with a positive prior), renormalised. When a fitted member fits the series
/// exactly (see [`EXACT_TOLERANCE`]; `mean_abs_diff` is the series' mean absolute first
/// difference), the exact members share the weight equally, whatever their priors: a straight
/// line is extrapolated as a straight line.
#[must_use]
pub fn weights(prior: &[f64; 3], tilt: f64, s2: &[Option<f64>; 3], mean_abs_diff: f64) -> [f64; 3] {
    let mut w = [0.0; 3];
    let tol = (EXACT_TOLERANCE * mean_abs_diff).powi(2);
    let exact = s2.map(|s| s.is_some_and(|s| s <= tol));
    if exact.iter().any(|e| *e) {
        for (wi, e) in w.iter_mut().zip(exact) {
            *wi = if e { 1.0 } else { 0.0 };
        }
    } else {
        let min = s2
            .iter()
            .zip(prior)
            .filter_map(|(s, p)| s.filter(|_| *p > 0.0))
            .fold(f64::INFINITY, f64::min);
        for ((wi, s), p) in w.iter_mut().zip(s2).zip(prior) {
            if let (Some(s), true) = (s, *p > 0.0) {
                *wi = if tilt > 0.0 && min > 0.0 {
                    p * (s / min).powf(-tilt)
                } else {
                    *p
                };
            }
        }
    }
    let total: f64 = w.iter().sum();
    if total > 0.0 {
        for wi in &mut w {
            *wi /= total;
        }
    }
    w
}

/// Roughness adjustment of the interval scale: `clamp(roughness, ROUGH_RANGE)^power`.
#[must_use]
pub fn roughness_adjustment(roughness: f64, power: f64) -> f64 {
    roughness.clamp(ROUGH_RANGE.0, ROUGH_RANGE.1).powf(power)
}

/// Mean absolute first difference of the observed points.
fn mean_abs_diff(z: &[f64]) -> f64 {
    let (sum, k) = z.windows(2).fold((0.0, 0.0), |(s, k), w| match w {
        [a, b] => (s + (b - a).abs(), k + 1.0),
        _ => (s, k),
    });
    if k > 0.0 {
        sum / k
    } else {
        0.0
    }
}

fn sigma2(model: &Model) -> Option<f64> {
    model
        .params()
        .iter()
        .find(|(k, _)| *k == "sigma2")
        .map(|(_, v)| *v)
}

pub(crate) fn fit_auto(
    t: &[f64],
    z: &[f64],
    recency_weight: f64,
) -> Result<AutoFit, ProjectionError> {
    let n = t.len();
    if n < 3 {
        return Err(ProjectionError::TooFewPoints { needed: 3, got: n });
    }
    let b = bucket(n);
    let rough = roughness(z);
    let smooth = rough < b.smooth_below;
    let regime = if smooth { &b.smooth } else { &b.rough };
    let mut models: [Option<Model>; 3] = [None, None, None];
    let mut notes = Vec::new();
    let mut first_err = None;
    for ((m, p), slot) in MEMBERS.iter().zip(&regime.prior).zip(models.iter_mut()) {
        // drift is always fitted: it tells whether the series is an exact straight line
        if (*p <= 0.0 && *m != Method::Drift) || n < minimum_points(*m) {
            continue;
        }
        match fit_single(*m, t, z, recency_weight) {
            Ok(f) => {
                if let Some(nt) = f.note {
                    notes.push(nt);
                }
                *slot = Some(f.model);
            }
            Err(e) => {
                notes.push(format!("{m} not fitted: {e}"));
                first_err.get_or_insert(e);
            }
        }
    }
    let s2 = [0, 1, 2].map(|i| models.get(i).and_then(|m| m.as_ref()).and_then(sigma2));
    let mad = mean_abs_diff(z);
    let w = weights(&regime.prior, regime.tilt, &s2, mad);
    let mut members = Vec::new();
    let mut kept = Vec::new();
    let mut kept_w = Vec::new();
    for ((m, model), wi) in MEMBERS.iter().zip(models).zip(w) {
        if let (Some(model), true) = (model, wi > 0.0) {
            members.push(*m);
            kept.push(model);
            kept_w.push(wi);
        }
    }
    if kept.is_empty() {
        return Err(first_err.unwrap_or(ProjectionError::FitFailed("auto")));
    }
    let detail = members
        .iter()
        .zip(&kept_w)
        .map(|(m, w)| format!("{m} {w:.2}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut reason = format!(
        "{n} points, roughness {rough:.2} ({} regime of the {}+ point bucket): {detail}; \
         intervals calibrated offline by horizon (Student-t, {} df)",
        if smooth { "smooth" } else { "rough" },
        b.min_points,
        regime.df
    );
    for nt in notes {
        reason.push_str("; ");
        reason.push_str(&nt);
    }
    Ok(AutoFit {
        model: Model::Combo {
            members: kept,
            rule: PointRule::Mean,
            weights: kept_w,
            calibration: Calibration {
                factors: regime.factors,
                diff_term: regime.diff_share * mad,
                adjust: roughness_adjustment(rough, regime.roughness_power),
                df: regime.df,
                roughness: rough,
                step: super::smallest_step(t).unwrap_or(1.0),
                t_last: t.last().copied().unwrap_or(f64::NAN),
            },
        },
        members,
        reason,
    })
}
