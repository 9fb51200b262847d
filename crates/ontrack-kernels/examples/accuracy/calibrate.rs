//! Regenerates `auto`'s constants (`projection::auto::BUCKETS`) from the validation series.
//!
//! For every validation series cut to each of [`FIT_CUTS`] points (and uncut), drift, theta
//! and damped trend are fitted once and forecast the held-out years. Per length bucket:
//!
//! 1. weights: the grid of weights (drift, theta, damped trend) in steps of [`GRID`] is searched
//!    for the combination whose worst cell (data set × cut length, at least [`MIN_CELL`]
//!    samples) is closest to that cell's best single method, on sMAPE and MASE
//!    (ratio to the best, the larger of the two); ties by the mean ratio;
//! 2. interval shape and scale: the combination's absolute errors in nominal standard errors
//!    (the nominal scale is the variance of the members' mixture, as `auto` computes it),
//!    each data set weighted equally; for each horizon h = 1…6 the factor puts the
//!    80 % quantile on the Student-t 90 % point, and the degrees of freedom (from
//!    [`DF_GRID`]) are those whose 95 % interval then covers closest to 95 %.

use std::collections::BTreeMap;

use ontrack_kernels::projection::{auto, fit, Method, ProjectionOptions};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::data::{self, Length, Series, H};

/// Members, in the order of the weights.
pub const MEMBERS: [Method; 3] = [Method::Drift, Method::Theta, Method::DampedTrend];
/// Cut lengths fitted for the constants (besides the full series), so that every bucket holds
/// samples of its own lengths.
pub const FIT_CUTS: [usize; 14] = [3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 17, 20, 25, 30];
/// Smallest number of samples of a cell that counts in the weight search.
const MIN_CELL: usize = 20;
/// Step of the weight grid.
const GRID: f64 = 0.1;
/// Degrees of freedom tried for the interval shape.
const DF_GRID: [f64; 9] = [1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.0, 10.0, 30.0];
/// Lower edges of the length buckets (points fitted).
pub const BUCKET_EDGES: [usize; 7] = [3, 5, 7, 10, 15, 25, 40];

/// A member's in-sample one-step error variance and `(loc, scale)` per held-out year.
pub type MemberPart = (f64, Vec<(f64, f64)>);

/// The members' forecasts of one sample at the held-out years.
pub struct MemberFit {
    pub set: &'static str,
    pub length: Length,
    pub n: usize,
    /// Per member: its in-sample one-step error variance and, per held-out year,
    /// `(loc, scale)`; `None` when the member cannot be fitted.
    pub parts: Vec<Option<MemberPart>>,
    pub horizon: Vec<usize>,
    pub actual: Vec<f64>,
    pub scale: f64,
    /// Roughness of the fitted points (`auto::roughness`).
    pub rough: f64,
}

pub fn bucket_of(n: usize) -> usize {
    BUCKET_EDGES.iter().rposition(|e| n >= *e).unwrap_or(0)
}

pub fn member_fits(series: &[Series], lengths: &[Length]) -> Vec<MemberFit> {
    let mut out = Vec::new();
    for s in series {
        for &length in lengths {
            let Some(smp) = data::sample(s, length) else {
                continue;
            };
            let last = *smp.years.last().unwrap();
            let step = smp
                .years
                .windows(2)
                .map(|w| w[1] - w[0])
                .fold(f64::INFINITY, f64::min);
            let parts = MEMBERS
                .iter()
                .map(|m| {
                    let p = fit(smp.years, smp.values, &ProjectionOptions::new(*m)).ok()?;
                    let s2 = p.params().iter().find(|(k, _)| *k == "sigma2")?.1;
                    Some((
                        s2,
                        smp.test_years
                            .iter()
                            .map(|y| {
                                let d = p.at(*y).unwrap();
                                (d.loc, d.scale)
                            })
                            .collect(),
                    ))
                })
                .collect();
            out.push(MemberFit {
                set: s.set,
                length,
                n: smp.years.len(),
                parts,
                horizon: smp
                    .test_years
                    .iter()
                    .map(|y| (((y - last) / step).round() as usize).clamp(1, H))
                    .collect(),
                actual: smp.test_values.to_vec(),
                scale: smp.scale,
                rough: auto::roughness(smp.values),
            });
        }
    }
    out
}

