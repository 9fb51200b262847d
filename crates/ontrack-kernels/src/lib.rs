//! Numerical kernels of ontrack.
//!
//! Everything here works on plain slices (`&[f64]` years, `&[f64]` values) and knows nothing of
//! polars or Python, so it builds and tests in seconds. The frame-level crate `ontrack` groups
//! series, calls these kernels on contiguous slices and assembles result frames.

pub mod growth;
pub mod labels;
pub mod methods;
pub mod projection;
pub mod trend;
pub mod types;

pub use labels::Label;
pub use types::{Direction, Status};
