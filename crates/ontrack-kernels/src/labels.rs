//! The methods' own class labels, all in one place.
//!
//! Every label any named method (or ontrack's assessment around it) can give is a variant of
//! [`Label`], so the full vocabulary is known before anything runs: result frames declare it
//! as the categories of an `Enum` column, and a label no list names cannot be written.

use std::fmt;

/// Declares [`Label`] with its snake-case names, in one list.
macro_rules! labels {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// A method's own class label (`method_status` in result frames).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Label {
            $($(#[$doc])* $variant,)*
        }

        impl Label {
            /// Every label, in the order of the result frames' categories.
            pub const ALL: &'static [Label] = &[$(Label::$variant,)*];

            /// The snake-case name used in result frames.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Label::$variant => $name,)*
                }
            }
        }
    };
}

labels! {
    /// The target is met (every method).
    TargetAchieved => "target_achieved",
    /// Not enough data to assess (every method).
    InsufficientData => "insufficient_data",
    /// Open SDG, UNSD: the top class.
    SubstantialProgress => "substantial_progress",
    /// UNSD 2017–2022: the second class.
    FairProgress => "fair_progress",
    /// Open SDG, Eurostat: the second class.
    ModerateProgress => "moderate_progress",
    /// Open SDG, UNSD: the third class.
    LimitedProgress => "limited_progress",
    /// Open SDG, UNSD: moving away from the target.
    Deterioration => "deterioration",
    /// UNSD 2023+, SDSN: on track.
    OnTrack => "on_track",
    /// UNSD 2023+: stagnation or regression.
    StagnationOrRegression => "stagnation_or_regression",
    /// Eurostat: significant progress.
    SignificantProgress => "significant_progress",
    /// Eurostat (with a target): insufficient progress.
    InsufficientProgress => "insufficient_progress",
    /// Eurostat (with a target): movement away.
    MovementAway => "movement_away",
    /// Eurostat (without a target): moderate movement away.
    ModerateMovementAway => "moderate_movement_away",
    /// Eurostat (without a target): significant movement away.
    SignificantMovementAway => "significant_movement_away",
    /// ESCAP: maintain progress.
    MaintainProgress => "maintain_progress",
    /// ESCAP: accelerate progress.
    AccelerateProgress => "accelerate_progress",
    /// ESCAP: reverse the trend.
    ReverseTrend => "reverse_trend",
    /// SDSN: target achieved but the score is falling.
    Decreasing => "decreasing",
    /// SDSN: target achieved and the score is kept.
    MaintainingAchievement => "maintaining_achievement",
    /// SDSN: moderately improving.
    ModeratelyImproving => "moderately_improving",
    /// SDSN: stagnating.
    Stagnating => "stagnating",
    /// Destatis: sun.
    Sun => "sun",
    /// Destatis: sun with cloud.
    SunWithCloud => "sun_with_cloud",
    /// Destatis: cloud.
    Cloud => "cloud",
    /// Destatis: thunderstorm.
    Thunderstorm => "thunderstorm",
    /// WHO AARR: projected to meet the target.
    ProjectedToMeetTarget => "projected_to_meet_target",
    /// WHO AARR: projected short of the target.
    ProjectedShortOfTarget => "projected_short_of_target",
    /// WHO AARR: projected away from the target.
    ProjectedAwayFromTarget => "projected_away_from_target",
    /// WHO AARR: no change.
    NoChange => "no_change",
    /// China plan: ahead of the time schedule.
    AheadOfSchedule => "ahead_of_schedule",
    /// China plan: behind the time schedule.
    BehindSchedule => "behind_schedule",
    /// China plan: moving backwards.
    MovingBackwards => "moving_backwards",
    /// A binary milestone done.
    MilestoneDone => "milestone_done",
    /// A binary milestone not done by its deadline.
    MilestoneMissed => "milestone_missed",
    /// A binary milestone not done yet, before its deadline.
    MilestonePending => "milestone_pending",
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case() {
        let mut names: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
        assert!(names
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')));
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "a label is listed twice");
    }

    #[test]
    fn all_follows_declaration_order() {
        assert_eq!(Label::ALL.first(), Some(&Label::TargetAchieved));
        assert_eq!(Label::ALL.get(1), Some(&Label::InsufficientData));
        assert_eq!(Label::TargetAchieved, "target_achieved");
        assert_eq!(Label::Sun.to_string(), "sun");
    }
}
