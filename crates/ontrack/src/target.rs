//! The target model: what a plan promises, for which series, by when.
//!
//! Targets arrive as a polars DataFrame with the columns of the data contract
//! (docs/data-contract.md#targets) and are validated into [`TargetSpec`]s. Every problem is an
//! [`OntrackError::InvalidTarget`] naming the target id and the field.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use compact_str::CompactString;
use ontrack_kernels::Direction;
use polars::prelude::*;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::calendar::PeriodKind;
use crate::error::{Frame, OntrackError, Result};
use crate::input::{bools, floats, optional, periods, require, string_column};
pub use crate::key_filters::KeyFilters;

/// What kind of promise a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// The indicator reaches a level by the deadline ("12% of GDP by 2018").
    Level,
    /// A change from the baseline: relative ("double" = 1.0, "halve" = -0.5, "+20%" = 0.2)
    /// or absolute, per [`ChangeType`].
    Change,
    /// The sum of yearly flows over a window reaches a total ("5000 projects over
    /// 2016–2018").
    Cumulative,
    /// The share (in %) of sub-units meeting a threshold ("every county covered" = 100).
    ShareOfUnits,
    /// No number, only a direction ("significantly increase", 明显提高).
    Direction,
    /// A milestone that is done (value 1) or not (value 0).
    Binary,
}

impl TargetKind {
    /// Every kind.
    pub const ALL: [Self; 6] = [
        Self::Level,
        Self::Change,
        Self::Cumulative,
        Self::ShareOfUnits,
        Self::Direction,
        Self::Binary,
    ];

    /// The snake-case name used in frames and plan files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Level => "level",
            Self::Change => "change",
            Self::Cumulative => "cumulative",
            Self::ShareOfUnits => "share_of_units",
            Self::Direction => "direction",
            Self::Binary => "binary",
        }
    }

    /// Whether this kind needs a numeric `target_value`.
    #[must_use]
    pub fn needs_value(self) -> bool {
        !matches!(self, Self::Direction | Self::Binary)
    }
}

impl fmt::Display for TargetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TargetKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        // Case-insensitive, `-` for `_`, without allocating.
        let t = s.trim();
        let same = |name: &str| {
            t.len() == name.len()
                && t.bytes().zip(name.bytes()).all(|(a, b)| {
                    let a = if a == b'-' { b'_' } else { a };
                    a.eq_ignore_ascii_case(&b)
                })
        };
        Self::ALL
            .into_iter()
            .find(|k| same(k.as_str()))
            .ok_or_else(|| {
                format!(
                    "unknown kind {s:?}; expected one of {}",
                    Self::ALL.map(Self::as_str).join(", ")
                )
            })
    }
}

/// How a [`TargetKind::Change`] value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeType {
    /// `target = baseline · (1 + value)`: 1.0 doubles, -0.5 halves.
    #[default]
    Relative,
    /// `target = baseline + value`.
    Absolute,
}

impl FromStr for ChangeType {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "relative" => Ok(Self::Relative),
            "absolute" => Ok(Self::Absolute),
            other => Err(format!(
                "unknown change_type {other:?}; expected \"relative\" or \"absolute\""
            )),
        }
    }
}

