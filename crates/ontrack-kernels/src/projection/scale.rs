//! Scales a projection is fitted on (identity, log, logit) and the clamp to natural bounds.

/// Fraction of the bounded range by which values lying exactly at a bound are moved inside it
/// before taking the logit (`u = (y - L)/(U - L)` is clamped to `[ε, 1 - ε]`, `ε = 0.001`).
///
/// A value of exactly 100 % on a 0–100 scale is thus fitted as 99.9 %; the logit of the nudged
/// value is about ±6.9, far enough out that projections towards the bound are not held back
/// noticeably, yet finite.
pub const LOGIT_NUDGE: f64 = 1e-3;

/// The scale on which a projection model is fitted; forecasts are mapped back monotonically.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FitScale {
    /// The values themselves.
    Identity,
    /// `ln(y - shift)`; `shift` is the lower bound (0 for plain log-linear models).
    Log {
        /// Subtracted before taking the logarithm.
        shift: f64,
    },
    /// `logit((y - lo)/(hi - lo))`, for indicators with both natural bounds.
    Logit {
        /// Lower natural bound.
        lo: f64,
        /// Upper natural bound.
        hi: f64,
    },
}

impl FitScale {
    /// Short name: `"identity"`, `"log"` or `"logit"`.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Log { .. } => "log",
            Self::Logit { .. } => "logit",
        }
    }

    /// Transforms an observed value for fitting (values at a logit bound are nudged inside).
    /// Returns `None` when the value is outside the domain of the scale.
    pub(crate) fn forward_data(&self, y: f64) -> Option<f64> {
        match *self {
            Self::Identity => Some(y),
            Self::Log { shift } => {
                let d = y - shift;
                (d > 0.0).then(|| d.ln())
            }
            Self::Logit { lo, hi } => {
                let u = (y - lo) / (hi - lo);
                if !(0.0..=1.0).contains(&u) {
                    return None;
                }
                let u = u.clamp(LOGIT_NUDGE, 1.0 - LOGIT_NUDGE);
                Some((u / (1.0 - u)).ln())
            }
        }
    }

    /// Exact transform of a threshold `x` for evaluating a distribution function: values below
    /// (above) the open domain map to −∞ (+∞).
    pub(crate) fn forward_threshold(&self, x: f64) -> f64 {
        match *self {
            Self::Identity => x,
            Self::Log { shift } => {
                let d = x - shift;
                if d > 0.0 {
                    d.ln()
                } else {
                    f64::NEG_INFINITY
                }
            }
            Self::Logit { lo, hi } => {
                let u = (x - lo) / (hi - lo);
                if u <= 0.0 {
                    f64::NEG_INFINITY
                } else if u >= 1.0 {
                    f64::INFINITY
                } else {
                    (u / (1.0 - u)).ln()
                }
            }
        }
    }

    /// Maps a value on the fitted scale back to the original scale (monotone increasing).
    pub(crate) fn back(&self, z: f64) -> f64 {
        match *self {
            Self::Identity => z,
            Self::Log { shift } => shift + z.exp(),
            Self::Logit { lo, hi } => {
                // numerically stable logistic
                let u = if z >= 0.0 {
                    1.0 / (1.0 + (-z).exp())
                } else {
                    let e = z.exp();
                    e / (1.0 + e)
                };
                lo + (hi - lo) * u
            }
        }
    }
}

/// Natural bounds applied by clamping after the back-transform (a no-op on the logit scale,
/// whose back-transform already stays strictly inside).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Clamp {
    pub(crate) lo: Option<f64>,
    pub(crate) hi: Option<f64>,
}

impl Clamp {
    pub(crate) fn apply(&self, y: f64) -> f64 {
        let mut y = y;
        if let Some(lo) = self.lo {
            if y < lo {
                y = lo;
            }
        }
        if let Some(hi) = self.hi {
            if y > hi {
                y = hi;
            }
        }
        y
    }
}
