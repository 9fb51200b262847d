//! The categorical columns of results.
//!
//! Statuses, method labels, method names, target kinds, directions, trend verdicts and
//! projection methods are vocabularies of the Rust core, known before anything runs. Result
//! columns of them are polars `Enum` columns with the vocabulary as categories: one byte a
//! cell instead of a string, the same categories in every result (results of different calls
//! concatenate), and sorting in the vocabulary's order (statuses best first) rather than the
//! alphabet's. The distributed engines store them as strings (see the type table of
//! `ontrack.distributed.types`).

use ontrack_kernels::projection::Method as ProjectionMethod;
use ontrack_kernels::trend::TrendVerdict;
use ontrack_kernels::{methods::Method, Direction, Label, Status};
use polars::prelude::*;

use crate::error::Result;
use crate::target::TargetKind;

/// A vocabulary: the categories of an `Enum` result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vocabulary {
    /// The unified statuses (`status`, `probabilistic_status`), best first.
    Status,
    /// Every named method's own class labels (`method_status`).
    Label,
    /// The named methods (`method` of `assess`).
    Method,
    /// The target kinds (`kind`).
    Kind,
    /// The directions (`direction`).
    Direction,
    /// The trend test's verdicts (`trend`).
    Trend,
    /// The projection methods (`projection_method` of `assess`, `method` of `project`).
    ProjectionMethod,
}

impl Vocabulary {
    /// The names of the categories, in order.
    #[must_use]
    pub fn names(self) -> Vec<&'static str> {
        match self {
            Self::Status => Status::ALL.iter().map(|s| s.as_str()).collect(),
            Self::Label => Label::ALL.iter().map(|l| l.as_str()).collect(),
            Self::Method => Method::NAMES.to_vec(),
            Self::Kind => TargetKind::ALL.iter().map(|k| k.as_str()).collect(),
            Self::Direction => Direction::ALL.iter().map(|d| d.as_str()).collect(),
            Self::Trend => TrendVerdict::ALL.iter().map(|t| t.as_str()).collect(),
            Self::ProjectionMethod => ProjectionMethod::ALL.iter().map(|m| m.as_str()).collect(),
        }
    }

    /// The `Enum` type of a column of this vocabulary.
    ///
    /// # Errors
    /// Never for the vocabularies of this crate (their names are unique and fewer than 255).
    pub fn dtype(self) -> Result<DataType> {
        let names = self.names();
        // Columns are written with one byte a cell, and the byte 255 stands for null.
        let fits = names.len() < usize::from(u8::MAX);
        let categories = FrozenCategories::new(names)?;
        let dtype = DataType::from_frozen_categories(categories);
        if fits && dtype.cat_physical()? == CategoricalPhysical::U8 {
            Ok(dtype)
        } else {
            Err(polars_err!(ComputeError: "the {self:?} vocabulary has 255 names or more").into())
        }
    }

    /// The category of `name`, if it is one of the vocabulary's.
    #[must_use]
    pub fn index(self, name: &str) -> Option<u8> {
        let position = match self {
            Self::Method => Method::NAMES.iter().position(|n| *n == name),
            Self::ProjectionMethod => ProjectionMethod::ALL
                .iter()
                .position(|m| m.as_str() == name),
            _ => self.names().iter().position(|n| *n == name),
        };
        position.and_then(|i| u8::try_from(i).ok())
    }
}

/// The category of a value in its vocabulary's list (`ALL`, in category order).
pub(crate) fn position<T: PartialEq>(all: &[T], value: &T) -> Option<u8> {
    all.iter()
        .position(|x| x == value)
        .and_then(|i| u8::try_from(i).ok())
}

/// An `Enum` column of `dtype` (from [`Vocabulary::dtype`]) from its categories.
pub(crate) fn enum_column(
    name: PlSmallStr,
    categories: ChunkedArray<UInt8Type>,
    dtype: DataType,
) -> Column {
    CategoricalChunked::<Categorical8Type>::from_cats_and_dtype(categories.with_name(name), dtype)
        .into_column()
}

/// An `Enum` column of `vocabulary` from each row's category.
pub(crate) fn enum_from(
    name: &str,
    vocabulary: Vocabulary,
    categories: impl Iterator<Item = Option<u8>>,
) -> Result<Column> {
    let categories = UInt8Chunked::from_iter_options(name.into(), categories);
    Ok(enum_column(name.into(), categories, vocabulary.dtype()?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const ALL: [Vocabulary; 7] = [
        Vocabulary::Status,
        Vocabulary::Label,
        Vocabulary::Method,
        Vocabulary::Kind,
        Vocabulary::Direction,
        Vocabulary::Trend,
        Vocabulary::ProjectionMethod,
    ];

    #[test]
    fn every_vocabulary_is_a_one_byte_enum_in_its_order() {
        for vocabulary in ALL {
            let dtype = vocabulary.dtype().unwrap();
            assert!(matches!(dtype, DataType::Enum(..)), "{vocabulary:?}");
            for (i, name) in vocabulary.names().iter().enumerate() {
                assert_eq!(vocabulary.index(name), Some(u8::try_from(i).unwrap()));
            }
            assert_eq!(vocabulary.index("no such name"), None);
        }
    }

    #[test]
    fn every_method_name_is_a_category() {
        for name in Method::NAMES {
            let method = Method::from_name(name).unwrap();
            assert!(Vocabulary::Method.index(method.name()).is_some(), "{name}");
        }
    }

    #[test]
    fn columns_read_back_as_their_names() {
        let dtype = Vocabulary::Status.dtype().unwrap();
        let cats =
            UInt8Chunked::from_iter_options("c".into(), [Some(1u8), None, Some(5)].into_iter());
        let column = enum_column("status".into(), cats, dtype);
        let text = column.cast(&DataType::String).unwrap();
        let text: Vec<Option<&str>> = text.str().unwrap().iter().collect();
        assert_eq!(text, [Some("on_track"), None, Some("insufficient_data")]);
    }
}
