//! Plans as files: a policy document's targets in TOML (or JSON), loaded into [`TargetSpec`]s
//! and into the targets frame of the data contract.
//!
//! The schema is documented in `plans/README.md`: a `[plan]` table ([`PlanMeta`]), one
//! `[[groups]]` entry per section or task ([`PlanGroup`]) and one `[[targets]]` entry per target
//! ([`PlanTarget`]). Unknown fields are errors, so a misspelt field never goes unnoticed. The
//! same serde model reads JSON (`{"plan": {...}, "groups": [...], "targets": [...]}`).
//!
//! Every problem is an [`OntrackError::Plan`] naming the file, the 1-based line and column (in
//! characters) of the offending value — or of the target's `[[targets]]` header when a field is
//! missing — the target id and the field:
//!
//! ```text
//! plans/x.toml:12:8: target "lf-2018-01": field "kind": unknown kind "levell"; expected one of level, change, cumulative, share_of_units, direction, binary
//! ```
//!
//! Checks, in file order, the first failure reported ([`check_plan`] reports every one):
//! syntax and types; unknown fields; empty strings (omit an optional field instead); duplicate
//! group and target ids; a target's `group` declared in `[[groups]]`; fields that only apply to some kinds (`value` is not allowed on
//! `direction`/`binary`, `window_start` only on `cumulative`, `change_type` only on `change`,
//! `unit_column`/`unit_threshold` only on `share_of_units`); units (below); then everything
//! [`TargetSpec::validate`] checks (deadline required except on `direction`, `window_start` on
//! `cumulative`, bounds, ...).
//!
//! **Unit mismatch** means one of:
//! 1. a `unit` that is not in the unit table ([`lookup_unit`]) while no explicit `scale` is
//!    given (an explicit `scale` makes the unit a free label and switches off checks 2–3);
//! 2. a share unit (`%`, `‰`) with a `value` (on `level` and `share_of_units` targets),
//!    `baseline_value`, `lower_bound` or `upper_bound` outside its range (0–100 for `%`,
//!    0–1000 for `‰`);
//! 3. a `share_of_units` target whose unit is not `%`;
//! 4. one indicator given different units (after aliases: `percent` is `%`) or scales by two
//!    targets — the observations of one indicator are in one unit.
//!
//! ```
//! use ontrack::plan::{parse_plan, PlanFormat};
//!
//! let text = r#"
//! [plan]
//! id = "demo"
//!
//! [[groups]]
//! id = "g"
//!
//! [[targets]]
//! id = "t1"
//! group = "g"
//! indicator = "turnover"
//! kind = "level"
//! direction = "increase"
//! value = 40.0
//! unit = "亿元"
//! strict = true
//! deadline = 2018
//! "#;
//! let plan = parse_plan(text, "demo.toml", PlanFormat::Toml).unwrap();
//! let specs = plan.to_target_specs().unwrap();
//! assert_eq!(specs[0].scale, 1e8);
//!
//! let broken = text.replace("kind = \"level\"", "kind = \"levell\"");
//! let err = parse_plan(&broken, "demo.toml", PlanFormat::Toml).unwrap_err();
//! assert!(
//!     err.to_string()
//!         .starts_with("demo.toml:12:8: target \"t1\": field \"kind\": unknown kind \"levell\""),
//!     "{err}"
//! );
//! ```

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use ontrack_kernels::Direction;
use polars::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{OntrackError, Result};
use crate::target::{cols, ChangeType, TargetKind, TargetSpec};

// ------------------------------------------------------------------------------------ model

/// A plan: metadata, groups (sections, tasks) and targets, as read from a plan file.
///
/// Two plans are equal when their content is; where they were read from does not matter.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The `[plan]` table.
    #[serde(rename = "plan")]
    pub meta: PlanMeta,
    /// The `[[groups]]` entries, in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<PlanGroup>,
    /// The `[[targets]]` entries, in file order.
    pub targets: Vec<PlanTarget>,
    /// Where each entry was in the file (for error positions).
    #[serde(skip)]
    origin: Origin,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta && self.groups == other.groups && self.targets == other.targets
    }
}

/// The `[plan]` table: what document the targets come from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// Stable id of the plan.
    pub id: String,
    /// Title as in the document (Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// English rendering of the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Issuing body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Year issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i64>,
    /// The plan's baseline year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_year: Option<i64>,
    /// Path of the source text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One `[[groups]]` entry: a section or task that has targets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanGroup {
    /// Unique id, referenced by [`PlanTarget::group`].
    pub id: String,
    /// Name in the document (Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// English rendering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

impl PlanGroup {
    /// The display name: English if given, else Chinese.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.name_en.as_deref().or(self.name_zh.as_deref())
    }
}

/// One `[[targets]]` entry, as written in the file (values in the file's unit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanTarget {
    /// Unique, stable id.
    pub id: String,
    /// A `[[groups]]` id.
    pub group: String,
    /// The measured series (the `indicator` of the observations).
    pub indicator: String,
    /// The document's wording (Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_zh: Option<String>,
    /// English rendering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_en: Option<String>,
    /// What kind of promise.
    #[serde(deserialize_with = "de_kind")]
    pub kind: TargetKind,
    /// Which way is better.
    #[serde(deserialize_with = "de_direction", serialize_with = "ser_direction")]
    pub direction: Direction,
    /// The number, in `unit` (absent on `direction` and `binary` targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Unit label, looked up in the unit table ([`lookup_unit`]) unless `scale` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Explicit multiplier from `unit` to base units; overrides the unit table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    /// `true` = must exceed, `false` (default) = must reach.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
    /// Target year (required except on `direction` targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<i64>,
    /// Explicit baseline year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_year: Option<i64>,
    /// Explicit baseline value (needs `baseline_year`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_value: Option<f64>,
    /// First year whose flow counts (`cumulative` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_start: Option<i64>,
    /// Natural lower limit of the indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<f64>,
    /// Natural upper limit of the indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upper_bound: Option<f64>,
    /// `relative` (default) or `absolute` (`change` only).
    #[serde(
        default,
        deserialize_with = "de_change_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub change_type: Option<ChangeType>,
    /// The key column naming the sub-units (`share_of_units` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_column: Option<String>,
    /// A sub-unit counts when its value is at least this (`share_of_units` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_threshold: Option<f64>,
    /// Rollup weight (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Why this kind, ambiguities, data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl PlanTarget {
    /// The display label: English if given, else Chinese.
    #[must_use]
    pub fn label(&self) -> Option<&str> {
        self.label_en.as_deref().or(self.label_zh.as_deref())
    }
}

fn de_kind<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<TargetKind, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

fn de_direction<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Direction, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

