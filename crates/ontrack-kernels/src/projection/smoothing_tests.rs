//! The fits run several recursions in one pass (lanes) and the damped trend's starts in
//! lockstep, for speed only: these tests hold them to the straightforward one-at-a-time
//! algorithm, bit for bit, on series of many shapes and lengths. The damped trend's staged
//! search (loose tolerance, merge, final tolerance) is also held close to running every start
//! to a tight tolerance.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::super::simplex::{from_box, to_box, Bounds, Point, DIM};
use super::{
    holt_concentrated, holt_run, ses_run, DampedFit, ThetaFit, ALPHA_BOUNDS, BETA_STAR_BOUNDS,
    DAMPED_STARTS, FINAL_TOL, PHI_BOUNDS, SAME_POINT, SCREEN_TOL,
};

/// The concentrated SSE as one scalar recursion.
fn holt_scalar(y: &[f64], alpha: f64, beta: f64, phi: f64) -> (f64, f64, f64) {
    let fallback = match (y.first(), y.get(1)) {
        (Some(a), Some(b)) => (*a, b - a),
        (Some(a), None) => (*a, 0.0),
        _ => (0.0, 0.0),
    };
    // states move by D = [1-α, φ(1-α); -β, φ(1-β)] plus (α, β) y; r = (1, φ) Dᵗ
    let (d00, d11, d10) = (1.0 - alpha, phi * (1.0 - beta), -beta);
    let d01 = phi * d00;
    let (mut l, mut b) = fallback;
    let mut r = (1.0, phi);
    let (mut ee, mut ll, mut bb, mut lb, mut l0e, mut b0e) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for yt in y {
        let e0 = yt - (l + phi * b);
        ee += e0 * e0;
        ll += r.0 * r.0;
        bb += r.1 * r.1;
        lb += r.0 * r.1;
        l0e += r.0 * e0;
        b0e += r.1 * e0;
        (l, b) = (
            (d00 * l + alpha * yt) + d01 * b,
            (d11 * b + beta * yt) + d10 * l,
        );
        r = (r.0 * d00 + r.1 * d10, r.0 * d01 + r.1 * d11);
    }
    let (l0e, b0e) = (-l0e, -b0e);
    let det = ll * bb - lb * lb;
    if !(det.is_finite() && det > 1e-12 * (ll * bb).max(f64::MIN_POSITIVE)) {
        return (fallback.0, fallback.1, ee);
    }
    let dl = -(bb * l0e - lb * b0e) / det;
    let db = -(ll * b0e - lb * l0e) / det;
    let (l0, b0) = (fallback.0 + dl, fallback.1 + db);
    if l0.is_finite() && b0.is_finite() {
        (l0, b0, (ee + dl * l0e + db * b0e).max(0.0))
    } else {
        (fallback.0, fallback.1, ee)
    }
}

type Simplex = [(Point, f64); DIM + 1];

/// The initial simplex of a Nelder–Mead run from `x0`, evaluated.
fn initial_simplex(g: &impl Fn(&Point) -> f64, x0: &Point, bounds: &Bounds) -> Simplex {
    let u0 = from_box(x0, bounds);
    let mut simplex = [(u0, 0.0); DIM + 1];
    for (i, (u, v)) in simplex.iter_mut().enumerate() {
        if i > 0 {
            u[i - 1] += 1.0;
        }
        *v = g(u);
    }
    simplex
}

/// Nelder–Mead as one loop calling the objective `g` (of the reparametrised point), from
/// `simplex`, until its values are within `tol (1 + |best|)` or after `iters` more
/// iterations; returns the number of iterations taken.
fn minimise_scalar(
    g: &impl Fn(&Point) -> f64,
    simplex: &mut Simplex,
    tol: f64,
    iters: usize,
) -> usize {
    let sort = |s: &mut Simplex| s.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut taken = 0;
    while taken < iters {
        sort(simplex);
        let (best, best_v) = simplex[0];
        let (worst, worst_v) = simplex[DIM];
        if (worst_v - best_v).abs() <= tol * (1.0 + best_v.abs()) {
            break;
        }
        taken += 1;
        let mut centroid = [0.0; DIM];
        for (u, _) in &simplex[..DIM] {
            for k in 0..DIM {
                centroid[k] += u[k];
            }
        }
        centroid.iter_mut().for_each(|c| *c /= 3.0);
        let along = |t: f64| -> Point {
            let mut x = centroid;
            for k in 0..DIM {
                x[k] += t * (x[k] - worst[k]);
            }
            x
        };
        let second_worst_v = simplex[DIM - 1].1;
        let xr = along(1.0);
        let vr = g(&xr);
        let replacement = if vr < best_v {
            let xe = along(2.0);
            let ve = g(&xe);
            Some(if ve < vr { (xe, ve) } else { (xr, vr) })
        } else if vr < second_worst_v {
            Some((xr, vr))
        } else {
            let xc = along(if vr < worst_v { 0.5 } else { -0.5 });
            let vc = g(&xc);
            (vc < worst_v.min(vr)).then_some((xc, vc))
        };
        if let Some(r) = replacement {
            simplex[DIM] = r;
        } else {
            for (u, v) in simplex.iter_mut().skip(1) {
                for k in 0..DIM {
                    u[k] = best[k] + 0.5 * (u[k] - best[k]);
                }
                *v = g(u);
            }
        }
    }
    sort(simplex);
    taken
}

