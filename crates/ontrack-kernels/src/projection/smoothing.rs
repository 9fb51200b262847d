//! Exponential smoothing: damped-trend Holt (ETS(A,Ad,N)) and the theta method, with a small
//! bounded Nelder–Mead optimiser.
//!
//! Why a hand-written optimiser: the problems here have one to three parameters on a box, the
//! objective is a cheap recursion over at most a few dozen points, and the smoothing states are
//! concentrated out exactly (the one-step errors are linear in the initial level and trend, so
//! they are solved by a 2×2 least-squares step). A 60-line Nelder–Mead on a logistic
//! reparametrisation of the box is all that is needed; `argmin` would add `argmin-math`,
//! `num-traits`, `rand`, `anyhow`/`thiserror` and a generic solver framework to a crate that
//! otherwise only depends on `statrs`.

/// Bounds of the smoothing parameters, as in Hyndman et al. (2008) and R's `forecast::ets`.
pub(crate) const ALPHA_BOUNDS: (f64, f64) = (1e-4, 0.9999);
/// Bounds of `β* = β/α` (so that `0 < β < α`).
pub(crate) const BETA_STAR_BOUNDS: (f64, f64) = (1e-4, 0.9999);
/// Bounds of the damping parameter φ.
pub(crate) const PHI_BOUNDS: (f64, f64) = (0.8, 0.98);

/// Values of `α` of theta's grid whose SSEs are computed together (see [`ses_sse`]).
const GRID_LANES: usize = 8;

/// Terms of the damped-trend variance sum computed one by one (`0.98^4000 < 1e-35`).
const VAR_EXACT_TERMS: u32 = 4000;

