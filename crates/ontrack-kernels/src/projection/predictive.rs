//! The predictive distribution of one horizon year, in the original scale of the indicator.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::scale::{Clamp, FitScale};

/// Shape of the standardised error on the fitted scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// Standard normal.
    Normal,
    /// Student-t with the given degrees of freedom (> 0).
    StudentT(f64),
}

impl Shape {
    fn cdf(&self, z: f64) -> f64 {
        if z == f64::INFINITY {
            return 1.0;
        }
        if z == f64::NEG_INFINITY {
            return 0.0;
        }
        if z.is_nan() {
            return f64::NAN;
        }
        match *self {
            Self::Normal => Normal::new(0.0, 1.0).map_or(f64::NAN, |d| d.cdf(z)),
            Self::StudentT(df) => StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.cdf(z)),
        }
    }

    /// Quantile of the standard shape; `p` must lie strictly inside (0, 1) (checked by callers:
    /// statrs asserts on it).
    fn quantile(&self, p: f64) -> f64 {
        if !(p > 0.0 && p < 1.0) {
            return f64::NAN;
        }
        match *self {
            Self::Normal => memoised_quantile(f64::INFINITY, p),
            Self::StudentT(df) => memoised_quantile(df, p),
        }
    }
}

thread_local! {
    /// Standard normal and Student-t quantiles by (degrees of freedom, infinite for the
    /// normal; probability): a projection asks for the same few quantiles (one per level and
    /// side) for every horizon of every series, and the inverse CDF is by far the most
    /// expensive step of an interval. The keys are hashed by foldhash's fixed-seed hasher: a
    /// lookup is a few nanoseconds, where SipHash cost more than the normal's inverse CDF.
    static QUANTILES: std::cell::RefCell<QuantileMemo> = std::cell::RefCell::default();
}

/// Quantiles by the bits of (degrees of freedom, probability).
type QuantileMemo = std::collections::HashMap<(u64, u64), f64, foldhash::fast::FixedState>;

/// Memoised standard Student-t quantile (`df` infinite: the standard normal's).
fn memoised_quantile(df: f64, p: f64) -> f64 {
    let key = (df.to_bits(), p.to_bits());
    if let Some(q) = QUANTILES.with(|m| m.borrow().get(&key).copied()) {
        return q;
    }
    let q = if df == f64::INFINITY {
        Normal::new(0.0, 1.0).map_or(f64::NAN, |d| d.inverse_cdf(p))
    } else {
        StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(p))
    };
    QUANTILES.with(|m| {
        let mut m = m.borrow_mut();
        // Degrees of freedom vary with series length; keep the table small.
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(key, q);
    });
    q
}

/// Predictive distribution of the indicator in one future year.
///
/// On the fitted scale `Z = loc + scale · E` with `E` standard normal or Student-t; the original
/// value is `Y = clamp(g(Z))` where `g` is the monotone back-transform of the fitted scale
/// (identity, `exp`, logistic) and `clamp` holds `Y` inside the natural bounds. Because `g` and
/// `clamp` are monotone, quantiles map through exactly: `q_Y(p) = clamp(g(q_Z(p)))`. With a
/// bound and the identity scale, the probability mass beyond the bound sits on the bound (a
/// censored distribution), which is why [`Predictive::prob_at_least`] and
/// [`Predictive::prob_above`] can differ at a bound.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictive {
    /// Year this distribution describes.
    pub year: f64,
    /// Location on the fitted scale (the point forecast before the back-transform).
    pub loc: f64,
    /// Scale on the fitted scale (0 = no uncertainty, a point mass).
    pub scale: f64,
    /// Shape of the standardised error.
    pub shape: Shape,
    /// The fitted scale.
    pub fit_scale: FitScale,
    pub(crate) clamp: Clamp,
}

impl Predictive {
    /// Point forecast in the original scale: the back-transformed location (the median of the
    /// predictive distribution, also for log and logit scales).
    #[must_use]
    pub fn point(&self) -> f64 {
        self.clamp.apply(self.fit_scale.back(self.loc))
    }

    /// Median in the original scale (equal to [`Predictive::point`]).
    #[must_use]
    pub fn median(&self) -> f64 {
        self.point()
    }