fn ser_direction<S: Serializer>(d: &Direction, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(d.as_str())
}

fn de_change_type<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<ChangeType>, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map(Some).map_err(serde::de::Error::custom)
}

// ------------------------------------------------------------------------------------ units

/// What a unit measures; values of different dimensions never compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitDimension {
    /// Money (base unit: 元, yuan).
    Money,
    /// Counts of things (base unit: one item).
    Count,
    /// A share in its own unit (`%`, `‰`).
    Share,
}

/// One entry of the unit table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// The canonical name (`percent` → `%`).
    pub name: &'static str,
    /// What it measures.
    pub dimension: UnitDimension,
    /// Multiplier to the base unit of the dimension (亿元 = 1e8).
    pub scale: f64,
}

impl Unit {
    /// For a share unit, the largest value it can take (100 for `%`, 1000 for `‰`).
    #[must_use]
    pub fn share_max(&self) -> Option<f64> {
        match (self.dimension, self.name) {
            (UnitDimension::Share, "‰") => Some(1000.0),
            (UnitDimension::Share, _) => Some(100.0),
            _ => None,
        }
    }
}

const fn unit(name: &'static str, dimension: UnitDimension, scale: f64) -> Unit {
    Unit {
        name,
        dimension,
        scale,
    }
}

/// The built-in unit table: (spelling, unit). Shares (`%`, `‰`) have scale 1: they are
/// compared in their own unit, never converted to fractions.
pub const UNITS: &[(&str, Unit)] = &[
    ("亿元", unit("亿元", UnitDimension::Money, 1e8)),
    ("万元", unit("万元", UnitDimension::Money, 1e4)),
    ("元", unit("元", UnitDimension::Money, 1.0)),
    ("yuan", unit("元", UnitDimension::Money, 1.0)),
    ("亿", unit("亿", UnitDimension::Count, 1e8)),
    ("万", unit("万", UnitDimension::Count, 1e4)),
    ("千", unit("千", UnitDimension::Count, 1e3)),
    ("%", unit("%", UnitDimension::Share, 1.0)),
    ("percent", unit("%", UnitDimension::Share, 1.0)),
    ("‰", unit("‰", UnitDimension::Share, 1.0)),
    ("permille", unit("‰", UnitDimension::Share, 1.0)),
    ("个", unit("个", UnitDimension::Count, 1.0)),
    ("家", unit("家", UnitDimension::Count, 1.0)),
    ("项", unit("项", UnitDimension::Count, 1.0)),
    ("人", unit("人", UnitDimension::Count, 1.0)),
    ("次", unit("次", UnitDimension::Count, 1.0)),
    ("件", unit("件", UnitDimension::Count, 1.0)),
    ("所", unit("所", UnitDimension::Count, 1.0)),
    ("座", unit("座", UnitDimension::Count, 1.0)),
    ("名", unit("名", UnitDimension::Count, 1.0)),
    ("台", unit("台", UnitDimension::Count, 1.0)),
    ("户", unit("户", UnitDimension::Count, 1.0)),
    ("count", unit("count", UnitDimension::Count, 1.0)),
];

/// Look a unit up in [`UNITS`]. Surrounding spaces are ignored, English names are
/// case-insensitive, and a data-style label with the unit in parentheses
/// (`100 million yuan (亿元)`) resolves to the unit inside them.
#[must_use]
pub fn lookup_unit(label: &str) -> Option<Unit> {
    let label = label.trim();
    let find = |s: &str| {
        let lower = s.to_lowercase();
        UNITS
            .iter()
            .find(|(spelling, _)| *spelling == s || *spelling == lower)
            .map(|(_, u)| *u)
    };
    find(label).or_else(|| {
        let inner = label
            .strip_suffix(')')
            .or_else(|| label.strip_suffix('）'))?;
        let open = inner.rfind(['(', '（'])?;
        let inside = inner.get(open..)?.trim_start_matches(['(', '（']);
        find(inside.trim())
    })
}

fn known_units() -> String {
    let mut names: Vec<&str> = Vec::new();
    for (spelling, _) in UNITS {
        if !names.contains(spelling) {
            names.push(spelling);
        }
    }
    names.join(" ")
}

// ------------------------------------------------------------------------------------ reading

/// The syntax of a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    /// TOML (`.toml`), the documented format.
    Toml,
    /// JSON (`.json`), the same model.
    Json,
}

impl PlanFormat {
    /// The format for a file name's extension (`.toml` or `.json`, any case).
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Self::Toml),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Read, parse and check a plan file; the format follows the extension (`.toml`, `.json`).
///
/// The returned plan has passed every check of [`Plan::to_target_specs`].
///
/// # Errors
/// [`OntrackError::Plan`]: the file cannot be read, has an unknown extension, or any check of
/// [`parse_plan`] fails; the error names the path as given.
pub fn read_plan(path: &Path) -> Result<Plan> {
    let file = path.display().to_string();
    let fail = |message: String| OntrackError::Plan {
        file: file.clone(),
        line: None,
        column: None,
        target_id: None,
        message,
    };
    let format = PlanFormat::from_path(path)
        .ok_or_else(|| fail("unknown plan file extension; expected .toml or .json".to_string()))?;
    let text = std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    // Editors do not show a byte-order mark, so positions are counted without it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    parse_plan(text, &file, format)
}

/// Parse and check a plan from text; `file_name` is used in error messages only.
///
/// The returned plan has passed every check of [`Plan::to_target_specs`].
///
/// # Errors
/// [`OntrackError::Plan`] with the file, line, column and target id of the first problem.
pub fn parse_plan(text: &str, file_name: &str, format: PlanFormat) -> Result<Plan> {
    let index = LineIndex::new(text);
    let mut plan = match format {
        PlanFormat::Toml => parse_toml(text, file_name, &index)?,
        PlanFormat::Json => parse_json(text, file_name, &index)?,
    };
    plan.origin.file = file_name.to_string();
    plan.to_target_specs()?;
    Ok(plan)
}