/// A point rule: prior weights (drift, theta, damped trend) tilted by the members' in-sample
/// one-step error variances, `w_m ∝ prior_m · (s²_m / min s²)^(−k)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub prior: [f64; 3],
    pub k: f64,
}

/// Point and nominal scale of the weighted mixture at held-out year `i`, as `auto` computes
/// them.
pub fn combine(f: &MemberFit, rule: &Rule, i: usize) -> Option<(f64, f64)> {
    // as `auto` fits them: drift always, theta and damped trend when their prior is positive
    let s2 = [0, 1, 2].map(|m| {
        f.parts[m]
            .as_ref()
            .filter(|_| m == 0 || rule.prior[m] > 0.0)
            .map(|p| p.0)
    });
    let w = auto::weights(&rule.prior, rule.k, &s2, f.scale);
    let mut parts = Vec::new();
    for (p, wi) in f.parts.iter().zip(w) {
        if wi > 0.0 {
            if let Some((_, v)) = p {
                parts.push((v[i], wi));
            }
        }
    }
    let ws: f64 = parts.iter().map(|p| p.1).sum();
    if parts.is_empty() || ws <= 0.0 {
        return None;
    }
    let point = parts.iter().map(|((l, _), w)| l * w).sum::<f64>() / ws;
    let var = parts
        .iter()
        .map(|((l, s), w)| w * (s * s + (l - point) * (l - point)))
        .sum::<f64>()
        / ws;
    Some((point, var.sqrt()))
}

/// Mean sMAPE and MASE of point forecasts `fc(sample, i)` over samples.
fn scores(
    fits: &[&MemberFit],
    fc: &dyn Fn(&MemberFit, usize) -> Option<f64>,
) -> Option<(f64, f64)> {
    let (mut sm, mut ma, mut k) = (0.0, 0.0, 0.0);
    for f in fits {
        let (mut a, mut b) = (0.0, 0.0);
        for (i, y) in f.actual.iter().enumerate() {
            let p = fc(f, i)?;
            let d = p.abs() + y.abs();
            a += if d > 0.0 {
                200.0 * (p - y).abs() / d
            } else {
                0.0
            };
            b += (p - y).abs() / f.scale;
        }
        let m = f.actual.len() as f64;
        sm += a / m;
        ma += b / m;
        k += 1.0;
    }
    (k > 0.0).then(|| (sm / k, ma / k))
}

/// Exponents `k` of the variance tilt tried.
const K_GRID: [f64; 5] = [0.0, 0.5, 1.0, 2.0, 4.0];

/// The rule grid: prior weights on the simplex (restricted to members that bucket `b` can
/// fit) times the tilt exponents.
fn rule_grid(b: usize) -> Vec<Rule> {
    let mut out = Vec::new();
    for w in prior_grid(b) {
        for k in K_GRID {
            out.push(Rule { prior: w, k });
        }
    }
    out
}

fn prior_grid(b: usize) -> Vec<[f64; 3]> {
    let steps = (1.0 / GRID).round() as usize;
    let mut out = Vec::new();
    for i in 0..=steps {
        for j in 0..=steps - i {
            let w = [
                i as f64 * GRID,
                j as f64 * GRID,
                (steps - i - j) as f64 * GRID,
            ];
            let allowed = [true, BUCKET_EDGES[b] >= 5, BUCKET_EDGES[b] >= 7];
            if w.iter().zip(allowed).all(|(w, a)| a || *w == 0.0) {
                out.push(w);
            }
        }
    }
    out
}

/// Worst and mean ratio of a weighting to the cells' best single members.
fn ratio(cells: &[(Vec<&MemberFit>, f64, f64)], w: &Rule) -> (f64, f64) {
    let mut worst = 0.0_f64;
    let mut sum = 0.0;
    for (fits, best_s, best_m) in cells {
        let Some((s, m)) = scores(fits, &|f, i| combine(f, w, i).map(|p| p.0)) else {
            return (f64::INFINITY, f64::INFINITY);
        };
        let r = (s / best_s).max(m / best_m);
        worst = worst.max(r);
        sum += r;
    }
    (worst, sum / cells.len().max(1) as f64)
}

