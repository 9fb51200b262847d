//! `rollup`: an assessment result rolled up to tasks, goals or regions, the way each body
//! does it (docs/rollups.md), with the SDSN missing-data rule.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use ontrack_kernels::methods::classify;
use ontrack_kernels::methods::escap::EscapParams;
use ontrack_kernels::methods::open_sdg::score_band;
use ontrack_kernels::methods::sdsn::{index, missing_share, DEFAULT_MAX_MISSING_SHARE};
use ontrack_kernels::Status;
use polars::prelude::*;

use crate::error::{Frame, OntrackError, Result};
use crate::input::{floats, optional, require, strings};

/// How the rows of a group are combined into the group's `status` (every summary column is
/// computed whatever the choice; `how` picks which one decides the status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RollupHow {
    /// Open SDG: the mean of `score`, banded by
    /// [`score_band`](ontrack_kernels::methods::open_sdg::score_band) (`[2.5, 5]` on track,
    /// `[0, 2.5)` needs acceleration, `[-2.5, 0)` off track (limited progress), below
    /// regressing (deterioration)); `achieved` only when every row of the group is achieved.
    /// The bands are Open SDG's −5…5 scale: for any other method the status is left null
    /// (the mean is still in `mean_score`).
    #[default]
    MeanScore,
    /// As [`RollupHow::MeanScore`] with the mean weighted by the weight column.
    WeightedMeanScore,
    /// The share of assessed rows that are achieved or on track, banded by
    /// [`RollupOptions::share_cuts`] (default 0.8 / 0.5): every row achieved → achieved;
    /// share ≥ 0.8 → on_track; 0.5 ≤ share < 0.8 → needs_acceleration; below 0.5 →
    /// regressing when more than half of the assessed rows regress, else off_track.
    ShareOnTrack,
    /// The SDSN dashboard rule: the group is rated by its two worst assessed rows and takes
    /// the *better* of the two, so one bad indicator alone does not colour the goal; with a
    /// single assessed row, that row's status.
    TwoWorst,
    /// The worst status of the assessed rows.
    Worst,
    /// ESCAP: the simple (unweighted) mean of `method_ratio` — for `escap`, the anticipated
    /// progress index `A` — across the rows, classified by ESCAP's cut-offs (`A ≥ 1` on_track
    /// (maintain), `0 ≤ A < 1` needs_acceleration (accelerate), `A < 0` regressing
    /// (reverse)); `achieved` only when every row is achieved. Other methods' ratios have no
    /// single scale, so their status is left null (the mean is still in `mean_ratio`).
    MeanValue,
}

impl RollupHow {
    /// Every name [`RollupHow::from_str`] accepts.
    pub const NAMES: [&'static str; 6] = [
        "mean_score",
        "weighted_mean_score",
        "share_on_track",
        "two_worst",
        "worst",
        "mean_value",
    ];

    /// The name used in the `how` column.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MeanScore => "mean_score",
            Self::WeightedMeanScore => "weighted_mean_score",
            Self::ShareOnTrack => "share_on_track",
            Self::TwoWorst => "two_worst",
            Self::Worst => "worst",
            Self::MeanValue => "mean_value",
        }
    }

    /// Parse a name of [`RollupHow::NAMES`] (case-insensitive, `-` for `_` accepted).
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] (option `how`) for any other name.
    pub fn parse(name: &str) -> Result<Self> {
        Ok(
            match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
                "mean_score" => Self::MeanScore,
                "weighted_mean_score" => Self::WeightedMeanScore,
                "share_on_track" => Self::ShareOnTrack,
                "two_worst" => Self::TwoWorst,
                "worst" => Self::Worst,
                "mean_value" => Self::MeanValue,
                _ => {
                    return Err(OntrackError::option(
                        "how",
                        format!(
                            "unknown rollup {name:?}; expected one of {}",
                            Self::NAMES.join(", ")
                        ),
                    ))
                }
            },
        )
    }
}