/// Every problem of a plan file, in file order; empty when the plan is valid.
///
/// [`read_plan`] stops at the first problem; this goes on, for `ontrack check` and editors:
/// every syntax error the parser recovers from; otherwise every field of each `[plan]`,
/// `[[groups]]` and `[[targets]]` entry that cannot be read (unknown, wrong type; each entry is
/// read on its own, and again without each failing field), and every check of
/// [`Plan::to_target_specs`] on the entries that read. Each error has the form of
/// [`read_plan`]'s.
///
/// ```
/// use ontrack::plan::{check_plan, PlanFormat};
///
/// let text = r#"
/// [plan]
/// id = "demo"
///
/// [[groups]]
/// id = "g"
///
/// [[targets]]
/// id = "a"
/// group = "g"
/// indicator = "x"
/// kind = "levell"
/// direction = "increase"
/// value = 1.0
/// deadline = 2020
///
/// [[targets]]
/// id = "b"
/// group = "h"
/// indicator = "y"
/// kind = "level"
/// direction = "increase"
/// value = 1.0
/// deadline = 2020
/// "#;
/// let errors = check_plan(text, "demo.toml", PlanFormat::Toml);
/// assert_eq!(errors.len(), 2);
/// assert!(errors[0].to_string().starts_with("demo.toml:12:8: target \"a\": field \"kind\""));
/// assert!(errors[1].to_string().starts_with("demo.toml:19:9: target \"b\": field \"group\""));
/// ```
#[must_use]
pub fn check_plan(text: &str, file_name: &str, format: PlanFormat) -> Vec<OntrackError> {
    let first = match parse_plan(text, file_name, format) {
        Ok(_) => return Vec::new(),
        Err(e) => e,
    };
    let index = LineIndex::new(text);
    let mut errors = match format {
        PlanFormat::Toml => toml_errors(text, file_name, &index),
        PlanFormat::Json => json_errors(text, file_name, &index),
    };
    if errors.is_empty() {
        return vec![first];
    }
    errors.sort_by_key(|e| match e {
        OntrackError::Plan { line, column, .. } => {
            (line.unwrap_or(usize::MAX), column.unwrap_or(0))
        }
        _ => (usize::MAX, 0),
    });
    errors
}

/// [`check_plan`] on a file: the format follows the extension, as in [`read_plan`].
#[must_use]
pub fn check_plan_file(path: &Path) -> Vec<OntrackError> {
    let file = path.display().to_string();
    let fail = |message: String| {
        vec![OntrackError::Plan {
            file: file.clone(),
            line: None,
            column: None,
            target_id: None,
            message,
        }]
    };
    let Some(format) = PlanFormat::from_path(path) else {
        return fail("unknown plan file extension; expected .toml or .json".to_string());
    };
    match std::fs::read_to_string(path) {
        Ok(text) => check_plan(
            text.strip_prefix('\u{feff}').unwrap_or(&text),
            &file,
            format,
        ),
        Err(e) => fail(format!("cannot read: {e}")),
    }
}

/// The top level of a plan file, for errors outside the entries (unknown or missing tables).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanSkeleton {
    #[serde(rename = "plan")]
    _plan: serde::de::IgnoredAny,
    #[serde(default, rename = "groups")]
    _groups: Vec<serde::de::IgnoredAny>,
    #[serde(rename = "targets")]
    _targets: Vec<serde::de::IgnoredAny>,
}

/// The entries of a plan file read one by one, and the errors of those that could not be.
#[derive(Default)]
struct PlanEntries {
    meta: Option<PlanMeta>,
    groups: Vec<(usize, PlanGroup)>,
    targets: Vec<(usize, PlanTarget)>,
    errors: Vec<OntrackError>,
}

impl PlanEntries {
    /// Check the entries that could be read as one plan and add the problems found.
    fn check(
        mut self,
        file: &str,
        spans: &SourceSpans,
        index: &LineIndex<'_>,
    ) -> Vec<OntrackError> {
        let Some(meta) = self.meta else {
            return self.errors;
        };
        // A group that could not be read is still declared, so its targets do not fail too.
        let mut groups = Vec::new();
        let mut group_spans = Vec::new();
        for (i, span) in spans.groups.iter().enumerate() {
            let found = self
                .groups
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, g)| g.clone());
            let group = found.or_else(|| {
                span.id.clone().map(|id| PlanGroup {
                    id,
                    name_zh: None,
                    name_en: None,
                })
            });
            if let Some(group) = group {
                groups.push(group);
                group_spans.push(span.clone());
            }
        }
        let target_spans = self
            .targets
            .iter()
            .filter_map(|(i, _)| spans.targets.get(*i).cloned())
            .collect();
        let kept = SourceSpans {
            plan: spans.plan.clone(),
            groups: group_spans,
            targets: target_spans,
        };
        let plan = Plan {
            meta,
            groups,
            targets: self.targets.into_iter().map(|(_, t)| t).collect(),
            origin: Origin::new(file, &kept, index),
        };
        let (_, found) = plan.checked_specs();
        self.errors.extend(found);
        self.errors
    }
}

/// A deserialization error: the byte offset it points at (if known) and its message.
type EntryError = (Option<usize>, String);

/// Read one entry of a plan file; when a field fails, read it again without that field, so
/// that every bad field of the entry is reported. Offsets stay valid: a field is removed by
/// blanking its text. The entry is returned only when it read without an error.
fn read_entry<T>(
    text: &str,
    entry: &EntrySpans,
    read: impl Fn(&str) -> std::result::Result<T, EntryError>,
    mut report: impl FnMut(Option<usize>, &str),
) -> Option<T> {
    let mut current = text.to_string();
    let mut removed: Vec<&str> = Vec::new();
    let mut failed = false;
    for _ in 0..=entry.fields.len() {
        let (offset, message) = match read(&current) {
            Ok(value) => return (!failed).then_some(value),
            Err(e) => e,
        };
        // A required field that was removed because it failed is not missing as well.
        if removed
            .iter()
            .any(|f| message.starts_with(&format!("missing field `{f}`")))
        {
            break;
        }
        report(offset, &message);
        failed = true;
        let Some(field) = offset.and_then(|o| entry.field_at(o)) else {
            break;
        };
        if removed.contains(&field.name.as_str()) {
            break;
        }
        current = blank_field(&current, field);
        removed.push(&field.name);
    }
    None
}