/// Chosen weights of bucket `b`.
fn choose_rule(fits: &[&MemberFit], b: usize) -> Rule {
    let mut by_cell: BTreeMap<(&str, Length), Vec<&MemberFit>> = BTreeMap::new();
    for f in fits {
        by_cell.entry((f.set, f.length)).or_default().push(f);
    }
    let mut cells = Vec::new();
    for (_, v) in by_cell {
        if v.len() < MIN_CELL {
            continue;
        }
        let mut best = (f64::INFINITY, f64::INFINITY);
        for (mi, _) in MEMBERS.iter().enumerate() {
            let mut prior = [0.0; 3];
            prior[mi] = 1.0;
            let w = Rule { prior, k: 0.0 };
            if let Some((s, m)) = scores(&v, &|f, i| combine(f, &w, i).map(|p| p.0)) {
                best = (best.0.min(s), best.1.min(m));
            }
        }
        cells.push((v, best.0, best.1));
    }
    let mut best_w = Rule {
        prior: [1.0, 0.0, 0.0],
        k: 0.0,
    };
    let mut best_r = (f64::INFINITY, f64::INFINITY);
    for w in rule_grid(b) {
        let r = ratio(&cells, &w);
        if r.0 < best_r.0 - 1e-9 || ((r.0 - best_r.0).abs() <= 1e-9 && r.1 < best_r.1) {
            best_r = r;
            best_w = w;
        }
    }
    for (fits, bs, bm) in &cells {
        let (s, m) = scores(fits, &|f, i| combine(f, &best_w, i).map(|p| p.0)).unwrap();
        eprintln!(
            "  {} {}: n={} sMAPE {:.3} ({:.3}) MASE {:.3} ({:.3})",
            fits[0].set,
            fits[0].length,
            fits.len(),
            s / bs,
            bs,
            m / bm,
            bm
        );
    }
    eprintln!(
        "bucket {}+: {} samples, {} cells, rule {best_w:?}, worst ratio {:.4}, mean {:.4}",
        BUCKET_EDGES[b],
        fits.len(),
        cells.len(),
        best_r.0,
        best_r.1
    );
    best_w
}

/// Weighted quantile (`p` of the total weight) of `(value, weight)` pairs.
fn wquantile(v: &mut [(f64, f64)], p: f64) -> f64 {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    let mut acc = 0.0;
    for (x, w) in v.iter() {
        acc += w;
        if acc >= p * total {
            return *x;
        }
    }
    v.last().map_or(f64::NAN, |x| x.0)
}

/// Exponents of the roughness adjustment of the scale tried.
const GAMMA_GRID: [f64; 17] = [
    -2.0, -1.75, -1.5, -1.25, -1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75,
    2.0,
];
/// Shares of the mean absolute first difference added (in quadrature) to the nominal scale.
const DIFF_GRID: [f64; 8] = [0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0];

/// Degrees of freedom and per-horizon factors for standardised errors `z` (by horizon:
/// `(|error| / scale, weight)`).
fn fit_shape(z: &mut [Vec<(f64, f64)>]) -> (f64, [f64; H]) {
    let q80: Vec<f64> = z.iter_mut().map(|v| wquantile(v, 0.8)).collect();
    let mut best = (f64::INFINITY, 3.0, [1.0; H]);
    for df in DF_GRID {
        let t = StudentsT::new(0.0, 1.0, df).unwrap();
        let (t90, t975) = (t.inverse_cdf(0.9), t.inverse_cdf(0.975));
        let mut factors = [1.0; H];
        for (fct, q) in factors.iter_mut().zip(&q80) {
            *fct = q / t90;
        }
        let (mut inside, mut total) = (0.0, 0.0);
        for (h, v) in z.iter().enumerate() {
            for (e, wt) in v {
                inside += wt * f64::from(u8::from(*e <= factors[h] * t975));
                total += wt;
            }
        }
        let miss = (inside / total - 0.95).abs();
        if miss < best.0 {
            best = (miss, df, factors);
        }
    }
    (best.1, best.2)
}

