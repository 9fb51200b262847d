//! The unit table of plan files and unit lookup: a unit label → its dimension and its
//! multiplier to the dimension's base unit.

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

/// One entry of the unit table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// The canonical name (`percent` → `%`).
    pub name: &'static str,
    /// What it measures.
    pub dimension: UnitDimension,
    /// Multiplier to the base unit of the dimension (亿元 = 1e8).
    pub scale: f64,
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
}

const fn unit(name: &'static str, dimension: UnitDimension, scale: f64) -> Unit {
    Unit {
        name,
        dimension,
        scale,
    }
}

/// The built-in unit table: (spelling, unit). Shares (`%`, `‰`) have scale 1: they are
/// compared in their own unit, never converted to fractions.
pub const UNITS: &[(&str, Unit)] = &[
    ("亿元", unit("亿元", UnitDimension::Money, 1e8)),
    ("万元", unit("万元", UnitDimension::Money, 1e4)),
    ("元", unit("元", UnitDimension::Money, 1.0)),
    ("yuan", unit("元", UnitDimension::Money, 1.0)),
    ("亿", unit("亿", UnitDimension::Count, 1e8)),
    ("万", unit("万", UnitDimension::Count, 1e4)),
    ("千", unit("千", UnitDimension::Count, 1e3)),
    ("%", unit("%", UnitDimension::Share, 1.0)),
    ("percent", unit("%", UnitDimension::Share, 1.0)),
    ("‰", unit("‰", UnitDimension::Share, 1.0)),
    ("permille", unit("‰", UnitDimension::Share, 1.0)),
    ("个", unit("个", UnitDimension::Count, 1.0)),
    ("家", unit("家", UnitDimension::Count, 1.0)),
    ("项", unit("项", UnitDimension::Count, 1.0)),
    ("人", unit("人", UnitDimension::Count, 1.0)),
    ("次", unit("次", UnitDimension::Count, 1.0)),
    ("件", unit("件", UnitDimension::Count, 1.0)),
    ("所", unit("所", UnitDimension::Count, 1.0)),
    ("座", unit("座", UnitDimension::Count, 1.0)),
    ("名", unit("名", UnitDimension::Count, 1.0)),
    ("台", unit("台", UnitDimension::Count, 1.0)),
    ("户", unit("户", UnitDimension::Count, 1.0)),
    ("count", unit("count", UnitDimension::Count, 1.0)),
];

/// Look a unit up in [`UNITS`]. Surrounding spaces are ignored, English names are
/// case-insensitive, and a data-style label with the unit in parentheses
/// (`100 million yuan (亿元)`) resolves to the unit inside them.
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

/// The spellings of [`UNITS`], for messages.
pub(super) fn known_units() -> String {
    let mut names: Vec<&str> = Vec::new();
    for (spelling, _) in UNITS {
        if !names.contains(spelling) {
            names.push(spelling);
        }
    }
    names.join(" ")
}
