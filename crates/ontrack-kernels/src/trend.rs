//! The trend test for direction-only targets ("significantly increase", 明显提高): is the
//! least-squares slope significantly in the right direction?

use statrs::distribution::{ContinuousCDF, StudentsT};

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
        let t = slope / se;
        let dist = StudentsT::new(0.0, 1.0, df).ok()?;
        let p = 2.0 * (1.0 - dist.cdf(t.abs()));
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
