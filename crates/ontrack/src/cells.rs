//! The numeric columns of a panel (periods as decimal years, values with NaN for missing),
//! read in place from the input's own buffers where that is possible.
//!
//! Observations usually arrive grouped by series and ordered by period. Their periods are
//! then read straight from an integer year column and their values straight from a float
//! column (a null read as NaN), one series at a time into a small buffer that stays in the
//! processor's cache, instead of being copied into two vectors as long as the input first:
//! at a million series of twenty years that copy is 300 MB of fresh memory, written once
//! and read once.

use std::ops::Range;

use polars::prelude::*;

/// A numeric column in panel order.
#[derive(Clone)]
pub(crate) enum Cells {
    /// Decimal years or values, NaN = missing.
    Owned(Vec<f64>),
    /// A float column as given; a null is a missing value (NaN).
    Floats(InPlace<Float64Type>),
    /// An integer year column as given (without nulls).
    Years(InPlace<Int64Type>),
}

/// A column of the input with where each of its chunks starts.
#[derive(Clone)]
pub(crate) struct InPlace<T: PolarsNumericType> {
    column: ChunkedArray<T>,
    starts: Vec<usize>,
}

impl<T: PolarsNumericType> InPlace<T> {
    pub(crate) fn new(column: ChunkedArray<T>) -> Self {
        let mut starts = Vec::with_capacity(column.chunks().len());
        let mut start = 0;
        for arr in column.downcast_iter() {
            starts.push(start);
            start += arr.len();
        }
        Self { column, starts }
    }

    /// Append rows `range` to `out`, converted by `convert`, a null as NaN.
    fn extend(&self, range: Range<usize>, out: &mut Vec<f64>, convert: impl Fn(T::Native) -> f64) {
        let mut chunk = self
            .starts
            .partition_point(|&s| s <= range.start)
            .saturating_sub(1);
        let mut row = range.start;
        while row < range.end {
            let (Some(arr), Some(&start)) =
                (self.column.downcast_get(chunk), self.starts.get(chunk))
            else {
                break;
            };
            let local = row - start;
            let take = (range.end - row).min(arr.len().saturating_sub(local));
            let Some(values) = arr.values().get(local..local + take) else {
                break;
            };
            let first = out.len();
            out.extend(values.iter().map(|&v| convert(v)));
            // Nulls are rare: the bits of the range are counted (a few bytes) before any is
            // read one by one.
            if let Some(valid) = arr
                .validity()
                .filter(|v| v.null_count_range(local, take) > 0)
            {
                for (i, slot) in out.iter_mut().skip(first).enumerate() {
                    // `local + i` is inside the chunk, and so inside its validity.
                    if !valid.get_bit(local + i) {
                        *slot = f64::NAN;
                    }
                }
            }
            // An empty chunk takes nothing: go on to the next.
            row += take;
            chunk += 1;
        }
    }
}

/// Integer years as decimal years.
#[allow(clippy::cast_precision_loss)] // years are far inside the exact range of f64
fn year(y: i64) -> f64 {
    y as f64
}

impl Cells {
    /// Rows `range`: borrowed when owned, otherwise read into `buf`.
    pub(crate) fn range<'s>(&'s self, range: Range<usize>, buf: &'s mut Vec<f64>) -> &'s [f64] {
        match self {
            Self::Owned(v) => v.get(range).unwrap_or(&[]),
            Self::Floats(c) => {
                buf.clear();
                c.extend(range, buf, |v| v);
                buf
            }
            Self::Years(c) => {
                buf.clear();
                c.extend(range, buf, year);
                buf
            }
        }
    }

    /// Every row, as a vector (the vector itself when owned).
    pub(crate) fn into_vec(self) -> Vec<f64> {
        match self {
            Self::Owned(v) => v,
            other => other.to_vec(),
        }
    }

    /// Every row, as a vector.
    pub(crate) fn to_vec(&self) -> Vec<f64> {
        let mut out = Vec::new();
        match self {
            Self::Owned(v) => out.clone_from(v),
            Self::Floats(c) => c.extend(0..c.column.len(), &mut out, |v| v),
            Self::Years(c) => c.extend(0..c.column.len(), &mut out, year),
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)] // a failing test may panic
mod tests {
    use super::*;

    /// Three chunks, nulls in the second, read across chunk boundaries.
    #[test]
    fn reads_ranges_across_chunks_with_nulls_as_nan() {
        let mut ca = Float64Chunked::from_vec("v".into(), vec![1.0, 2.0]);
        ca.append(&Float64Chunked::from_iter_options(
            "v".into(),
            [Some(3.0), None, Some(5.0)].into_iter(),
        ))
        .unwrap();
        ca.append(&Float64Chunked::from_vec("v".into(), vec![6.0, f64::NAN]))
            .unwrap();
        assert_eq!(ca.chunks().len(), 3);
        let cells = Cells::Floats(InPlace::new(ca));
        let mut buf = Vec::new();
        let got = cells.range(1..6, &mut buf).to_vec();
        assert_eq!(got.len(), 5);
        assert_eq!(&got[..2], &[2.0, 3.0]);
        assert!(got[2].is_nan());
        assert_eq!(&got[3..], &[5.0, 6.0]);
        assert!(cells.range(6..7, &mut buf)[0].is_nan());
        assert!(cells.range(3..3, &mut buf).is_empty());
        assert_eq!(cells.to_vec().len(), 7);

        let mut years = Int64Chunked::from_vec("y".into(), vec![2000, 2001]);
        years
            .append(&Int64Chunked::from_vec("y".into(), vec![2002]))
            .unwrap();
        let years = Cells::Years(InPlace::new(years));
        assert_eq!(years.range(1..3, &mut buf), &[2001.0, 2002.0]);
        assert_eq!(years.to_vec(), vec![2000.0, 2001.0, 2002.0]);
    }
}