/// One validated target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetSpec {
    /// Unique id (the targets frame's `id` column, or `row N`).
    pub id: CompactString,
    /// Which indicator.
    pub indicator: CompactString,
    /// Key filters: `None` applies the target to every value of that key.
    #[serde(default)]
    pub keys: KeyFilters,
    /// What kind of target.
    pub kind: TargetKind,
    /// Which way is better.
    #[serde(with = "direction_serde")]
    pub direction: Direction,
    /// The number (in the target's unit); `None` for direction and binary targets.
    #[serde(default)]
    pub value: Option<f64>,
    /// The deadline as a (decimal) year; optional only for direction targets.
    #[serde(default)]
    pub year: Option<f64>,
    /// "Exceeds / more than" (`true`) versus "reaches / at least" (`false`).
    #[serde(default)]
    pub strict: bool,
    /// Explicit baseline year.
    #[serde(default)]
    pub baseline_year: Option<f64>,
    /// Explicit baseline value (needs `baseline_year`).
    #[serde(default)]
    pub baseline_value: Option<f64>,
    /// First year whose flow counts, for cumulative targets.
    #[serde(default)]
    pub window_start: Option<f64>,
    /// Natural lower bound (e.g. 0 for a share).
    #[serde(default)]
    pub lower_bound: Option<f64>,
    /// Natural upper bound (e.g. 100 for a share in %).
    #[serde(default)]
    pub upper_bound: Option<f64>,
    /// Unit label, e.g. 亿元 or %.
    #[serde(default)]
    pub unit: Option<String>,
    /// Multiplier from the unit to base units (亿元 = 1e8). Observations are compared in the
    /// target's unit.
    #[serde(default = "one")]
    pub scale: f64,
    /// Display label.
    #[serde(default)]
    pub label: Option<String>,
    /// Group (task, goal) for rollups.
    #[serde(default)]
    pub group: Option<String>,
    /// Weight for rollups.
    #[serde(default = "one")]
    pub weight: f64,
    /// How a change target's value is read.
    #[serde(default)]
    pub change_type: ChangeType,
    /// For share-of-units targets: the key column identifying sub-units.
    #[serde(default)]
    pub unit_column: Option<String>,
    /// For share-of-units targets: a unit counts when its value meets this.
    #[serde(default)]
    pub unit_threshold: Option<f64>,
}

fn one() -> f64 {
    1.0
}

mod direction_serde {
    use ontrack_kernels::Direction;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Direction, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(d.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Direction, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl TargetSpec {
    /// A level target with defaults for everything else (handy in tests and examples).
    #[must_use]
    pub fn level(id: &str, indicator: &str, direction: Direction, value: f64, year: f64) -> Self {
        Self {
            id: id.into(),
            indicator: indicator.into(),
            keys: KeyFilters::new(),
            kind: TargetKind::Level,
            direction,
            value: Some(value),
            year: Some(year),
            strict: false,
            baseline_year: None,
            baseline_value: None,
            window_start: None,
            lower_bound: None,
            upper_bound: None,
            unit: None,
            scale: 1.0,
            label: None,
            group: None,
            weight: 1.0,
            change_type: ChangeType::Relative,
            unit_column: None,
            unit_threshold: None,
        }
    }

    /// Check the fields against each other; `key_columns` are the series keys (`by`).
    ///
    /// # Errors
    /// [`OntrackError::InvalidTarget`] naming this target and the field.
    pub fn validate(&self, key_columns: &[String]) -> Result<()> {
        Fields::of(self).check(
            self.keys.keys().map(CompactString::as_str),
            key_columns,
            &|| self.id.clone(),
        )
    }
}

/// What [`TargetSpec::validate`] checks of a target, borrowed: a targets frame is checked
/// row by row from its columns, without building a spec.
struct Fields<'a> {
    indicator: &'a str,
    kind: TargetKind,
    value: Option<f64>,
    year: Option<f64>,
    baseline_year: Option<f64>,
    baseline_value: Option<f64>,
    window_start: Option<f64>,
    lower_bound: Option<f64>,
    upper_bound: Option<f64>,
    scale: f64,
    weight: f64,
    unit_column: Option<&'a str>,
    unit_threshold: Option<f64>,
}

impl<'a> Fields<'a> {
    fn of(spec: &'a TargetSpec) -> Self {
        Self {
            indicator: &spec.indicator,
            kind: spec.kind,
            value: spec.value,
            year: spec.year,
            baseline_year: spec.baseline_year,
            baseline_value: spec.baseline_value,
            window_start: spec.window_start,
            lower_bound: spec.lower_bound,
            upper_bound: spec.upper_bound,
            scale: spec.scale,
            weight: spec.weight,
            unit_column: spec.unit_column.as_deref(),
            unit_threshold: spec.unit_threshold,
        }
    }

