//! Named official progress-assessment methods (docs/methods.md), each reproduced exactly with its
//! thresholds as parameters, plus ontrack's mapping of every method's own class label onto the
//! unified [`Status`] vocabulary.
//!
//! A method looks at one series against one target through a [`Case`] and returns a
//! [`MethodResult`]: the unified status, the method's own label, its key statistic (`ratio`),
//! a score where the method defines one, and a `reason` whenever it had to fall back or could
//! not assess.

pub mod china;
pub mod destatis;
pub mod escap;
pub mod eurostat;
pub mod open_sdg;
pub mod sdsn;
pub mod unsd;
pub mod who_aroc;

use crate::growth::{annual_change, cagr, Point};
use crate::labels::Label;
use crate::types::{meets, Direction, Status};

/// One series against one target, as the methods see it.
///
/// `years`/`values` hold the non-missing observations up to the assessment point, sorted by
/// year (methods with their own windows, such as Eurostat, pick from them); `base` and
/// `latest` are the points chosen by the caller's baseline policy.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    /// Years of the non-missing observations, ascending.
    pub years: &'a [f64],
    /// Values matching `years`.
    pub values: &'a [f64],
    /// The baseline point.
    pub base: Point,
    /// The latest point (at or before the deadline).
    pub latest: Point,
    /// The numeric target, or `None` for a direction-only target ("significantly increase").
    pub target: Option<Target>,
    /// Which way is better.
    pub direction: Direction,
    /// Natural lower bound of the indicator, if any.
    pub lower_bound: Option<f64>,
    /// Natural upper bound of the indicator, if any.
    pub upper_bound: Option<f64>,
    /// The growth rates of this case when the caller has computed them already (as
    /// [`crate::growth::metrics`] does), so that the methods do not compute them again;
    /// `None` computes them.
    pub rates: Option<Rates>,
}

/// The compound annual growth rates of a [`Case`]: exactly `cagr(base, latest)` and
/// `cagr(base, goal)` (`None` where undefined, or without a target).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rates {
    /// Achieved so far: `cagr(base, latest)`.
    pub achieved: Option<f64>,
    /// Required over the whole window: `cagr(base, goal)`.
    pub required: Option<f64>,
}

/// A numeric target with its deadline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The target value `y*`.
    pub value: f64,
    /// The deadline `T`.
    pub year: f64,
    /// "Exceeds" (`true`) versus "reaches" (`false`).
    pub strict: bool,
}

impl Case<'_> {
    /// Whether the latest value meets the target.
    #[must_use]
    pub fn target_met(&self) -> bool {
        self.target
            .is_some_and(|t| meets(self.latest.value, t.value, self.direction, t.strict))
    }

    /// `-1` when every value is negative (growth rates then describe magnitudes, so their
    /// sign is reversed: Open SDG's `s`), else `1`.
    #[must_use]
    pub fn magnitude_sign(&self) -> f64 {
        if !self.values.is_empty() && self.values.iter().all(|v| *v < 0.0) {
            -1.0
        } else {
            1.0
        }
    }

    /// The point `(T, y*)`.
    #[must_use]
    pub fn goal(&self) -> Option<Point> {
        self.target.map(|t| Point::new(t.year, t.value))
    }

    /// `cagr(base, latest)`: the caller's value when it gave [`Case::rates`].
    #[must_use]
    pub fn achieved_growth(&self) -> Option<f64> {
        match self.rates {
            Some(r) => r.achieved,
            None => cagr(self.base, self.latest),
        }
    }

    /// `cagr(base, goal)`: the caller's value when it gave [`Case::rates`].
    #[must_use]
    pub fn required_growth(&self) -> Option<f64> {
        match self.rates {
            Some(r) => r.required,
            None => self.goal().and_then(|g| cagr(self.base, g)),
        }
    }

    /// Direction-adjusted achieved pace: growth where defined, else annual change.
    #[must_use]
    pub fn achieved_pace(&self) -> Option<(f64, crate::growth::PaceBasis)> {
        use crate::growth::PaceBasis;
        match self.achieved_growth() {
            Some(g) => Some((g, PaceBasis::Growth)),
            None => annual_change(self.base, self.latest).map(|c| (c, PaceBasis::Change)),
        }
    }
}

