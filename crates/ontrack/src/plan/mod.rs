//! Plans as files: a policy document's targets in TOML (or JSON), loaded into [`TargetSpec`](crate::TargetSpec)s
//! and into the targets frame of the data contract.
//!
//! The schema is documented in `plans/README.md`: a `[plan]` table ([`PlanMeta`]), one
//! `[[groups]]` entry per section or task ([`PlanGroup`]) and one `[[targets]]` entry per target
//! ([`PlanTarget`]). Unknown fields are errors, so a misspelt field never goes unnoticed. The
//! same serde model reads JSON (`{"plan": {...}, "groups": [...], "targets": [...]}`).
//!
//! Every problem is an [`OntrackError::Plan`](crate::OntrackError::Plan) naming the file, the 1-based line and column (in
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
//! [`TargetSpec::validate`](crate::TargetSpec::validate) checks (deadline required except on `direction`, `window_start` on
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

mod checks;
mod frame;
mod model;
mod read;
mod spans;
mod units;

pub use self::model::{Plan, PlanGroup, PlanMeta, PlanTarget};
pub use self::read::{check_plan, check_plan_file, parse_plan, read_plan, PlanFormat};
pub use self::units::{lookup_unit, Unit, UnitDimension, UNITS};
