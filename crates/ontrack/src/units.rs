//! The unit table: every unit label ontrack understands, in plan files and in reported data.
//!
//! One table serves the plan reader (a target's `unit` gives its scale and is checked against
//! its values) and Python's reported-values tools (`ontrack.reported`: the `scale` of an
//! observation, and whether an observation can be compared with its target). A label is
//! looked up by [`lookup_unit`]: surrounding spaces are ignored, English names are
//! case-insensitive, and a data-style label with the unit in parentheses
//! (`100 million yuan (亿元)`) resolves to the unit inside them.

/// What a unit measures; values of different dimensions never compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitDimension {
    /// Money (base unit: 元, yuan).
    Money,
    /// Counts of things (base unit: one item).
    Count,
    /// A share in its own unit (`%`, `‰`).
    Share,
}

impl UnitDimension {
    /// Every dimension.
    pub const ALL: [Self; 3] = [Self::Money, Self::Count, Self::Share];

    /// The lower-case name (`money`, `count`, `share`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Money => "money",
            Self::Count => "count",
            Self::Share => "share",
        }
    }
}

/// One entry of the unit table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// The canonical name (`percent` → `%`, `yuan` → `元`).
    pub name: &'static str,
    /// What it measures.
    pub dimension: UnitDimension,
    /// Multiplier to the base unit of the dimension (亿元 = 1e8). Shares have scale 1: they
    /// are compared in their own unit, never converted to fractions.
    pub scale: f64,
    /// The unit in ASCII English, for chart text on machines without a CJK font
    /// (`亿元` → `100 million yuan`).
    pub english: &'static str,
}

impl Unit {
    /// For a share unit, the largest value it can take (100 for `%`, 1000 for `‰`).
    #[must_use]
    pub fn share_max(&self) -> Option<f64> {
        match (self.dimension, self.name) {
            (UnitDimension::Share, "‰") => Some(1000.0),
            (UnitDimension::Share, _) => Some(100.0),
            _ => None,
        }
    }

    /// Whether values in `self` can be compared with values in `other` after scaling:
    /// the same dimension, and for shares the same unit (`%` and `‰` both have scale 1, so
    /// a value in one is not a value in the other).
    ///
    /// ```
    /// use ontrack::units::lookup_unit;
    /// let unit = |s| lookup_unit(s).unwrap();
    /// assert!(unit("亿元").comparable(&unit("yuan")));
    /// assert!(!unit("%").comparable(&unit("‰")));
    /// assert!(!unit("%").comparable(&unit("万元")));
    /// ```
    #[must_use]
    pub fn comparable(&self, other: &Self) -> bool {
        self.dimension == other.dimension
            && (self.dimension != UnitDimension::Share || self.name == other.name)
    }
}

const fn unit(
    name: &'static str,
    dimension: UnitDimension,
    scale: f64,
    english: &'static str,
) -> Unit {
    Unit {
        name,
        dimension,
        scale,
        english,
    }
}

const fn count(name: &'static str) -> Unit {
    unit(name, UnitDimension::Count, 1.0, "count")
}

/// The unit table: (spelling, unit). English spellings are lower case (see [`lookup_unit`]).
pub const UNITS: &[(&str, Unit)] = &[
    (
        "亿元",
        unit("亿元", UnitDimension::Money, 1e8, "100 million yuan"),
    ),
    (
        "万元",
        unit("万元", UnitDimension::Money, 1e4, "10,000 yuan"),
    ),
    ("元", unit("元", UnitDimension::Money, 1.0, "yuan")),
    ("yuan", unit("元", UnitDimension::Money, 1.0, "yuan")),
    ("亿", unit("亿", UnitDimension::Count, 1e8, "100 million")),
    ("万", unit("万", UnitDimension::Count, 1e4, "10,000")),
    ("千", unit("千", UnitDimension::Count, 1e3, "thousand")),
    ("%", unit("%", UnitDimension::Share, 1.0, "%")),
    ("percent", unit("%", UnitDimension::Share, 1.0, "%")),
    ("‰", unit("‰", UnitDimension::Share, 1.0, "per mille")),
    (
        "permille",
        unit("‰", UnitDimension::Share, 1.0, "per mille"),
    ),
    ("个", count("个")),
    ("家", count("家")),
    ("项", count("项")),
    ("人", count("人")),
    ("次", count("次")),
    ("件", count("件")),
    ("所", count("所")),
    ("座", count("座")),
    ("名", count("名")),
    ("台", count("台")),
    ("户", count("户")),
    ("count", count("count")),
    ("enterprises", count("enterprises")),
    ("platforms", count("platforms")),
    ("bases", count("bases")),
    ("units", count("units")),
    ("patents", count("patents")),
];