    /// Check the fields against each other; `keys` are the key columns the target names,
    /// `key_columns` the series keys (`by`), and `id` gives the target's id for an error.
    fn check<'k>(
        &self,
        mut keys: impl Iterator<Item = &'k str>,
        key_columns: &[String],
        id: &dyn Fn() -> CompactString,
    ) -> Result<()> {
        let bad = |field: &str, msg: String| Err(OntrackError::target(&id(), field, msg));
        if self.indicator.trim().is_empty() {
            return bad("indicator", "is empty".into());
        }
        let finite = |field: &str, v: Option<f64>| -> Result<()> {
            match v {
                Some(x) if !x.is_finite() => bad(field, format!("is not a finite number ({x})")),
                _ => Ok(()),
            }
        };
        finite("target_value", self.value)?;
        finite("target_year", self.year)?;
        finite("baseline_year", self.baseline_year)?;
        finite("baseline_value", self.baseline_value)?;
        finite("window_start", self.window_start)?;
        finite("lower_bound", self.lower_bound)?;
        finite("upper_bound", self.upper_bound)?;
        finite("unit_threshold", self.unit_threshold)?;
        if self.kind.needs_value() && self.value.is_none() {
            return bad(
                "target_value",
                format!("is required for a {} target", self.kind),
            );
        }
        if self.kind != TargetKind::Direction && self.year.is_none() {
            return bad(
                "target_year",
                format!("is required for a {} target (the deadline)", self.kind),
            );
        }
        if let (Some(b), Some(t)) = (self.baseline_year, self.year) {
            if b > t {
                return bad("baseline_year", format!("{b} is after the target year {t}"));
            }
        }
        if self.baseline_value.is_some() && self.baseline_year.is_none() {
            return bad(
                "baseline_value",
                "needs baseline_year (the year the baseline value refers to)".into(),
            );
        }
        if let (Some(lo), Some(hi)) = (self.lower_bound, self.upper_bound) {
            if lo >= hi {
                return bad("lower_bound", format!("{lo} is not below upper_bound {hi}"));
            }
        }
        if let Some(v) = self
            .value
            .filter(|_| matches!(self.kind, TargetKind::Level | TargetKind::ShareOfUnits))
        {
            if self.lower_bound.is_some_and(|lo| v < lo)
                || self.upper_bound.is_some_and(|hi| v > hi)
            {
                return bad(
                    "target_value",
                    format!("{v} lies outside the natural bounds of the indicator"),
                );
            }
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return bad(
                "scale",
                format!("must be a positive number, got {}", self.scale),
            );
        }
        if !(self.weight.is_finite() && self.weight >= 0.0) {
            return bad(
                "weight",
                format!("must be zero or positive, got {}", self.weight),
            );
        }
        match self.kind {
            TargetKind::Cumulative => match (self.window_start, self.year) {
                (None, _) => {
                    return bad("window_start", "is required for a cumulative target".into())
                }
                (Some(w), Some(t)) if w > t => {
                    return bad("window_start", format!("{w} is after the target year {t}"))
                }
                _ => {}
            },
            TargetKind::ShareOfUnits => {
                let Some(unit) = self.unit_column else {
                    return bad(
                        "unit_column",
                        "is required for a share_of_units target (the key that identifies sub-units)".into(),
                    );
                };
                if !key_columns.iter().any(|k| k == unit) {
                    return bad(
                        "unit_column",
                        format!(
                            "{unit:?} is not one of the key columns (by = [{}])",
                            key_columns.join(", ")
                        ),
                    );
                }
                if self.unit_threshold.is_none() {
                    return bad(
                        "unit_threshold",
                        "is required for a share_of_units target".into(),
                    );
                }
                if self.value.is_some_and(|v| !(0.0..=100.0).contains(&v)) {
                    return bad(
                        "target_value",
                        "a share of units is a percentage between 0 and 100".into(),
                    );
                }
            }
            _ => {}
        }
        match keys.find(|key| !key_columns.iter().any(|k| k == key)) {
            Some(key) => bad(key, "is not one of the key columns".into()),
            None => Ok(()),
        }
    }
}

