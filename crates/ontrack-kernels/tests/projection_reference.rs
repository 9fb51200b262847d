//! Projection kernels against statsmodels (fixtures written by `scripts/reference_fixtures.py`).
//!
//! - OLS / WLS on the value and on its log: identical estimators and the same exact t prediction
//!   interval, so points and interval ends agree to 1e-9 relative.
//! - Damped trend (statsmodels `ETSModel`, additive error, damped additive trend): both minimise
//!   the one-step SSE over α, β ≤ α, φ ∈ [0.8, 0.98] and the initial states, but with different
//!   optimisers (statsmodels: L-BFGS-B from a heuristic start; ontrack: Nelder–Mead with the
//!   initial states solved exactly). The test asserts that ontrack's SSE is no worse than
//!   statsmodels' (to 0.1 %) and that points agree within 2 % of the series' range where the
//!   optimum is the same (points to 0.1 % of the range). Where ontrack's SSE is lower (a better
//!   optimum; statsmodels stops at a local one on two of the four series), the forecasts
//!   legitimately differ and only the SSE is checked. Intervals differ by design: statsmodels
//!   uses the ML variance SSE/n, ontrack SSE/(n − 5); after rescaling, half-widths agree to 1 %.
//! - Theta (statsmodels `ThetaModel`, θ = 2, SES with initial level y₁): same estimator, α found
//!   by a different 1-D search, so points agree to 1e-4 relative.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss
)]

use ontrack_kernels::projection::{fit, Method, ProjectionOptions};
use serde_json::Value;

fn fixtures() -> Value {
    let text = include_str!("fixtures/projection_reference.json");
    serde_json::from_str(text).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}

#[test]
fn regressions_match_statsmodels_exactly() {
    let fx = fixtures();
    for s in fx["series"].as_array().unwrap() {
        let years = floats(&s["years"]);
        let values = floats(&s["values"]);
        let last = *years.last().unwrap();
        for (key, method) in [
            ("linear", Method::Linear),
            ("linear_weighted", Method::LinearWeighted),
            ("log_linear", Method::LogLinear),
            ("log_linear_weighted", Method::LogLinearWeighted),
        ] {
            let p = fit(&years, &values, &ProjectionOptions::new(method)).unwrap();
            let refp = floats(&s[key]["point"]);
            for (h, r) in refp.iter().enumerate() {
                let year = last + (h + 1) as f64;
                let got = p.point(year).unwrap();
                assert!(rel(got, *r) < 1e-9, "{} {key} h={h}: {got} vs {r}", s["id"]);
                for level in ["0.8", "0.95"] {
                    let lv: f64 = level.parse().unwrap();
                    let (lo, hi) = p.interval(year, lv).unwrap();
                    let rlo = s[key]["intervals"][level][0][h].as_f64().unwrap();
                    let rhi = s[key]["intervals"][level][1][h].as_f64().unwrap();
                    assert!(
                        rel(lo, rlo) < 1e-9,
                        "{} {key} {level} lo h={h}: {lo} vs {rlo}",
                        s["id"]
                    );
                    assert!(
                        rel(hi, rhi) < 1e-9,
                        "{} {key} {level} hi h={h}: {hi} vs {rhi}",
                        s["id"]
                    );
                }
            }
        }
    }
}

#[test]
fn theta_matches_statsmodels() {
    let fx = fixtures();
    for s in fx["series"].as_array().unwrap() {
        let years = floats(&s["years"]);
        let values = floats(&s["values"]);
        let last = *years.last().unwrap();
        let p = fit(&years, &values, &ProjectionOptions::new(Method::Theta)).unwrap();
        for (h, r) in floats(&s["theta"]["point"]).iter().enumerate() {
            let got = p.point(last + (h + 1) as f64).unwrap();
            println!("{} theta h={h}: {got} vs {r}", s["id"]);
            assert!(rel(got, *r) < 1e-4, "{} theta h={h}: {got} vs {r}", s["id"]);
        }
    }
}

#[test]
fn damped_trend_matches_statsmodels() {
    let fx = fixtures();
    for s in fx["series"].as_array().unwrap() {
        let years = floats(&s["years"]);
        let values = floats(&s["values"]);
        let n = values.len() as f64;
        let range = values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            - values.iter().copied().fold(f64::INFINITY, f64::min);
        let last = *years.last().unwrap();
        let p = fit(
            &years,
            &values,
            &ProjectionOptions::new(Method::DampedTrend),
        )
        .unwrap();
        let d = &s["damped_trend"];
        let sse = p.params().iter().find(|(k, _)| *k == "sse").unwrap().1;
        let ref_sse = d["sse"].as_f64().unwrap();
        println!(
            "{} damped: sse {sse} vs statsmodels {ref_sse}; params {:?} vs {}",
            s["id"],
            p.params(),
            d["params"]
        );
        assert!(
            sse <= ref_sse * 1.001,
            "{}: ontrack's SSE is worse",
            s["id"]
        );
        // Where ontrack found a strictly better optimum, the forecasts legitimately differ.
        let same_optimum = (ref_sse - sse) / ref_sse < 1e-3;
        for (h, r) in floats(&d["point"]).iter().enumerate() {
            let year = last + (h + 1) as f64;
            let got = p.point(year).unwrap();
            let (lo, hi) = p.interval(year, 0.95).unwrap();
            let rlo = d["intervals"]["0.95"][0][h].as_f64().unwrap();
            let rhi = d["intervals"]["0.95"][1][h].as_f64().unwrap();
            let half = 0.5 * (hi - lo) * ((n - 5.0) / n).sqrt();
            let rhalf = 0.5 * (rhi - rlo);
            println!(
                "{} damped h={h}: point {got:.4} vs {r:.4} ({:.3}% of range); half-width (rescaled) {half:.4} vs {rhalf:.4}",
                s["id"],
                100.0 * (got - r).abs() / range
            );
            if same_optimum {
                assert!(
                    (got - r).abs() < 1e-3 * range,
                    "{} damped point h={h}",
                    s["id"]
                );
                assert!(
                    rel(half, rhalf) < 1e-2,
                    "{} damped half-width h={h}",
                    s["id"]
                );
            }
        }
    }
}