/// `text` with a field (key to value, and the comma that separates it) replaced by spaces;
/// line breaks are kept, so every position after it stays where it was.
fn blank_field(text: &str, field: &FieldSpans) -> String {
    let mut range = field.key.start..field.value.end;
    let after = text.get(range.end..).unwrap_or_default();
    let rest = after.trim_start();
    if rest.starts_with(',') {
        range.end += after.len() - rest.len() + 1;
    } else {
        let before = text.get(..range.start).unwrap_or_default();
        let kept = before.trim_end();
        if kept.ends_with(',') {
            range.start = kept.len() - 1;
        }
    }
    text.char_indices()
        .map(|(i, c)| {
            if range.contains(&i) && c != '\n' && c != '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn toml_errors(text: &str, file: &str, index: &LineIndex<'_>) -> Vec<OntrackError> {
    let (root, syntax) = toml::de::DeTable::parse_recoverable(text);
    let spans = toml_spans(root.get_ref());
    if !syntax.is_empty() {
        return syntax
            .iter()
            .map(|e| {
                let offset = e.span().map(|s| s.start);
                let target_id = offset.and_then(|o| spans.preceding_target(o));
                plan_error(
                    file,
                    offset.map(|o| index.pos(o)),
                    target_id,
                    e.message().to_string(),
                )
            })
            .collect();
    }
    let mut errors = Vec::new();
    if let Err(e) = toml::from_str::<PlanSkeleton>(text) {
        errors.push(spans.locate(file, e.span().map(|s| s.start), e.message(), index));
    }
    // Entry `i` of table `name` (`None`: the table itself) of a text, read as a `T`.
    fn read<T: serde::de::DeserializeOwned>(
        text: &str,
        name: &str,
        i: Option<usize>,
    ) -> std::result::Result<T, EntryError> {
        let (root, _) = toml::de::DeTable::parse_recoverable(text);
        let table = root.get_ref();
        let item = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == name)
            .map(|(_, v)| v);
        let item = match (item.map(toml::Spanned::get_ref), i) {
            (Some(toml::de::DeValue::Array(items)), Some(i)) => items.get(i),
            (_, Some(_)) => None,
            (_, None) => item,
        };
        let Some(item) = item else {
            return Err((None, format!("no {name} entry")));
        };
        T::deserialize(toml::de::ValueDeserializer::from(item.clone()))
            .map_err(|e| (e.span().map(|s| s.start), e.message().to_string()))
    }
    let mut report = |offset: Option<usize>, message: &str| {
        errors.push(spans.locate(file, offset, message, index));
    };
    let mut entries = PlanEntries::default();
    if let Some(entry) = &spans.plan {
        entries.meta = read_entry(text, entry, |t| read(t, "plan", None), &mut report);
    }
    for (i, entry) in spans.groups.iter().enumerate() {
        if let Some(group) = read_entry(text, entry, |t| read(t, "groups", Some(i)), &mut report) {
            entries.groups.push((i, group));
        }
    }
    for (i, entry) in spans.targets.iter().enumerate() {
        if let Some(target) = read_entry(text, entry, |t| read(t, "targets", Some(i)), &mut report)
        {
            entries.targets.push((i, target));
        }
    }
    entries.errors = errors;
    entries.check(file, &spans, index)
}

fn json_errors(text: &str, file: &str, index: &LineIndex<'_>) -> Vec<OntrackError> {
    // Syntax errors stop serde_json at the first; parse_plan has reported it.
    let Some(spans) = json_spans(text) else {
        return Vec::new();
    };
    // serde_json counts lines and columns within the text it was given.
    fn read<T: serde::de::DeserializeOwned>(
        text: &str,
        span: &Range<usize>,
    ) -> std::result::Result<T, EntryError> {
        let part = text.get(span.start..).unwrap_or_default();
        serde_json::from_str::<T>(text.get(span.clone()).unwrap_or_default()).map_err(|e| {
            let local = LineIndex::new(part);
            let offset = (e.line() > 0).then(|| {
                span.start
                    + local
                        .line_start(e.line())
                        .saturating_add(e.column().saturating_sub(1))
            });
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            (
                offset,
                full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
            )
        })
    }
    let mut errors = Vec::new();
    if let Err((offset, message)) = read::<PlanSkeleton>(text, &(0..text.len())) {
        errors.push(spans.locate(file, offset, &message, index));
    }
    let mut report = |offset: Option<usize>, message: &str| {
        errors.push(spans.locate(file, offset, message, index));
    };
    let mut entries = PlanEntries::default();
    if let Some(entry) = &spans.plan {
        entries.meta = read_entry(text, entry, |t| read(t, &entry.span), &mut report);
    }
    for (i, entry) in spans.groups.iter().enumerate() {
        if let Some(group) = read_entry(text, entry, |t| read(t, &entry.span), &mut report) {
            entries.groups.push((i, group));
        }
    }
    for (i, entry) in spans.targets.iter().enumerate() {
        if let Some(target) = read_entry(text, entry, |t| read(t, &entry.span), &mut report) {
            entries.targets.push((i, target));
        }
    }
    entries.errors = errors;
    entries.check(file, &spans, index)
}

fn parse_toml(text: &str, file: &str, index: &LineIndex<'_>) -> Result<Plan> {
    let (root, _) = toml::de::DeTable::parse_recoverable(text);
    let spans = toml_spans(root.get_ref());
    if let Err(e) = toml::de::DeTable::parse(text) {
        // A syntax error: the position is the parser's, the target the one whose entry
        // precedes it.
        let offset = e.span().map(|s| s.start);
        let target_id = offset.and_then(|o| spans.preceding_target(o));
        return Err(plan_error(
            file,
            offset.map(|o| index.pos(o)),
            target_id,
            e.message().to_string(),
        ));
    }
    match toml::from_str::<Plan>(text) {
        Ok(mut plan) => {
            plan.origin = Origin::new(file, &spans, index);
            Ok(plan)
        }
        Err(e) => {
            let offset = e.span().map(|s| s.start);
            Err(spans.locate(file, offset, e.message(), index))
        }
    }
}

fn parse_json(text: &str, file: &str, index: &LineIndex<'_>) -> Result<Plan> {
    match serde_json::from_str::<Plan>(text) {
        Ok(mut plan) => {
            let spans = json_spans(text).unwrap_or_default();
            plan.origin = Origin::new(file, &spans, index);
            Ok(plan)
        }
        Err(e) => {
            // serde_json counts the column in bytes and points at the last byte it read.
            let offset = (e.line() > 0).then(|| {
                index
                    .line_start(e.line())
                    .saturating_add(e.column().saturating_sub(1))
            });
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full);
            if e.is_data() {
                let spans = json_spans(text).unwrap_or_default();
                Err(spans.locate(file, offset, message, index))
            } else {
                Err(plan_error(
                    file,
                    offset.map(|o| index.pos(o)),
                    None,
                    message.to_string(),
                ))
            }
        }
    }
}

fn plan_error(
    file: &str,
    pos: Option<Pos>,
    target_id: Option<String>,
    message: String,
) -> OntrackError {
    OntrackError::Plan {
        file: if file.is_empty() {
            "<plan>".to_string()
        } else {
            file.to_string()
        },
        line: pos.map(|p| p.line),
        column: pos.map(|p| p.column),
        target_id,
        message,
    }
}

// ------------------------------------------------------------------------------------ checks

/// A plan field that a [`TargetSpec::validate`] error names by its frame column.
fn plan_field(frame_column: &str) -> &str {
    match frame_column {
        cols::TARGET_VALUE => "value",
        cols::TARGET_YEAR => "deadline",
        other => other,
    }
}

