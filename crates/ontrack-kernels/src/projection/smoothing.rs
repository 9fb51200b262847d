//! Exponential smoothing: damped-trend Holt (ETS(A,Ad,N)) and the theta method.
//!
//! The smoothing states are concentrated out exactly (the one-step errors are linear in the
//! initial level and trend, so they are solved by a 2×2 least-squares step), leaving three
//! smoothing parameters for the bounded Nelder–Mead of [`super::simplex`].

use super::simplex::{Bounds, NelderMead, Point};

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

/// `K` numbers operated on lane by lane: each lane sees exactly the operations of scalar
/// code (so its results are bit for bit those of a single run), while the compiler may use
/// vector instructions and the processor overlaps the independent lanes.
#[derive(Debug, Clone, Copy)]
struct Lanes<const K: usize>([f64; K]);

impl<const K: usize> Lanes<K> {
    fn splat(x: f64) -> Self {
        Self([x; K])
    }

    #[inline(always)]
    fn zip_with(mut self, other: Self, f: impl Fn(f64, f64) -> f64) -> Self {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a = f(*a, b);
        }
        self
    }
}

impl<const K: usize> std::ops::Add for Lanes<K> {
    type Output = Self;
    #[inline(always)]
    fn add(self, other: Self) -> Self {
        self.zip_with(other, |a, b| a + b)
    }
}

impl<const K: usize> std::ops::Sub for Lanes<K> {
    type Output = Self;
    #[inline(always)]
    fn sub(self, other: Self) -> Self {
        self.zip_with(other, |a, b| a - b)
    }
}

impl<const K: usize> std::ops::Mul for Lanes<K> {
    type Output = Self;
    #[inline(always)]
    fn mul(self, other: Self) -> Self {
        self.zip_with(other, |a, b| a * b)
    }
}

impl<const K: usize> std::ops::Neg for Lanes<K> {
    type Output = Self;
    #[inline(always)]
    fn neg(mut self) -> Self {
        self.0.iter_mut().for_each(|a| *a = -*a);
        self
    }
}

/// The sums of [`holt_concentrated`]'s recursions: `|e₀|²`, `|e_ℓ|²`, `|e_b|²`, `e_ℓ·e_b`,
/// `e_ℓ·e₀`, `e_b·e₀`.
#[derive(Debug, Clone, Copy)]
struct HoltSums<T> {
    ee: T,
    ll: T,
    bb: T,
    lb: T,
    l0e: T,
    b0e: T,
}

impl HoltSums<f64> {
    /// Least-squares initial states and the minimal SSE (see [`holt_concentrated`]).
    fn solve(&self, start: (f64, f64)) -> (f64, f64, f64) {
        let Self {
            ee,
            ll,
            bb,
            lb,
            l0e,
            b0e,
        } = *self;
        let det = ll * bb - lb * lb;
        if !(det.is_finite() && det > 1e-12 * (ll * bb).max(f64::MIN_POSITIVE)) {
            return (start.0, start.1, ee);
        }
        // minimise |e0 + Δl el + Δb eb|²  →  [ll lb; lb bb] Δ = -[l0e; b0e]
        let dl = -(bb * l0e - lb * b0e) / det;
        let db = -(ll * b0e - lb * l0e) / det;
        let (l0, b0) = (start.0 + dl, start.1 + db);
        if l0.is_finite() && b0.is_finite() {
            (l0, b0, (ee + dl * l0e + db * b0e).max(0.0))
        } else {
            (start.0, start.1, ee)
        }
    }
}

/// The naive start `(y₁, y₂ − y₁)` of [`holt_concentrated`].
fn naive_start(y: &[f64]) -> (f64, f64) {
    match (y.first(), y.get(1)) {
        (Some(a), Some(b)) => (*a, b - a),
        (Some(a), None) => (*a, 0.0),
        _ => (0.0, 0.0),
    }
}

