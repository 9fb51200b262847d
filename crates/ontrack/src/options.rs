//! Options of [`crate::assess`].

use ontrack_kernels::methods::Method;
use ontrack_kernels::projection::{Method as ProjectionMethod, DEFAULT_RECENCY_WEIGHT};

use crate::error::{OntrackError, Result};
use crate::output::level_name;
use crate::progress::Progress;

/// How the baseline observation is chosen around the base year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BaselinePolicy {
    /// The first observation at or after the base year (Open SDG's rule).
    #[default]
    FirstAtOrAfter,
    /// The last observation at or before the base year.
    LastAtOrBefore,
    /// The observation nearest the base year (earlier wins a tie).
    Nearest,
}

impl BaselinePolicy {
    /// Every policy, the default first.
    pub const ALL: [Self; 3] = [Self::FirstAtOrAfter, Self::LastAtOrBefore, Self::Nearest];

    /// Parse `first_at_or_after`, `last_at_or_before` or `nearest`.
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] for any other name.
    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "first_at_or_after" | "first_after" => Ok(Self::FirstAtOrAfter),
            "last_at_or_before" | "last_before" => Ok(Self::LastAtOrBefore),
            "nearest" => Ok(Self::Nearest),
            other => Err(OntrackError::option(
                "baseline_policy",
                format!("unknown policy {other:?}; expected first_at_or_after, last_at_or_before or nearest"),
            )),
        }
    }

    /// The policy's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstAtOrAfter => "first_at_or_after",
            Self::LastAtOrBefore => "last_at_or_before",
            Self::Nearest => "nearest",
        }
    }
}

/// Options of [`crate::assess`]: column names, methods and baseline rules.
///
/// ```
/// use ontrack::AssessOptions;
/// let opts = AssessOptions::default()
///     .with_by(["region"])
///     .with_methods(["open_sdg", "unsd_2023"])
///     .unwrap()
///     .with_base_year(2015.0);
/// assert_eq!(opts.methods.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOptions {
    /// Indicator column, in both frames (default `indicator`).
    pub indicator: String,
    /// Period column of the observations: integer or float years, dates or datetimes
    /// (default `year`).
    pub period: String,
    /// Value column of the observations (default `value`).
    pub value: String,
    /// Key columns identifying a series besides the indicator (region, sex, ...).
    pub by: Vec<String>,
    /// Named methods to apply; one output row per method (default: Open SDG).
    pub methods: Vec<Method>,
    /// Base year used when a target has no `baseline_year`; `None` uses the first observation.
    pub base_year: Option<f64>,
    /// How the baseline observation is picked around the base year.
    pub baseline_policy: BaselinePolicy,
    /// Ignore observations after this year (assess "as of" a past date).
    pub as_of: Option<f64>,
    /// Optional observations column with a per-row multiplier to base units (e.g. 1e8 for
    /// 亿元); values are then compared in each target's unit (`value · scale / target scale`).
    pub scale: Option<String>,
    /// Give every series without a matching target a row (status `insufficient_data`).
    pub include_untargeted: bool,
    /// Significance level of the trend-slope test (default 0.05).
    pub trend_alpha: f64,
    /// Projection method for the probability columns (default `auto`); `None` leaves them
    /// null.
    pub projection: Option<ProjectionMethod>,
    /// Interval levels of the projected value at the deadline (default 0.8 and 0.95).
    pub levels: Vec<f64>,
    /// Probability at or above which the probabilistic status is `on_track` (0.8).
    pub on_track_probability: f64,
    /// Probability below which the probabilistic status is `off_track` (0.2); in between it
    /// is `needs_acceleration`.
    pub off_track_probability: f64,
    /// Years after the latest observation searched for the expected attainment year (30).
    pub attainment_horizon: f64,
    /// Recency weight λ of the weighted projection methods.
    pub recency_weight: f64,
    /// Fit the projection on `ln(y − L)` (`L` = the target's lower bound, or 0): growth is
    /// then multiplicative and projections and intervals stay above `L`. For strictly
    /// positive rates (mortality, prices). A series with a value at or below `L` is fitted
    /// on the original scale, and its `projection_reason` says so. Ignored where both bounds
    /// are given (the logit scale is used).
    pub log_scale: bool,
    /// Threads to compute with; `None` follows [`crate::set_threads`], then
    /// `POLARS_MAX_THREADS`, then every core (see [`crate::threads`](mod@crate::threads)).
    /// Results do not depend on it.
    pub threads: Option<usize>,
    /// Give every target that matches no series a row (status `insufficient_data`,
    /// default). Distributed runs turn it off inside each bucket of series, where "no series
    /// here" does not mean "no series at all", and add those rows once for the whole data.
    pub include_targets_without_data: bool,
    /// An observer told of the jobs done while the call runs, which may stop it (see
    /// [`crate::progress`]); `None` (default) runs every job at once. Results do not depend
    /// on it.
    pub progress: Option<Progress>,
}