/// Roughness exponent, degrees of freedom and per-horizon scale factors of a regime: for each
/// exponent γ the scale is multiplied by `auto::roughness_adjustment(roughness, γ)`, the factors and df
/// are fitted on all sets pooled (each set weighted equally), and the γ whose worst set
/// (80 % or 95 % coverage miss) is best is kept.
fn calibrate(fits: &[&MemberFit], w: &Rule) -> (f64, f64, f64, [f64; H]) {
    let mut per_set: BTreeMap<&str, f64> = BTreeMap::new();
    for f in fits {
        *per_set.entry(f.set).or_default() += 1.0;
    }
    let mut best = (f64::INFINITY, 0.0, 0.0, 3.0, [1.0; H]);
    for diff_share in DIFF_GRID {
        for gamma in GAMMA_GRID {
            // (set, horizon, |error| / adjusted scale, weight)
            let mut pts = Vec::new();
            for f in fits {
                let wt = 1.0 / per_set[f.set].max(MIN_CELL as f64);
                let adj = auto::roughness_adjustment(f.rough, gamma);
                for (i, y) in f.actual.iter().enumerate() {
                    if let Some((p, s)) = combine(f, w, i) {
                        let s = s.hypot(diff_share * f.scale);
                        let e = (y - p).abs() / (s * adj);
                        pts.push((
                            f.set,
                            f.horizon[i] - 1,
                            if e.is_nan() { 0.0 } else { e },
                            wt,
                        ));
                    }
                }
            }
            let mut z: Vec<Vec<(f64, f64)>> = vec![Vec::new(); H];
            for (_, h, e, wt) in &pts {
                z[*h].push((*e, *wt));
            }
            let (df, factors) = fit_shape(&mut z);
            let t = StudentsT::new(0.0, 1.0, df).unwrap();
            let (t90, t975) = (t.inverse_cdf(0.9), t.inverse_cdf(0.975));
            let mut cov: BTreeMap<&str, (f64, f64, f64)> = BTreeMap::new();
            for (set, h, e, _) in &pts {
                let c = cov.entry(set).or_default();
                c.0 += f64::from(u8::from(*e <= factors[*h] * t90));
                c.1 += f64::from(u8::from(*e <= factors[*h] * t975));
                c.2 += 1.0;
            }
            let miss = cov
                .iter()
                .filter(|(set, _)| per_set[**set] >= MIN_CELL as f64)
                .map(|(_, c)| ((c.0 / c.2 - 0.8).abs()).max((c.1 / c.2 - 0.95).abs()))
                .fold(0.0, f64::max);
            if miss < best.0 {
                best = (miss, diff_share, gamma, df, factors);
            }
        }
    }
    eprintln!(
        "  calibration: diff share {} gamma {} df {} worst set miss {:.3}",
        best.1, best.2, best.3, best.0
    );
    (best.1, best.2, best.3, best.4)
}

/// Rule of one bucket: samples rougher than `smooth_below` use `rough`, the others `smooth`.
#[derive(Clone, Copy, Debug)]
pub struct Gate {
    pub smooth_below: f64,
    pub smooth: Rule,
    pub rough: Rule,
}

impl Gate {
    pub fn rule(&self, f: &MemberFit) -> Rule {
        if f.rough < self.smooth_below {
            self.smooth
        } else {
            self.rough
        }
    }
}

/// Mean sMAPE and MASE of one sample under `rule`.
fn sample_score(f: &MemberFit, rule: &Rule) -> Option<(f64, f64)> {
    scores(&[f], &|f, i| combine(f, rule, i).map(|p| p.0))
}

/// The lengths of the accuracy table: the cells the rules are chosen on.
fn is_eval(l: Length) -> bool {
    data::lengths().contains(&l)
}