/// [`holt_concentrated`] for `K` parameter sets `(α, β, φ)` at once (see [`Lanes`]).
fn holt_concentrated_lanes<const K: usize>(
    y: &[f64],
    params: [(f64, f64, f64); K],
) -> [(f64, f64, f64); K] {
    let start = naive_start(y);
    let (alpha, beta, phi) = (
        Lanes(params.map(|p| p.0)),
        Lanes(params.map(|p| p.1)),
        Lanes(params.map(|p| p.2)),
    );
    let (one, zero) = (Lanes::<K>::splat(1.0), Lanes::<K>::splat(0.0));
    // One step maps the states by D = [1-α, φ(1-α); -β, φ(1-β)] and adds (α, β) y: written so,
    // the chain from one step's states to the next is a multiplication and two additions.
    let (d00, d11, d10) = (one - alpha, phi * (one - beta), -beta);
    let d01 = phi * d00;
    let (mut l, mut b) = (Lanes::splat(start.0), Lanes::splat(start.1));
    // zero data from a unit level / trend: errors -(1, φ) Dᵗ (1, 0)ᵀ and -(1, φ) Dᵗ (0, 1)ᵀ,
    // i.e. minus the entries of the row r = (1, φ) Dᵗ
    let mut r = (one, phi);
    let mut sums = HoltSums {
        ee: zero,
        ll: zero,
        bb: zero,
        lb: zero,
        l0e: zero,
        b0e: zero,
    };
    for yt in y {
        let yv = Lanes::splat(*yt);
        let e0 = yv - (l + phi * b);
        sums.ee = sums.ee + e0 * e0;
        sums.ll = sums.ll + r.0 * r.0;
        sums.bb = sums.bb + r.1 * r.1;
        sums.lb = sums.lb + r.0 * r.1;
        sums.l0e = sums.l0e + r.0 * e0;
        sums.b0e = sums.b0e + r.1 * e0;
        (l, b) = (
            (d00 * l + alpha * yv) + d01 * b,
            (d11 * b + beta * yv) + d10 * l,
        );
        r = (r.0 * d00 + r.1 * d10, r.0 * d01 + r.1 * d11);
    }
    sums.l0e = -sums.l0e;
    sums.b0e = -sums.b0e;
    let mut out = [(0.0, 0.0, 0.0); K];
    let lane_sums = (sums.ee.0.iter().zip(sums.ll.0).zip(sums.bb.0))
        .zip(sums.lb.0.iter().zip(sums.l0e.0).zip(sums.b0e.0));
    for (o, (((ee, ll), bb), ((lb, l0e), b0e))) in out.iter_mut().zip(lane_sums) {
        *o = HoltSums {
            ee: *ee,
            ll,
            bb,
            lb: *lb,
            l0e,
            b0e,
        }
        .solve(start);
    }
    out
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
    let [r] = holt_concentrated_lanes(y, [(alpha, beta, phi)]);
    r
}

/// Starts of the damped trend's Nelder–Mead runs, `(α, β*, φ)`.
const DAMPED_STARTS: [Point; 4] = [
    [0.5, 0.1, 0.9],
    [0.9, 0.3, 0.95],
    [0.2, 0.05, 0.85],
    [0.99, 0.01, 0.97],
];

/// Tolerance to which every start is first run, before runs that ended at the same point are
/// merged: the simplex's values differ by at most `10⁻⁴ (1 + SSE)` (see [`NelderMead`]).
const SCREEN_TOL: f64 = 1e-4;
/// Tolerance to which the remaining runs are then continued: `10⁻⁷ (1 + SSE)`.
const FINAL_TOL: f64 = 1e-7;
/// Two screened runs ended at the same point when each parameter differs by at most this share
/// of its range.
const SAME_POINT: f64 = 0.05;

