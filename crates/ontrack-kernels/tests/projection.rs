//! Properties of the projection kernels.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    missing_docs
)]

use approx::assert_relative_eq;
use ontrack_kernels::projection::{
    expected_attainment_year, fit, fit_with_fallback, minimum_points, Method, ProjectionError,
    ProjectionOptions,
};
use proptest::prelude::*;

fn opts(method: Method) -> ProjectionOptions {
    ProjectionOptions::new(method)
}

fn series() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (8usize..25).prop_flat_map(|n| {
        (
            Just(n),
            proptest::collection::vec(1.0f64..100.0, n),
            0.0f64..3.0,
        )
            .prop_map(|(n, noise, slope)| {
                let years: Vec<f64> = (0..n).map(|i| 2000.0 + i as f64).collect();
                let values = noise
                    .iter()
                    .enumerate()
                    .map(|(i, e)| 50.0 + slope * i as f64 + 0.2 * e)
                    .collect();
                (years, values)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn intervals_contain_point_and_nest((years, values) in series(), h in 1.0f64..10.0) {
        for m in Method::ALL {
            let p = fit(&years, &values, &opts(m)).unwrap();
            let year = years.last().unwrap() + h;
            let point = p.point(year).unwrap();
            let (l80, u80) = p.interval(year, 0.8).unwrap();
            let (l95, u95) = p.interval(year, 0.95).unwrap();
            prop_assert!(l80 <= point + 1e-9 && point <= u80 + 1e-9, "{m}");
            prop_assert!(l95 <= l80 + 1e-9 && u80 <= u95 + 1e-9, "{m}");
            prop_assert!(u95 - l95 > u80 - l80, "{m}");
        }
    }

    #[test]
    fn probabilities_monotone_in_target((years, values) in series(), a in -50.0f64..200.0, d in 0.0f64..50.0) {
        for m in Method::ALL {
            let p = fit(&years, &values, &opts(m)).unwrap();
            let pred = p.at(years.last().unwrap() + 5.0).unwrap();
            prop_assert!(pred.prob_at_least(a) >= pred.prob_at_least(a + d) - 1e-12);
            prop_assert!(pred.prob_at_most(a) <= pred.prob_at_most(a + d) + 1e-12);
            let c = pred.cdf(a);
            prop_assert!((0.0..=1.0).contains(&c));
            // the quantile inverts the cdf
            let q = pred.quantile(0.3);
            prop_assert!((pred.cdf(q) - 0.3).abs() < 1e-6, "{m}: cdf(q(0.3)) = {}", pred.cdf(q));
        }
    }

    #[test]
    fn bounded_projections_stay_in_bounds(
        start in 1.0f64..99.0,
        slope in -20.0f64..20.0,
        n in 3usize..15,
        level in 0.5f64..0.999,
    ) {
        let years: Vec<f64> = (0..n).map(|i| 2010.0 + i as f64).collect();
        let values: Vec<f64> = (0..n)
            .map(|i| (start + slope * i as f64 + if i % 2 == 0 { 1.0 } else { -1.0 }).clamp(0.0, 100.0))
            .collect();
        for m in Method::ALL {
            for log_scale in [false, true] {
                for bounds in [(Some(0.0), Some(100.0)), (Some(0.0), None)] {
                    let o = ProjectionOptions { method: m, bounds, log_scale, ..ProjectionOptions::default() };
                    let Ok(p) = fit_with_fallback(&years, &values, &o) else { continue };
                    for h in 1..=20 {
                        let year = 2010.0 + (n - 1) as f64 + h as f64;
                        let (lo, hi) = p.interval(year, level).unwrap();
                        let pt = p.point(year).unwrap();
                        prop_assert!(lo >= 0.0 && pt >= 0.0, "{m} {bounds:?}: {lo}");
                        if bounds.1.is_some() {
                            prop_assert!(hi <= 100.0 && pt <= 100.0, "{m}: {hi}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn linear_series_projected_exactly() {
    let years = [2001.0, 2002.0, 2004.0, 2005.0, 2008.0, 2009.0, 2010.0];
    let values: Vec<f64> = years.iter().map(|t| 3.0 + 0.5 * (t - 2000.0)).collect();
    for m in [Method::Linear, Method::LinearWeighted, Method::Drift] {
        let p = fit(&years, &values, &opts(m)).unwrap();
        for year in [2011.0, 2015.0, 2030.0] {
            assert_relative_eq!(
                p.point(year).unwrap(),
                3.0 + 0.5 * (year - 2000.0),
                max_relative = 1e-12
            );
            let (lo, hi) = p.interval(year, 0.95).unwrap();
            assert_relative_eq!(lo, hi, max_relative = 1e-9);
        }
    }
    // log-linear projects an exact constant growth exactly
    let growth: Vec<f64> = years
        .iter()
        .map(|t| 10.0 * 1.05f64.powf(t - 2000.0))
        .collect();
    for m in [Method::LogLinear, Method::LogLinearWeighted] {
        let p = fit(&years, &growth, &opts(m)).unwrap();
        assert_relative_eq!(
            p.point(2020.0).unwrap(),
            10.0 * 1.05f64.powi(20),
            max_relative = 1e-10
        );
    }
}

#[test]
fn drift_interval_textbook_formula() {
    // regular spacing: variance σ² h (1 + h/(n-1)), t with n-2 df
    let years: Vec<f64> = (0..6).map(|i| 2000.0 + f64::from(i)).collect();
    let values = [1.0, 3.0, 4.0, 7.0, 8.0, 11.0];
    let p = fit(&years, &values, &opts(Method::Drift)).unwrap();
    let mu = 2.0;
    let diffs = [2.0, 1.0, 3.0, 1.0, 3.0];
    let s2: f64 = diffs.iter().map(|d: &f64| (d - mu).powi(2)).sum::<f64>() / 4.0;
    let h = 3.0;
    let pred = p.at(2005.0 + h).unwrap();
    assert_relative_eq!(pred.point(), 11.0 + mu * h, max_relative = 1e-12);
    assert_relative_eq!(
        pred.scale,
        (s2 * h * (1.0 + h / 5.0)).sqrt(),
        max_relative = 1e-12
    );
}

#[test]
fn irregular_years() {
    let years = [
        2000.0, 2001.0, 2003.0, 2006.0, 2007.0, 2008.0, 2010.0, 2011.0,
    ];
    let values = [10.0, 11.0, 12.5, 14.0, 15.2, 15.9, 17.1, 18.0];
    for m in Method::ALL {
        let p = fit(&years, &values, &opts(m)).unwrap();
        assert!(p.point(2015.0).unwrap().is_finite(), "{m}");
        if matches!(m, Method::DampedTrend | Method::Theta) {
            assert!(p
                .reason
                .as_deref()
                .unwrap()
                .contains("filled by linear interpolation"));
        }
    }
    // gaps that are not multiples of the smallest gap
    let years = [2000.0, 2001.0, 2002.5, 2004.0, 2005.0, 2006.0, 2007.0];
    let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.5, 7.0];
    assert_eq!(
        fit(&years, &values, &opts(Method::DampedTrend)).unwrap_err(),
        ProjectionError::IrregularUnsupported
    );
    let p = fit_with_fallback(&years, &values, &opts(Method::DampedTrend)).unwrap();
    assert_eq!(p.method_used, Method::Drift);
    let p = fit(&years, &values, &opts(Method::Auto)).unwrap();
    assert_eq!(p.method_used, Method::Drift);
    assert!(p.reason.unwrap().contains("damped_trend not fitted"));
}

#[test]
fn short_series_fallback() {
    let years = [2018.0, 2019.0, 2020.0, 2021.0];
    let values = [5.0, 6.0, 6.5, 7.5];
    assert_eq!(
        fit(&years, &values, &opts(Method::DampedTrend)).unwrap_err(),
        ProjectionError::TooFewPoints {
            needed: minimum_points(Method::DampedTrend),
            got: 4
        }
    );
    let p = fit_with_fallback(&years, &values, &opts(Method::DampedTrend)).unwrap();
    assert_eq!(p.method_used, Method::Drift);
    let reason = p.reason.unwrap();
    assert!(
        reason.contains("fell back to theta") && reason.contains("fell back to drift"),
        "{reason}"
    );
    // auto works from 3 points up (drift alone below 5) and says why
    let p = fit(&years[1..], &values[1..], &opts(Method::Auto)).unwrap();
    assert_eq!(p.method_used, Method::Drift);
    assert!(p.reason.unwrap().contains("3 points"));
    // two points: nothing fits
    assert!(matches!(
        fit_with_fallback(&years[2..], &values[2..], &opts(Method::Auto)),
        Err(ProjectionError::TooFewPoints { needed: 3, got: 2 })
    ));
    // log-linear on non-positive values falls back to linear
    let p = fit_with_fallback(&years, &[0.0, 1.0, 2.0, 3.0], &opts(Method::LogLinear)).unwrap();
    assert_eq!(p.method_used, Method::Linear);
}

#[test]
fn auto_reports_combination() {
    // 12 points of a noisy trend: the 10–14 point bucket combines several members
    let years: Vec<f64> = (0..12).map(|i| 2000.0 + f64::from(i)).collect();
    let values: Vec<f64> = (0..12)
        .map(|i| 100.0 + 3.0 * f64::from(i) + if i % 3 == 0 { 2.0 } else { -1.0 })
        .collect();
    let p = fit(&years, &values, &opts(Method::Auto)).unwrap();
    assert_eq!(p.method_used, Method::Auto);
    assert!(p.members.len() > 1, "{:?}", p.members);
    assert!(p
        .members
        .iter()
        .all(|m| ontrack_kernels::projection::auto::MEMBERS.contains(m)));
    assert!(p.reason.as_deref().unwrap().contains("regime"));
    let w: Vec<f64> = p
        .params()
        .iter()
        .filter(|(k, _)| *k == "weight")
        .map(|(_, v)| *v)
        .collect();
    assert_eq!(w.len(), p.members.len());
    assert_relative_eq!(w.iter().sum::<f64>(), 1.0, max_relative = 1e-12);
}

#[test]
fn errors_not_panics() {
    let o = opts(Method::Auto);
    assert!(matches!(
        fit(&[], &[], &o),
        Err(ProjectionError::TooFewPoints { .. })
    ));
    assert!(matches!(
        fit(&[1.0, 2.0, 3.0], &[1.0, f64::NAN, 3.0], &o),
        Err(ProjectionError::NonFinite { index: 1 })
    ));
    assert!(matches!(
        fit(&[1.0, f64::INFINITY, 3.0], &[1.0, 2.0, 3.0], &o),
        Err(ProjectionError::NonFinite { index: 1 })
    ));
    assert!(matches!(
        fit(&[1.0, 3.0, 2.0], &[1.0, 2.0, 3.0], &o),
        Err(ProjectionError::Unsorted { index: 2 })
    ));
    assert!(matches!(
        fit(&[1.0, 1.0, 2.0], &[1.0, 2.0, 3.0], &o),
        Err(ProjectionError::Unsorted { index: 1 })
    ));
    assert!(matches!(
        fit(&[1.0, 2.0], &[1.0, 2.0, 3.0], &o),
        Err(ProjectionError::LengthMismatch { .. })
    ));
    assert!(matches!(
        fit(
            &[1.0, 2.0, 3.0],
            &[1.0, -2.0, 3.0],
            &opts(Method::LogLinear)
        ),
        Err(ProjectionError::NonPositive { index: 1 })
    ));
    let bounded = ProjectionOptions {
        bounds: (Some(0.0), Some(100.0)),
        ..o.clone()
    };
    assert!(matches!(
        fit(&[1.0, 2.0, 3.0], &[1.0, 120.0, 3.0], &bounded),
        Err(ProjectionError::OutOfBounds { index: 1 })
    ));
    let bad = ProjectionOptions {
        bounds: (Some(5.0), Some(1.0)),
        ..o.clone()
    };
    assert!(matches!(
        fit(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], &bad),
        Err(ProjectionError::InvalidOption(_))
    ));
    // constant series: zero variance is a point mass, not a panic
    let p = fit(&[1.0, 2.0, 3.0, 4.0], &[5.0; 4], &opts(Method::Linear)).unwrap();
    let pred = p.at(10.0).unwrap();
    assert_eq!(pred.point(), 5.0);
    assert_eq!(pred.prob_at_least(5.0), 1.0);
    assert_eq!(pred.prob_above(5.0), 0.0);
    // bad levels and years
    assert!(p.interval(10.0, 1.5).is_none() && p.interval(10.0, f64::NAN).is_none());
    assert!(p.at(f64::NAN).is_none() && p.at(3.0).is_none());
    assert!(pred.quantile(f64::NAN).is_nan());
    for m in Method::ALL {
        let _ = fit(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            &[0.0; 8],
            &opts(m),
        );
        let _ = fit(&[1.0, 2.0, 3.0], &[1e300, -1e300, 1e300], &opts(m));
    }
}

#[test]
fn method_names_round_trip() {
    for m in Method::ALL {
        assert_eq!(m.as_str().parse::<Method>().unwrap(), m);
    }
    assert!("holt".parse::<Method>().is_err());
}

#[test]
fn attainment_year_and_probability() {
    let years: Vec<f64> = (0..6).map(|i| 2015.0 + f64::from(i)).collect();
    let values = [50.0, 52.0, 54.0, 56.0, 58.0, 60.0];
    let p = fit(&years, &values, &opts(Method::Linear)).unwrap();
    assert_eq!(
        expected_attainment_year(&p, 70.0, true, false, 2030.0),
        Some(2025.0)
    );
    assert_eq!(
        expected_attainment_year(&p, 70.0, true, true, 2030.0),
        Some(2026.0)
    );
    assert_eq!(
        expected_attainment_year(&p, 90.0, true, false, 2030.0),
        None
    );
    assert_eq!(
        expected_attainment_year(&p, 40.0, false, false, 2030.0),
        None
    );
    let pred = p.at(2025.0).unwrap();
    assert_eq!(pred.prob_meets(70.0, true, false), 1.0);
    let noisy = [50.0, 53.0, 53.5, 56.5, 57.0, 60.5];
    let p = fit(&years, &noisy, &opts(Method::Linear)).unwrap();
    let pred = p.at(2025.0).unwrap();
    let med = pred.median();
    assert_relative_eq!(pred.prob_at_least(med), 0.5, epsilon = 1e-9);
    assert_relative_eq!(pred.prob_meets(med, false, true), 0.5, epsilon = 1e-9);
    assert_relative_eq!(pred.mean().unwrap(), med, max_relative = 1e-12);
}

/// Nominal (uncalibrated) scale of a combination of `members` at `year`, rebuilt from the
/// members' own fits and `auto`'s weights.
fn nominal_combo_scale(
    years: &[f64],
    values: &[f64],
    members: &[Method],
    weights: &[f64],
    year: f64,
) -> f64 {
    let preds: Vec<_> = members
        .iter()
        .map(|m| fit(years, values, &opts(*m)).unwrap().at(year).unwrap())
        .collect();
    let point: f64 = preds.iter().zip(weights).map(|(p, w)| w * p.loc).sum();
    preds
        .iter()
        .zip(weights)
        .map(|(p, w)| w * (p.scale * p.scale + (p.loc - point).powi(2)))
        .sum::<f64>()
        .sqrt()
}

fn auto_param(p: &ontrack_kernels::projection::Projection, key: &str) -> Vec<f64> {
    p.params()
        .iter()
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| *v)
        .collect()
}

#[test]
fn auto_intervals_follow_the_shipped_calibration() {
    use ontrack_kernels::projection::auto::{bucket, roughness, roughness_adjustment};
    use ontrack_kernels::projection::Shape;
    // a noisy trend and a smooth curve, at lengths in several buckets
    for n in [5_usize, 8, 12, 20, 30] {
        let years: Vec<f64> = (0..n).map(|i| 2000.0 + i as f64).collect();
        let noisy: Vec<f64> = (0..n)
            .map(|i| 50.0 + 2.0 * i as f64 + if i % 2 == 0 { 1.5 } else { -1.5 })
            .collect();
        let smooth: Vec<f64> = (0..n)
            .map(|i| 7.0 - 0.1 * i as f64 + 0.002 * (i * i) as f64)
            .collect();
        for values in [&noisy, &smooth] {
            let p = fit(&years, values, &opts(Method::Auto)).unwrap();
            let b = bucket(n);
            let r = roughness(values);
            assert_relative_eq!(auto_param(&p, "roughness")[0], r);
            let regime = if r < b.smooth_below {
                b.smooth
            } else {
                b.rough
            };
            let members = if p.members.is_empty() {
                vec![p.method_used]
            } else {
                p.members.clone()
            };
            let weights = auto_param(&p, "weight");
            assert_eq!(auto_param(&p, "scale_factor"), regime.factors.to_vec());
            let mad = values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (n - 1) as f64;
            let adjust = roughness_adjustment(r, regime.roughness_power);
            let last = *years.last().unwrap();
            for h in 1..=8_u32 {
                let year = last + f64::from(h);
                let pred = p.at(year).unwrap();
                let nominal = nominal_combo_scale(&years, values, &members, &weights, year);
                let factor = regime.factors[(h as usize).min(6) - 1];
                let expected = factor * adjust * nominal.hypot(regime.diff_share * mad);
                assert_relative_eq!(pred.scale, expected, max_relative = 1e-9);
                assert_eq!(pred.shape, Shape::StudentT(regime.df));
                let (lo, hi) = pred.interval(0.8).unwrap();
                assert!(lo <= pred.point() && pred.point() <= hi);
            }
        }
    }
}
