//! Small shared vocabulary: which way is better, and the unified status.

use std::fmt;
use std::str::FromStr;

/// Which way an indicator should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Higher is better (e.g. R&D spending).
    Increase,
    /// Lower is better (e.g. under-5 mortality).
    Decrease,
}

impl Direction {
    /// Both directions.
    pub const ALL: [Self; 2] = [Self::Increase, Self::Decrease];

    /// `+1.0` for [`Direction::Increase`], `-1.0` for [`Direction::Decrease`] (the `d` of the
    /// formulas in docs/methods.md).
    #[must_use]
    pub fn sign(self) -> f64 {
        match self {
            Self::Increase => 1.0,
            Self::Decrease => -1.0,
        }
    }

    /// The opposite direction.
    #[must_use]
    pub fn flipped(self) -> Self {
        match self {
            Self::Increase => Self::Decrease,
            Self::Decrease => Self::Increase,
        }
    }

    /// The lower-case name used in frames and plan files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Increase => "increase",
            Self::Decrease => "decrease",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Case-insensitive without allocating: a million targets parse a direction each.
        let t = s.trim();
        let any = |names: &[&str]| names.iter().any(|n| t.eq_ignore_ascii_case(n));
        if any(&["increase", "up", "higher", "+"]) {
            Ok(Self::Increase)
        } else if any(&["decrease", "down", "lower", "-"]) {
            Ok(Self::Decrease)
        } else {
            Err(format!(
                "unknown direction {:?}; expected \"increase\" or \"decrease\"",
                t.to_ascii_lowercase()
            ))
        }
    }
}

/// Whether `value` meets `target` in `direction`.
///
/// `strict` is "exceeds / more than" (`>` for an increase target), otherwise "reaches / at
/// least" (`>=`). Any non-finite input does not meet the target.
#[must_use]
pub fn meets(value: f64, target: f64, direction: Direction, strict: bool) -> bool {
    if !value.is_finite() || !target.is_finite() {
        return false;
    }
    match (direction, strict) {
        (Direction::Increase, true) => value > target,
        (Direction::Increase, false) => value >= target,
        (Direction::Decrease, true) => value < target,
        (Direction::Decrease, false) => value <= target,
    }
}

/// The unified status vocabulary shared by every method (docs/data-contract.md#statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// The target is met.
    Achieved,
    /// Progress at the current pace meets the target in time.
    OnTrack,
    /// Moving the right way, but too slowly.
    NeedsAcceleration,
    /// Little or no progress.
    OffTrack,
    /// Moving the wrong way.
    Regressing,
    /// Not enough data to assess (see `reason`).
    InsufficientData,
}

impl Status {
    /// Every status, best first.
    pub const ALL: [Self; 6] = [
        Self::Achieved,
        Self::OnTrack,
        Self::NeedsAcceleration,
        Self::OffTrack,
        Self::Regressing,
        Self::InsufficientData,
    ];

    /// The snake-case name used in result frames.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Achieved => "achieved",
            Self::OnTrack => "on_track",
            Self::NeedsAcceleration => "needs_acceleration",
            Self::OffTrack => "off_track",
            Self::Regressing => "regressing",
            Self::InsufficientData => "insufficient_data",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strictness_is_respected_at_equality() {
        assert!(!meets(40.0, 40.0, Direction::Increase, true));
        assert!(meets(40.0, 40.0, Direction::Increase, false));
        assert!(!meets(5.0, 5.0, Direction::Decrease, true));
        assert!(meets(5.0, 5.0, Direction::Decrease, false));
        assert!(!meets(f64::NAN, 5.0, Direction::Decrease, false));
    }

    #[test]
    fn direction_parses() {
        assert_eq!("Increase".parse::<Direction>(), Ok(Direction::Increase));
        assert!("sideways".parse::<Direction>().is_err());
    }
}