fn logistic(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

/// Dimension of the damped-trend parameter vector `(α, β*, φ)`.
const DIM: usize = 3;
/// A point of the (reparametrised) parameter space.
type Point = [f64; DIM];

fn to_box(u: &Point, bounds: &[(f64, f64); DIM]) -> Point {
    let mut x = [0.0; DIM];
    for ((xi, ui), (lo, hi)) in x.iter_mut().zip(u).zip(bounds) {
        *xi = lo + (hi - lo) * logistic(*ui);
    }
    x
}

fn from_box(x: &Point, bounds: &[(f64, f64); DIM]) -> Point {
    let mut u = [0.0; DIM];
    for ((ui, xi), (lo, hi)) in u.iter_mut().zip(x).zip(bounds) {
        let p = ((xi - lo) / (hi - lo)).clamp(1e-6, 1.0 - 1e-6);
        *ui = (p / (1.0 - p)).ln();
    }
    u
}

/// Stable ascending sort of the simplex by value (insertion sort: no allocation, and the same
/// order as a stable `sort_by` with `total_cmp`).
fn sort_simplex(simplex: &mut [(Point, f64); DIM + 1]) {
    for i in 1..simplex.len() {
        let mut j = i;
        while j > 0 {
            let out_of_order = match (simplex.get(j - 1), simplex.get(j)) {
                (Some(a), Some(b)) => a.1.total_cmp(&b.1).is_gt(),
                _ => false,
            };
            if !out_of_order {
                break;
            }
            simplex.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Minimises `f` over the box `bounds` from the start `x0` by Nelder–Mead on the logistic
/// reparametrisation; returns the best point (in the box) and its value. Works on fixed-size
/// arrays: nothing is allocated.
pub(crate) fn minimise_box(
    f: &impl Fn(&Point) -> f64,
    x0: &Point,
    bounds: &[(f64, f64); DIM],
    max_iter: usize,
) -> (Point, f64) {
    let g = |u: &Point| {
        let v = f(&to_box(u, bounds));
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let u0 = from_box(x0, bounds);
    let mut simplex: [(Point, f64); DIM + 1] = [(u0, 0.0); DIM + 1];
    for (i, (u, v)) in simplex.iter_mut().enumerate() {
        // vertex 0 is the start, vertex i ≥ 1 moves coordinate i - 1 by one
        if let Some(ui) = i.checked_sub(1).and_then(|k| u.get_mut(k)) {
            *ui += 1.0;
        }
        *v = g(u);
    }
    for _ in 0..max_iter {
        sort_simplex(&mut simplex);
        let [(best, best_v), .., (worst, worst_v)] = simplex;
        if (worst_v - best_v).abs() <= 1e-10 * (1.0 + best_v.abs()) {
            break;
        }
        let mut centroid = [0.0; DIM];
        for (u, _) in simplex.iter().take(DIM) {
            for (c, ui) in centroid.iter_mut().zip(u) {
                *c += ui;
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let k = DIM as f64;
        centroid.iter_mut().for_each(|c| *c /= k);
        let along = |t: f64| -> Point {
            let mut x = centroid;
            for (xi, w) in x.iter_mut().zip(&worst) {
                *xi += t * (*xi - w);
            }
            x
        };
        let second_worst_v = simplex.get(DIM - 1).map_or(worst_v, |s| s.1);
        let xr = along(1.0);
        let vr = g(&xr);
        let replacement = if vr < best_v {
            let xe = along(2.0);
            let ve = g(&xe);
            if ve < vr {
                Some((xe, ve))
            } else {
                Some((xr, vr))
            }
        } else if vr < second_worst_v {
            Some((xr, vr))
        } else {
            let xc = if vr < worst_v {
                along(0.5)
            } else {
                along(-0.5)
            };
            let vc = g(&xc);
            if vc < worst_v.min(vr) {
                Some((xc, vc))
            } else {
                None
            }
        };
        if let Some(r) = replacement {
            if let Some(last) = simplex.last_mut() {
                *last = r;
            }
        } else {
            // shrink towards the best vertex
            for (u, v) in simplex.iter_mut().skip(1) {
                for (ui, bi) in u.iter_mut().zip(&best) {
                    *ui = bi + 0.5 * (*ui - bi);
                }
                *v = g(u);
            }
        }
    }
    sort_simplex(&mut simplex);
    let [(u, v), ..] = simplex;
    (to_box(&u, bounds), v)
}

/// A fitted damped-trend Holt model (ETS(A,Ad,N) in Hyndman et al. 2008).
///
/// `ŷ_t = ℓ_{t-1} + φ b_{t-1}`, `e_t = y_t - ŷ_t`, `ℓ_t = ŷ_t + α e_t`,
/// `b_t = φ b_{t-1} + β e_t` with `β = α β*`. `α, β*, φ` minimise the sum of squared one-step
/// errors; for each candidate the initial level and trend are the exact least-squares values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DampedFit {
    pub(crate) alpha: f64,
    pub(crate) beta: f64,
    pub(crate) phi: f64,
    pub(crate) level: f64,
    pub(crate) trend: f64,
    pub(crate) sse: f64,
    pub(crate) n: usize,
}

/// Runs the recursion; returns (sse, final level, final trend).
fn holt_run(y: &[f64], l0: f64, b0: f64, alpha: f64, beta: f64, phi: f64) -> (f64, f64, f64) {
    let (mut l, mut b, mut sse) = (l0, b0, 0.0);
    for yt in y {
        let yhat = l + phi * b;
        let e = yt - yhat;
        sse += e * e;
        l = yhat + alpha * e;
        b = phi * b + beta * e;
    }
    (sse, l, b)
}

/// Least-squares initial level and trend for given smoothing parameters, and the SSE of the
/// one-step errors from them, in one pass.
///
/// The one-step errors are affine in the initial states: `e = e₀ + Δℓ e_ℓ + Δb e_b`, where `e₀`
/// are the errors from the naive start `(y₁, y₂ − y₁)` and `e_ℓ`, `e_b` those of zero data from
/// a unit level / unit trend. The least-squares correction solves the 2×2 normal equations
/// `A Δ = −c` and the minimal SSE is `|e₀|² + Δ·c`, so the recursion is not run a second time.
/// Starting from the naive states (rather than zero) keeps `|e₀|²` of the order of the minimal
/// SSE, so that subtraction loses no accuracy.
fn holt_concentrated(y: &[f64], alpha: f64, beta: f64, phi: f64) -> (f64, f64, f64) {
    let fallback = match (y.first(), y.get(1)) {
        (Some(a), Some(b)) => (*a, b - a),
        (Some(a), None) => (*a, 0.0),
        _ => (0.0, 0.0),
    };
    // Three coupled runs: data from the naive start, and zero data with unit level / unit trend.
    let (mut s0, mut sl, mut sb) = (fallback, (1.0, 0.0), (0.0, 1.0));
    let (mut ee, mut ll, mut bb, mut lb, mut l0e, mut b0e) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for yt in y {
        let e0 = yt - (s0.0 + phi * s0.1);
        let el = -(sl.0 + phi * sl.1);
        let eb = -(sb.0 + phi * sb.1);
        ee += e0 * e0;
        ll += el * el;
        bb += eb * eb;
        lb += el * eb;
        l0e += el * e0;
        b0e += eb * e0;
        s0 = (s0.0 + phi * s0.1 + alpha * e0, phi * s0.1 + beta * e0);
        sl = (sl.0 + phi * sl.1 + alpha * el, phi * sl.1 + beta * el);
        sb = (sb.0 + phi * sb.1 + alpha * eb, phi * sb.1 + beta * eb);
    }
    let det = ll * bb - lb * lb;
    if !(det.is_finite() && det > 1e-12 * (ll * bb).max(f64::MIN_POSITIVE)) {
        return (fallback.0, fallback.1, ee);
    }
    // minimise |e0 + Δl el + Δb eb|²  →  [ll lb; lb bb] Δ = -[l0e; b0e]
    let dl = -(bb * l0e - lb * b0e) / det;
    let db = -(ll * b0e - lb * l0e) / det;
    let (l0, b0) = (fallback.0 + dl, fallback.1 + db);
    if l0.is_finite() && b0.is_finite() {
        (l0, b0, (ee + dl * l0e + db * b0e).max(0.0))
    } else {
        (fallback.0, fallback.1, ee)
    }
}

impl DampedFit {
    /// Fits on a regularly spaced series (at least 4 points).
    pub(crate) fn fit(y: &[f64]) -> Option<Self> {
        if y.len() < 4 {
            return None;
        }
        let sse_of = |p: &Point| -> f64 {
            let [alpha, beta_star, phi] = *p;
            holt_concentrated(y, alpha, alpha * beta_star, phi).2
        };
        let bounds = [ALPHA_BOUNDS, BETA_STAR_BOUNDS, PHI_BOUNDS];
        let starts: [[f64; 3]; 4] = [
            [0.5, 0.1, 0.9],
            [0.9, 0.3, 0.95],
            [0.2, 0.05, 0.85],
            [0.99, 0.01, 0.97],
        ];
        let mut best: Option<(Point, f64)> = None;
        for s in &starts {
            let (x, v) = minimise_box(&sse_of, s, &bounds, 400);
            if best.as_ref().is_none_or(|(_, bv)| v < *bv) {
                best = Some((x, v));
            }
        }
        let ([alpha, beta_star, phi], _) = best?;
        let beta = alpha * beta_star;
        let (l0, b0, _) = holt_concentrated(y, alpha, beta, phi);
        let (sse, level, trend) = holt_run(y, l0, b0, alpha, beta, phi);
        (sse.is_finite() && level.is_finite() && trend.is_finite()).then_some(Self {
            alpha,
            beta,
            phi,
            level,
            trend,
            sse,
            n: y.len(),
        })
    }

    /// Point forecast `h ≥ 0` steps ahead (real `h`; `h = 0` gives the last level).
    pub(crate) fn point(&self, h: f64) -> f64 {
        let damp_sum = if (1.0 - self.phi).abs() < 1e-12 {
            h
        } else {
            self.phi * (1.0 - self.phi.powf(h)) / (1.0 - self.phi)
        };
        self.level + damp_sum * self.trend
    }

    /// Variance multiplier `1 + Σ_{j=1}^{h-1} c_j²`, `c_j = α + β φ (1-φ^j)/(1-φ)` (class 1,
    /// Hyndman et al. 2008, Table 6.1) for integer `h ≥ 1`.
    ///
    /// The first [`VAR_EXACT_TERMS`] terms are summed; with `φ ≤ 0.98` the rest equal the
    /// limit `c_∞ = α + β φ/(1-φ)` to rounding and are added at once, so a far horizon costs
    /// no more than a near one (a sum over billions of steps would never end).
    pub(crate) fn var_factor(&self, h: u32) -> f64 {
        let terms = h.saturating_sub(1);
        let mut v = 1.0;
        let mut phi_pow = 1.0;
        let mut damp_sum = 0.0;
        for _ in 0..terms.min(VAR_EXACT_TERMS) {
            phi_pow *= self.phi;
            damp_sum += phi_pow;
            let c = self.alpha + self.beta * damp_sum;
            v += c * c;
        }
        if terms > VAR_EXACT_TERMS && self.phi < 1.0 {
            let c = self.alpha + self.beta * self.phi / (1.0 - self.phi);
            v += f64::from(terms - VAR_EXACT_TERMS) * c * c;
        }
        v
    }
}

/// A fitted theta method (Assimakopoulos & Nikolopoulos 2000, in the form of Hyndman & Billah
/// 2003 as implemented by statsmodels' `ThetaModel` with θ = 2): simple exponential smoothing
/// with initial level `y_1` and `α` minimising the one-step SSE, plus half the OLS slope `b0`:
/// `ŷ_{n+h} = ℓ_n + (b0/2) (h - 1 + 1/α - (1-α)^n/α)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ThetaFit {
    pub(crate) alpha: f64,
    pub(crate) level: f64,
    pub(crate) b0: f64,
    pub(crate) sse: f64,
    pub(crate) n: usize,
}

/// One-step SSE of simple exponential smoothing from `ℓ₀ = y₁` for `K` values of `α` at once.
///
/// Each lane does exactly the operations of [`ses_run`] (so the sums are bit for bit the
/// same), but the `K` recursions are independent, so the processor overlaps them: one run is
/// a chain of dependent additions and multiplications that leaves most of its arithmetic
/// units idle.
fn ses_sse<const K: usize>(y: &[f64], alphas: [f64; K]) -> [f64; K] {
    let Some((first, rest)) = y.split_first() else {
        return [f64::INFINITY; K];
    };
    let mut level = [*first; K];
    let mut sse = [0.0; K];
    for yt in rest {
        for ((l, s), alpha) in level.iter_mut().zip(sse.iter_mut()).zip(&alphas) {
            let e = yt - *l;
            *s += e * e;
            *l += alpha * e;
        }
    }
    sse
}

fn ses_run(y: &[f64], alpha: f64) -> (f64, f64) {
    let mut it = y.iter();
    let Some(first) = it.next() else {
        return (f64::INFINITY, f64::NAN);
    };
    let (mut l, mut sse) = (*first, 0.0);
    for yt in it {
        let e = yt - l;
        sse += e * e;
        l += alpha * e;
    }
    (sse, l)
}

impl ThetaFit {
    /// Fits on a regularly spaced series (at least 3 points).
    pub(crate) fn fit(y: &[f64]) -> Option<Self> {
        let n = y.len();
        if n < 3 {
            return None;
        }
        // OLS slope on 0..n-1
        #[allow(clippy::cast_precision_loss)]
        let t_bar = (n as f64 - 1.0) / 2.0;
        #[allow(clippy::cast_precision_loss)]
        let y_bar = y.iter().sum::<f64>() / n as f64;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (i, yi) in y.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let d = i as f64 - t_bar;
            sxy += d * (yi - y_bar);
            sxx += d * d;
        }
        let b0 = sxy / sxx;
        // α: grid then golden-section refinement (the SSE can have several local minima)
        let (lo, hi) = (ALPHA_BOUNDS.0, 1.0);
        let grid = 40_u32;
        let alpha_at = |k: u32| lo + (hi - lo) * f64::from(k) / f64::from(grid);
        // grid point 0 is `lo` itself; the other 40 are evaluated eight at a time, in order
        let mut best = (lo, ses_run(y, lo).0);
        for k0 in (1..=grid).step_by(GRID_LANES) {
            let alphas: [f64; GRID_LANES] =
                std::array::from_fn(|j| alpha_at((k0 + u32::try_from(j).unwrap_or(0)).min(grid)));
            for (_, (a, v)) in (k0..=grid).zip(alphas.into_iter().zip(ses_sse(y, alphas))) {
                if v < best.1 {
                    best = (a, v);
                }
            }
        }
        let step = (hi - lo) / f64::from(grid);
        let (mut a, mut b) = ((best.0 - step).max(lo), (best.0 + step).min(hi));
        let gr = 0.5 * (5.0_f64.sqrt() - 1.0);
        let mut c = b - gr * (b - a);
        let mut d = a + gr * (b - a);
        for _ in 0..80 {
            // both interior points in one pass
            let [vc, vd] = ses_sse(y, [c, d]);
            if vc < vd {
                b = d;
            } else {
                a = c;
            }
            c = b - gr * (b - a);
            d = a + gr * (b - a);
        }
        let alpha_g = 0.5 * (a + b);
        let at_g = ses_run(y, alpha_g);
        let (sse, level) = if at_g.0 <= best.1 {
            at_g
        } else {
            ses_run(y, best.0)
        };
        let alpha = if at_g.0 <= best.1 { alpha_g } else { best.0 };
        (sse.is_finite() && level.is_finite() && b0.is_finite()).then_some(Self {
            alpha,
            level,
            b0,
            sse,
            n,
        })
    }

    /// Point forecast `h ≥ 1` steps ahead (real `h`).
    pub(crate) fn point(&self, h: f64) -> f64 {
        let a = self.alpha;
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_wrap)]
        let n = self.n as i32;
        let adj = 1.0 / a - (1.0 - a).powi(n) / a;
        self.level + 0.5 * self.b0 * (h - 1.0 + adj)
    }

    /// SES variance multiplier `1 + (h-1) α²` (class 1) for `h ≥ 1`.
    pub(crate) fn var_factor(&self, h: f64) -> f64 {
        1.0 + (h - 1.0).max(0.0) * self.alpha * self.alpha
    }
}
