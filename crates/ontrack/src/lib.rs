//! # ontrack
//!
//! Indicator analytics on polars: for every indicator of a plan, how far it has come, what is
//! left, how fast it moves against how fast it must move, and a status — by every named
//! official method (Open SDG, UNSD, Eurostat, …) side by side.
//!
//! Data in and out are polars DataFrames. Observations are long ("tidy": indicator, keys,
//! period, value); targets have one row per target (see [`target::cols`]). Per-series trouble
//! is data (`status`, `reason`), never an error; malformed input is an [`OntrackError`] that
//! names the column, row, series or target.
//!
//! ```
//! use ontrack::{assess, AssessOptions};
//! use ontrack::polars::prelude::*;
//!
//! // Golden example G12: "technology contract turnover exceeds 4.0 by 2018".
//! let obs = df!(
//!     "indicator" => ["turnover", "turnover"],
//!     "year" => [2015i64, 2017],
//!     "value" => [2.0, 3.2],
//! ).unwrap();
//! let targets = df!(
//!     "id" => ["T1"],
//!     "indicator" => ["turnover"],
//!     "direction" => ["increase"],
//!     "target_value" => [4.0],
//!     "target_year" => [2018i64],
//!     "strict" => [true],
//! ).unwrap();
//! let out = assess(&obs, &targets, &AssessOptions::default()).unwrap();
//! let needed = out.column("needed_growth").unwrap().f64().unwrap().get(0).unwrap();
//! assert!((needed - 0.25).abs() < 1e-12);
//! ```

mod assess;
mod calendar;
pub mod categories;
mod cells;
mod compare;
pub mod error;
mod fit;
mod input;
mod key_filters;
mod options;
mod output;
mod panel;
pub mod plan;
pub mod progress;
mod project;
mod rollup;
pub mod schema;
mod sensitivity;
pub mod target;
pub mod threads;
pub mod units;

pub use assess::assess;
pub use calendar::{decimal_year_from_days, PeriodKind};
pub use compare::{compare_defaults, compare_methods};
pub use error::{ErrorContext, Frame, OntrackError, Result};
pub use ontrack_kernels as kernels;
pub use ontrack_kernels::methods::Method;
pub use ontrack_kernels::{Direction, Status};
pub use options::{AssessOptions, BaselinePolicy};
pub use plan::{parse_plan, read_plan, Plan, PlanFormat, PlanGroup, PlanMeta, PlanTarget};
pub use polars;
pub use progress::Progress;
pub use project::{parse_projection_method, project, Horizon, ProjectOptions};
pub use rollup::{rollup, RollupHow, RollupOptions};
pub use sensitivity::{sensitivity, SensitivityOptions};
pub use target::{targets_from_frame, ChangeType, KeyFilters, TargetKind, TargetSpec};
pub use threads::{set_threads, threads};