impl FromStr for RollupHow {
    type Err = OntrackError;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for RollupHow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Options of [`rollup`].
///
/// ```
/// use ontrack::{RollupHow, RollupOptions};
/// let opts = RollupOptions::by(["region"]).with_how(RollupHow::MeanValue);
/// assert_eq!(opts.min_coverage, 0.8);
/// assert_eq!("two_worst".parse::<RollupHow>().unwrap(), RollupHow::TwoWorst);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RollupOptions {
    /// Grouping columns of the result (e.g. `group`, `indicator`, `region`). `method` is
    /// always added, so methods never mix. Empty: one group per method.
    pub by: Vec<String>,
    /// How a group's `status` is decided.
    pub how: RollupHow,
    /// Least share of a group's rows that must carry what is aggregated (default 0.8, the
    /// SDSN rule: no aggregate when more than 20% is missing; exactly 80% still aggregates).
    pub min_coverage: f64,
    /// Weight column for `weighted_mean_score`; `None`: `weight` when the result has it,
    /// else equal weights. A named column must exist.
    pub weight: Option<String>,
    /// Cut-offs of [`RollupHow::ShareOnTrack`]: on track, needs acceleration (0.8, 0.5).
    pub share_cuts: [f64; 2],
}

impl Default for RollupOptions {
    fn default() -> Self {
        Self {
            by: vec!["group".into()],
            how: RollupHow::MeanScore,
            min_coverage: 1.0 - DEFAULT_MAX_MISSING_SHARE,
            weight: None,
            share_cuts: [0.8, 0.5],
        }
    }
}

impl RollupOptions {
    /// Default options grouped by `by`.
    #[must_use]
    pub fn by<I, S>(by: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            by: by.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Set how the status is decided.
    #[must_use]
    pub fn with_how(mut self, how: RollupHow) -> Self {
        self.how = how;
        self
    }

    /// Set the least coverage.
    #[must_use]
    pub fn with_min_coverage(mut self, min_coverage: f64) -> Self {
        self.min_coverage = min_coverage;
        self
    }

    /// Set the weight column.
    #[must_use]
    pub fn with_weight(mut self, column: impl Into<String>) -> Self {
        self.weight = Some(column.into());
        self
    }

    /// Check the options.
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] naming the option.
    pub fn validate(&self) -> Result<()> {
        if !(self.min_coverage.is_finite() && (0.0..=1.0).contains(&self.min_coverage)) {
            return Err(OntrackError::option(
                "min_coverage",
                format!("must be between 0 and 1, got {}", self.min_coverage),
            ));
        }
        let [hi, lo] = self.share_cuts;
        if !(hi.is_finite() && lo.is_finite() && 0.0 <= lo && lo <= hi && hi <= 1.0) {
            return Err(OntrackError::option(
                "share_cuts",
                format!("need 0 ≤ needs_acceleration ≤ on_track ≤ 1, got [{hi}, {lo}]"),
            ));
        }
        for (i, a) in self.by.iter().enumerate() {
            if self.by.iter().skip(i + 1).any(|b| b == a) {
                return Err(OntrackError::option(
                    "by",
                    format!("column {a:?} is given twice"),
                ));
            }
            if OUTPUT_COLUMNS.contains(&a.as_str()) {
                return Err(OntrackError::option(
                    "by",
                    format!("column {a:?} would clash with the output column of that name"),
                ));
            }
        }
        Ok(())
    }
}

/// The aggregate columns of the output (a `by` column may not carry one of these names).
const OUTPUT_COLUMNS: [&str; 20] = [
    "n",
    "n_assessed",
    "coverage",
    "n_achieved",
    "n_on_track",
    "n_needs_acceleration",
    "n_off_track",
    "n_regressing",
    "n_insufficient_data",
    "share_on_track",
    "mean_score",
    "weighted_mean_score",
    "mean_progress",
    "mean_ratio",
    "worst_status",
    "two_worst_status",
    "status",
    "how",
    "reason",
    "total_weight",
];