/// Column names of the targets frame (docs/data-contract.md#targets).
pub mod cols {
    /// Target id (optional; defaults to `row N`).
    pub const ID: &str = "id";
    /// Target kind (optional; defaults to `level`).
    pub const KIND: &str = "kind";
    /// `increase` or `decrease` (required).
    pub const DIRECTION: &str = "direction";
    /// The number.
    pub const TARGET_VALUE: &str = "target_value";
    /// The deadline.
    pub const TARGET_YEAR: &str = "target_year";
    /// Exceeds (true) vs reaches (false).
    pub const STRICT: &str = "strict";
    /// Explicit baseline year.
    pub const BASELINE_YEAR: &str = "baseline_year";
    /// Explicit baseline value.
    pub const BASELINE_VALUE: &str = "baseline_value";
    /// First year of a cumulative window.
    pub const WINDOW_START: &str = "window_start";
    /// Natural lower bound.
    pub const LOWER_BOUND: &str = "lower_bound";
    /// Natural upper bound.
    pub const UPPER_BOUND: &str = "upper_bound";
    /// Unit label.
    pub const UNIT: &str = "unit";
    /// Unit multiplier.
    pub const SCALE: &str = "scale";
    /// Display label.
    pub const LABEL: &str = "label";
    /// Group for rollups.
    pub const GROUP: &str = "group";
    /// Weight for rollups.
    pub const WEIGHT: &str = "weight";
    /// `relative` or `absolute` for change targets.
    pub const CHANGE_TYPE: &str = "change_type";
    /// Sub-unit key column for share-of-units targets.
    pub const UNIT_COLUMN: &str = "unit_column";
    /// Sub-unit threshold for share-of-units targets.
    pub const UNIT_THRESHOLD: &str = "unit_threshold";
}

/// A text column of the targets frame, cast to strings as one chunk (no column: every cell
/// reads as null).
struct TextCells(Option<StringChunked>);

impl TextCells {
    fn read(c: Option<&Column>, frame: Frame) -> Result<Self> {
        c.map(|c| Ok(string_column(c, frame)?.str()?.rechunk().into_owned()))
            .transpose()
            .map(Self)
    }

    /// Cell `i`.
    fn get(&self, i: usize) -> Option<&str> {
        let arr = self.0.as_ref()?.downcast_get(0)?;
        if i < arr.len() {
            arr.get(i)
        } else {
            None
        }
    }

    fn is_present(&self) -> bool {
        self.0.is_some()
    }
}

/// Read and validate a targets frame.
///
/// `indicator` is the name of the indicator column (shared with the observations) and
/// `key_columns` the series keys; a key column absent from the targets frame, or a null in
/// it, applies the target to every value of that key. `period_kind` is how the observations
/// express periods: with dates, an integer target year `Y` means the end of year `Y`.
///
/// # Errors
/// Missing required columns, wrong column types, invalid or duplicate targets.
pub fn targets_from_frame(
    df: &DataFrame,
    indicator: &str,
    key_columns: &[String],
    period_kind: PeriodKind,
) -> Result<Vec<TargetSpec>> {
    let table = TargetTable::read(df, indicator, key_columns, period_kind)?;
    table.checked_rows(|i| table.spec(i))
}

/// How much of a target [`TargetTable::build`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Every field.
    Full,
    /// What evaluating the target reads.
    Measured,
}

/// The id of a target without one: `row N` (inline, no allocation).
fn row_id(i: usize) -> CompactString {
    let mut digits = itoa::Buffer::new();
    let mut id = CompactString::const_new("row ");
    id.push_str(digits.format(i));
    id
}

/// An optional float column of the targets frame (empty when absent).
fn optional_floats(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    optional(df, name).map_or_else(|| Ok(Vec::new()), |c| floats(c, Frame::Targets))
}

/// An optional period column of the targets frame as decimal years (empty when absent). An
/// integer year against dated observations means the end of that year.
fn target_years(df: &DataFrame, name: &str, period_kind: PeriodKind) -> Result<Vec<Option<f64>>> {
    let Some(c) = optional(df, name) else {
        return Ok(Vec::new());
    };
    let p = periods(c, Frame::Targets)?;
    let shift = if period_kind == PeriodKind::Date && p.kind == PeriodKind::Year {
        1.0 - 1.0 / 366.0
    } else {
        0.0
    };
    Ok(p.years
        .into_iter()
        .map(|y| (!y.is_nan()).then_some(y + shift))
        .collect())
}

