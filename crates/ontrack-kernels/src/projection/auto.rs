//! The automatic method.
//!
//! Ladder by the number of observed points `n`:
//!
//! | n | model |
//! |---|---|
//! | < 3 | error `TooFewPoints` |
//! | 3–6 | `drift` alone (too short to estimate a damped trend or to validate anything) |
//! | 7–9 | equal-weight mean of `damped_trend` and `drift` |
//! | ≥ 10 | weighted mean of `damped_trend` and `drift`, weights ∝ 1 / (mean scaled error)² |
//!
//! The weights for `n ≥ 10` are evidence from the series itself: for each of the last (up to 8)
//! rolling origins with at least 7 points before them, both members are fitted on the points
//! before the origin and forecast the points after it (1–6 steps ahead); the errors are scaled by
//! the in-sample mean absolute first difference (MASE). Each member's weight is proportional to
//! the inverse square of its mean scaled error (equal weights when fewer than 2 origins, or
//! when a member cannot be fitted at an origin). When damped trend cannot be fitted (years
//! that cannot be put on a regular grid), drift is used alone and the reason says so.
//!
//! Predictive distribution: the weighted mean of the members' points; the nominal squared scale
//! is the weighted mean of the members' squared scales plus the weighted spread of their points
//! (the variance of the mixture). It is calibrated as follows, at `h` steps ahead:
//!
//! * scale = nominal · [`COMBO_INFLATION`] · (1 + [`COMBO_INFLATION_GROWTH`] · (min(h, 6) − 1)) · ρ
//!   (the growth stops at 6 steps, the longest horizon it was evidenced on; beyond it the
//!   members' own variances keep growing);
//! * shape = Student-t with `min(drift's n − 2, COMBO_MAX_DF)` degrees of freedom
//!   ([`COMBO_MAX_DF`] = 3);
//! * ρ, the series' own error ratio (`n ≥ 10` with rolling-origin evidence; otherwise 1): over
//!   the same rolling-origin points that set the weights, each absolute error of the combination
//!   is divided by its nominal scale, by the horizon growth and by `E|T₃|`; ρ is the mean of these
//!   ratios shrunk toward 1 with [`CALIBRATION_PRIOR_WEIGHT`] pseudo-points,
//!   `ρ = (k₀ + Σ rᵢ) / (k₀ + m)`. A series that was harder to forecast than its model claims
//!   gets wider intervals, an easier one narrower.
//!
//! Drift alone (3–6 points) keeps drift's own t interval (`n − 2` degrees of freedom).
//!
//! How the settings were chosen (documented in `benches/README.md`): the point rule on the M1
//! yearly series with the last 6 *training* points held out (`m1_accuracy --validation`): this
//! rule had the lowest MASE and the second-lowest sMAPE of the combinations tried (median/mean of
//! damped trend, theta and drift; with recency-weighted linear; best single method by rolling
//! origin; inverse-error weights). The calibration constants by a grid search on two train-only
//! splits pooled (`--validation` and `--validation-earlier`, which holds out the 6 training
//! points before those): the constants bring the pooled 80 % coverage to 80 %, the pooled 95 %
//! coverage to 95 % and keep the 80 % coverage flat across horizons 1–6. The M1 test years
//! were not used.

use statrs::function::gamma::ln_gamma;

use super::model::{Calibration, Model, PointRule};
use super::{fit_single, Method, ProjectionError};

/// Result of the automatic method.
pub(crate) struct AutoFit {
    pub(crate) model: Model,
    pub(crate) members: Vec<Method>,
    pub(crate) reason: String,
}

/// Scale multiplier of the combination's predictive distribution one step ahead (population
/// part): the model-based variances of damped trend and drift ignore parameter and model
/// uncertainty. Chosen with [`COMBO_INFLATION_GROWTH`], [`COMBO_MAX_DF`] and
/// [`CALIBRATION_PRIOR_WEIGHT`] on train-only evidence (two hold-out splits of the M1 yearly
/// training series, see the module docs); not tuned on the M1 test years.
pub const COMBO_INFLATION: f64 = 1.075;

/// Growth per step ahead of the combination's scale multiplier: at `h` steps the multiplier is
/// `COMBO_INFLATION · (1 + COMBO_INFLATION_GROWTH · (min(h, 6) − 1))` (times the series' own
/// error ratio; the growth stops at the 6-step horizon of the evidence). The model-based variances grow too slowly with the horizon: out-of-sample errors
/// measured in nominal standard errors grow with `h` on the train-only splits.
pub const COMBO_INFLATION_GROWTH: f64 = 0.15;

/// Largest degrees of freedom of the combination's Student-t shape. Standardised out-of-sample
/// errors on the train-only splits are heavy-tailed (their 95 % and 80 % quantiles are about 2
/// apart in ratio, against 1.53 for a normal and 1.94 for t₃).
pub const COMBO_MAX_DF: f64 = 3.0;