fn damped_bounds() -> Bounds {
    [ALPHA_BOUNDS, BETA_STAR_BOUNDS, PHI_BOUNDS]
}

/// The objective of the damped trend's runs, on the reparametrised point.
fn damped_objective(y: &[f64]) -> impl Fn(&Point) -> f64 + '_ {
    move |u: &Point| {
        let p = to_box(u, &damped_bounds());
        let v = holt_scalar(y, p[0], p[0] * p[1], p[2]).2;
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    }
}

/// The fit at `(α, β*, φ)`.
fn damped_at(y: &[f64], [alpha, beta_star, phi]: Point) -> DampedFit {
    let beta = alpha * beta_star;
    let (l0, b0, _) = holt_scalar(y, alpha, beta, phi);
    let (sse, level, trend) = holt_run(y, l0, b0, alpha, beta, phi);
    DampedFit {
        alpha,
        beta,
        phi,
        level,
        trend,
        sse,
        n: y.len(),
    }
}

/// The damped trend's staged search, start after start: every start to the screening
/// tolerance, then (in order of value) each run not at a better one's point to the final one.
fn damped_reference(y: &[f64]) -> DampedFit {
    let (g, bounds) = (damped_objective(y), damped_bounds());
    let mut runs: Vec<(Simplex, usize)> = DAMPED_STARTS
        .iter()
        .map(|s| {
            let mut simplex = initial_simplex(&g, s, &bounds);
            let taken = minimise_scalar(&g, &mut simplex, SCREEN_TOL, 400);
            (simplex, taken)
        })
        .collect();
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by(|a, b| runs[*a].0[0].1.total_cmp(&runs[*b].0[0].1));
    let mut kept: Vec<Point> = Vec::new();
    for i in order {
        let x = to_box(&runs[i].0[0].0, &bounds);
        let same = kept.iter().any(|k| {
            (0..DIM).all(|d| (k[d] - x[d]).abs() <= SAME_POINT * (bounds[d].1 - bounds[d].0))
        });
        if !same {
            kept.push(x);
            let (simplex, taken) = &mut runs[i];
            minimise_scalar(&g, simplex, FINAL_TOL, 400 - *taken);
        }
    }
    let mut best = runs[0].0[0];
    for (simplex, _) in &runs[1..] {
        if simplex[0].1 < best.1 {
            best = simplex[0];
        }
    }
    damped_at(y, to_box(&best.0, &bounds))
}

/// Every start run to the tight tolerance `10⁻¹⁰ (1 + SSE)`, the best kept.
fn damped_tight(y: &[f64]) -> DampedFit {
    let (g, bounds) = (damped_objective(y), damped_bounds());
    let mut best: Option<(Point, f64)> = None;
    for s in &DAMPED_STARTS {
        let mut simplex = initial_simplex(&g, s, &bounds);
        minimise_scalar(&g, &mut simplex, 1e-10, 400);
        if best.as_ref().is_none_or(|(_, bv)| simplex[0].1 < *bv) {
            best = Some(simplex[0]);
        }
    }
    damped_at(y, to_box(&best.unwrap().0, &bounds))
}

/// Theta's α by a grid and a golden section evaluating one SSE at a time.
fn theta_alpha_reference(y: &[f64]) -> f64 {
    let (lo, hi) = (ALPHA_BOUNDS.0, 1.0);
    let grid = 40_u32;
    let mut best = (lo, ses_run(y, lo).0);
    for k in 0..=grid {
        let a = lo + (hi - lo) * f64::from(k) / f64::from(grid);
        let v = ses_run(y, a).0;
        if v < best.1 {
            best = (a, v);
        }
    }
    let step = (hi - lo) / f64::from(grid);
    let (mut a, mut b) = ((best.0 - step).max(lo), (best.0 + step).min(hi));
    let gr = 0.5 * (5.0_f64.sqrt() - 1.0);
    let mut c = b - gr * (b - a);
    let mut d = a + gr * (b - a);
    for _ in 0..80 {
        if ses_run(y, c).0 < ses_run(y, d).0 {
            b = d;
        } else {
            a = c;
        }
        c = b - gr * (b - a);
        d = a + gr * (b - a);
    }
    let alpha_g = 0.5 * (a + b);
    if ses_run(y, alpha_g).0 <= best.1 {
        alpha_g
    } else {
        best.0
    }
}