/// The first repeated target id in row order, on the borrowed id column (rows without an id
/// get `row N`, which can only collide with an explicit id).
fn first_duplicate_id(ids: &TextCells, n: usize) -> Option<(usize, OntrackError)> {
    let mut seen: PlHashMap<&str, usize> = PlHashMap::with_capacity(n);
    let mut generated: PlHashMap<String, usize> = PlHashMap::default();
    for i in 0..n {
        // The id is copied only for the error.
        let duplicate = match ids.get(i) {
            Some(id) => seen
                .insert(id, i)
                .or_else(|| generated.get(id).copied())
                .map(|first| (id.to_string(), first)),
            None => {
                let id = format!("row {i}");
                let first = seen.get(id.as_str()).copied();
                generated.insert(id.clone(), i);
                first.map(|first| (id, first))
            }
        };
        if let Some((target_id, first_row)) = duplicate {
            let error = OntrackError::DuplicateTarget {
                target_id,
                first_row,
                second_row: i,
            };
            return Some((i, error));
        }
    }
    None
}

/// The targets frame, read once and kept as columns: text as cast string columns, numbers
/// and periods as `f64`; an absent optional column is empty (every cell null). `assess`
/// keeps the targets in this form and builds a [`TargetSpec`] only while it evaluates one:
/// a million specs at once would take a third of a gigabyte.
pub(crate) struct TargetTable {
    n: usize,
    indicator: String,
    key_columns: Vec<String>,
    indicators: TextCells,
    directions: TextCells,
    ids: TextCells,
    kinds: TextCells,
    values: Vec<Option<f64>>,
    years: Vec<Option<f64>>,
    stricts: Vec<Option<bool>>,
    baseline_years: Vec<Option<f64>>,
    baseline_values: Vec<Option<f64>>,
    window_starts: Vec<Option<f64>>,
    lower: Vec<Option<f64>>,
    upper: Vec<Option<f64>>,
    units: TextCells,
    scales: Vec<Option<f64>>,
    labels: TextCells,
    groups: TextCells,
    weights: Vec<Option<f64>>,
    change_types: TextCells,
    unit_columns: TextCells,
    unit_thresholds: Vec<Option<f64>>,
    /// One per key column, in the order of `key_columns`.
    keys: Vec<TextCells>,
    /// The kind and direction of every row, parsed once while the rows are validated.
    parsed: Vec<(TargetKind, Direction)>,
}

impl TargetTable {
    /// Read the columns of a targets frame (see [`targets_from_frame`]) and validate every
    /// row.
    ///
    /// # Errors
    /// As [`targets_from_frame`].
    pub(crate) fn read(
        df: &DataFrame,
        indicator: &str,
        key_columns: &[String],
        period_kind: PeriodKind,
    ) -> Result<Self> {
        let mut table = Self::columns(df, indicator, key_columns, period_kind)?;
        table.parsed = table.checked_rows(|i| table.check_row(i))?;
        Ok(table)
    }

    /// The columns, in an order such that the first bad column is the one reported.
    fn columns(
        df: &DataFrame,
        indicator: &str,
        key_columns: &[String],
        period_kind: PeriodKind,
    ) -> Result<Self> {
        let frame = Frame::Targets;
        let text = |name: &str| TextCells::read(optional(df, name), frame);
        let floats = |name: &str| optional_floats(df, name);
        let years = |name: &str| target_years(df, name, period_kind);
        // Text columns are cast first, then numbers are read, in this order, so that the
        // first bad column is the one reported.
        let indicators = TextCells::read(Some(require(df, frame, indicator)?), frame)?;
        let directions = TextCells::read(Some(require(df, frame, cols::DIRECTION)?), frame)?;
        let ids = text(cols::ID)?;
        let kinds = text(cols::KIND)?;
        let units = text(cols::UNIT)?;
        let labels = text(cols::LABEL)?;
        let groups = text(cols::GROUP)?;
        let change_types = text(cols::CHANGE_TYPE)?;
        let unit_columns = text(cols::UNIT_COLUMN)?;
        let keys = key_columns.iter().map(|k| text(k)).collect::<Result<_>>()?;
        Ok(Self {
            n: df.height(),
            indicator: indicator.to_string(),
            key_columns: key_columns.to_vec(),
            indicators,
            directions,
            ids,
            kinds,
            values: floats(cols::TARGET_VALUE)?,
            years: years(cols::TARGET_YEAR)?,
            stricts: optional(df, cols::STRICT)
                .map_or_else(|| Ok(Vec::new()), |c| bools(c, frame))?,
            baseline_years: years(cols::BASELINE_YEAR)?,
            baseline_values: floats(cols::BASELINE_VALUE)?,
            window_starts: years(cols::WINDOW_START)?,
            lower: floats(cols::LOWER_BOUND)?,
            upper: floats(cols::UPPER_BOUND)?,
            units,
            scales: floats(cols::SCALE)?,
            labels,
            groups,
            weights: floats(cols::WEIGHT)?,
            change_types,
            unit_columns,
            unit_thresholds: floats(cols::UNIT_THRESHOLD)?,
            keys,
            parsed: Vec::new(),
        })
    }