impl Default for AssessOptions {
    fn default() -> Self {
        Self {
            indicator: "indicator".into(),
            period: "year".into(),
            value: "value".into(),
            by: Vec::new(),
            methods: vec![Method::OpenSdg(Default::default())],
            base_year: None,
            baseline_policy: BaselinePolicy::FirstAtOrAfter,
            as_of: None,
            scale: None,
            include_untargeted: true,
            trend_alpha: 0.05,
            projection: Some(ProjectionMethod::Auto),
            levels: vec![0.8, 0.95],
            on_track_probability: 0.8,
            off_track_probability: 0.2,
            attainment_horizon: 30.0,
            recency_weight: DEFAULT_RECENCY_WEIGHT,
            log_scale: false,
            threads: None,
            include_targets_without_data: true,
            progress: None,
        }
    }
}

impl AssessOptions {
    /// Set the key columns.
    #[must_use]
    pub fn with_by<I, S>(mut self, by: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.by = by.into_iter().map(Into::into).collect();
        self
    }

    /// Set the methods by name (see [`Method::NAMES`]).
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] for an unknown name.
    pub fn with_methods<I, S>(mut self, names: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.methods = names
            .into_iter()
            .map(|n| {
                Method::from_name(n.as_ref()).ok_or_else(|| {
                    OntrackError::option(
                        "method",
                        format!(
                            "unknown method {:?}; expected one of {}",
                            n.as_ref(),
                            Method::NAMES.join(", ")
                        ),
                    )
                })
            })
            .collect::<Result<_>>()?;
        Ok(self)
    }

    /// Override parameters of the selected methods: `overrides` maps a method name (as in
    /// the `method` column) to an object of parameter values, e.g.
    /// `{"open_sdg": {"zero_substitute": 0.001}, "unsd_2023": {"cuts": [0.9, 0.4]}}`. Names
    /// and types are those of the method's parameter struct in
    /// `ontrack_kernels::methods` (snake case); parameters not named keep their published
    /// defaults.
    ///
    /// ```
    /// use ontrack::AssessOptions;
    /// let opts = AssessOptions::default()
    ///     .with_methods(["open_sdg"]).unwrap()
    ///     .with_method_params(r#"{"open_sdg": {"zero_substitute": 0.001}}"#).unwrap();
    /// assert!(AssessOptions::default()
    ///     .with_methods(["open_sdg"]).unwrap()
    ///     .with_method_params(r#"{"open_sdg": {"zero_substitut": 0.001}}"#)
    ///     .is_err());
    /// # let _ = opts;
    /// ```
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] for text that is not a JSON object of objects, a
    /// method that is not selected, an unknown parameter (the message lists the known ones),
    /// a value of the wrong type, or a parameter that would turn the method into another
    /// (`window` of Eurostat, `reading` of Destatis, `rate_of_reduction` of UNSD 2022: select
    /// that method by name instead).
    pub fn with_method_params(mut self, overrides: &str) -> Result<Self> {
        let bad = |msg: String| OntrackError::option("method_params", msg);
        let parsed: serde_json::Value =
            serde_json::from_str(overrides).map_err(|e| bad(format!("not JSON: {e}")))?;
        let serde_json::Value::Object(by_method) = parsed else {
            return Err(bad(
                "expected an object mapping method names to parameter objects".into(),
            ));
        };
        for (name, params) in &by_method {
            let serde_json::Value::Object(params) = params else {
                return Err(bad(format!(
                    "the parameters of {name:?} must be an object of parameter values"
                )));
            };
            let mut found = false;
            for method in &mut self.methods {
                if method.name() == name.as_str() {
                    *method =
                        override_method(method, params).map_err(|e| bad(format!("{name}: {e}")))?;
                    found = true;
                }
            }
            if !found {
                let selected: Vec<&str> = self.methods.iter().map(Method::name).collect();
                return Err(bad(format!(
                    "{name:?} is not among the selected methods ({})",
                    selected.join(", ")
                )));
            }
        }
        Ok(self)
    }

    /// Set the default base year.
    #[must_use]
    pub fn with_base_year(mut self, year: f64) -> Self {
        self.base_year = Some(year);
        self
    }

    /// The key columns of a series: the indicator, then the `by` keys in order.
    pub(crate) fn key_columns(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.indicator).chain(self.by.iter())
    }

    /// Set the column names of indicator, period and value.
    #[must_use]
    pub fn with_columns(mut self, indicator: &str, period: &str, value: &str) -> Self {
        self.indicator = indicator.into();
        self.period = period.into();
        self.value = value.into();
        self
    }

    /// Check the options against each other.
    ///
    /// # Errors
    /// [`OntrackError::InvalidOption`] naming the option.
    pub fn validate(&self) -> Result<()> {
        if self.methods.is_empty() {
            return Err(OntrackError::option(
                "method",
                "at least one method is needed",
            ));
        }
        let mut names = vec![&self.indicator, &self.period, &self.value];
        names.extend(self.by.iter());
        for (i, a) in names.iter().enumerate() {
            if names.iter().skip(i + 1).any(|b| b == a) {
                return Err(OntrackError::option(
                    "by",
                    format!("column {a:?} is used twice among indicator, period, value and by"),
                ));
            }
        }
        if !(self.trend_alpha > 0.0 && self.trend_alpha < 1.0) {
            return Err(OntrackError::option(
                "trend_alpha",
                format!("must be between 0 and 1, got {}", self.trend_alpha),
            ));
        }
        validate_levels(&self.levels)?;
        if !(0.0 < self.off_track_probability
            && self.off_track_probability <= self.on_track_probability
            && self.on_track_probability < 1.0)
        {
            return Err(OntrackError::option(
                "on_track_probability",
                format!(
                    "need 0 < off_track_probability ({}) <= on_track_probability ({}) < 1",
                    self.off_track_probability, self.on_track_probability
                ),
            ));
        }
        if !(self.attainment_horizon.is_finite() && self.attainment_horizon >= 0.0) {
            return Err(OntrackError::option(
                "attainment_horizon",
                format!(
                    "must be a non-negative number of years, got {}",
                    self.attainment_horizon
                ),
            ));
        }
        if !(self.recency_weight > 0.0 && self.recency_weight <= 1.0) {
            return Err(OntrackError::option(
                "recency_weight",
                format!("must lie in (0, 1], got {}", self.recency_weight),
            ));
        }
        for (i, m) in self.methods.iter().enumerate() {
            if self
                .methods
                .iter()
                .skip(i + 1)
                .any(|o| o.name() == m.name())
            {
                return Err(OntrackError::option(
                    "method",
                    format!("method {:?} is listed twice", m.name()),
                ));
            }
        }
        Ok(())
    }
}