/// Look a unit up in [`UNITS`]. Surrounding spaces are ignored, English names are
/// case-insensitive, and a data-style label with the unit in parentheses
/// (`100 million yuan (亿元)`) resolves to the unit inside them.
///
/// ```
/// use ontrack::units::{lookup_unit, UnitDimension};
/// assert_eq!(lookup_unit(" Percent ").unwrap().name, "%");
/// assert_eq!(lookup_unit("100 million yuan (亿元)").unwrap().scale, 1e8);
/// assert_eq!(lookup_unit("‰").unwrap().dimension, UnitDimension::Share);
/// assert!(lookup_unit("score").is_none());
/// ```
#[must_use]
pub fn lookup_unit(label: &str) -> Option<Unit> {
    let label = label.trim();
    let find = |s: &str| {
        let lower = s.to_lowercase();
        UNITS
            .iter()
            .find(|(spelling, _)| *spelling == s || *spelling == lower)
            .map(|(_, u)| *u)
    };
    find(label).or_else(|| {
        let inner = label
            .strip_suffix(')')
            .or_else(|| label.strip_suffix('）'))?;
        let open = inner.rfind(['(', '（'])?;
        let inside = inner.get(open..)?.trim_start_matches(['(', '（']);
        find(inside.trim())
    })
}

/// Every spelling of the table, once each, space-separated (for messages).
#[must_use]
pub fn known_units() -> String {
    let mut names: Vec<&str> = Vec::new();
    for (spelling, _) in UNITS {
        if !names.contains(spelling) {
            names.push(spelling);
        }
    }
    names.join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_finds_its_own_entry_and_english_spellings_are_lower_case() {
        for (spelling, unit) in UNITS {
            assert_eq!(lookup_unit(spelling), Some(*unit), "{spelling}");
            assert_eq!(*spelling, spelling.to_lowercase());
            assert!(unit.english.is_ascii(), "{spelling}");
            assert!(unit.scale > 0.0);
        }
        let mut spellings: Vec<&str> = UNITS.iter().map(|(s, _)| *s).collect();
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(spellings.len(), UNITS.len(), "a spelling is listed twice");
    }

    #[test]
    fn labels_are_trimmed_lower_cased_and_read_inside_parentheses() {
        assert_eq!(lookup_unit("  YUAN ").map(|u| u.name), Some("元"));
        assert_eq!(
            lookup_unit("Enterprises").map(|u| u.name),
            Some("enterprises")
        );
        assert_eq!(lookup_unit("10k yuan（万元）").map(|u| u.scale), Some(1e4));
        assert_eq!(lookup_unit("percent (lower bound)"), None);
        assert_eq!(lookup_unit(""), None);
        assert_eq!(lookup_unit("(%)").map(|u| u.name), Some("%"));
    }

    #[test]
    fn shares_compare_only_in_the_same_unit() {
        let get = |s: &str| lookup_unit(s).unwrap_or_else(|| panic!("{s}"));
        assert!(get("percent").comparable(&get("%")));
        assert!(!get("‰").comparable(&get("%")));
        assert!(get("个").comparable(&get("万")));
        assert!(!get("个").comparable(&get("元")));
        assert_eq!(get("‰").share_max(), Some(1000.0));
        assert_eq!(get("%").share_max(), Some(100.0));
        assert_eq!(get("亿元").share_max(), None);
    }
}