    /// `row` of every row, in parallel; the first problem in row order is the error (a row's
    /// duplicate id before its other fields).
    fn checked_rows<T: Send>(&self, row: impl Fn(usize) -> Result<T> + Sync) -> Result<Vec<T>> {
        let duplicate = if self.ids.is_present() {
            first_duplicate_id(&self.ids, self.n)
        } else {
            None
        };
        // Each row on its own, straight into its slot; a row that fails leaves nothing
        // and the failure with the lowest row number is kept.
        let first_error: Mutex<Option<(usize, OntrackError)>> = Mutex::new(None);
        let kept: Vec<Option<T>> = (0..self.n)
            .into_par_iter()
            .map(|i| match row(i) {
                Ok(kept) => Some(kept),
                Err(error) => {
                    if let Ok(mut slot) = first_error.lock() {
                        if slot.as_ref().is_none_or(|(row, _)| i < *row) {
                            *slot = Some((i, error));
                        }
                    }
                    None
                }
            })
            .collect();
        let error = first_error.into_inner().ok().flatten();
        match (duplicate, error) {
            (Some((d, dup)), Some((e, other))) => Err(if d <= e { dup } else { other }),
            (Some((_, dup)), None) => Err(dup),
            (None, Some((_, other))) => Err(other),
            (None, None) => Ok(kept.into_iter().flatten().collect()),
        }
    }

    /// The number of targets.
    pub(crate) fn len(&self) -> usize {
        self.n
    }

    /// The id of target `i`: its own, or `row N`.
    pub(crate) fn id(&self, i: usize) -> CompactString {
        self.ids
            .get(i)
            .map_or_else(|| row_id(i), CompactString::from)
    }

    /// The indicator of target `i`.
    pub(crate) fn indicator(&self, i: usize) -> Option<&str> {
        self.indicators.get(i)
    }

    /// The value target `i` names for key column `k` (an index into the key columns), if it
    /// names one.
    pub(crate) fn key(&self, i: usize, k: usize) -> Option<&str> {
        self.keys.get(k)?.get(i)
    }

    /// The kind of (valid) target `i`.
    pub(crate) fn kind(&self, i: usize) -> Option<TargetKind> {
        self.parsed.get(i).map(|p| p.0)
    }

    /// The direction of (valid) target `i`.
    pub(crate) fn direction(&self, i: usize) -> Option<Direction> {
        self.parsed.get(i).map(|p| p.1)
    }

    /// The deadline of target `i`.
    pub(crate) fn year(&self, i: usize) -> Option<f64> {
        self.years.get(i).copied().flatten()
    }

    /// The weight of target `i`.
    pub(crate) fn weight(&self, i: usize) -> f64 {
        self.weights.get(i).copied().flatten().unwrap_or(1.0)
    }

    /// The label, group and unit of target `i`.
    pub(crate) fn texts(&self, i: usize) -> [Option<&str>; 3] {
        [self.labels.get(i), self.groups.get(i), self.units.get(i)]
    }