impl Plan {
    /// A plan built in code (no file positions; errors name the file `<plan>`).
    #[must_use]
    pub fn new(meta: PlanMeta, groups: Vec<PlanGroup>, targets: Vec<PlanTarget>) -> Self {
        Self {
            meta,
            groups,
            targets,
            origin: Origin::default(),
        }
    }

    /// The file this plan was read from, as named by the caller (empty when built in code).
    #[must_use]
    pub fn file(&self) -> &str {
        &self.origin.file
    }

    /// The group with this id.
    #[must_use]
    pub fn group(&self, id: &str) -> Option<&PlanGroup> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The distinct `unit_column`s of the `share_of_units` targets, in first-use order: the
    /// key columns (`by`) an assessment of this plan needs besides the indicator.
    #[must_use]
    pub fn unit_columns(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.targets.iter().filter_map(|t| t.unit_column.as_ref()) {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
        out
    }

    fn error_at(&self, pos: Option<Pos>, target_id: Option<&str>, message: String) -> OntrackError {
        plan_error(
            &self.origin.file,
            pos,
            target_id.map(str::to_string),
            message,
        )
    }

    /// An error about target `i`, at `field`'s value if the file has it, else at the entry.
    fn target_error(
        &self,
        i: usize,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> OntrackError {
        let entry = self.origin.targets.get(i);
        let pos = field
            .and_then(|f| entry.and_then(|e| e.value_pos(f)))
            .or(entry.map(|e| e.at));
        let message = match field {
            Some(f) => format!("field {f:?}: {}", message.into()),
            None => message.into(),
        };
        self.error_at(pos, self.targets.get(i).map(|t| t.id.as_str()), message)
    }

    fn line_of_target_field(&self, i: usize, field: &str) -> String {
        self.origin
            .targets
            .get(i)
            .and_then(|e| e.value_pos(field).or(Some(e.at)))
            .map_or_else(String::new, |p| format!(" (line {})", p.line))
    }

    /// Every problem of the `[plan]` table and the `[[groups]]` entries, in file order.
    fn meta_and_group_errors(&self) -> Vec<OntrackError> {
        let mut errors = Vec::new();
        let m = &self.meta;
        for (field, v) in [
            ("id", Some(&m.id)),
            ("name_zh", m.name_zh.as_ref()),
            ("name_en", m.name_en.as_ref()),
            ("issuer", m.issuer.as_ref()),
            ("source", m.source.as_ref()),
        ] {
            if v.is_some_and(|s| s.trim().is_empty()) {
                let entry = self.origin.plan.as_ref();
                let at = entry.and_then(|e| e.value_pos(field).or(Some(e.at)));
                errors.push(self.error_at(
                    at,
                    None,
                    format!("[plan]: field {field:?}: {}", empty_message()),
                ));
            }
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, g) in self.groups.iter().enumerate() {
            let entry = self.origin.groups.get(i);
            let at = |field: &str| entry.and_then(|e| e.value_pos(field).or(Some(e.at)));
            let fail = |field: &str, message: String| {
                self.error_at(
                    at(field),
                    None,
                    format!("group {:?}: field {field:?}: {message}", g.id),
                )
            };
            for (field, v) in [
                ("id", Some(&g.id)),
                ("name_zh", g.name_zh.as_ref()),
                ("name_en", g.name_en.as_ref()),
            ] {
                if v.is_some_and(|s| s.trim().is_empty()) {
                    errors.push(fail(field, empty_message()));
                }
            }
            if let Some(first) = seen.insert(g.id.as_str(), i) {
                let first_line = self
                    .origin
                    .groups
                    .get(first)
                    .map_or_else(String::new, |e| format!(" (first at line {})", e.at.line));
                errors.push(fail("id", format!("duplicate group id{first_line}")));
            }
        }
        errors
    }

    /// Checks of target `i` that [`TargetSpec::validate`] does not make: its scale, or every
    /// problem found (in the order of the checks).
    fn check_target(
        &self,
        i: usize,
        t: &PlanTarget,
    ) -> std::result::Result<f64, Vec<OntrackError>> {
        let mut errors = Vec::new();
        let bad = |field: &str, message: String| self.target_error(i, Some(field), message);
        for (field, v) in [
            ("id", Some(&t.id)),
            ("group", Some(&t.group)),
            ("indicator", Some(&t.indicator)),
            ("label_zh", t.label_zh.as_ref()),
            ("label_en", t.label_en.as_ref()),
            ("unit", t.unit.as_ref()),
            ("unit_column", t.unit_column.as_ref()),
            ("note", t.note.as_ref()),
        ] {
            if v.is_some_and(|s| s.trim().is_empty()) {
                errors.push(bad(field, empty_message()));
            }
        }
        if self.group(&t.group).is_none() && !t.group.trim().is_empty() {
            let declared: Vec<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
            errors.push(bad(
                "group",
                format!(
                    "group {:?} is not declared in [[groups]] (declared: {})",
                    t.group,
                    if declared.is_empty() {
                        "none".to_string()
                    } else {
                        declared.join(", ")
                    }
                ),
            ));
        }
        let kind = t.kind;
        if t.value.is_some() && !kind.needs_value() {
            errors.push(bad(
                "value",
                format!("a {kind} target has no number; omit the field"),
            ));
        }
        for (field, present, allowed) in [
            (
                "window_start",
                t.window_start.is_some(),
                TargetKind::Cumulative,
            ),
            ("change_type", t.change_type.is_some(), TargetKind::Change),
            (
                "unit_column",
                t.unit_column.is_some(),
                TargetKind::ShareOfUnits,
            ),
            (
                "unit_threshold",
                t.unit_threshold.is_some(),
                TargetKind::ShareOfUnits,
            ),
        ] {
            if present && kind != allowed {
                errors.push(bad(
                    field,
                    format!("only applies to {allowed} targets, this one is {kind}"),
                ));
            }
        }
        match self.unit_scale(i, t) {
            Ok(scale) if errors.is_empty() => Ok(scale),
            Ok(_) => Err(errors),
            Err(e) => {
                errors.push(e);
                Err(errors)
            }
        }
    }

    /// The scale of target `i` from its unit (or its explicit `scale`), checked.
    fn unit_scale(&self, i: usize, t: &PlanTarget) -> Result<f64> {
        let bad = |field: &str, message: String| Err(self.target_error(i, Some(field), message));
        let kind = t.kind;
        let Some(label) = t.unit.as_deref() else {
            return Ok(t.scale.unwrap_or(1.0));
        };
        if let Some(scale) = t.scale {
            return Ok(scale);
        }
        let Some(unit) = lookup_unit(label) else {
            return bad(
                "unit",
                format!(
                    "unit mismatch: unknown unit {label:?}; known units: {}; or give an explicit `scale`",
                    known_units()
                ),
            );
        };
        if kind == TargetKind::ShareOfUnits && unit.name != "%" {
            return bad(
                "unit",
                format!(
                    "unit mismatch: a share_of_units target is a percentage of sub-units, its unit is \"%\", not {label:?}"
                ),
            );
        }
        if let Some(max) = unit.share_max() {
            let value = t
                .value
                .filter(|_| matches!(kind, TargetKind::Level | TargetKind::ShareOfUnits));
            for (field, v) in [
                ("value", value),
                ("baseline_value", t.baseline_value),
                ("lower_bound", t.lower_bound),
                ("upper_bound", t.upper_bound),
            ] {
                if let Some(v) = v.filter(|v| !(0.0..=max).contains(v)) {
                    return bad(
                        field,
                        format!(
                            "unit mismatch: {v} is not a share in {label:?} (0 to {max}); is the unit wrong?"
                        ),
                    );
                }
            }
        }
        Ok(unit.scale)
    }

    /// Convert every target into a validated [`TargetSpec`] (values in the file's unit,
    /// `scale` from the unit table or the explicit `scale`, `label` = `label_en` else
    /// `label_zh`, no key filters).
    ///
    /// A `share_of_units` target is validated with its own `unit_column` as the key column;
    /// an assessment needs [`Plan::unit_columns`] among its `by` columns.
    ///
    /// # Errors
    /// [`OntrackError::Plan`] for the first invalid group or target in file order, with the
    /// position of the offending field's value (or of the target's entry when the field is
    /// missing), the target id and the field. See the module docs for the checks.
    pub fn to_target_specs(&self) -> Result<Vec<TargetSpec>> {
        let (specs, errors) = self.checked_specs();
        match errors.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(specs),
        }
    }

    /// The specs of the valid targets and every problem found, in the order of the checks
    /// (`[plan]` and groups first, then each target in file order).
    fn checked_specs(&self) -> (Vec<TargetSpec>, Vec<OntrackError>) {
        let mut errors = self.meta_and_group_errors();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        // indicator -> (unit name, scale, first target index)
        let mut units: HashMap<&str, (String, f64, usize)> = HashMap::new();
        let mut out = Vec::with_capacity(self.targets.len());
        for (i, t) in self.targets.iter().enumerate() {
            if let Some(first) = seen.insert(t.id.as_str(), i) {
                let first_line = self.line_of_target_field(first, "id");
                let this_line = self.line_of_target_field(i, "id");
                errors.push(self.target_error(
                    i,
                    Some("id"),
                    format!(
                        "duplicate target id {:?}: first{first_line}, again{this_line}",
                        t.id
                    ),
                ));
            }
            let scale = match self.check_target(i, t) {
                Ok(scale) => scale,
                Err(found) => {
                    errors.extend(found);
                    continue;
                }
            };
            if let Some(label) = t.unit.as_deref() {
                let name = match (t.scale, lookup_unit(label)) {
                    (None, Some(u)) => u.name.to_string(),
                    _ => label.trim().to_string(),
                };
                match units.get(t.indicator.as_str()) {
                    Some((first_name, first_scale, first))
                        if *first_name != name || first_scale.to_bits() != scale.to_bits() =>
                    {
                        let first_id = self.targets.get(*first).map_or("", |f| f.id.as_str());
                        errors.push(self.target_error(
                            i,
                            Some("unit"),
                            format!(
                                "unit mismatch: indicator {:?} is in {first_name:?} (scale {first_scale}) in target {first_id:?}{} but in {name:?} (scale {scale}) here; one indicator has one unit",
                                t.indicator,
                                self.line_of_target_field(*first, "unit"),
                            ),
                        ));
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        units.insert(t.indicator.as_str(), (name, scale, i));
                    }
                }
            }
            let spec = TargetSpec {
                id: t.id.clone(),
                indicator: t.indicator.clone(),
                keys: std::collections::BTreeMap::new(),
                kind: t.kind,
                direction: t.direction,
                value: t.value,
                year: t.deadline.map(year_f64),
                strict: t.strict.unwrap_or(false),
                baseline_year: t.baseline_year.map(year_f64),
                baseline_value: t.baseline_value,
                window_start: t.window_start.map(year_f64),
                lower_bound: t.lower_bound,
                upper_bound: t.upper_bound,
                unit: t.unit.clone(),
                scale,
                label: t.label().map(str::to_string),
                group: Some(t.group.clone()),
                weight: t.weight.unwrap_or(1.0),
                change_type: t.change_type.unwrap_or_default(),
                unit_column: t.unit_column.clone(),
                unit_threshold: t.unit_threshold,
            };
            let keys: Vec<String> = t.unit_column.iter().cloned().collect();
            match spec.validate(&keys) {
                Ok(()) => out.push(spec),
                Err(OntrackError::InvalidTarget { field, message, .. }) => {
                    errors.push(self.target_error(i, Some(plan_field(&field)), message));
                }
                Err(other) => errors.push(other),
            }
        }
        (out, errors)
    }

    /// The targets frame of the data contract (docs/data-contract.md#targets): the columns
    /// [`crate::targets_from_frame`] reads (`id`, `indicator`, `kind`, `direction`,
    /// `target_value`, `target_year`, `strict`, `baseline_year`, `baseline_value`,
    /// `window_start`, `lower_bound`, `upper_bound`,
    /// `unit`, `scale`, `label`, `group`, `weight`, `change_type`, `unit_column`,
    /// `unit_threshold`) plus `label_zh`, `label_en`, `note` and `group_name`, one row per
    /// target in file order. Years are integers.
    ///
    /// # Errors
    /// The errors of [`Plan::to_target_specs`].
    pub fn targets_frame(&self) -> Result<DataFrame> {
        let specs = self.to_target_specs()?;
        let n = specs.len();
        let t = &self.targets;
        let text = |f: &dyn Fn(&PlanTarget) -> Option<String>| -> Vec<Option<String>> {
            t.iter().map(f).collect()
        };
        let floats = |f: &dyn Fn(&TargetSpec) -> Option<f64>| -> Vec<Option<f64>> {
            specs.iter().map(f).collect()
        };
        let years = |f: &dyn Fn(&PlanTarget) -> Option<i64>| -> Vec<Option<i64>> {
            t.iter().map(f).collect()
        };
        let columns = vec![
            Column::new(
                cols::ID.into(),
                specs.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "indicator".into(),
                specs
                    .iter()
                    .map(|s| s.indicator.clone())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                cols::KIND.into(),
                specs.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                cols::DIRECTION.into(),
                specs
                    .iter()
                    .map(|s| s.direction.as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new(cols::TARGET_VALUE.into(), floats(&|s| s.value)),
            Column::new(cols::TARGET_YEAR.into(), years(&|p| p.deadline)),
            Column::new(
                cols::STRICT.into(),
                specs.iter().map(|s| s.strict).collect::<Vec<_>>(),
            ),
            Column::new(cols::BASELINE_YEAR.into(), years(&|p| p.baseline_year)),
            Column::new(cols::BASELINE_VALUE.into(), floats(&|s| s.baseline_value)),
            Column::new(cols::WINDOW_START.into(), years(&|p| p.window_start)),
            Column::new(cols::LOWER_BOUND.into(), floats(&|s| s.lower_bound)),
            Column::new(cols::UPPER_BOUND.into(), floats(&|s| s.upper_bound)),
            Column::new(cols::UNIT.into(), text(&|p| p.unit.clone())),
            Column::new(
                cols::SCALE.into(),
                specs.iter().map(|s| s.scale).collect::<Vec<_>>(),
            ),
            Column::new(
                cols::LABEL.into(),
                specs.iter().map(|s| s.label.clone()).collect::<Vec<_>>(),
            ),
            Column::new(cols::GROUP.into(), text(&|p| Some(p.group.clone()))),
            Column::new(
                cols::WEIGHT.into(),
                specs.iter().map(|s| s.weight).collect::<Vec<_>>(),
            ),
            Column::new(
                cols::CHANGE_TYPE.into(),
                specs
                    .iter()
                    .map(|s| {
                        (s.kind == TargetKind::Change).then_some(match s.change_type {
                            ChangeType::Relative => "relative",
                            ChangeType::Absolute => "absolute",
                        })
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(cols::UNIT_COLUMN.into(), text(&|p| p.unit_column.clone())),
            Column::new(cols::UNIT_THRESHOLD.into(), floats(&|s| s.unit_threshold)),
            Column::new("label_zh".into(), text(&|p| p.label_zh.clone())),
            Column::new("label_en".into(), text(&|p| p.label_en.clone())),
            Column::new("note".into(), text(&|p| p.note.clone())),
            Column::new(
                "group_name".into(),
                text(&|p| {
                    self.group(&p.group)
                        .and_then(PlanGroup::name)
                        .map(str::to_string)
                }),
            ),
        ];
        Ok(DataFrame::new(n, columns)?)
    }
}

/// serde's type names in words a plan author knows.
fn friendly(message: &str) -> String {
    message
        .replace("expected f64", "expected a number")
        .replace("expected i64", "expected an integer (a year)")
        .replace("expected a boolean", "expected true or false")
}

fn empty_message() -> String {
    "is an empty string; omit an optional field instead".to_string()
}

#[allow(clippy::cast_precision_loss)] // years are far below 2^53
fn year_f64(y: i64) -> f64 {
    y as f64
}

// ------------------------------------------------------------------------------------ positions

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: usize,
    column: usize,
}

/// Byte offsets of line starts, to turn offsets into [`Pos`].
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// Byte offset where 1-based `line` starts (the end of the text past the last line).
    fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_start(line);
        let column = self
            .text
            .get(start..offset)
            .map_or(offset.saturating_sub(start), |s| s.chars().count());
        Pos {
            line,
            column: column + 1,
        }
    }
}

/// Byte spans of one field: key and value.
#[derive(Debug, Clone)]
struct FieldSpans {
    name: String,
    key: Range<usize>,
    value: Range<usize>,
}

/// Byte spans of one table (a `[[targets]]` header or a JSON object) and its fields.
#[derive(Debug, Clone, Default)]
struct EntrySpans {
    span: Range<usize>,
    id: Option<String>,
    fields: Vec<FieldSpans>,
}

impl EntrySpans {
    /// The last byte this entry covers: its header or object, or its last value.
    fn end(&self) -> usize {
        self.fields
            .iter()
            .map(|f| f.value.end)
            .fold(self.span.end, usize::max)
    }

    fn contains(&self, offset: usize) -> bool {
        self.span.start <= offset && offset <= self.end()
    }

    fn field_at(&self, offset: usize) -> Option<&FieldSpans> {
        self.fields
            .iter()
            .find(|f| f.key.start <= offset && offset <= f.value.end)
    }
}

/// The spans of a plan file's entries, in file order.
#[derive(Debug, Clone, Default)]
struct SourceSpans {
    plan: Option<EntrySpans>,
    groups: Vec<EntrySpans>,
    targets: Vec<EntrySpans>,
}

impl SourceSpans {
    /// The target whose entry starts last before `offset`, unless a group starts in between
    /// (for syntax errors, where the entry's extent is unknown).
    fn preceding_target(&self, offset: usize) -> Option<String> {
        let before = |e: &&EntrySpans| e.span.start <= offset;
        let target = self.targets.iter().rfind(before)?;
        let group_start = self.groups.iter().rfind(before).map(|g| g.span.start);
        let plan_start = self.plan.as_ref().filter(before).map(|p| p.span.start);
        if group_start.max(plan_start) > Some(target.span.start) {
            return None;
        }
        target.id.clone()
    }

    /// Turn a deserialization error at `offset` into a positioned plan error.
    fn locate(
        &self,
        file: &str,
        offset: Option<usize>,
        message: &str,
        index: &LineIndex<'_>,
    ) -> OntrackError {
        let Some(offset) = offset else {
            return plan_error(file, None, None, message.to_string());
        };
        let in_target = self.targets.iter().rfind(|e| e.contains(offset));
        let in_group = self.groups.iter().rfind(|e| e.contains(offset));
        let in_plan = self.plan.as_ref().filter(|e| e.contains(offset));
        let Some(entry) = in_target.or(in_group).or(in_plan) else {
            return plan_error(file, Some(index.pos(offset)), None, message.to_string());
        };
        let message = friendly(message);
        let message = message.as_str();
        let unknown_field = message.starts_with("unknown field");
        let (at, message) = match entry.field_at(offset) {
            Some(f) if unknown_field => (f.key.start, message.to_string()),
            Some(f) => (f.value.start, format!("field {:?}: {message}", f.name)),
            None => (entry.span.start, message.to_string()),
        };
        let (target_id, message) = if in_target.is_some() {
            match &entry.id {
                Some(id) => (Some(id.clone()), message),
                None => {
                    let n = self
                        .targets
                        .iter()
                        .position(|t| std::ptr::eq(t, entry))
                        .map_or(0, |i| i + 1);
                    (None, format!("[[targets]] entry {n}: {message}"))
                }
            }
        } else if in_group.is_some() {
            let name = entry.id.as_deref().unwrap_or("?");
            (None, format!("group {name:?}: {message}"))
        } else {
            (None, format!("[plan]: {message}"))
        };
        plan_error(file, Some(index.pos(at)), target_id, message)
    }
}

/// Positions kept with a parsed plan, for the errors of [`Plan::to_target_specs`].
#[derive(Debug, Clone, Default)]
struct Origin {
    file: String,
    plan: Option<EntryPos>,
    groups: Vec<EntryPos>,
    targets: Vec<EntryPos>,
}

#[derive(Debug, Clone)]
struct EntryPos {
    at: Pos,
    /// (field, position of its value)
    fields: Vec<(String, Pos)>,
}

impl EntryPos {
    fn new(e: &EntrySpans, index: &LineIndex<'_>) -> Self {
        Self {
            at: index.pos(e.span.start),
            fields: e
                .fields
                .iter()
                .map(|f| (f.name.clone(), index.pos(f.value.start)))
                .collect(),
        }
    }

    fn value_pos(&self, field: &str) -> Option<Pos> {
        self.fields
            .iter()
            .find(|(n, _)| n == field)
            .map(|(_, p)| *p)
    }
}

impl Origin {
    fn new(file: &str, spans: &SourceSpans, index: &LineIndex<'_>) -> Self {
        Self {
            file: file.to_string(),
            plan: spans.plan.as_ref().map(|e| EntryPos::new(e, index)),
            groups: spans
                .groups
                .iter()
                .map(|e| EntryPos::new(e, index))
                .collect(),
            targets: spans
                .targets
                .iter()
                .map(|e| EntryPos::new(e, index))
                .collect(),
        }
    }
}

// TOML: the spanned document of the `toml` crate.

type TomlValue<'a> = toml::Spanned<toml::de::DeValue<'a>>;

fn toml_spans(root: &toml::de::DeTable<'_>) -> SourceSpans {
    let get = |name: &str| {
        root.iter()
            .find(|(k, _)| k.get_ref().as_ref() == name)
            .map(|(_, v)| v)
    };
    let entries = |name: &str| -> Vec<EntrySpans> {
        match get(name).map(toml::Spanned::get_ref) {
            Some(toml::de::DeValue::Array(items)) => items.iter().map(toml_entry).collect(),
            _ => Vec::new(),
        }
    };
    SourceSpans {
        plan: get("plan").map(toml_entry),
        groups: entries("groups"),
        targets: entries("targets"),
    }
}

fn toml_entry(item: &TomlValue<'_>) -> EntrySpans {
    let mut entry = EntrySpans {
        span: item.span(),
        ..EntrySpans::default()
    };
    if let toml::de::DeValue::Table(table) = item.get_ref() {
        for (k, v) in table.iter() {
            let name = k.get_ref().to_string();
            if name == "id" {
                entry.id = v.get_ref().as_str().map(str::to_string);
            }
            entry.fields.push(FieldSpans {
                name,
                key: k.span(),
                value: v.span(),
            });
        }
    }
    entry
}

// JSON: serde_json keeps no positions, so a small scanner finds the spans of the
// already-validated text.

enum JsonNode {
    Object(Vec<JsonField>),
    Array(Vec<(Range<usize>, JsonNode)>),
    Scalar,
}

struct JsonField {
    name: String,
    key: Range<usize>,
    value: Range<usize>,
    node: JsonNode,
}

struct JsonScanner<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl JsonScanner<'_> {
    const MAX_DEPTH: usize = 128;

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn string(&mut self) -> Option<Range<usize>> {
        self.skip_ws();
        let start = self.pos;
        self.eat(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(start..self.pos);
                }
                _ => self.pos += 1,
            }
        }
    }