/// Advances the runs until all have finished: each round evaluates every unfinished run's
/// pending point, two runs per pass over the data (see [`Lanes`]; four lanes would need more
/// registers than the processor has). Each run takes exactly the steps it would take alone.
fn advance(y: &[f64], bounds: &Bounds, runs: &mut [NelderMead; DAMPED_STARTS.len()]) {
    loop {
        let pending = runs.each_ref().map(|r| {
            r.pending().map(|u| {
                let [alpha, beta_star, phi] = super::simplex::to_box(&u, bounds);
                (alpha, alpha * beta_star, phi)
            })
        });
        let values = match pending {
            [Some(p0), Some(p1), Some(p2), Some(p3)] => {
                let [v0, v1] = holt_concentrated_lanes(y, [p0, p1]);
                let [v2, v3] = holt_concentrated_lanes(y, [p2, p3]);
                [Some(v0), Some(v1), Some(v2), Some(v3)]
            }
            [None, None, None, None] => break,
            _ => {
                // pair the pending points in order; an odd one out gets a pass of its own
                let mut values = [None; DAMPED_STARTS.len()];
                let mut waiting: Option<(usize, (f64, f64, f64))> = None;
                for (k, p) in pending.iter().enumerate() {
                    let Some(p) = *p else {
                        continue;
                    };
                    match waiting.take() {
                        None => waiting = Some((k, p)),
                        Some((j, q)) => {
                            let [vj, vk] = holt_concentrated_lanes(y, [q, p]);
                            if let Some(v) = values.get_mut(j) {
                                *v = Some(vj);
                            }
                            if let Some(v) = values.get_mut(k) {
                                *v = Some(vk);
                            }
                        }
                    }
                }
                if let Some((j, q)) = waiting {
                    let [vj] = holt_concentrated_lanes(y, [q]);
                    if let Some(v) = values.get_mut(j) {
                        *v = Some(vj);
                    }
                }
                values
            }
        };
        for (run, v) in runs.iter_mut().zip(values) {
            if let Some(v) = v {
                run.feed(v.2);
            }
        }
    }
}

/// Minimises the concentrated SSE over `(α, β*, φ)` from each of [`DAMPED_STARTS`]; returns
/// the best point and value.
///
/// Every start is first run to the loose tolerance [`SCREEN_TOL`]. Runs that ended at the same
/// point (within [`SAME_POINT`]) would go on to the same minimum, so of those only the best
/// continues, to [`FINAL_TOL`]; a continued run takes exactly the steps of one started with
/// that tolerance. Runs at different points all continue: a run that is worse when screened
/// can still end best.
fn damped_runs(y: &[f64], bounds: &Bounds) -> Option<(Point, f64)> {
    let mut runs = DAMPED_STARTS.map(|s| NelderMead::new(&s, bounds, 400, SCREEN_TOL));
    advance(y, bounds, &mut runs);
    let screened = runs.each_ref().map(|r| r.result(bounds));
    let mut order: [usize; DAMPED_STARTS.len()] = std::array::from_fn(|i| i);
    order.sort_by(|a, b| {
        let va = screened.get(*a).map_or(f64::INFINITY, |r| r.1);
        let vb = screened.get(*b).map_or(f64::INFINITY, |r| r.1);
        va.total_cmp(&vb)
    });
    let mut kept: [Option<Point>; DAMPED_STARTS.len()] = [None; DAMPED_STARTS.len()];
    for (slot, i) in order.into_iter().enumerate() {
        let (Some((x, _)), Some(run)) = (screened.get(i), runs.get_mut(i)) else {
            continue;
        };
        let same = |k: &Point| {
            (k.iter().zip(x).zip(bounds))
                .all(|((a, b), (lo, hi))| (a - b).abs() <= SAME_POINT * (hi - lo))
        };
        if !kept.iter().flatten().any(same) {
            if let Some(k) = kept.get_mut(slot) {
                *k = Some(*x);
            }
            run.resume(FINAL_TOL);
        }
    }
    advance(y, bounds, &mut runs);
    let mut best: Option<(Point, f64)> = None;
    for (x, v) in runs.map(|r| r.result(bounds)) {
        if best.as_ref().is_none_or(|(_, bv)| v < *bv) {
            best = Some((x, v));
        }
    }
    best
}