/// Pseudo-count of the shrinkage of a series' own error ratio toward 1: the ratio is
/// `(k₀ + Σ rᵢ) / (k₀ + m)` over the `m` rolling-origin errors `rᵢ` of the series (each its
/// absolute error over the expected absolute error of the population-calibrated distribution),
/// with `k₀` = this constant.
pub const CALIBRATION_PRIOR_WEIGHT: f64 = 10.0;

/// Horizon of the rolling-origin evaluation.
const RO_HORIZON: usize = 6;
/// Maximum number of rolling origins.
const RO_ORIGINS: usize = 8;
/// Members of the combination.
const MEMBERS: [Method; 2] = [Method::DampedTrend, Method::Drift];
/// Points needed before a rolling origin (damped trend's minimum).
const RO_MIN_TRAIN: usize = 7;

/// One out-of-sample point of the rolling-origin evaluation: steps ahead, the members'
/// locations and scales (fitted on the points before the origin), and the observed value.
struct RoPoint {
    h: usize,
    locs: Vec<f64>,
    scales: Vec<f64>,
    actual: f64,
}

/// Rolling-origin evidence: each member's mean absolute scaled 1..h-step error, the number of
/// origins, and the out-of-sample points.
struct Evidence {
    means: Vec<f64>,
    origins: usize,
    points: Vec<RoPoint>,
}

/// Mean absolute scaled 1..h-step errors of each member over rolling origins, on the fitted
/// scale, and the out-of-sample points; `None` when fewer than 2 origins or a member failed
/// somewhere.
fn rolling_origin_errors(t: &[f64], z: &[f64], rw: f64) -> Option<Evidence> {
    let n = t.len();
    let first = n.saturating_sub(RO_ORIGINS).max(RO_MIN_TRAIN);
    let mut sums = vec![0.0; MEMBERS.len()];
    let mut origins = 0_usize;
    let mut points = Vec::new();
    for o in first..n {
        let (Some(tt), Some(zz), Some(t_out), Some(z_out)) =
            (t.get(..o), z.get(..o), t.get(o..), z.get(o..))
        else {
            continue;
        };
        #[allow(clippy::cast_precision_loss)]
        let scale = zz
            .windows(2)
            .map(|w| match w {
                [a, b] => (b - a).abs(),
                _ => 0.0,
            })
            .sum::<f64>()
            / (zz.len().saturating_sub(1).max(1) as f64);
        if !(scale > 0.0 && scale.is_finite()) {
            continue;
        }
        origins += 1;
        let mut fits = Vec::with_capacity(MEMBERS.len());
        for (m, sum) in MEMBERS.iter().zip(sums.iter_mut()) {
            let f = fit_single(*m, tt, zz, rw).ok()?;
            let (mut s, mut k) = (0.0, 0.0);
            for (ty, zy) in t_out.iter().zip(z_out).take(RO_HORIZON) {
                let (loc, _, _) = f.model.loc_scale(*ty);
                s += (loc - zy).abs() / scale;
                k += 1.0;
            }
            *sum += s / k;
            fits.push(f.model);
        }
        for (i, (ty, zy)) in t_out.iter().zip(z_out).take(RO_HORIZON).enumerate() {
            let (locs, scales) = fits
                .iter()
                .map(|m| m.loc_scale(*ty))
                .map(|(l, s, _)| (l, s))
                .unzip();
            points.push(RoPoint {
                h: i + 1,
                locs,
                scales,
                actual: *zy,
            });
        }
    }
    if origins < 2 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let k = origins as f64;
    let means: Vec<f64> = sums.iter().map(|s| s / k).collect();
    means.iter().all(|m| m.is_finite()).then_some(Evidence {
        means,
        origins,
        points,
    })
}

/// `E|T|` of a standard Student-t with `df > 1` degrees of freedom (normal: `√(2/π)`).
fn mean_abs_t(df: f64) -> f64 {
    if df.is_finite() && df > 1.0 {
        let log = 0.5 * df.ln() + ln_gamma(0.5 * (df + 1.0))
            - ln_gamma(0.5 * df)
            - 0.5 * std::f64::consts::PI.ln()
            - (df - 1.0).ln();
        2.0 * log.exp()
    } else {
        (2.0 / std::f64::consts::PI).sqrt()
    }
}