/// Roll an [`assess`](crate::assess) result up to groups: tasks, goals, regions.
///
/// Rows are grouped by `options.by` plus `method` (always, so methods never mix); groups keep
/// the order in which they first appear, and a null key is a group of its own. Output, one
/// row per group:
///
/// | column | meaning |
/// |---|---|
/// | *by columns*, `method` | the group (same types as in the result) |
/// | `n` | rows in the group |
/// | `n_assessed` | rows whose status is not insufficient_data |
/// | `coverage` | share of the rows carrying what `how` aggregates: a `score` (mean_score, weighted_mean_score), an assessed status (share_on_track, two_worst, worst), a `method_ratio` (mean_value) |
/// | `n_achieved` … `n_insufficient_data` | rows per unified status |
/// | `share_on_track` | (achieved + on_track) / assessed rows |
/// | `mean_score` | mean of `score` (Open SDG indicator score; SDSN goal score) |
/// | `weighted_mean_score` | Σ w·score / Σ w over rows with a score (a null weight counts 1) |
/// | `total_weight` | Σ w over those rows |
/// | `mean_progress` | simple mean of `progress` |
/// | `mean_ratio` | simple (unweighted) mean of `method_ratio` (ESCAP regional value) |
/// | `worst_status`, `two_worst_status` | worst assessed status; the better of the two worst |
/// | `status` | the group's status by `how` (see [`RollupHow`]) |
/// | `how` | the rule used |
/// | `reason` | why a value is missing, and every choice made |
///
/// **Missing data (SDSN rule).** A row whose status is insufficient_data counts as missing
/// for every aggregate (whatever its `score`, `progress` or `method_ratio` read). Every
/// aggregate column is computed only when at most `1 − min_coverage` (20%) of the group's
/// rows lack its input (a score for the score means,
/// an assessed status for the share and the status columns, a progress or a ratio for those
/// means); otherwise it is null. `status` follows the coverage of `how`'s input, and `reason`
/// then says e.g. `coverage 0.60 below 0.80 (2 of 5 rows have no score): no aggregate (SDSN
/// rule)`. The row is always there, with its counts.
///
/// # Errors
/// [`OntrackError::MissingColumn`] (frame [`Frame::Result`]) for a missing `by` column,
/// `status` or `method`, `score` for the score means, `method_ratio` for mean_value, or a
/// named weight column; [`OntrackError::ColumnType`] for an unknown status or a negative
/// weight; [`OntrackError::NullValue`] for a null status; [`OntrackError::InvalidOption`]
/// for invalid options.
///
/// # Example
/// ```
/// use ontrack::{rollup, RollupHow, RollupOptions};
/// use ontrack::polars::prelude::*;
///
/// let result = df!(
///     "group" => ["G1", "G1", "G1"],
///     "method" => ["open_sdg", "open_sdg", "open_sdg"],
///     "status" => ["on_track", "off_track", "achieved"],
///     "score" => [3.0, -1.0, 5.0],
/// ).unwrap();
/// let out = rollup(&result, &RollupOptions::by(["group"])).unwrap();
/// let mean = out.column("mean_score").unwrap().f64().unwrap().get(0);
/// assert_eq!(mean, Some(7.0 / 3.0));
/// let status = out.column("status").unwrap().str().unwrap().get(0);
/// assert_eq!(status, Some("needs_acceleration")); // 7/3 is in [0, 2.5)
///
/// let opts = RollupOptions::by(["group"]).with_how(RollupHow::TwoWorst);
/// let out = rollup(&result, &opts).unwrap();
/// let status = out.column("status").unwrap().str().unwrap().get(0);
/// assert_eq!(status, Some("on_track")); // the better of off_track and on_track
/// ```
pub fn rollup(result: &DataFrame, options: &RollupOptions) -> Result<DataFrame> {
    options.validate()?;
    let frame = Frame::Result;
    let n_rows = result.height();

    // Grouping keys: the `by` columns, then `method`.
    let mut key_names: Vec<&str> = options.by.iter().map(String::as_str).collect();
    if !key_names.contains(&"method") {
        key_names.push("method");
    }
    let key_columns: Vec<&Column> = key_names
        .iter()
        .map(|name| require(result, frame, name))
        .collect::<Result<_>>()?;
    let status_col = require(result, frame, "status")?;
    let keys: Vec<Vec<Option<String>>> = key_columns
        .iter()
        .map(|c| strings(c, frame))
        .collect::<Result<_>>()?;
    let methods = strings(require(result, frame, "method")?, frame)?;
    let statuses = read_statuses(status_col)?;

    let needs = |name: &str, hows: &[RollupHow]| -> Result<Option<Vec<Option<f64>>>> {
        if hows.contains(&options.how) {
            floats(require(result, frame, name)?, frame).map(Some)
        } else {
            optional(result, name).map(|c| floats(c, frame)).transpose()
        }
    };
    let scores = needs(
        "score",
        &[RollupHow::MeanScore, RollupHow::WeightedMeanScore],
    )?;
    let ratios = needs("method_ratio", &[RollupHow::MeanValue])?;
    let progress = needs("progress", &[])?;
    let weight_col = match &options.weight {
        Some(name) => Some(require(result, frame, name)?),
        None => optional(result, "weight"),
    };
    let weights = weight_col.map(read_weights).transpose()?;

    // Groups in first-seen order.
    let mut index_of: HashMap<Vec<Option<&str>>, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for row in 0..n_rows {
        let key: Vec<Option<&str>> = keys
            .iter()
            .map(|k| k.get(row).and_then(|v| v.as_deref()))
            .collect();
        let g = *index_of.entry(key).or_insert_with(|| {
            groups.push(Group {
                first_row: row,
                method: methods.get(row).cloned().flatten(),
                members: Vec::new(),
            });
            groups.len() - 1
        });
        let status = statuses
            .get(row)
            .copied()
            .unwrap_or(Status::InsufficientData);
        // A row that could not be assessed contributes nothing (its progress may read 0).
        let cell = |v: &Option<Vec<Option<f64>>>| {
            v.as_ref()
                .and_then(|v| v.get(row).copied().flatten())
                .filter(|_| status != Status::InsufficientData)
        };
        if let Some(group) = groups.get_mut(g) {
            group.members.push(Member {
                status,
                score: cell(&scores),
                ratio: cell(&ratios),
                progress: cell(&progress),
                weight: cell(&weights),
            });
        }
    }

    // Sums of floats depend on their order: put each group's members in a canonical order
    // so that the aggregates depend only on which rows a group holds, not on the order they
    // arrive in (a distributed result has no row order).
    for group in &mut groups {
        group.members.sort_by(Member::canonical_order);
    }
    let has_weights = weights.is_some();
    let summaries: Vec<Summary> = groups
        .iter()
        .map(|g| summarise(g, options, has_weights))
        .collect();
    build_frame(result, &key_names, &groups, &summaries, options)
}

