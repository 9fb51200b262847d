//! The plan model: what a plan file holds, as serde reads and writes it.

use ontrack_kernels::Direction;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::target::{ChangeType, TargetKind};

use super::spans::Origin;

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
    pub(super) origin: Origin,
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
    /// Unit label, looked up in the unit table ([`lookup_unit`](super::lookup_unit)) unless `scale` is given.
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
}