/// What a method concluded about one case.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodResult {
    /// The unified status.
    pub status: Status,
    /// The method's own class label (snake case), e.g. `Label::ModerateProgress`.
    pub label: Label,
    /// The method's key statistic: Open SDG / Eurostat `R`, UNSD `CR` or `E`, or the
    /// direction-adjusted growth `p` when there is no target.
    pub ratio: Option<f64>,
    /// A score where the method defines one (Open SDG: -5 to 5).
    pub score: Option<f64>,
    /// Why a value is missing or a fallback was used.
    pub reason: Option<String>,
}

impl MethodResult {
    /// A result for a case the method cannot assess.
    #[must_use]
    pub fn insufficient(reason: impl Into<String>) -> Self {
        Self {
            status: Status::InsufficientData,
            label: Label::InsufficientData,
            ratio: None,
            score: None,
            reason: Some(reason.into()),
        }
    }
}

/// A named method with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// Open SDG / Statistics Canada.
    OpenSdg(open_sdg::OpenSdgParams),
    /// UNSD SDG Progress Chart, 2017–2022 generation.
    Unsd2022(unsd::Unsd2022Params),
    /// UNSD SDG Progress Chart, 2023+ generation (three classes).
    Unsd2023(unsd::Unsd2023Params),
    /// Eurostat EU SDG report, one window (long-term or short-term).
    Eurostat(eurostat::EurostatParams),
    /// ESCAP current status and anticipated progress indices.
    Escap(escap::EscapParams),
    /// SDSN SDG Index trend classes.
    Sdsn(sdsn::SdsnParams),
    /// Destatis weather symbols (absolute or relative reading).
    Destatis(destatis::DestatisParams),
    /// WHO annual-rate-of-change scenario against the target.
    WhoAroc(who_aroc::WhoArocParams),
    /// Chinese plan monitoring: 完成进度 against 时间进度.
    ChinaPlan(china::ChinaPlanParams),
}