/// One result row as the rollup sees it.
struct Member {
    status: Status,
    score: Option<f64>,
    ratio: Option<f64>,
    progress: Option<f64>,
    weight: Option<f64>,
}

impl Member {
    /// A total order over every field (floats by their total order, missing first).
    fn canonical_order(a: &Self, b: &Self) -> std::cmp::Ordering {
        let key = |m: &Self| [m.score, m.ratio, m.progress, m.weight];
        a.status.cmp(&b.status).then_with(|| {
            key(a)
                .iter()
                .zip(key(b).iter())
                .map(|(x, y)| match (x, y) {
                    (Some(x), Some(y)) => x.total_cmp(y),
                    (x, y) => x.is_some().cmp(&y.is_some()),
                })
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    }
}

/// The rows of one group.
struct Group {
    first_row: usize,
    method: Option<String>,
    members: Vec<Member>,
}

/// The aggregates of one group.
struct Summary {
    n: u32,
    n_assessed: u32,
    coverage: Option<f64>,
    counts: [u32; 6],
    share_on_track: Option<f64>,
    mean_score: Option<f64>,
    weighted_mean_score: Option<f64>,
    total_weight: Option<f64>,
    mean_progress: Option<f64>,
    mean_ratio: Option<f64>,
    worst: Option<Status>,
    two_worst: Option<Status>,
    status: Option<Status>,
    reason: Option<String>,
}

/// Coverage of one input of a group: the share of rows carrying it, and whether it passes
/// the SDSN rule.
struct Coverage {
    coverage: Option<f64>,
    ok: bool,
    missing: usize,
}

fn coverage(values: &[Option<f64>], max_missing: f64) -> Coverage {
    let share = missing_share(values);
    Coverage {
        coverage: share.map(|m| 1.0 - m),
        // The comparison of `sdsn::index`: exactly the maximum share still aggregates.
        ok: share.is_some_and(|m| m <= max_missing + 1e-12),
        missing: values
            .iter()
            .filter(|v| !v.is_some_and(f64::is_finite))
            .count(),
    }
}

/// The mean of the values present, or `None` when the coverage rule fails.
fn gated_mean(values: &[Option<f64>], max_missing: f64) -> Option<f64> {
    let share = missing_share(values)?;
    index(values, share, max_missing)
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn summarise(group: &Group, options: &RollupOptions, has_weights: bool) -> Summary {
    let max_missing = 1.0 - options.min_coverage;
    let m = &group.members;
    let n = m.len();
    let mut counts = [0_u32; 6];
    for member in m {
        let i = Status::ALL
            .iter()
            .position(|s| *s == member.status)
            .unwrap_or(5);
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    let count = |s: Status| {
        Status::ALL
            .iter()
            .position(|x| *x == s)
            .and_then(|i| counts.get(i).copied())
            .unwrap_or(0)
    };
    let n_assessed = count_u32(n) - count(Status::InsufficientData);

    let scores: Vec<Option<f64>> = m.iter().map(|x| x.score).collect();
    let ratios: Vec<Option<f64>> = m.iter().map(|x| x.ratio).collect();
    let progress: Vec<Option<f64>> = m.iter().map(|x| x.progress).collect();
    let assessed: Vec<Option<f64>> = m
        .iter()
        .map(|x| (x.status != Status::InsufficientData).then_some(1.0))
        .collect();
    let status_cov = coverage(&assessed, max_missing);
    let score_cov = coverage(&scores, max_missing);

    // Status aggregates over the assessed rows.
    let mut ranked: Vec<Status> = m
        .iter()
        .map(|x| x.status)
        .filter(|s| *s != Status::InsufficientData)
        .collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a)); // worst first
    let (worst, two_worst, share_on_track) = if status_cov.ok {
        let share = (n_assessed > 0).then(|| {
            f64::from(count(Status::Achieved) + count(Status::OnTrack)) / f64::from(n_assessed)
        });
        (
            ranked.first().copied(),
            ranked.get(1).or(ranked.first()).copied(),
            share,
        )
    } else {
        (None, None, None)
    };

    // Score means.
    let mean_score = gated_mean(&scores, max_missing);
    let (weighted_mean_score, total_weight) = if score_cov.ok {
        let (sw, w) = m
            .iter()
            .filter_map(|x| x.score.map(|s| (s, x.weight.unwrap_or(1.0))))
            .fold((0.0, 0.0), |(sw, tw), (s, w)| (sw + s * w, tw + w));
        ((w > 0.0).then(|| sw / w), Some(w))
    } else {
        (None, None)
    };
    let mean_progress = gated_mean(&progress, max_missing);
    let mean_ratio = gated_mean(&ratios, max_missing);

    let mut summary = Summary {
        n: count_u32(n),
        n_assessed,
        coverage: None,
        counts,
        share_on_track,
        mean_score,
        weighted_mean_score,
        total_weight,
        mean_progress,
        mean_ratio,
        worst,
        two_worst,
        status: None,
        reason: None,
    };
    let mut reasons: Vec<String> = Vec::new();
    let (cov, what) = match options.how {
        RollupHow::MeanScore | RollupHow::WeightedMeanScore => (score_cov, "have no score"),
        RollupHow::MeanValue => (coverage(&ratios, max_missing), "have no method_ratio"),
        RollupHow::ShareOnTrack | RollupHow::TwoWorst | RollupHow::Worst => {
            (status_cov, "are insufficient_data")
        }
    };
    summary.coverage = cov.coverage;
    if cov.ok {
        summary.status = status_by_rule(&summary, group, options, has_weights, &mut reasons);
    } else {
        reasons.push(match cov.coverage {
            Some(c) => format!(
                "coverage {c:.2} below {:.2} ({} of {n} rows {what}): no aggregate (SDSN rule)",
                options.min_coverage, cov.missing
            ),
            None => "no rows: no aggregate".to_string(),
        });
    }
    summary.reason = (!reasons.is_empty()).then(|| reasons.join("; "));
    summary
}

/// The status of a group whose coverage passes, by the rule of `options.how` (with the
/// reasons for any choice made).
fn status_by_rule(
    summary: &Summary,
    group: &Group,
    options: &RollupOptions,
    has_weights: bool,
    reasons: &mut Vec<String>,
) -> Option<Status> {
    let m = &group.members;
    let count = |s: Status| {
        Status::ALL
            .iter()
            .position(|x| *x == s)
            .and_then(|i| summary.counts.get(i).copied())
            .unwrap_or(0)
    };
    let n_assessed = summary.n_assessed;
    let all_achieved = summary.n > 0 && count(Status::Achieved) == summary.n;
    let (mean_score, weighted_mean_score, mean_ratio) = (
        summary.mean_score,
        summary.weighted_mean_score,
        summary.mean_ratio,
    );
    let (share_on_track, worst, two_worst) =
        (summary.share_on_track, summary.worst, summary.two_worst);
    let method = group.method.as_deref().unwrap_or("");
    match options.how {
        RollupHow::MeanScore | RollupHow::WeightedMeanScore => {
            let mean = if options.how == RollupHow::MeanScore {
                mean_score
            } else {
                weighted_mean_score
            };
            if options.how == RollupHow::WeightedMeanScore {
                if !has_weights {
                    reasons.push("no weight column: equal weights".into());
                } else if m.iter().any(|x| x.score.is_some() && x.weight.is_none()) {
                    reasons.push("a row without weight counts with weight 1".into());
                }
            }
            if method != "open_sdg" {
                reasons.push(format!(
                    "status by Open SDG score bands (-5 to 5) only; method {method:?} has another score scale (see {})",
                    options.how.as_str()
                ));
                None
            } else if all_achieved {
                Some(Status::Achieved)
            } else if let Some(mean) = mean {
                Some(score_band(mean).0)
            } else {
                reasons.push("no score to average (total weight 0)".into());
                None
            }
        }
        RollupHow::MeanValue => {
            if method != "escap" {
                reasons.push(format!(
                    "status by ESCAP's anticipated-progress cut-offs only; method {method:?} ratios have no single scale (see mean_ratio)"
                ));
                None
            } else if all_achieved {
                Some(Status::Achieved)
            } else {
                mean_ratio.map(|a| {
                    let cuts = EscapParams::default().cuts;
                    [Status::OnTrack, Status::NeedsAcceleration]
                        .get(classify(a, &cuts))
                        .copied()
                        .unwrap_or(Status::Regressing)
                })
            }
        }
        RollupHow::ShareOnTrack => {
            let [on_track, accelerate] = options.share_cuts;
            match share_on_track {
                None => {
                    reasons.push("no assessed rows".into());
                    None
                }
                Some(_) if all_achieved => Some(Status::Achieved),
                Some(s) if s >= on_track => Some(Status::OnTrack),
                Some(s) if s >= accelerate => Some(Status::NeedsAcceleration),
                Some(_) if 2 * count(Status::Regressing) > n_assessed => Some(Status::Regressing),
                Some(_) => Some(Status::OffTrack),
            }
        }
        RollupHow::TwoWorst => {
            if n_assessed == 1 {
                reasons.push("one assessed row: its status".into());
            }
            if two_worst.is_none() {
                reasons.push("no assessed rows".into());
            }
            two_worst
        }
        RollupHow::Worst => {
            if worst.is_none() {
                reasons.push("no assessed rows".into());
            }
            worst
        }
    }
}

fn read_statuses(col: &Column) -> Result<Vec<Status>> {
    let frame = Frame::Result;
    strings(col, frame)?
        .into_iter()
        .enumerate()
        .map(|(row, s)| {
            let Some(s) = s else {
                return Err(OntrackError::NullValue {
                    frame,
                    column: col.name().to_string(),
                    row,
                    what: "every result row needs a status".into(),
                });
            };
            Status::ALL
                .iter()
                .copied()
                .find(|x| x.as_str() == s.trim())
                .ok_or_else(|| OntrackError::ColumnType {
                    frame,
                    column: col.name().to_string(),
                    expected: format!("statuses ({})", Status::ALL.map(Status::as_str).join(", ")),
                    found: format!("the string {s:?} at row {row}"),
                })
        })
        .collect()
}

fn read_weights(col: &Column) -> Result<Vec<Option<f64>>> {
    let frame = Frame::Result;
    let w = floats(col, frame)?;
    if let Some((row, bad)) = w.iter().enumerate().find_map(|(row, v)| {
        v.filter(|x| !(x.is_finite() && *x >= 0.0))
            .map(|x| (row, x))
    }) {
        return Err(OntrackError::ColumnType {
            frame,
            column: col.name().to_string(),
            expected: "weights zero or positive".into(),
            found: format!("the value {bad} at row {row}"),
        });
    }
    Ok(w)
}

fn build_frame(
    result: &DataFrame,
    key_names: &[&str],
    groups: &[Group],
    summaries: &[Summary],
    options: &RollupOptions,
) -> Result<DataFrame> {
    let firsts: Vec<IdxSize> = groups
        .iter()
        .map(|g| IdxSize::try_from(g.first_row).unwrap_or(IdxSize::MAX))
        .collect();
    let idx = IdxCa::from_vec("idx".into(), firsts);
    let mut columns: Vec<Column> = Vec::new();
    for name in key_names {
        columns.push(require(result, Frame::Result, name)?.take(&idx)?);
    }
    let u = |name: &str, f: &dyn Fn(&Summary) -> u32| {
        Column::new(name.into(), summaries.iter().map(f).collect::<Vec<u32>>())
    };
    let fl = |name: &str, f: &dyn Fn(&Summary) -> Option<f64>| {
        Column::new(
            name.into(),
            summaries.iter().map(f).collect::<Vec<Option<f64>>>(),
        )
    };
    let st = |name: &str, f: &dyn Fn(&Summary) -> Option<Status>| {
        Column::new(
            name.into(),
            summaries
                .iter()
                .map(|s| f(s).map(Status::as_str))
                .collect::<Vec<Option<&str>>>(),
        )
    };
    columns.push(u("n", &|s| s.n));
    columns.push(u("n_assessed", &|s| s.n_assessed));
    columns.push(fl("coverage", &|s| s.coverage));
    for (i, status) in Status::ALL.iter().enumerate() {
        let name = format!("n_{}", status.as_str());
        columns.push(u(&name, &|s| s.counts.get(i).copied().unwrap_or(0)));
    }
    columns.push(fl("share_on_track", &|s| s.share_on_track));
    columns.push(fl("mean_score", &|s| s.mean_score));
    columns.push(fl("weighted_mean_score", &|s| s.weighted_mean_score));
    columns.push(fl("total_weight", &|s| s.total_weight));
    columns.push(fl("mean_progress", &|s| s.mean_progress));
    columns.push(fl("mean_ratio", &|s| s.mean_ratio));
    columns.push(st("worst_status", &|s| s.worst));
    columns.push(st("two_worst_status", &|s| s.two_worst));
    columns.push(st("status", &|s| s.status));
    columns.push(Column::new(
        "how".into(),
        vec![options.how.as_str(); summaries.len()],
    ));
    columns.push(Column::new(
        "reason".into(),
        summaries
            .iter()
            .map(|s| s.reason.as_deref())
            .collect::<Vec<Option<&str>>>(),
    ));
    Ok(DataFrame::new(summaries.len(), columns)?)
}