impl DampedFit {
    /// Fits on a regularly spaced series (at least 4 points).
    pub(crate) fn fit(y: &[f64]) -> Option<Self> {
        if y.len() < 4 {
            return None;
        }
        let bounds = [ALPHA_BOUNDS, BETA_STAR_BOUNDS, PHI_BOUNDS];
        let best = damped_runs(y, &bounds);
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

/// Golden-section steps decided per pass over the data (see [`golden_section`]).
const GOLDEN_DEPTH: u32 = 2;
/// Intervals whose interior points such a pass evaluates: `2^GOLDEN_DEPTH − 1`.
const GOLDEN_NODES: usize = 3;

/// `steps` golden-section steps minimising the SES SSE over `α ∈ [a, b]`; returns the final
/// interval.
///
/// A step compares the SSE at the interior points `c = b − g (b − a)` and `d = a + g (b − a)`
/// and keeps `[a, d]` when `c` is lower, else `[c, b]`. The next [`GOLDEN_DEPTH`] steps can
/// only reach the [`GOLDEN_NODES`] intervals of a binary tree, so one pass over the data
/// evaluates the interior points of all of them (see [`ses_sse`]) and the steps then walk the
/// tree: the intervals and comparisons are exactly those of one step at a time.
fn golden_section(y: &[f64], (a, b): (f64, f64), steps: u32) -> (f64, f64) {
    let gr = 0.5 * (5.0_f64.sqrt() - 1.0);
    let interior = |(a, b): (f64, f64)| (b - gr * (b - a), a + gr * (b - a));
    let mut interval = (a, b);
    let mut left = steps;
    while left > 0 {
        // node i's children: 2i + 1 = [a, d] (kept when f(c) < f(d)) and 2i + 2 = [c, b]
        let mut tree = [interval; 2 * GOLDEN_NODES + 1];
        for i in 0..GOLDEN_NODES {
            let Some(&(ai, bi)) = tree.get(i) else {
                break;
            };
            let (ci, di) = interior((ai, bi));
            if let Some(l) = tree.get_mut(2 * i + 1) {
                *l = (ai, di);
            }
            if let Some(r) = tree.get_mut(2 * i + 2) {
                *r = (ci, bi);
            }
        }
        let mut alphas = [0.0; 2 * GOLDEN_NODES];
        for (pair, node) in alphas.chunks_exact_mut(2).zip(&tree) {
            if let [c, d] = pair {
                (*c, *d) = interior(*node);
            }
        }
        let sse = ses_sse(y, alphas);
        let mut node = 0;
        for _ in 0..left.min(GOLDEN_DEPTH) {
            node = match (sse.get(2 * node), sse.get(2 * node + 1)) {
                (Some(vc), Some(vd)) if vc < vd => 2 * node + 1,
                _ => 2 * node + 2,
            };
        }
        interval = tree.get(node).copied().unwrap_or(interval);
        left -= left.min(GOLDEN_DEPTH);
    }
    interval
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
        #[allow(clippy::cast_precision_loss)] // a series length: far below 2^53
        let t_bar = (n as f64 - 1.0) / 2.0;
        #[allow(clippy::cast_precision_loss)] // a series length: far below 2^53
        let y_bar = y.iter().sum::<f64>() / n as f64;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (i, yi) in y.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)] // an index into the series: far below 2^53
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
        let (a, b) = ((best.0 - step).max(lo), (best.0 + step).min(hi));
        let (a, b) = golden_section(y, (a, b), 80);
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
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)] // a series length
        let n = self.n as i32;
        let adj = 1.0 / a - (1.0 - a).powi(n) / a;
        self.level + 0.5 * self.b0 * (h - 1.0 + adj)
    }

    /// SES variance multiplier `1 + (h-1) α²` (class 1) for `h ≥ 1`.
    pub(crate) fn var_factor(&self, h: f64) -> f64 {
        1.0 + (h - 1.0).max(0.0) * self.alpha * self.alpha
    }
}

#[cfg(test)]
#[path = "smoothing_tests.rs"]
mod tests;