impl Method {
    /// The method's name as used in the `method` column.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::OpenSdg(_) => "open_sdg",
            Self::Unsd2022(p) if p.rate_of_reduction => "unsd_2022_aarr",
            Self::Unsd2022(_) => "unsd_2022",
            Self::Unsd2023(_) => "unsd_2023",
            Self::Eurostat(p) => p.window.method_name(),
            Self::Escap(_) => "escap",
            Self::Sdsn(_) => "sdsn",
            Self::Destatis(p) => p.reading.method_name(),
            Self::WhoAroc(_) => "who_aroc",
            Self::ChinaPlan(_) => "china_plan",
        }
    }

    /// The method with its published default parameters, by name.
    ///
    /// Names: see [`Method::NAMES`] (aliases such as `eurostat` for the long-term window are
    /// accepted too).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Some(
            match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
                "open_sdg" | "opensdg" | "statcan" => {
                    Self::OpenSdg(open_sdg::OpenSdgParams::default())
                }
                "unsd_2022_aarr" | "unsd_aarr" => Self::Unsd2022(unsd::Unsd2022Params {
                    rate_of_reduction: true,
                    ..unsd::Unsd2022Params::default()
                }),
                "unsd_2022" | "unsd2022" | "unsd_2017" => {
                    Self::Unsd2022(unsd::Unsd2022Params::default())
                }
                "unsd_2023" | "unsd2023" | "unsd" => {
                    Self::Unsd2023(unsd::Unsd2023Params::default())
                }
                "eurostat_long_term" | "eurostat_long" | "eurostat" => {
                    Self::Eurostat(eurostat::EurostatParams::long_term())
                }
                "eurostat_short_term" | "eurostat_short" => {
                    Self::Eurostat(eurostat::EurostatParams::short_term())
                }
                "escap" => Self::Escap(escap::EscapParams::default()),
                "sdsn" | "sdg_index" => Self::Sdsn(sdsn::SdsnParams::default()),
                "destatis_absolute" => {
                    Self::Destatis(destatis::DestatisParams::new(destatis::Reading::Absolute))
                }
                "destatis_relative" => {
                    Self::Destatis(destatis::DestatisParams::new(destatis::Reading::Relative))
                }
                "who_aroc" | "who_aroc_latest" => Self::WhoAroc(who_aroc::WhoArocParams::default()),
                "china_plan" | "china" => Self::ChinaPlan(china::ChinaPlanParams::default()),
                _ => return None,
            },
        )
    }

    /// Every method name [`Method::from_name`] accepts (canonical spellings).
    pub const NAMES: [&'static str; 12] = [
        "open_sdg",
        "unsd_2022",
        "unsd_2022_aarr",
        "unsd_2023",
        "eurostat_long_term",
        "eurostat_short_term",
        "escap",
        "sdsn",
        "destatis_absolute",
        "destatis_relative",
        "who_aroc",
        "china_plan",
    ];

    /// Every named method with its published defaults, in [`Method::NAMES`] order: what
    /// `compare_methods` compares by default.
    #[must_use]
    pub fn all() -> Vec<Self> {
        Self::NAMES
            .iter()
            .filter_map(|n| Self::from_name(n))
            .collect()
    }

    /// Assess one case.
    #[must_use]
    pub fn evaluate(&self, case: &Case<'_>) -> MethodResult {
        match self {
            Self::OpenSdg(p) => open_sdg::evaluate(case, p),
            Self::Unsd2022(p) => unsd::evaluate_2022(case, p),
            Self::Unsd2023(p) => unsd::evaluate_2023(case, p),
            Self::Eurostat(p) => eurostat::evaluate(case, p),
            Self::Escap(p) => escap::evaluate(case, p),
            Self::Sdsn(p) => sdsn::evaluate(case, p),
            Self::Destatis(p) => destatis::evaluate(case, p),
            Self::WhoAroc(p) => who_aroc::evaluate(case, p),
            Self::ChinaPlan(p) => china::evaluate(case, p),
        }
    }
}

/// Index of the first cut-off that `x` reaches, for cut-offs in descending order:
/// `classify(x, &[0.95, 0.6, 0.0])` is 0 for `x ≥ 0.95`, 1 for `0.6 ≤ x < 0.95`, 2 for
/// `0 ≤ x < 0.6` and 3 below.
#[must_use]
///
/// A value within 1e-12 below a cut-off counts as reaching it, so that floating-point noise
/// in an exactly-on-pace series (an ESCAP `A` of `1 - 7e-16`) does not change its class.
pub fn classify(x: f64, cuts: &[f64]) -> usize {
    cuts.iter()
        .position(|&c| x >= c - CUT_TOLERANCE)
        .unwrap_or(cuts.len())
}

/// Absolute tolerance of [`classify`].
pub const CUT_TOLERANCE: f64 = 1e-12;

/// The direction-adjusted ratio of achieved to required pace shared by Open SDG, UNSD
/// 2017–2022 and Eurostat: `s·d·g_a / |g_r|` with the rates given by `rate` (CAGR, or the
/// negated AARR), or `d·Δ_a / |Δ_r|` with a reason when a rate is undefined.
pub(crate) fn pace_ratio(
    s: f64,
    d: f64,
    base: Point,
    latest: Point,
    goal: Point,
    rate: impl Fn(Point, Point) -> Option<f64>,
) -> (Option<f64>, Option<String>) {
    match (rate(base, latest), rate(base, goal)) {
        (Some(ga), Some(gr)) => (crate::growth::ratio(s * d * ga, gr.abs()), None),
        _ => (
            annual_change(base, latest)
                .zip(annual_change(base, goal))
                .and_then(|(a, r)| crate::growth::ratio(d * a, r.abs())),
            Some(FALLBACK_REASON.to_string()),
        ),
    }
}

pub(crate) const FALLBACK_REASON: &str =
    "growth rate undefined (a zero value or a change of sign): absolute annual changes compared instead";