    fn value(&mut self) -> Option<(Range<usize>, JsonNode)> {
        self.skip_ws();
        let start = self.pos;
        let node = match self.peek()? {
            b'{' | b'[' if self.depth >= Self::MAX_DEPTH => return None,
            b'{' => {
                self.depth += 1;
                let node = self.object();
                self.depth -= 1;
                node?
            }
            b'[' => {
                self.depth += 1;
                let node = self.array();
                self.depth -= 1;
                node?
            }
            b'"' => {
                self.string()?;
                JsonNode::Scalar
            }
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos == start {
                    return None;
                }
                JsonNode::Scalar
            }
        };
        Some((start..self.pos, node))
    }

    fn object(&mut self) -> Option<JsonNode> {
        self.eat(b'{')?;
        let mut fields = Vec::new();
        if self.eat(b'}').is_some() {
            return Some(JsonNode::Object(fields));
        }
        loop {
            let key = self.string()?;
            let name: String = serde_json::from_str(self.text.get(key.clone())?).ok()?;
            self.eat(b':')?;
            let (value, node) = self.value()?;
            fields.push(JsonField {
                name,
                key,
                value,
                node,
            });
            if self.eat(b',').is_none() {
                self.eat(b'}')?;
                return Some(JsonNode::Object(fields));
            }
        }
    }

    fn array(&mut self) -> Option<JsonNode> {
        self.eat(b'[')?;
        let mut items = Vec::new();
        if self.eat(b']').is_some() {
            return Some(JsonNode::Array(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat(b',').is_none() {
                self.eat(b']')?;
                return Some(JsonNode::Array(items));
            }
        }
    }
}

fn json_spans(text: &str) -> Option<SourceSpans> {
    let mut scanner = JsonScanner {
        text,
        pos: 0,
        depth: 0,
    };
    let (_, JsonNode::Object(root)) = scanner.value()? else {
        return None;
    };
    let entry = |span: &Range<usize>, node: &JsonNode| {
        let mut entry = EntrySpans {
            span: span.clone(),
            ..EntrySpans::default()
        };
        if let JsonNode::Object(fields) = node {
            for f in fields {
                if f.name == "id" {
                    entry.id = text
                        .get(f.value.clone())
                        .and_then(|s| serde_json::from_str::<String>(s).ok());
                }
                entry.fields.push(FieldSpans {
                    name: f.name.clone(),
                    key: f.key.clone(),
                    value: f.value.clone(),
                });
            }
        }
        entry
    };
    let entries = |name: &str| -> Vec<EntrySpans> {
        match root.iter().find(|f| f.name == name).map(|f| &f.node) {
            Some(JsonNode::Array(items)) => items.iter().map(|(s, n)| entry(s, n)).collect(),
            _ => Vec::new(),
        }
    };
    Some(SourceSpans {
        plan: root
            .iter()
            .find(|f| f.name == "plan")
            .map(|f| entry(&f.value, &f.node)),
        groups: entries("groups"),
        targets: entries("targets"),
    })
}
