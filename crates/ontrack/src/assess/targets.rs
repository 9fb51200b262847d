//! The targets of one assessment: validated specs (plan files, sensitivity passes) or the
//! columns of a targets frame, read the same way.

use std::borrow::Cow;

use compact_str::CompactString;
use ontrack_kernels::Direction;

use crate::target::{Detail, TargetKind, TargetSpec, TargetTable};

/// The targets of one assessment.
#[derive(Clone, Copy)]
pub(crate) enum Targets<'a> {
    /// Validated specs.
    Specs(&'a [TargetSpec]),
    /// A targets frame, validated and kept as columns: a spec is built only while its
    /// target is evaluated.
    Table(&'a TargetTable),
}

/// A text cell that is either borrowed or made for the occasion (a generated target id).
pub(super) enum Text<'a> {
    Borrowed(&'a str),
    Made(CompactString),
}

impl Text<'_> {
    pub(super) fn as_str(&self) -> &str {
        match self {
            Self::Borrowed(s) => s,
            Self::Made(s) => s.as_str(),
        }
    }
}

impl<'a> Targets<'a> {
    /// The number of targets.
    pub(super) fn len(self) -> usize {
        match self {
            Self::Specs(s) => s.len(),
            Self::Table(t) => t.len(),
        }
    }

    /// Target `t` as a spec.
    pub(super) fn spec(self, t: usize) -> Option<Cow<'a, TargetSpec>> {
        self.spec_with(t, Detail::Full)
    }

    /// Target `t` as a spec with what evaluating it reads (see [`Detail::Measured`]).
    pub(super) fn measured(self, t: usize) -> Option<Cow<'a, TargetSpec>> {
        self.spec_with(t, Detail::Measured)
    }

    fn spec_with(self, t: usize, detail: Detail) -> Option<Cow<'a, TargetSpec>> {
        match self {
            Self::Specs(s) => s.get(t).map(Cow::Borrowed),
            Self::Table(table) => (t < table.len())
                .then(|| table.build(t, detail).ok())
                .flatten()
                .map(Cow::Owned),
        }
    }

    pub(super) fn kind(self, t: usize) -> Option<TargetKind> {
        match self {
            Self::Specs(s) => s.get(t).map(|s| s.kind),
            Self::Table(table) => table.kind(t),
        }
    }

    pub(super) fn direction(self, t: usize) -> Option<Direction> {
        match self {
            Self::Specs(s) => s.get(t).map(|s| s.direction),
            Self::Table(table) => table.direction(t),
        }
    }

    pub(super) fn id(self, t: usize) -> Option<Text<'a>> {
        match self {
            Self::Specs(s) => s.get(t).map(|s| Text::Borrowed(s.id.as_str())),
            Self::Table(table) => (t < table.len()).then(|| Text::Made(table.id(t))),
        }
    }

    pub(super) fn indicator(self, t: usize) -> Option<&'a str> {
        match self {
            Self::Specs(s) => s.get(t).map(|s| s.indicator.as_str()),
            Self::Table(table) => table.indicator(t),
        }
    }

    /// The value target `t` names for the series key `name`, the `k`-th of `by` (`None`
    /// when it applies to every value of that key).
    pub(super) fn key(self, t: usize, k: usize, name: &str) -> Option<&'a str> {
        match self {
            Self::Specs(s) => s
                .get(t)
                .and_then(|s| s.keys.get(name))
                .and_then(|v| v.as_deref()),
            Self::Table(table) => table.key(t, k),
        }
    }

    pub(super) fn year(self, t: usize) -> Option<f64> {
        match self {
            Self::Specs(s) => s.get(t).and_then(|s| s.year),
            Self::Table(table) => table.year(t),
        }
    }

    pub(super) fn weight(self, t: usize) -> Option<f64> {
        match self {
            Self::Specs(s) => s.get(t).map(|s| s.weight),
            Self::Table(table) => (t < table.len()).then(|| table.weight(t)),
        }
    }

    /// The label, group and unit of target `t`.
    pub(super) fn texts(self, t: usize) -> [Option<&'a str>; 3] {
        match self {
            Self::Specs(s) => s.get(t).map_or([None; 3], |s| {
                [s.label.as_deref(), s.group.as_deref(), s.unit.as_deref()]
            }),
            Self::Table(table) => table.texts(t),
        }
    }
}
