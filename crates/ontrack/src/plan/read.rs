//! Reading plan files: TOML or JSON text into a checked [`Plan`], and every problem of a
//! file for `ontrack check`.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use crate::error::{OntrackError, Result};

use super::model::{Plan, PlanGroup, PlanMeta, PlanTarget};
use super::spans::{
    json_spans, plan_error, toml_spans, EntrySpans, FieldSpans, LineIndex, Origin, SourceSpans,
};

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
