//! The trend test for direction-only targets ("significantly increase", 明显提高): is the
//! least-squares slope significantly in the right direction?

use crate::types::Direction;

/// The outcome of [`slope_test`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SlopeTest {
    /// Ordinary least-squares slope per year.
    pub slope: f64,
    /// Its standard error (`None` with only two points, where the fit is exact).
    pub std_error: Option<f64>,
    /// Two-sided p-value of `slope = 0` under Student's t with `n - 2` degrees of freedom.
    pub p_value: Option<f64>,
    /// The verdict at the chosen significance level.
    pub verdict: TrendVerdict,
}

/// Whether the trend goes significantly the right way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendVerdict {
    /// Slope significantly in the better direction.
    RightWay,
    /// Slope not significantly different from zero.
    NotSignificant,
    /// Slope significantly in the worse direction.
    WrongWay,
}

impl TrendVerdict {
    /// Every verdict, best first.
    pub const ALL: [Self; 3] = [Self::RightWay, Self::NotSignificant, Self::WrongWay];

    /// The name used in result frames.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RightWay => "significant_right_way",
            Self::NotSignificant => "not_significant",
            Self::WrongWay => "significant_wrong_way",
        }
    }
}

/// Test the OLS slope of `values` on `years` at significance level `alpha` (two-sided).
///
/// Needs at least three points with distinct years (two points give an exact line and no
/// error estimate); returns `None` otherwise. A perfect fit with a non-zero slope counts as
/// significant.
#[must_use]
pub fn slope_test(
    years: &[f64],
    values: &[f64],
    direction: Direction,
    alpha: f64,
) -> Option<SlopeTest> {
    let n = years.len().min(values.len());
    if n < 3 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)] // a point count: far below 2^53
    let nf = n as f64;
    let mean_t = years.iter().take(n).sum::<f64>() / nf;
    let mean_y = values.iter().take(n).sum::<f64>() / nf;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for (t, y) in years.iter().zip(values) {
        sxx += (t - mean_t) * (t - mean_t);
        sxy += (t - mean_t) * (y - mean_y);
    }
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_t;
    let sse: f64 = years
        .iter()
        .zip(values)
        .map(|(t, y)| (y - intercept - slope * t).powi(2))
        .sum();
    let df = nf - 2.0;
    let se = (sse / df / sxx).sqrt();
    let right = direction.sign() * slope;
    let (p_value, significant) = if se > 0.0 {
        let p = two_sided_p(slope / se, n - 2)?;
        (Some(p), p < alpha)
    } else {
        (Some(if slope == 0.0 { 1.0 } else { 0.0 }), slope != 0.0)
    };
    let verdict = match (significant, right > 0.0) {
        (false, _) => TrendVerdict::NotSignificant,
        (true, true) => TrendVerdict::RightWay,
        (true, false) => TrendVerdict::WrongWay,
    };
    Some(SlopeTest {
        slope,
        std_error: Some(se),
        p_value,
        verdict,
    })
}