type Cells = BTreeMap<(&'static str, Length), usize>;

/// Worst and mean over cells of the larger of the sMAPE and MASE ratios to the cell's best.
fn objective(sums: &[(f64, f64)], counts: &[f64], best: &[(f64, f64)]) -> (f64, f64) {
    let mut worst = 0.0_f64;
    let mut total = 0.0;
    for ((s, c), b) in sums.iter().zip(counts).zip(best) {
        let r = (s.0 / c / b.0).max(s.1 / c / b.1);
        worst = worst.max(r);
        total += r;
    }
    (worst, total / sums.len().max(1) as f64)
}

/// Chooses the gates of all buckets on the table's cells (validation series, lengths full, 12,
/// 8 and 5): per bucket, with the other buckets fixed, every threshold (deciles of the
/// bucket's roughness, or none) and every pair of rules is tried; two passes over the buckets.
fn choose_gates(fits: &[MemberFit], init: &[Rule]) -> Vec<Gate> {
    let eval: Vec<&MemberFit> = fits.iter().filter(|f| is_eval(f.length)).collect();
    let mut cells: Cells = BTreeMap::new();
    for f in &eval {
        let k = cells.len();
        cells.entry((f.set, f.length)).or_insert(k);
    }
    let nc = cells.len();
    let cell_of: Vec<usize> = eval.iter().map(|f| cells[&(f.set, f.length)]).collect();
    let mut counts = vec![0.0; nc];
    for c in &cell_of {
        counts[*c] += 1.0;
    }
    let mut best = vec![(f64::INFINITY, f64::INFINITY); nc];
    for mi in 0..3 {
        let mut prior = [0.0; 3];
        prior[mi] = 1.0;
        let rule = Rule { prior, k: 0.0 };
        let mut sums = vec![(0.0, 0.0); nc];
        let mut ok = vec![true; nc];
        for (f, c) in eval.iter().zip(&cell_of) {
            match f.parts[mi].as_ref().and_then(|_| sample_score(f, &rule)) {
                Some(x) => {
                    sums[*c].0 += x.0;
                    sums[*c].1 += x.1;
                }
                None => ok[*c] = false,
            }
        }
        for c in 0..nc {
            if ok[c] {
                best[c] = (
                    best[c].0.min(sums[c].0 / counts[c]),
                    best[c].1.min(sums[c].1 / counts[c]),
                );
            }
        }
    }
    let mut gates: Vec<Gate> = init
        .iter()
        .map(|r| Gate {
            smooth_below: f64::NEG_INFINITY,
            smooth: *r,
            rough: *r,
        })
        .collect();
    for pass in 0..2 {
        for b in 0..BUCKET_EDGES.len() {
            let idx: Vec<usize> = (0..eval.len())
                .filter(|i| bucket_of(eval[*i].n) == b)
                .collect();
            if idx.is_empty() {
                continue;
            }
            // the other buckets' sums per cell
            let mut other = vec![(0.0, 0.0); nc];
            for (i, f) in eval.iter().enumerate() {
                let bf = bucket_of(f.n);
                if bf != b {
                    let x = sample_score(f, &gates[bf].rule(f)).unwrap_or((f64::NAN, f64::NAN));
                    other[cell_of[i]].0 += x.0;
                    other[cell_of[i]].1 += x.1;
                }
            }
            let grid = rule_grid(b);
            let sc: Vec<Vec<(f64, f64)>> = idx
                .iter()
                .map(|i| {
                    grid.iter()
                        .map(|r| sample_score(eval[*i], r).unwrap_or((f64::NAN, f64::NAN)))
                        .collect()
                })
                .collect();
            let mut rough: Vec<f64> = idx.iter().map(|i| eval[*i].rough).collect();
            rough.sort_by(f64::total_cmp);
            let mut thresholds = vec![f64::NEG_INFINITY];
            for d in 1..10 {
                thresholds.push(rough[d * rough.len() / 10]);
            }
            let mut best_choice = (f64::INFINITY, f64::INFINITY, gates[b]);
            for &c in &thresholds {
                // per cell, per group, per rule sums
                let mut g = vec![vec![vec![(0.0, 0.0); grid.len()]; nc]; 2];
                for (j, i) in idx.iter().enumerate() {
                    let grp = usize::from(eval[*i].rough >= c);
                    for (r, x) in sc[j].iter().enumerate() {
                        let e = &mut g[grp][cell_of[*i]][r];
                        e.0 += x.0;
                        e.1 += x.1;
                    }
                }
                let smooth_range: Vec<usize> = if c == f64::NEG_INFINITY {
                    vec![0]
                } else {
                    (0..grid.len()).collect()
                };
                for &a in &smooth_range {
                    for r in 0..grid.len() {
                        let sums: Vec<(f64, f64)> = (0..nc)
                            .map(|k| {
                                (
                                    other[k].0 + g[0][k][a].0 + g[1][k][r].0,
                                    other[k].1 + g[0][k][a].1 + g[1][k][r].1,
                                )
                            })
                            .collect();
                        let o = objective(&sums, &counts, &best);
                        if o.0 < best_choice.0 - 1e-9
                            || ((o.0 - best_choice.0).abs() <= 1e-9 && o.1 < best_choice.1 - 1e-9)
                        {
                            let smooth = if c == f64::NEG_INFINITY {
                                grid[r]
                            } else {
                                grid[a]
                            };
                            best_choice = (
                                o.0,
                                o.1,
                                Gate {
                                    smooth_below: c,
                                    smooth,
                                    rough: grid[r],
                                },
                            );
                        }
                    }
                }
            }
            gates[b] = best_choice.2;
            eprintln!(
                "pass {pass} bucket {}+: worst {:.4} mean {:.4} {:?}",
                BUCKET_EDGES[b], best_choice.0, best_choice.1, gates[b]
            );
        }
    }
    gates
}

/// One regime of a bucket's constants: rule, degrees of freedom and factors.
pub type Regime = (Rule, f64, f64, f64, [f64; H]);

/// The constants: per bucket, its lower edge, roughness threshold, and smooth and rough
/// regimes.
pub fn regenerate(series: &[Series]) -> Vec<(usize, f64, Regime, Regime)> {
    let val: Vec<&Series> = series.iter().filter(|s| data::is_validation(s)).collect();
    let lengths: Vec<Length> = std::iter::once(Length::Full)
        .chain(FIT_CUTS.iter().map(|k| Length::Last(*k)))
        .collect();
    let owned: Vec<Series> = val
        .iter()
        .map(|s| Series {
            set: s.set,
            id: s.id.clone(),
            years: s.years.clone(),
            values: s.values.clone(),
        })
        .collect();
    let fits = member_fits(&owned, &lengths);
    let init: Vec<Rule> = (0..BUCKET_EDGES.len())
        .map(|b| {
            let in_b: Vec<&MemberFit> = fits.iter().filter(|f| bucket_of(f.n) == b).collect();
            choose_rule(&in_b, b)
        })
        .collect();
    let gates = choose_gates(&fits, &init);
    gates
        .iter()
        .enumerate()
        .map(|(b, g)| {
            let in_b: Vec<&MemberFit> = fits.iter().filter(|f| bucket_of(f.n) == b).collect();
            let sm: Vec<&MemberFit> = in_b
                .iter()
                .copied()
                .filter(|f| f.rough < g.smooth_below)
                .collect();
            let ro: Vec<&MemberFit> = in_b
                .iter()
                .copied()
                .filter(|f| f.rough >= g.smooth_below)
                .collect();
            let (cr, gr, df_r, f_r) = calibrate(&ro, &g.rough);
            let (cs, gs, df_s, f_s) = if sm.is_empty() {
                (cr, gr, df_r, f_r)
            } else {
                calibrate(&sm, &g.smooth)
            };
            (
                BUCKET_EDGES[b],
                g.smooth_below,
                (g.smooth, cs, gs, df_s, f_s),
                (g.rough, cr, gr, df_r, f_r),
            )
        })
        .collect()
}

/// The constants of the shortest bucket (drift alone), regenerated from the validation series
/// cut to 3 and 4 points: a cheap part of [`regenerate`] (drift fits only) that tests rerun.
#[allow(dead_code)] // used by tests/auto.rs
pub fn regenerate_shortest(series: &[Series]) -> (usize, f64, Regime, Regime) {
    let val: Vec<Series> = series
        .iter()
        .filter(|s| data::is_validation(s))
        .map(|s| Series {
            set: s.set,
            id: s.id.clone(),
            years: s.years.clone(),
            values: s.values.clone(),
        })
        .collect();
    let fits = member_fits(&val, &[Length::Last(3), Length::Last(4)]);
    let in_b: Vec<&MemberFit> = fits.iter().filter(|f| bucket_of(f.n) == 0).collect();
    let rule = choose_rule(&in_b, 0);
    let (c, g, df, f) = calibrate(&in_b, &rule);
    let regime = (rule, c, g, df, f);
    (BUCKET_EDGES[0], f64::NEG_INFINITY, regime, regime)
}