    /// Mean in the original scale, where it exists and is cheap to state: exact on the identity
    /// scale without bounds (`loc`), exact for a log-normal; computed numerically for bounded
    /// distributions. `None` for a log scale with Student-t errors (the mean is infinite) and for
    /// t with df ≤ 1 on the identity scale.
    #[must_use]
    pub fn mean(&self) -> Option<f64> {
        let bounded = self.clamp.lo.is_some() || self.clamp.hi.is_some();
        match (self.fit_scale, self.shape) {
            (FitScale::Identity, Shape::StudentT(df)) if df <= 1.0 && !bounded => None,
            (FitScale::Identity, _) if !bounded => Some(self.loc),
            (FitScale::Log { shift }, Shape::Normal) if self.clamp.hi.is_none() => {
                Some(shift + (self.loc + 0.5 * self.scale * self.scale).exp())
            }
            (FitScale::Log { .. }, Shape::StudentT(_)) if self.clamp.hi.is_none() => None,
            _ => {
                // bounded on both sides or censored: midpoint rule over quantiles
                let k = 2000_u32;
                let sum: f64 = (0..k)
                    .map(|i| self.quantile((f64::from(i) + 0.5) / f64::from(k)))
                    .sum();
                let m = sum / f64::from(k);
                m.is_finite().then_some(m)
            }
        }
    }

    /// Quantile `p ∈ (0, 1)` in the original scale; NaN for `p` outside (0, 1).
    #[must_use]
    pub fn quantile(&self, p: f64) -> f64 {
        if !(p > 0.0 && p < 1.0) {
            return f64::NAN;
        }
        let z = if self.scale > 0.0 {
            self.loc + self.scale * self.shape.quantile(p)
        } else {
            self.loc
        };
        self.clamp.apply(self.fit_scale.back(z))
    }

    /// Central prediction interval at `level ∈ (0, 1)`: the `(1-level)/2` and `(1+level)/2`
    /// quantiles. `None` for a level outside (0, 1).
    #[must_use]
    pub fn interval(&self, level: f64) -> Option<(f64, f64)> {
        if !(level > 0.0 && level < 1.0) {
            return None;
        }
        let a = 0.5 * (1.0 - level);
        Some((self.quantile(a), self.quantile(1.0 - a)))
    }

    fn fitted_cdf(&self, z: f64) -> f64 {
        if self.scale > 0.0 {
            self.shape.cdf((z - self.loc) / self.scale)
        } else if z >= self.loc {
            1.0
        } else {
            0.0
        }
    }

    /// Distribution function `P(Y ≤ x)` in the original scale.
    #[must_use]
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if self.clamp.lo.is_some_and(|lo| x < lo) {
            return 0.0;
        }
        if self.clamp.hi.is_some_and(|hi| x >= hi) {
            return 1.0;
        }
        self.fitted_cdf(self.fit_scale.forward_threshold(x))
    }

    /// `P(Y < x)`: equal to [`Predictive::cdf`] except at an atom on a bound.
    #[must_use]
    pub fn cdf_below(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        if self.clamp.lo.is_some_and(|lo| x <= lo) {
            return 0.0;
        }
        if self.clamp.hi.is_some_and(|hi| x > hi) {
            return 1.0;
        }
        let z = self.fit_scale.forward_threshold(x);
        if self.scale > 0.0 {
            self.fitted_cdf(z)
        } else if z > self.loc {
            1.0
        } else {
            0.0
        }
    }

    /// `P(Y ≥ x)` ("reaches x").
    #[must_use]
    pub fn prob_at_least(&self, x: f64) -> f64 {
        1.0 - self.cdf_below(x)
    }

    /// `P(Y > x)` ("exceeds x").
    #[must_use]
    pub fn prob_above(&self, x: f64) -> f64 {
        1.0 - self.cdf(x)
    }

    /// `P(Y ≤ x)` ("at most x").
    #[must_use]
    pub fn prob_at_most(&self, x: f64) -> f64 {
        self.cdf(x)
    }

    /// `P(Y < x)` ("below x").
    #[must_use]
    pub fn prob_below(&self, x: f64) -> f64 {
        self.cdf_below(x)
    }

    /// Probability of meeting `target`: for `increase` (higher is better) `P(Y ≥ target)`, or
    /// `P(Y > target)` when `strict`; for a decrease target `P(Y ≤ target)`, or `P(Y < target)`
    /// when `strict`.
    #[must_use]
    pub fn prob_meets(&self, target: f64, increase: bool, strict: bool) -> f64 {
        match (increase, strict) {
            (true, false) => self.prob_at_least(target),
            (true, true) => self.prob_above(target),
            (false, false) => self.prob_at_most(target),
            (false, true) => self.prob_below(target),
        }
    }
}
