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
    /// Another error, located in a sheet of a workbook or a bucket of a distributed run (see
    /// [`OntrackError::in_sheet`] and [`OntrackError::in_bucket`]).
    #[error("{error}{}", location_suffix(.sheet.as_deref(), *.bucket))]
    Located {
        /// The error itself.
        error: Box<OntrackError>,
        /// The sheet of the workbook the input came from.
        sheet: Option<String>,
        /// The bucket (group of series processed together) the error arose in.
        bucket: Option<u64>,
    },
}

/// The structured attributes of an error, `None` where they do not apply: what a program
/// acting on the error (a notebook, a pipeline, a distributed driver) needs without parsing
/// the message. The Python exception classes carry the same attributes by the same names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorContext {
    /// The column of the input frame at fault (for a target, the targets-frame field).
    pub column: Option<String>,
    /// Zero-based row of the input frame at fault (for a repeat, the repeating row).
    pub row: Option<usize>,
    /// The series, as `indicator=…, key=…`.
    pub series: Option<String>,
    /// The id of the target at fault.
    pub target_id: Option<String>,
    /// The option (keyword argument) at fault.
    pub option: Option<String>,
    /// The file at fault, as named by the caller.
    pub file: Option<String>,
    /// 1-based line in `file`.
    pub line: Option<usize>,
    /// 1-based column (in characters) on `line`.
    pub col: Option<usize>,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// The bucket of a distributed run.
    pub bucket: Option<u64>,
}

impl ErrorContext {
    /// The attribute names, in the order of the fields.
    pub const FIELDS: [&'static str; 10] = [
        "column",
        "row",
        "series",
        "target_id",
        "option",
        "file",
        "line",
        "col",
        "sheet",
        "bucket",
    ];
}

/// ` (sheet "x", bucket 3)` or nothing, for [`OntrackError::Located`].
fn location_suffix(sheet: Option<&str>, bucket: Option<u64>) -> String {
    let parts: Vec<String> = sheet
        .map(|s| format!("sheet {s:?}"))
        .into_iter()
        .chain(bucket.map(|b| format!("bucket {b}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
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
    /// Every value [`OntrackError::kind`] can return.
    pub const KINDS: [&'static str; 9] = [
        "MissingColumn",
        "ColumnType",
        "NullValue",
        "DuplicateObservation",
        "InvalidTarget",
        "DuplicateTarget",
        "InvalidOption",
        "Plan",
        "Engine",
    ];

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
            Self::Located { error, .. } => error.kind(),
        }
    }

    /// The structured attributes of the error (see [`ErrorContext`]).
    ///
    /// ```
    /// use ontrack::{ErrorContext, OntrackError};
    /// let e = OntrackError::NullValue {
    ///     frame: ontrack::Frame::Observations,
    ///     column: "year".into(),
    ///     row: 3,
    ///     what: "every observation needs a period".into(),
    /// };
    /// let ctx = e.in_bucket(7).context();
    /// assert_eq!(ctx.column.as_deref(), Some("year"));
    /// assert_eq!((ctx.row, ctx.bucket, ctx.option), (Some(3), Some(7), None));
    /// ```
    #[must_use]
    pub fn context(&self) -> ErrorContext {
        let none = ErrorContext::default();
        match self {
            Self::MissingColumn { column, .. } | Self::ColumnType { column, .. } => ErrorContext {
                column: Some(column.clone()),
                ..none
            },
            Self::NullValue { column, row, .. } => ErrorContext {
                column: Some(column.clone()),
                row: Some(*row),
                ..none
            },
            Self::DuplicateObservation {
                series, second_row, ..
            } => ErrorContext {
                series: Some(series.clone()),
                row: Some(*second_row),
                ..none
            },
            Self::InvalidTarget {
                target_id, field, ..
            } => ErrorContext {
                target_id: Some(target_id.clone()),
                column: Some(field.clone()),
                ..none
            },
            Self::DuplicateTarget {
                target_id,
                second_row,
                ..
            } => ErrorContext {
                target_id: Some(target_id.clone()),
                row: Some(*second_row),
                ..none
            },
            Self::InvalidOption { option, .. } => ErrorContext {
                option: Some(option.clone()),
                ..none
            },
            Self::Plan {
                file,
                line,
                column,
                target_id,
                ..
            } => ErrorContext {
                file: Some(file.clone()),
                line: *line,
                col: *column,
                target_id: target_id.clone(),
                ..none
            },
            Self::Polars(_) | Self::Interrupted { .. } => none,
            Self::Located {
                error,
                sheet,
                bucket,
            } => ErrorContext {
                sheet: sheet.clone(),
                bucket: *bucket,
                ..error.context()
            },
        }
    }

    /// The same error, located in a sheet of a workbook.
    #[must_use]
    pub fn in_sheet(self, sheet: impl Into<String>) -> Self {
        let (error, bucket) = self.unlocated();
        Self::Located {
            error,
            sheet: Some(sheet.into()),
            bucket,
        }
    }

    /// The same error, located in a bucket of a distributed run.
    #[must_use]
    pub fn in_bucket(self, bucket: u64) -> Self {
        let (error, sheet) = match self {
            Self::Located { error, sheet, .. } => (error, sheet),
            other => (Box::new(other), None),
        };
        Self::Located {
            error,
            sheet,
            bucket: Some(bucket),
        }
    }

    /// The error without its location, and its bucket if it had one.
    fn unlocated(self) -> (Box<Self>, Option<u64>) {
        match self {
            Self::Located { error, bucket, .. } => (error, bucket),
            other => (Box::new(other), None),
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