    /// Check row `i` as [`TargetSpec::validate`] would check its spec, without building one;
    /// its kind and direction.
    fn check_row(&self, i: usize) -> Result<(TargetKind, Direction)> {
        let id = || self.id(i);
        let indicator = self
            .indicators
            .get(i)
            .ok_or_else(|| OntrackError::target(&id(), &self.indicator, "is null"))?;
        let (kind, direction) = self.parse(i, &id)?;
        if let Some(c) = self.change_types.get(i) {
            c.parse::<ChangeType>()
                .map_err(|e| OntrackError::target(&id(), cols::CHANGE_TYPE, e))?;
        }
        let at = |v: &Vec<Option<f64>>| v.get(i).copied().flatten();
        let fields = Fields {
            indicator,
            kind,
            value: at(&self.values),
            year: at(&self.years),
            baseline_year: at(&self.baseline_years),
            baseline_value: at(&self.baseline_values),
            window_start: at(&self.window_starts),
            lower_bound: at(&self.lower),
            upper_bound: at(&self.upper),
            scale: at(&self.scales).unwrap_or(1.0),
            weight: at(&self.weights).unwrap_or(1.0),
            unit_column: self.unit_columns.get(i),
            unit_threshold: at(&self.unit_thresholds),
        };
        // The table's key filters are its key columns: nothing to check there.
        fields.check(std::iter::empty(), &self.key_columns, &id)?;
        Ok((kind, direction))
    }

    /// The kind and direction of row `i` (whose id `id` gives), parsed.
    fn parse(&self, i: usize, id: &dyn Fn() -> CompactString) -> Result<(TargetKind, Direction)> {
        let kind = match self.kinds.get(i) {
            None => TargetKind::Level,
            Some(k) => k
                .parse()
                .map_err(|e: String| OntrackError::target(&id(), cols::KIND, e))?,
        };
        let direction = self
            .directions
            .get(i)
            .ok_or_else(|| {
                OntrackError::target(
                    &id(),
                    cols::DIRECTION,
                    "is null; say \"increase\" or \"decrease\"",
                )
            })?
            .parse()
            .map_err(|e: String| OntrackError::target(&id(), cols::DIRECTION, e))?;
        Ok((kind, direction))
    }

    /// The validated target of row `i`.
    pub(crate) fn spec(&self, i: usize) -> Result<TargetSpec> {
        let spec = self.build(i, Detail::Full)?;
        spec.validate(&self.key_columns)?;
        Ok(spec)
    }

    /// The target of row `i`, its fields read but not checked against each other (for a
    /// table whose rows [`TargetTable::read`] has validated). With `Detail::Measured` the id,
    /// key filters, label, group and unit are left empty: evaluating a target reads none of
    /// them (the result's columns read them from the table), and a million targets then
    /// build their specs without formatting or copying text.
    pub(crate) fn build(&self, i: usize, detail: Detail) -> Result<TargetSpec> {
        let full = detail == Detail::Full;
        let at = |v: &Vec<Option<f64>>| v.get(i).copied().flatten();
        let owned = |v: &TextCells| v.get(i).filter(|_| full).map(str::to_string);
        let id = if full {
            self.id(i)
        } else {
            CompactString::default()
        };
        let indicator = self
            .indicators
            .get(i)
            .map(CompactString::from)
            .ok_or_else(|| OntrackError::target(&id, &self.indicator, "is null"))?;
        let (kind, direction) = match self.parsed.get(i) {
            Some(&parsed) => parsed,
            None => self.parse(i, &|| self.id(i))?,
        };
        let change_type = match self.change_types.get(i) {
            None => ChangeType::Relative,
            Some(c) => c
                .parse()
                .map_err(|e: String| OntrackError::target(&id, cols::CHANGE_TYPE, e))?,
        };
        Ok(TargetSpec {
            indicator,
            // A null (or absent) key applies the target to every value of that key.
            keys: if full {
                self.key_columns
                    .iter()
                    .zip(&self.keys)
                    .filter_map(|(k, v)| {
                        v.get(i).map(|v| (k.as_str(), Some(CompactString::from(v))))
                    })
                    .collect()
            } else {
                KeyFilters::default()
            },
            kind,
            direction,
            value: at(&self.values),
            year: at(&self.years),
            strict: self.stricts.get(i).copied().flatten().unwrap_or(false),
            baseline_year: at(&self.baseline_years),
            baseline_value: at(&self.baseline_values),
            window_start: at(&self.window_starts),
            lower_bound: at(&self.lower),
            upper_bound: at(&self.upper),
            unit: owned(&self.units),
            scale: at(&self.scales).unwrap_or(1.0),
            label: owned(&self.labels),
            group: owned(&self.groups),
            weight: at(&self.weights).unwrap_or(1.0),
            change_type,
            unit_column: self.unit_columns.get(i).map(str::to_string),
            unit_threshold: at(&self.unit_thresholds),
            id,
        })
    }
}
