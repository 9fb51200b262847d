//! The checks of a plan beyond its syntax: empty strings, duplicate ids, undeclared groups,
//! fields that do not apply to a kind, units, and everything [`TargetSpec::validate`] checks;
//! and the conversion of its targets into [`TargetSpec`]s.

use std::collections::HashMap;

use crate::calendar::year_f64;
use crate::error::{OntrackError, Result};
use crate::target::{cols, TargetKind, TargetSpec};

use super::model::{Plan, PlanTarget};
use super::spans::{plan_error, Pos};
use super::units::{known_units, lookup_unit};

/// A plan field that a [`TargetSpec::validate`] error names by its frame column.
fn plan_field(frame_column: &str) -> &str {
    match frame_column {
        cols::TARGET_VALUE => "value",
        cols::TARGET_YEAR => "deadline",
        other => other,
    }
}

impl Plan {
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
    pub(super) fn checked_specs(&self) -> (Vec<TargetSpec>, Vec<OntrackError>) {
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
                id: t.id.as_str().into(),
                indicator: t.indicator.as_str().into(),
                keys: crate::target::KeyFilters::new(),
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
}

fn empty_message() -> String {
    "is an empty string; omit an optional field instead".to_string()
}
