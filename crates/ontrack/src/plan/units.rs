//! Units of plan files: the one unit table of the crate ([`crate::units`]), which the Python
//! package reads too, so a plan file and a table of reported values understand the same units.

pub use crate::units::{known_units, lookup_unit, Unit, UnitDimension, UNITS};