/// The series' own error ratio: the mean over the rolling-origin points of the combination's
/// absolute error divided by its nominal scale, by the horizon growth
/// `1 + COMBO_INFLATION_GROWTH · (h − 1)` and by `E|T|` of t with [`COMBO_MAX_DF`] degrees of
/// freedom, shrunk toward 1 with [`CALIBRATION_PRIOR_WEIGHT`] pseudo-points. Returns
/// `(ratio, points used)`.
fn own_error_ratio(points: &[RoPoint], weights: &[f64]) -> (f64, usize) {
    let expected_abs = mean_abs_t(COMBO_MAX_DF);
    let mut sum = 0.0;
    let mut m = 0_usize;
    for p in points {
        let wsum: f64 = weights.iter().sum();
        let loc = p.locs.iter().zip(weights).map(|(l, w)| l * w).sum::<f64>() / wsum;
        let var = p
            .locs
            .iter()
            .zip(&p.scales)
            .zip(weights)
            .map(|((l, s), w)| w * (s * s + (l - loc) * (l - loc)))
            .sum::<f64>()
            / wsum;
        #[allow(clippy::cast_precision_loss)]
        let growth = 1.0 + COMBO_INFLATION_GROWTH * (p.h.saturating_sub(1) as f64);
        let r = (p.actual - loc).abs() / (var.sqrt() * growth * expected_abs);
        if r.is_finite() {
            sum += r;
            m += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let ratio = (CALIBRATION_PRIOR_WEIGHT + sum) / (CALIBRATION_PRIOR_WEIGHT + m as f64);
    (ratio, m)
}

pub(crate) fn fit_auto(
    t: &[f64],
    z: &[f64],
    recency_weight: f64,
) -> Result<AutoFit, ProjectionError> {
    let n = t.len();
    if n < 3 {
        return Err(ProjectionError::TooFewPoints { needed: 3, got: n });
    }
    let drift_alone = |why: String| -> Result<AutoFit, ProjectionError> {
        let f = fit_single(Method::Drift, t, z, recency_weight)?;
        Ok(AutoFit {
            model: f.model,
            members: vec![Method::Drift],
            reason: format!("{n} points: drift alone ({why})"),
        })
    };
    if n < RO_MIN_TRAIN {
        return drift_alone(format!(
            "fewer than {RO_MIN_TRAIN} points: too short for damped trend or validation"
        ));
    }
    let mut models = Vec::with_capacity(MEMBERS.len());
    let mut notes = Vec::new();
    for m in MEMBERS {
        match fit_single(m, t, z, recency_weight) {
            Ok(f) => {
                models.push(f.model);
                if let Some(nt) = f.note {
                    notes.push(nt);
                }
            }
            Err(e) => return drift_alone(format!("{m} not fitted: {e}")),
        }
    }
    let evidence = if n >= 10 {
        rolling_origin_errors(t, z, recency_weight)
    } else {
        None
    };
    let (weights, why) = match &evidence {
        Some(ev) => {
            let w: Vec<f64> = ev.means.iter().map(|e| 1.0 / (e * e).max(1e-12)).collect();
            let total: f64 = w.iter().sum();
            let w: Vec<f64> = w.iter().map(|x| x / total).collect();
            let detail = MEMBERS
                .iter()
                .zip(&w)
                .zip(&ev.means)
                .map(|((m, w), e)| format!("{m} {w:.2} (MASE {e:.2})"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                w,
                format!(
                    "weights ∝ 1/MASE² over {} rolling origins (1-{RO_HORIZON} steps): \
                     {detail}",
                    ev.origins
                ),
            )
        }
        None => (
            vec![0.5; MEMBERS.len()],
            if n >= 10 {
                "equal weights (rolling-origin evidence unavailable)".to_owned()
            } else {
                "equal weights (fewer than 10 points: too short for rolling-origin weights)"
                    .to_owned()
            },
        ),
    };
    let (own_ratio, calib_why) = match &evidence {
        Some(ev) => {
            let (ratio, m) = own_error_ratio(&ev.points, &weights);
            if m > 0 && ratio.is_finite() && ratio > 0.0 {
                (
                    ratio,
                    format!(
                        "interval scale × {ratio:.2} from the series' own errors at {m} \
                         rolling-origin points (shrunk toward 1)"
                    ),
                )
            } else {
                (1.0, "population interval calibration only".to_owned())
            }
        }
        None => (
            1.0,
            "population interval calibration only (no rolling-origin errors)".to_owned(),
        ),
    };
    let step = super::smallest_step(t).unwrap_or(1.0);
    let mut reason =
        format!("{n} points: weighted mean of damped_trend and drift; {why}; {calib_why}");
    for nt in notes {
        reason.push_str("; ");
        reason.push_str(&nt);
    }
    Ok(AutoFit {
        model: Model::Combo {
            members: models,
            rule: PointRule::Mean,
            weights,
            calibration: Calibration {
                inflation: COMBO_INFLATION * own_ratio,
                growth: COMBO_INFLATION_GROWTH,
                #[allow(clippy::cast_precision_loss)]
                growth_until: RO_HORIZON as f64,
                own_ratio,
                max_df: COMBO_MAX_DF,
                step,
                t_last: t.last().copied().unwrap_or(f64::NAN),
            },
        },
        members: MEMBERS.to_vec(),
        reason,
    })
}