/// Series of many shapes: trend plus noise at several noise levels, smooth curves, steps,
/// constants, large and tiny scales; lengths 4–45.
fn series() -> Vec<Vec<f64>> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        #[allow(clippy::cast_precision_loss)]
        let u = (state >> 11) as f64 / (1_u64 << 53) as f64;
        u
    };
    let mut out = Vec::new();
    for k in 0..240_u32 {
        let n = 4 + (k * 7) % 42;
        let (level, slope) = (100.0 * uniform(), 4.0 * uniform() - 1.0);
        let noise = [0.0, 0.01, 0.3, 3.0, 30.0][(k % 5) as usize];
        let scale = [1.0, 1e-6, 1e6][(k % 3) as usize];
        let y = (0..n)
            .map(|i| {
                let t = f64::from(i);
                let shape = match k % 4 {
                    0 => level + slope * t,
                    1 => level * (-0.05 * t).exp(),
                    2 => level + if i > n / 2 { 10.0 } else { 0.0 },
                    _ => level,
                };
                scale * (shape + noise * (uniform() - 0.5))
            })
            .collect();
        out.push(y);
    }
    out
}

fn bits(f: &DampedFit) -> [u64; 6] {
    [f.alpha, f.beta, f.phi, f.level, f.trend, f.sse].map(f64::to_bits)
}

#[test]
fn lanes_match_single_runs() {
    for y in series() {
        for (alpha, beta, phi) in [(0.5, 0.05, 0.9), (0.9999, 0.9, 0.98), (1e-4, 1e-8, 0.8)] {
            let one = holt_scalar(&y, alpha, beta, phi);
            let lanes = holt_concentrated(&y, alpha, beta, phi);
            assert_eq!(
                [one.0, one.1, one.2].map(f64::to_bits),
                [lanes.0, lanes.1, lanes.2].map(f64::to_bits)
            );
        }
    }
}

#[test]
fn damped_fit_matches_starts_run_one_after_another() {
    let mut fitted = 0;
    for y in series() {
        let Some(fit) = DampedFit::fit(&y) else {
            continue;
        };
        fitted += 1;
        assert_eq!(bits(&fit), bits(&damped_reference(&y)), "series {y:?}");
    }
    assert!(fitted > 200, "only {fitted} series fitted");
}

/// The staged search stops runs earlier than running every start to `10⁻¹⁰ (1 + SSE)`, so its
/// optimum may differ slightly; on series whose SSE is not negligible next to `1` (the
/// tolerances are relative to `1 + SSE`), the forecasts must stay within 1 % of the series'
/// range, nearly all SSEs within 0.1 %, and the typical forecast must not move.
#[test]
fn damped_fit_is_close_to_tightly_converged_starts() {
    let (mut sse_diffs, mut forecast_diffs) = (Vec::new(), Vec::new());
    for y in series() {
        let Some(fit) = DampedFit::fit(&y) else {
            continue;
        };
        let tight = damped_tight(&y);
        let (lo, hi) = y
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            });
        if tight.sse < 1e-6 || hi - lo <= 0.0 {
            continue;
        }
        assert!(fit.sse.is_finite(), "series {y:?}");
        sse_diffs.push((fit.sse - tight.sse) / tight.sse);
        let forecast_diff = (1..=6)
            .map(|h| (fit.point(f64::from(h)) - tight.point(f64::from(h))).abs())
            .fold(0.0, f64::max);
        forecast_diffs.push(forecast_diff / (hi - lo));
        assert!(forecast_diff <= 0.01 * (hi - lo), "series {y:?}");
    }
    let n = sse_diffs.len();
    assert!(n > 100, "only {n} series compared");
    let close = sse_diffs.iter().filter(|d| **d <= 1e-3).count();
    assert!(close * 100 >= 95 * n, "{close} of {n} SSEs within 0.1 %");
    forecast_diffs.sort_by(f64::total_cmp);
    assert!(
        forecast_diffs[n / 2] < 1e-6,
        "median {}",
        forecast_diffs[n / 2]
    );
}

#[test]
fn theta_fit_matches_one_sse_at_a_time() {
    for y in series() {
        let fit = ThetaFit::fit(&y).expect("at least 4 points");
        let alpha = theta_alpha_reference(&y);
        let (sse, level) = ses_run(&y, alpha);
        assert_eq!(
            [fit.alpha, fit.sse, fit.level].map(f64::to_bits),
            [alpha, sse, level].map(f64::to_bits),
            "series {y:?}"
        );
    }
}
