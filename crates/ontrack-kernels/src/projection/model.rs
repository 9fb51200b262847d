//! Fitted models on the fitted scale and their location/scale at a future year.

use super::predictive::Shape;
use super::regression::{DriftFit, LineFit};
use super::smoothing::{DampedFit, ThetaFit};

/// How a combination forms its point forecast from its members' points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PointRule {
    /// Weighted mean with the combination's weights.
    Mean,
}

/// A fitted model on the fitted scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Model {
    Line(LineFit),
    Drift(DriftFit),
    Damped {
        fit: DampedFit,
        step: f64,
        t_last: f64,
        s2: f64,
        shape: Shape,
    },
    Theta {
        fit: ThetaFit,
        step: f64,
        t_last: f64,
        s2: f64,
        shape: Shape,
    },
    Combo {
        members: Vec<Model>,
        rule: PointRule,
        /// Member weights (sum 1), used by the mean rule and the combined variance.
        weights: Vec<f64>,
        /// Calibration of the combined scale (see [`Calibration`]).
        calibration: Calibration,
    },
}

/// Calibration of a combination's predictive distribution: at `h` steps ahead the scale is
/// `factors[h − 1] · adjust · √(nominal² + diff_term²)`, with `factors[h − 1]` (linear between whole steps, `factors[0]`
/// up to one step, the last factor beyond the last step), and the shape is Student-t with `df`
/// degrees of freedom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Calibration {
    /// Scale factors 1…6 steps ahead.
    pub(crate) factors: [f64; 6],
    /// `diff_share · mean|Δy|`, added in quadrature to the nominal scale.
    pub(crate) diff_term: f64,
    /// Roughness adjustment `max(roughness, floor)^power` of the scale.
    pub(crate) adjust: f64,
    /// Degrees of freedom of the Student-t shape.
    pub(crate) df: f64,
    /// Roughness of the series (reported only).
    pub(crate) roughness: f64,
    /// Grid step in years (horizon `h = (t − t_last) / step`).
    pub(crate) step: f64,
    /// Last observed year.
    pub(crate) t_last: f64,
}

impl Calibration {
    /// Scale multiplier at year `t0`.
    pub(crate) fn factor(&self, t0: f64) -> f64 {
        let h = (t0 - self.t_last) / self.step;
        let [first, .., last] = self.factors;
        if h.is_nan() || h <= 1.0 {
            return first;
        }
        #[allow(clippy::cast_precision_loss)] // a handful of horizon factors
        let top = self.factors.len() as f64;
        if h >= top {
            return last;
        }
        // 1 < h < 6: between factors[k - 1] and factors[k]
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1 < h < 6 here
        let k = h.floor() as usize;
        let frac = h - h.floor();
        match (self.factors.get(k - 1), self.factors.get(k)) {
            (Some(a), Some(b)) => a + frac * (b - a),
            (Some(a), None) => *a,
            _ => last,
        }
    }
}

/// Interpolates a variance multiplier defined at integer horizons to a real horizon `h > 0`,
/// with `v(0) = 0` and `v(1) = 1`.
fn interp_var(h: f64, at_int: &dyn Fn(u32) -> f64) -> f64 {
    if h <= 1.0 {
        return h.max(0.0);
    }
    let lo = h.floor();
    let frac = h - lo;
    // horizons beyond u32 are meaningless; saturate
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let k = lo.min(f64::from(u32::MAX - 1)) as u32;
    let v_lo = at_int(k);
    if frac <= 0.0 {
        v_lo
    } else {
        v_lo + frac * (at_int(k + 1) - v_lo)
    }
}

impl Model {
    /// Named fitted parameters (for reporting and tests).
    pub(crate) fn params(&self) -> Vec<(&'static str, f64)> {
        match self {
            Self::Line(f) => vec![
                ("slope", f.b),
                ("level_at_mean_year", f.a),
                ("mean_year", f.t_bar),
                ("sigma2", f.s2),
                ("df", f.df),
            ],
            Self::Drift(f) => vec![("drift", f.mu), ("sigma2", f.s2), ("df", f.df)],
            Self::Damped { fit, s2, step, .. } => vec![
                ("alpha", fit.alpha),
                ("beta", fit.beta),
                ("phi", fit.phi),
                ("level", fit.level),
                ("trend", fit.trend),
                ("sse", fit.sse),
                ("sigma2", *s2),
                ("step", *step),
            ],
            Self::Theta { fit, s2, step, .. } => vec![
                ("alpha", fit.alpha),
                ("b0", fit.b0),
                ("level", fit.level),
                ("sse", fit.sse),
                ("sigma2", *s2),
                ("step", *step),
            ],
            Self::Combo {
                weights,
                calibration,
                ..
            } => {
                let mut v: Vec<(&'static str, f64)> =
                    weights.iter().map(|w| ("weight", *w)).collect();
                v.extend(calibration.factors.iter().map(|f| ("scale_factor", *f)));
                v.push(("df", calibration.df));
                v.push(("roughness", calibration.roughness));
                v
            }
        }
    }

    /// `(location, scale, shape)` on the fitted scale at year `t0` (after the last year).
    pub(crate) fn loc_scale(&self, t0: f64) -> (f64, f64, Shape) {
        match self {
            Self::Line(f) => (f.point(t0), f.pred_se(t0), Shape::StudentT(f.df)),
            Self::Drift(f) => (f.point(t0), f.pred_se(t0), Shape::StudentT(f.df)),
            Self::Damped {
                fit,
                step,
                t_last,
                s2,
                shape,
            } => {
                let h = (t0 - t_last) / step;
                let v = interp_var(h, &|k| fit.var_factor(k));
                (fit.point(h), (s2 * v).sqrt(), *shape)
            }
            Self::Theta {
                fit,
                step,
                t_last,
                s2,
                shape,
            } => {
                let h = (t0 - t_last) / step;
                let v = interp_var(h, &|k| fit.var_factor(f64::from(k)));
                let point = if h >= 1.0 {
                    fit.point(h)
                } else {
                    fit.level + h.max(0.0) * (fit.point(1.0) - fit.level)
                };
                (point, (s2 * v).sqrt(), *shape)
            }
            Self::Combo {
                members,
                rule,
                weights,
                calibration,
            } => {
                let (loc, scale) = combine(members, *rule, weights, t0);
                (
                    loc,
                    calibration.factor(t0)
                        * calibration.adjust
                        * scale.hypot(calibration.diff_term),
                    Shape::StudentT(calibration.df),
                )
            }
        }
    }
}

/// Combines members: the point is the weighted mean of the members' locations; the squared
/// scale is the weighted mean of the members' squared scales plus the weighted spread of their
/// locations around the combined point (the variance of the mixture, which counts disagreement
/// between methods as uncertainty). This is the *nominal* scale; [`Calibration`] is applied by
/// the caller.
fn combine(members: &[Model], rule: PointRule, weights: &[f64], t0: f64) -> (f64, f64) {
    let parts: Vec<(f64, f64)> = members
        .iter()
        .map(|m| {
            let (l, s, _) = m.loc_scale(t0);
            (l, s)
        })
        .collect();
    if parts.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let wsum: f64 = weights.iter().sum();
    let point = match rule {
        PointRule::Mean => parts.iter().zip(weights).map(|(p, w)| p.0 * w).sum::<f64>() / wsum,
    };
    let var = parts
        .iter()
        .zip(weights)
        .map(|((l, s), w)| w * (s * s + (l - point) * (l - point)))
        .sum::<f64>()
        / wsum;
    (point, var.sqrt())
}
