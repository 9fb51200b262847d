//! The fits run several recursions in one pass (lanes) and the damped trend's starts in
//! lockstep, for speed only: these tests hold them to the straightforward one-at-a-time
//! algorithm, bit for bit, on series of many shapes and lengths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::super::simplex::{from_box, to_box, Bounds, Point, DIM};
use super::{
    holt_concentrated, holt_run, ses_run, DampedFit, ThetaFit, ALPHA_BOUNDS, BETA_STAR_BOUNDS,
    DAMPED_STARTS, PHI_BOUNDS,
};

/// The concentrated SSE as one scalar recursion.
fn holt_scalar(y: &[f64], alpha: f64, beta: f64, phi: f64) -> (f64, f64, f64) {
    let fallback = match (y.first(), y.get(1)) {
        (Some(a), Some(b)) => (*a, b - a),
        (Some(a), None) => (*a, 0.0),
        _ => (0.0, 0.0),
    };
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
    let dl = -(bb * l0e - lb * b0e) / det;
    let db = -(ll * b0e - lb * l0e) / det;
    let (l0, b0) = (fallback.0 + dl, fallback.1 + db);
    if l0.is_finite() && b0.is_finite() {
        (l0, b0, (ee + dl * l0e + db * b0e).max(0.0))
    } else {
        (fallback.0, fallback.1, ee)
    }
}

/// Nelder–Mead as one loop calling the objective.
fn minimise_scalar(
    f: &impl Fn(&Point) -> f64,
    x0: &Point,
    bounds: &Bounds,
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
    let sort = |s: &mut [(Point, f64); DIM + 1]| s.sort_by(|a, b| a.1.total_cmp(&b.1));
    let u0 = from_box(x0, bounds);
    let mut simplex = [(u0, 0.0); DIM + 1];
    for (i, (u, v)) in simplex.iter_mut().enumerate() {
        if i > 0 {
            u[i - 1] += 1.0;
        }
        *v = g(u);
    }
    for _ in 0..max_iter {
        sort(&mut simplex);
        let (best, best_v) = simplex[0];
        let (worst, worst_v) = simplex[DIM];
        if (worst_v - best_v).abs() <= 1e-10 * (1.0 + best_v.abs()) {
            break;
        }
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
    sort(&mut simplex);
    (to_box(&simplex[0].0, bounds), simplex[0].1)
}

/// The damped trend fitted start after start.
fn damped_reference(y: &[f64]) -> DampedFit {
    let sse_of = |p: &Point| holt_scalar(y, p[0], p[0] * p[1], p[2]).2;
    let bounds = [ALPHA_BOUNDS, BETA_STAR_BOUNDS, PHI_BOUNDS];
    let mut best: Option<(Point, f64)> = None;
    for s in &DAMPED_STARTS {
        let (x, v) = minimise_scalar(&sse_of, s, &bounds, 400);
        if best.as_ref().is_none_or(|(_, bv)| v < *bv) {
            best = Some((x, v));
        }
    }
    let ([alpha, beta_star, phi], _) = best.unwrap();
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