/// Two-sided p-value of `t` under Student's t with `df` (a whole number ≥ 1) degrees of
/// freedom: `P(|T| ≥ |t|)`.
///
/// For whole degrees of freedom the distribution function is a finite sum (Abramowitz and
/// Stegun 1964, 26.7.3 and 26.7.4): with `θ = atan(|t|/√ν)` and `c = cos²θ`,
/// `P(|T| < |t|) = (2/π)(θ + sinθ cosθ (1 + (2/3)c + (2·4)/(3·5)c² + …))` for odd `ν` (the
/// sum up to `c^((ν−3)/2)`), and `sinθ (1 + (1/2)c + (1·3)/(2·4)c² + …)` for even `ν` (up to
/// `c^((ν−2)/2)`). That is `ν/2` multiply-adds instead of the regularised incomplete beta
/// function, the same value to about 1e-15 (unit test against `statrs`).
fn two_sided_p(t: f64, df: usize) -> Option<f64> {
    if df == 0 || t.is_nan() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)] // a point count: far below 2^53
    let nu = df as f64;
    // cos²θ = ν/(ν+t²) and sinθ = |t|/√(ν+t²): no trigonometric function is evaluated, and
    // θ itself only for odd ν.
    let (root, x) = (nu.sqrt(), t.abs());
    if x.is_infinite() {
        return Some(0.0);
    }
    let r = root.hypot(x);
    let (sin, cos) = (x / r, root / r);
    let c = nu / (nu + x * x);
    // The sum's terms: each the previous times c·k/(k+1), k = 1, 3, 5, … (even ν) or
    // 2, 4, 6, … (odd ν).
    let (mut k, last) = if df % 2 == 0 {
        (1.0, nu - 2.0)
    } else {
        (2.0, nu - 3.0)
    };
    let (mut term, mut sum) = (1.0, 1.0);
    while k <= last {
        term *= c * k / (k + 1.0);
        sum += term;
        k += 2.0;
    }
    let inside = if df % 2 == 0 {
        sin * sum
    } else {
        let theta = (x / root).atan();
        let cross = if df == 1 { 0.0 } else { sin * cos * sum };
        2.0 / std::f64::consts::PI * (theta + cross)
    };
    Some((1.0 - inside).clamp(0.0, 1.0))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use statrs::distribution::{ContinuousCDF, StudentsT};

    #[test]
    fn the_finite_sum_is_the_t_distribution() {
        for df in [1u32, 2, 3, 4, 5, 8, 17, 18, 40, 101, 500] {
            let dist = StudentsT::new(0.0, 1.0, f64::from(df)).unwrap();
            for t in [
                0.0, 0.01, 0.3, -0.7, 1.0, 1.96, 2.5, -3.2, 5.0, 12.0, 40.0, 1e3,
            ] {
                let want = 2.0 * (1.0 - dist.cdf(f64::abs(t)));
                let got = two_sided_p(t, df as usize).unwrap();
                assert!(
                    (got - want).abs() <= 1e-11,
                    "df {df}, t {t}: {got} against {want}"
                );
            }
        }
        // Against SciPy 1.x (`2 * scipy.stats.t.sf(t, df)`), which statrs matches only to
        // about 2e-13.
        for (df, t, want) in [
            (3, 2.0, 0.139_325_968_558_843_05),
            (18, 1.0, 0.330_564_931_278_184_2),
            (18, 4.0, 0.000_839_829_317_408_560_9),
            (40, 0.01, 0.992_070_996_959_944_8),
            (101, 1.96, 0.052_751_249_508_782_38),
        ] {
            let got = two_sided_p(t, df).unwrap();
            assert!((got - want).abs() <= 1e-15, "df {df}, t {t}: {got}");
        }
        assert_eq!(two_sided_p(f64::INFINITY, 3), Some(0.0));
        assert_eq!(two_sided_p(1.0, 0), None);
        assert_eq!(two_sided_p(f64::NAN, 3), None);
    }

    #[test]
    fn clear_trends_are_significant() {
        let years = [2015.0, 2016.0, 2017.0, 2018.0, 2019.0];
        let up = [10.0, 11.1, 11.9, 13.2, 14.0];
        let t = slope_test(&years, &up, Direction::Increase, 0.05).unwrap();
        assert_eq!(t.verdict, TrendVerdict::RightWay);
        let t = slope_test(&years, &up, Direction::Decrease, 0.05).unwrap();
        assert_eq!(t.verdict, TrendVerdict::WrongWay);
        let flat = [10.0, 10.5, 9.6, 10.4, 9.9];
        let t = slope_test(&years, &flat, Direction::Increase, 0.05).unwrap();
        assert_eq!(t.verdict, TrendVerdict::NotSignificant);
        assert!(slope_test(&years[..2], &up[..2], Direction::Increase, 0.05).is_none());
    }
}
