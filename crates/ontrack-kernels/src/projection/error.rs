//! The error type of the projection kernels.

use std::fmt;

/// Why a projection could not be fitted. Per-series problems: callers turn them into a
/// `status`/`reason`, never a panic.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectionError {
    /// `years` and `values` have different lengths.
    LengthMismatch {
        /// Number of years.
        years: usize,
        /// Number of values.
        values: usize,
    },
    /// Too few observations for the method.
    TooFewPoints {
        /// Points the method needs.
        needed: usize,
        /// Points given.
        got: usize,
    },
    /// A year or value is NaN or infinite (position in the input).
    NonFinite {
        /// Index of the offending point.
        index: usize,
    },
    /// Years are not strictly increasing (position of the first offending year).
    Unsorted {
        /// Index of the offending point.
        index: usize,
    },
    /// A log scale was requested but a value is not above its shift (0 or the lower bound).
    NonPositive {
        /// Index of the offending point.
        index: usize,
    },
    /// A value lies outside the natural bounds.
    OutOfBounds {
        /// Index of the offending point.
        index: usize,
    },
    /// The spacing of the years cannot be put on a regular grid (gaps that are not multiples of
    /// the smallest gap, or a grid of more than 10 000 steps), needed by exponential smoothing
    /// and theta.
    IrregularUnsupported,
    /// An option is invalid (bounds with `lower >= upper`, recency weight outside (0, 1], …).
    InvalidOption(&'static str),
    /// The numerical fit failed (degenerate data).
    FitFailed(&'static str),
}

impl fmt::Display for ProjectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LengthMismatch { years, values } => {
                write!(f, "{years} years but {values} values")
            }
            Self::TooFewPoints { needed, got } => {
                write!(f, "too few points: needs {needed}, got {got}")
            }
            Self::NonFinite { index } => write!(f, "non-finite year or value at position {index}"),
            Self::Unsorted { index } => {
                write!(f, "years not strictly increasing at position {index}")
            }
            Self::NonPositive { index } => write!(
                f,
                "value at position {index} is not above the log-scale shift (0 or lower bound)"
            ),
            Self::OutOfBounds { index } => {
                write!(
                    f,
                    "value at position {index} lies outside the natural bounds"
                )
            }
            Self::IrregularUnsupported => write!(
                f,
                "years cannot be put on a regular grid (gaps not multiples of the smallest gap)"
            ),
            Self::InvalidOption(what) => write!(f, "invalid option: {what}"),
            Self::FitFailed(what) => write!(f, "fit failed: {what}"),
        }
    }
}

impl std::error::Error for ProjectionError {}
