//! The one error type of the crate. Every variant names what is wrong and where: the frame and
//! column, the row, the series, the target id or the option.
//!
//! Per-series trouble (too few points, zero values, no data for a target) is *not* an error: it
//! is reported in the `status` and `reason` columns of the result.

use std::fmt;

/// Which input frame an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    /// The observations frame.
    Observations,
    /// The targets frame.
    Targets,
    /// An assessment result passed back in (rollups, summaries).
    Result,
}

impl fmt::Display for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Observations => "observations",
            Self::Targets => "targets",
            Self::Result => "result",
        })
    }
}

/// Everything that can go wrong with malformed input.
#[derive(Debug, thiserror::Error)]
pub enum OntrackError {
    /// A required column is absent.
    #[error("{frame} frame has no column {column:?} (columns: {available})")]
    MissingColumn {
        /// Which frame.
        frame: Frame,
        /// The missing column.
        column: String,
        /// The columns that are there, comma-separated.
        available: String,
    },
    /// A column has a type that cannot be used.
    #[error("{frame} column {column:?} has type {found}; expected {expected}")]
    ColumnType {
        /// Which frame.
        frame: Frame,
        /// The column.
        column: String,
        /// What was expected.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A value that must be present is null (e.g. an indicator or a period).
    #[error("{frame} column {column:?} is null at row {row}; {what}")]
    NullValue {
        /// Which frame.
        frame: Frame,
        /// The column.
        column: String,
        /// Zero-based row number in the frame as given.
        row: usize,
        /// Why it must be present.
        what: String,
    },
    /// Two observations for the same series and period.
    #[error("duplicate observation: series {series} has more than one row for period {period} (rows {first_row} and {second_row})")]
    DuplicateObservation {
        /// The series, as `indicator=…, key=…`.
        series: String,
        /// The repeated period.
        period: String,
        /// Zero-based row of the first occurrence.
        first_row: usize,
        /// Zero-based row of the repeat.
        second_row: usize,
    },
    /// A target row is invalid.
    #[error("target {target_id:?}: field {field:?}: {message}")]
    InvalidTarget {
        /// The target's id (or `row N` when the targets frame has no id column).
        target_id: String,
        /// The offending field (column of the targets frame).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// Two targets share an id.
    #[error("duplicate target id {target_id:?} (rows {first_row} and {second_row} of the targets frame)")]
    DuplicateTarget {
        /// The repeated id.
        target_id: String,
        /// Zero-based row of the first occurrence.
        first_row: usize,
        /// Zero-based row of the repeat.
        second_row: usize,
    },
    /// An option has an invalid value.
    #[error("option {option:?}: {message}")]
    InvalidOption {
        /// The option.
        option: String,
        /// What is wrong.
        message: String,
    },
    /// A plan file cannot be read, is malformed, or holds an invalid target. Positions are
    /// 1-based; the column counts characters (not bytes), so it matches an editor's column on
    /// Chinese text.
    #[error(
        "{file}{}: {}{message}",
        position_suffix(*.line, *.column),
        target_prefix(.target_id.as_deref())
    )]
    Plan {
        /// The file as named by the caller (e.g. `plans/langfang_2017.toml`).
        file: String,
        /// 1-based line of the offending value, field or `[[targets]]` entry, when known.
        line: Option<usize>,
        /// 1-based column (in characters) on that line, when known.
        column: Option<usize>,
        /// The id of the target the error is about, when it is about one.
        target_id: Option<String>,
        /// What is wrong, usually `field "name": ...`.
        message: String,
    },
    /// The progress observer of the call ([`crate::Progress`]) asked to stop; nothing keeps
    /// running.
    #[error("interrupted after {done} of {total} jobs")]
    Interrupted {
        /// Jobs finished when the call stopped.
        done: usize,
        /// Jobs of the whole call.
        total: usize,
    },
    /// An error from the polars engine itself.
    #[error("polars: {0}")]
    Polars(#[from] polars::error::PolarsError),
}

/// `:line:column`, `:line` or nothing, for [`OntrackError::Plan`].
fn position_suffix(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// `target "id": ` or nothing, for [`OntrackError::Plan`].
fn target_prefix(target_id: Option<&str>) -> String {
    target_id.map_or_else(String::new, |id| format!("target {id:?}: "))
}

/// Result alias of the crate.
pub type Result<T, E = OntrackError> = std::result::Result<T, E>;

impl OntrackError {
    /// A short, stable name of the variant (used for the Python exception classes).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::MissingColumn { .. } => "MissingColumn",
            Self::ColumnType { .. } => "ColumnType",
            Self::NullValue { .. } => "NullValue",
            Self::DuplicateObservation { .. } => "DuplicateObservation",
            Self::InvalidTarget { .. } => "InvalidTarget",
            Self::DuplicateTarget { .. } => "DuplicateTarget",
            Self::InvalidOption { .. } => "InvalidOption",
            Self::Plan { .. } => "Plan",
            Self::Interrupted { .. } => "Interrupted",
            Self::Polars(_) => "Engine",
        }
    }

    pub(crate) fn target(id: &str, field: &str, message: impl Into<String>) -> Self {
        Self::InvalidTarget {
            target_id: id.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn option(option: &str, message: impl Into<String>) -> Self {
        Self::InvalidOption {
            option: option.to_string(),
            message: message.into(),
        }
    }
}
