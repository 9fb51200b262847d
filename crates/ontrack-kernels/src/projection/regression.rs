//! Straight-line trends by ordinary and weighted least squares, with exact t-based prediction
//! intervals.

/// A fitted straight line `z = a + b (t - t_bar)` on the fitted scale.
///
/// Errors are modelled as `Var(e_i) = σ² / w_i`. The prediction variance for a new
/// observation at `t0` with weight 1 (the weight of the latest observation, since weights are
/// normalised to 1 at the last year) is `s² (1 + 1/Σw + (t0 - t_bar)² / Sxx)` with
/// `s² = Σ w r² / (n - 2)` and `n - 2` degrees of freedom, exactly as statsmodels' `WLS`
/// `get_prediction(...).conf_int(obs=True)` with unit weight for the new observation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineFit {
    pub(crate) a: f64,
    pub(crate) b: f64,
    pub(crate) t_bar: f64,
    pub(crate) sum_w: f64,
    pub(crate) sxx: f64,
    pub(crate) s2: f64,
    pub(crate) df: f64,
}

impl LineFit {
    /// Fits by weighted least squares; `None` when fewer than 3 points or all years are equal.
    pub(crate) fn fit(t: &[f64], z: &[f64], w: &[f64]) -> Option<Self> {
        let n = t.len();
        if n < 3 || z.len() != n || w.len() != n {
            return None;
        }
        let sum_w: f64 = w.iter().sum();
        if sum_w <= 0.0 || !sum_w.is_finite() {
            return None;
        }
        let t_bar = t.iter().zip(w).map(|(ti, wi)| ti * wi).sum::<f64>() / sum_w;
        let z_bar = z.iter().zip(w).map(|(zi, wi)| zi * wi).sum::<f64>() / sum_w;
        let mut sxx = 0.0;
        let mut sxz = 0.0;
        for ((ti, zi), wi) in t.iter().zip(z).zip(w) {
            let dt = ti - t_bar;
            sxx += wi * dt * dt;
            sxz += wi * dt * (zi - z_bar);
        }
        if sxx <= 0.0 || !sxx.is_finite() {
            return None;
        }
        let b = sxz / sxx;
        let a = z_bar;
        let ssr: f64 = t
            .iter()
            .zip(z)
            .zip(w)
            .map(|((ti, zi), wi)| {
                let r = zi - (a + b * (ti - t_bar));
                wi * r * r
            })
            .sum();
        #[allow(clippy::cast_precision_loss)] // a point count: far below 2^53
        let df = (n - 2) as f64;
        Some(Self {
            a,
            b,
            t_bar,
            sum_w,
            sxx,
            s2: ssr / df,
            df,
        })
    }

    pub(crate) fn point(&self, t0: f64) -> f64 {
        self.a + self.b * (t0 - self.t_bar)
    }

    /// Standard error of prediction for a new observation (weight 1) at `t0`.
    pub(crate) fn pred_se(&self, t0: f64) -> f64 {
        let d = t0 - self.t_bar;
        (self.s2 * (1.0 + 1.0 / self.sum_w + d * d / self.sxx)).sqrt()
    }
}

/// Recency weights `w_i = λ^(t_last - t_i)` (1 for the latest year).
pub(crate) fn recency_weights(t: &[f64], lambda: f64) -> Vec<f64> {
    let last = t.last().copied().unwrap_or(0.0);
    t.iter().map(|ti| lambda.powf(last - ti)).collect()
}

/// Random walk with drift for possibly irregular years.
///
/// The increments `d_i = z_i - z_{i-1}` over gaps `Δ_i` are modelled as independent
/// `N(μ Δ_i, σ² Δ_i)` (Brownian motion with drift observed at the given years). Then the
/// estimate is `μ = (z_last - z_first)/(t_last - t_first)`, `Var(μ) = σ²/T` with
/// `T = t_last - t_first`, `s² = Σ (d_i - μ Δ_i)² / Δ_i / (m - 1)` over the `m = n - 1`
/// increments, and the forecast variance `h` years after the last observation is
/// `s² (h + h²/T)`. For yearly data this is the textbook `σ² h (1 + h/(n-1))`. Student-t with
/// `n - 2` degrees of freedom.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DriftFit {
    pub(crate) z_last: f64,
    pub(crate) t_last: f64,
    pub(crate) mu: f64,
    pub(crate) span: f64,
    pub(crate) s2: f64,
    pub(crate) df: f64,
}

impl DriftFit {
    pub(crate) fn fit(t: &[f64], z: &[f64]) -> Option<Self> {
        let n = t.len();
        if n < 3 || z.len() != n {
            return None;
        }
        let (t_first, z_first) = (*t.first()?, *z.first()?);
        let (t_last, z_last) = (*t.last()?, *z.last()?);
        let span = t_last - t_first;
        if span <= 0.0 {
            return None;
        }
        let mu = (z_last - z_first) / span;
        let ss: f64 = t
            .windows(2)
            .zip(z.windows(2))
            .filter_map(|(tw, zw)| match (tw, zw) {
                ([t0, t1], [z0, z1]) => {
                    let dt = t1 - t0;
                    let r = (z1 - z0) - mu * dt;
                    Some(r * r / dt)
                }
                _ => None,
            })
            .sum();
        #[allow(clippy::cast_precision_loss)] // a point count: far below 2^53
        let df = (n - 2) as f64;
        Some(Self {
            z_last,
            t_last,
            mu,
            span,
            s2: ss / df,
            df,
        })
    }

    pub(crate) fn point(&self, t0: f64) -> f64 {
        self.z_last + self.mu * (t0 - self.t_last)
    }

    pub(crate) fn pred_se(&self, t0: f64) -> f64 {
        let h = (t0 - self.t_last).max(0.0);
        (self.s2 * (h + h * h / self.span)).sqrt()
    }
}