/// Check interval levels (of [`AssessOptions::levels`] and `ProjectOptions::levels`): each
/// in (0, 1), and no two giving the same column name.
pub(crate) fn validate_levels(levels: &[f64]) -> Result<()> {
    for l in levels {
        if !(*l > 0.0 && *l < 1.0) {
            return Err(OntrackError::option(
                "levels",
                format!("each level must lie in (0, 1), got {l}"),
            ));
        }
    }
    let mut names: Vec<String> = levels.iter().map(|l| level_name(*l)).collect();
    names.sort();
    names.dedup();
    if names.len() != levels.len() {
        return Err(OntrackError::option(
            "levels",
            "two levels give the same column name",
        ));
    }
    Ok(())
}

/// `params` over the parameters of `method` (the rest keep their values).
fn override_method(
    method: &Method,
    params: &serde_json::Map<String, serde_json::Value>,
) -> std::result::Result<Method, String> {
    fn merge<P: serde::Serialize + serde::de::DeserializeOwned>(
        current: &P,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> std::result::Result<P, String> {
        let mut value = serde_json::to_value(current).map_err(|e| e.to_string())?;
        let serde_json::Value::Object(fields) = &mut value else {
            return Err("this method has no parameters".into());
        };
        for (key, v) in params {
            if !fields.contains_key(key) {
                let known: Vec<&str> = fields.keys().map(String::as_str).collect();
                return Err(format!(
                    "unknown parameter {key:?}; expected one of {}",
                    known.join(", ")
                ));
            }
            let previous = fields.insert(key.clone(), v.clone());
            // Check each value on its own, so that the message names the parameter.
            if let Err(e) = serde_json::from_value::<P>(serde_json::Value::Object(fields.clone())) {
                let was = previous.map_or_else(String::new, |p| format!(" (default {p})"));
                return Err(format!("invalid parameter value: {key:?} = {v}{was}: {e}"));
            }
        }
        serde_json::from_value(value).map_err(|e| format!("invalid parameter value: {e}"))
    }
    let updated = match method {
        Method::OpenSdg(p) => Method::OpenSdg(merge(p, params)?),
        Method::Unsd2022(p) => Method::Unsd2022(merge(p, params)?),
        Method::Unsd2023(p) => Method::Unsd2023(merge(p, params)?),
        Method::Eurostat(p) => Method::Eurostat(merge(p, params)?),
        Method::Escap(p) => Method::Escap(merge(p, params)?),
        Method::Sdsn(p) => Method::Sdsn(merge(p, params)?),
        Method::Destatis(p) => Method::Destatis(merge(p, params)?),
        Method::WhoAroc(p) => Method::WhoAroc(merge(p, params)?),
        Method::ChinaPlan(p) => Method::ChinaPlan(merge(p, params)?),
    };
    if updated.name() != method.name() {
        return Err(format!(
            "these parameters make it the method {:?}: select that method by name instead",
            updated.name()
        ));
    }
    Ok(updated)
}
