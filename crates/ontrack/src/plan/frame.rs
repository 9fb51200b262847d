//! A plan as the targets frame of the data contract.

use polars::prelude::*;

use crate::error::Result;
use crate::target::{cols, ChangeType, TargetKind, TargetSpec};

use super::model::{Plan, PlanGroup, PlanTarget};

impl Plan {
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
                specs.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "indicator".into(),
                specs
                    .iter()
                    .map(|s| s.indicator.as_str())
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
