//! The observations, validated, sorted once and cut into contiguous series.
//!
//! Rows are grouped by (indicator, keys…) and ordered by period inside each group, so every
//! kernel sees one series as a pair of contiguous slices. Input that is already grouped and
//! sorted (the usual case) is recognised in one pass over the rows and costs no sort and no
//! copy: series boundaries are where a key differs from the previous row, and only the first
//! row of each run is hashed. Each key column is then gathered to one value per series.

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::OnceLock;

use hashbrown::{DefaultHashBuilder, HashTable};
use polars::prelude::*;
use polars_arrow::array::Utf8ViewArray;
use rayon::prelude::*;

use crate::calendar::{format_period, PeriodKind};
use crate::cells::{Cells, InPlace};
use crate::error::{Frame, OntrackError, Result};
use crate::input::{float_column, floats, floats_nan, periods, require, string_column};
use crate::options::AssessOptions;

/// Observations cut into series.
#[derive(Clone)]
pub(crate) struct Panel {
    /// The key columns (the indicator first, then the `by` keys) cast to strings, one value
    /// per series.
    key_columns: Vec<KeyColumn>,
    /// The number of series.
    n_series: usize,
    /// Series ids by the hash of their key values: built while grouping when the input is
    /// not sorted by its keys, otherwise on the first lookup that needs it.
    index: OnceLock<HashTable<u32>>,
    hasher: DefaultHashBuilder,
    /// `offsets[g]..offsets[g + 1]` is series `g` in `years` / `values`.
    offsets: Vec<usize>,
    /// Periods as decimal years, sorted within each series.
    years: Cells,
    /// Values in base units when a scale column is given; NaN = missing (a null or a NaN
    /// in the input: both are missing values).
    values: Cells,
    /// How periods were given.
    pub period_kind: PeriodKind,
}

/// Buffers a series is read into when the panel reads the input in place (see
/// [`crate::cells`]); one per thread, reused from series to series.
#[derive(Default)]
pub(crate) struct SeriesBuf {
    years: Vec<f64>,
    values: Vec<f64>,
}

/// A key column cast to strings, one value per series: the series' values gathered from
/// the input column (Arrow string views: a value of up to 12 bytes is copied within its
/// view, a longer one stays in the input's buffers), so that reading the keys of series
/// after series reads consecutive memory.
#[derive(Clone)]
struct KeyColumn {
    /// One chunk, `values[g]` the value of series `g`.
    values: StringChunked,
    /// That chunk (none without series).
    array: Option<Utf8ViewArray>,
}

impl KeyColumn {
    /// `rows`: for each series, a row holding its key value, in increasing order (series
    /// are numbered in the order they first appear). Each input chunk gives the values of
    /// its rows by Arrow's gather of views, and the pieces are joined into one chunk.
    fn new(column: &StringChunked, rows: &[usize]) -> Result<Self> {
        let mut pieces = column.clear();
        let mut offset = 0;
        let mut rest = rows;
        for arr in column.downcast_iter() {
            let end = offset + arr.len();
            let here = rest.partition_point(|&r| r < end);
            let (mine, later) = rest.split_at(here);
            rest = later;
            let ids = mine
                .iter()
                .map(|&r| {
                    r.checked_sub(offset)
                        .and_then(|r| IdxSize::try_from(r).ok())
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    OntrackError::option("observations", "a chunk of over 4 billion rows")
                })?;
            if !ids.is_empty() {
                let chunk = StringChunked::with_chunk(column.name().clone(), arr.clone());
                pieces.append_owned(chunk.take(&IdxCa::from_vec(PlSmallStr::EMPTY, ids))?)?;
            }
            offset = end;
        }
        let values = pieces.rechunk().into_owned();
        let array = values.downcast_iter().next().cloned();
        Ok(Self { values, array })
    }

    /// The value of series `g` (`None` for a null).
    fn get(&self, g: usize) -> Option<&str> {
        self.array.as_ref().filter(|a| g < a.len())?.get(g)
    }

    /// The values of `series`, in that order.
    fn take(&self, series: &[IdxSize]) -> Result<StringChunked> {
        let ids = IdxCa::from_slice(PlSmallStr::EMPTY, series);
        Ok(self.values.take(&ids)?)
    }
}

/// The rows of `column` whose value differs from the previous row's, in increasing order.
///
/// Without nulls the string views are compared directly: equal views are equal strings,
/// and strings of up to 12 bytes live entirely in their view; only longer strings with the
/// same length and prefix are compared byte by byte.
fn changes(column: &StringChunked) -> Vec<usize> {
    let mut changed = Vec::new();
    let mut mark = |row: usize| changed.push(row);
    if column.null_count() > 0 {
        for (i, (a, b)) in column.iter().zip(column.iter().skip(1)).enumerate() {
            if a != b {
                mark(i + 1);
            }
        }
        return changed;
    }
    let mut offset = 0;
    let mut previous: Option<&str> = None;
    for arr in column.downcast_iter() {
        let len = arr.len();
        if len == 0 {
            continue;
        }
        if previous.is_some_and(|p| Some(p) != arr.get(0)) {
            mark(offset);
        }
        let views = arr.views();
        for (i, pair) in views.windows(2).enumerate() {
            let [a, b] = pair else { continue };
            let differ = a.as_u128() != b.as_u128()
                && (a.length != b.length
                    || a.length <= 12
                    || a.prefix != b.prefix
                    || arr.get(i) != arr.get(i + 1));
            if differ {
                mark(offset + i + 1);
            }
        }
        previous = arr.get(len - 1);
        offset += len;
    }
    changed
}

/// The union of two increasing lists, increasing.
fn merge_sorted(a: &[usize], b: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&&x), Some(&&y)) => {
                if x <= y {
                    a.next();
                }
                if y <= x {
                    b.next();
                }
                x.min(y)
            }
            (Some(&&x), None) => {
                a.next();
                x
            }
            (None, Some(&&y)) => {
                b.next();
                y
            }
            (None, None) => return out,
        };
        out.push(next);
    }
}

/// The hash of a key tuple, the same for rows of the panel and for lookups.
fn hash_key<'a>(hasher: &DefaultHashBuilder, parts: impl Iterator<Item = Option<&'a str>>) -> u64 {
    let mut h = hasher.build_hasher();
    for part in parts {
        part.hash(&mut h);
    }
    h.finish()
}

impl Panel {
    /// The number of series.
    pub fn len(&self) -> usize {
        self.n_series
    }

    /// Key `i` (0 = the indicator, then the `by` keys in order) of series `g`.
    pub fn key(&self, g: usize, i: usize) -> Option<&str> {
        self.key_columns.get(i)?.get(g)
    }

    /// Key column `i` (the indicator first) of each series in `series`, in that order.
    pub fn key_values(&self, i: usize, series: &[IdxSize]) -> Result<StringChunked> {
        match self.key_columns.get(i) {
            Some(column) => column.take(series),
            None => Ok(StringChunked::full_null(PlSmallStr::EMPTY, series.len())),
        }
    }

    /// The key values of series `g`, owned.
    pub fn owned_keys(&self, g: usize) -> Vec<Option<String>> {
        (0..self.key_columns.len())
            .map(|i| self.key(g, i).map(str::to_string))
            .collect()
    }

    fn is_series(&self, g: usize, key: &[Option<&str>]) -> bool {
        g < self.len()
            && key
                .iter()
                .enumerate()
                .all(|(i, want)| self.key(g, i) == *want)
    }

    /// The series whose key values are exactly `key` (the indicator first), if any. `hint`
    /// is checked first: targets listed in the order of the series find theirs without
    /// hashing.
    pub fn find(&self, key: &[Option<&str>], hint: usize) -> Option<usize> {
        if key.len() != self.key_columns.len() {
            return None;
        }
        if self.is_series(hint, key) {
            return Some(hint);
        }
        let index = self.index.get_or_init(|| {
            let mut index = HashTable::with_capacity(self.len());
            for g in 0..self.len() {
                let hash = hash_key(&self.hasher, (0..key.len()).map(|i| self.key(g, i)));
                if let Ok(id) = u32::try_from(g) {
                    index.insert_unique(hash, id, |&h| {
                        hash_key(
                            &self.hasher,
                            (0..key.len()).map(|i| self.key(h as usize, i)),
                        )
                    });
                }
            }
            index
        });
        let hash = hash_key(&self.hasher, key.iter().copied());
        index
            .find(hash, |&g| self.is_series(g as usize, key))
            .map(|&g| g as usize)
    }

    /// The same panel without the last non-missing value of every series (for
    /// leave-latest-out checks).
    pub fn without_latest(&self) -> Self {
        let mut values = self.values.to_vec();
        for g in 0..self.len() {
            let (start, end) = self.bounds(g);
            if let Some(slot) = values
                .get_mut(start..end)
                .and_then(|vals| vals.iter_mut().rev().find(|v| !v.is_nan()))
            {
                *slot = f64::NAN;
            }
        }
        Self {
            values: Cells::Owned(values),
            ..self.clone()
        }
    }

    /// The rows of series `g`.
    fn bounds(&self, g: usize) -> (usize, usize) {
        let start = self.offsets.get(g).copied().unwrap_or(0);
        let end = self.offsets.get(g + 1).copied().unwrap_or(start);
        (start, end)
    }

    /// Series `g` as (years, values; NaN = missing), read into `buf` where the panel reads
    /// the input in place.
    pub fn series<'s>(&'s self, g: usize, buf: &'s mut SeriesBuf) -> (&'s [f64], &'s [f64]) {
        let (start, end) = self.bounds(g);
        let SeriesBuf { years, values } = buf;
        (
            self.years.range(start..end, years),
            self.values.range(start..end, values),
        )
    }

    /// Every period of every series, as decimal years in panel order.
    pub fn all_years(&self) -> Vec<f64> {
        self.years.to_vec()
    }

    /// Build the panel from the observations frame.
    pub fn build(df: &DataFrame, opts: &AssessOptions) -> Result<Self> {
        let n = df.height();
        let Observed {
            key_columns,
            kind,
            years,
            values,
        } = read_observations(df, opts)?;
        let runs = Runs::find(&key_columns, n)?;
        let hasher = DefaultHashBuilder::default();
        let index = OnceLock::new();
        let (first_run, run_group) = runs.group(&hasher, &index)?;
        let n_series = first_run.len();
        let (offsets, years, values) =
            runs.layout(&first_run, &run_group, (years, values), kind, opts)?;
        let offsets = if n_series == 0 { vec![0] } else { offsets };
        drop(key_columns);
        Ok(Self {
            key_columns: runs.series_keys(&first_run)?,
            n_series,
            index,
            hasher,
            offsets,
            years,
            values,
            period_kind: kind,
        })
    }
}

/// The observations' columns as the panel reads them.
struct Observed {
    /// The key columns, the indicator first, cast to strings.
    key_columns: Vec<StringChunked>,
    kind: PeriodKind,
    /// Periods as decimal years.
    years: Cells,
    /// Values in base units when a scale column is given, missing after `as_of`.
    values: Cells,
}

/// The observations' key columns, periods and values; a null indicator or period is an
/// error. Integer years and the values are read in place unless a scale column or `as_of`
/// changes the values.
fn read_observations(df: &DataFrame, opts: &AssessOptions) -> Result<Observed> {
    let frame = Frame::Observations;
    let indicator_col = require(df, frame, &opts.indicator)?;
    let period_col = require(df, frame, &opts.period)?;
    let value_col = require(df, frame, &opts.value)?;
    let mut key_cols = vec![indicator_col];
    for k in &opts.by {
        key_cols.push(require(df, frame, k)?);
    }
    let key_columns: Vec<StringChunked> = key_cols
        .iter()
        .map(|c| Ok(string_column(c, frame)?.str()?.clone()))
        .collect::<Result<_>>()?;
    let in_place = opts.scale.is_none() && opts.as_of.is_none();
    let (period, values) = rayon::join(
        || period_cells(period_col, frame),
        || value_cells(value_col, frame, in_place),
    );
    let ((kind, years), values) = (period?, values?);
    let values = if in_place {
        values
    } else {
        Cells::Owned(adjusted_values(df, opts, values.into_vec(), &years)?)
    };

    // Null indicators and periods cannot be placed in any series: an error, not a drop.
    if let Some(indicators) = key_columns.first().filter(|c| c.null_count() > 0) {
        let row = indicators.iter().position(|v| v.is_none()).unwrap_or(0);
        return Err(OntrackError::NullValue {
            frame,
            column: opts.indicator.clone(),
            row,
            what: "every observation needs an indicator".into(),
        });
    }
    if let Cells::Owned(ys) = &years {
        if let Some(row) = ys.iter().position(|y| y.is_nan()) {
            return Err(OntrackError::NullValue {
                frame,
                column: opts.period.clone(),
                row,
                what: "every observation needs a period".into(),
            });
        }
    }
    Ok(Observed {
        key_columns,
        kind,
        years,
        values,
    })
}

/// The period column: integer years without nulls in place, anything else as decimal years
/// (NaN for a null).
fn period_cells(col: &Column, frame: Frame) -> Result<(PeriodKind, Cells)> {
    if col.dtype().is_integer() && col.null_count() == 0 {
        let cast = col.cast(&DataType::Int64)?;
        return Ok((
            PeriodKind::Year,
            Cells::Years(InPlace::new(cast.i64()?.clone())),
        ));
    }
    let p = periods(col, frame)?;
    Ok((p.kind, Cells::Owned(p.years)))
}

/// The value column: in place as floats, or as a vector to be adjusted.
fn value_cells(col: &Column, frame: Frame, in_place: bool) -> Result<Cells> {
    Ok(if in_place {
        Cells::Floats(InPlace::new(float_column(col, frame)?))
    } else {
        Cells::Owned(floats_nan(col, frame)?)
    })
}

/// The values in base units when a scale column is given, and missing after `as_of`.
fn adjusted_values(
    df: &DataFrame,
    opts: &AssessOptions,
    mut values: Vec<f64>,
    years: &Cells,
) -> Result<Vec<f64>> {
    let frame = Frame::Observations;
    if let Some(scale_name) = &opts.scale {
        let scale = floats(require(df, frame, scale_name)?, frame)?;
        for (row, (v, s)) in values.iter_mut().zip(&scale).enumerate() {
            match s {
                Some(s) if s.is_finite() && *s > 0.0 => *v *= s,
                _ if v.is_nan() => {}
                _ => {
                    return Err(OntrackError::NullValue {
                        frame,
                        column: scale_name.clone(),
                        row,
                        what: "a value needs a positive scale".into(),
                    })
                }
            }
        }
    }
    if let Some(as_of) = opts.as_of {
        let mut buf = Vec::new();
        let years = years.range(0..values.len(), &mut buf);
        for (v, y) in values.iter_mut().zip(years) {
            if *y > as_of {
                *v = f64::NAN;
            }
        }
    }
    Ok(values)
}

/// Series offsets, years and values in panel order (see [`Panel`]).
type Layout = (Vec<usize>, Cells, Cells);

/// Runs: maximal stretches of consecutive rows with the same key values.
struct Runs {
    /// The first row of each run.
    starts: Vec<usize>,
    /// The key values of each run, one column per key column.
    values: Vec<KeyColumn>,
    /// The number of rows.
    n: usize,
}

impl Runs {
    /// The runs of `key_columns` (`n` rows): the rows where a key differs from the row
    /// before, found one key column per thread and merged.
    fn find(key_columns: &[StringChunked], n: usize) -> Result<Self> {
        let changes: Vec<Vec<usize>> = key_columns.par_iter().map(changes).collect();
        // A run starts at the first row and where any key changes.
        let mut starts: Vec<usize> = if n > 0 { vec![0] } else { Vec::new() };
        for column in &changes {
            starts = merge_sorted(&starts, column);
        }
        drop(changes);
        let values = key_columns
            .par_iter()
            .map(|c| KeyColumn::new(c, &starts))
            .collect::<Result<_>>()?;
        Ok(Self { starts, values, n })
    }

    /// The key values of run `run`.
    fn key(&self, run: usize) -> impl Iterator<Item = Option<&str>> + '_ {
        self.values.iter().map(move |c| c.get(run))
    }

    /// The key columns of the series whose first runs are `first_run` (increasing).
    fn series_keys(self, first_run: &[usize]) -> Result<Vec<KeyColumn>> {
        if first_run.len() == self.starts.len() {
            // Every run is a series of its own.
            return Ok(self.values);
        }
        self.values
            .par_iter()
            .map(|c| KeyColumn::new(&c.values, first_run))
            .collect()
    }

    /// The row after the last row of run `k`.
    fn end(&self, k: usize) -> usize {
        self.starts.get(k + 1).copied().unwrap_or(self.n)
    }

    /// The first run of each series, and the series of each run. Input sorted by its keys
    /// (each run's keys above the previous run's) has one run per series and needs no
    /// hashing; otherwise a run whose keys were seen before continues that series, and the
    /// hash table built on the way becomes the panel's `index`.
    fn group(
        &self,
        hasher: &DefaultHashBuilder,
        index: &OnceLock<HashTable<u32>>,
    ) -> Result<(Vec<usize>, Vec<u32>)> {
        let n_runs = self.starts.len();
        let too_many = |_| OntrackError::option("observations", "more than 4 billion series");
        let sorted_keys = (1..n_runs)
            .into_par_iter()
            .all(|run| self.key(run).gt(self.key(run - 1)));
        if sorted_keys {
            let ids = (0..n_runs)
                .map(u32::try_from)
                .collect::<std::result::Result<_, _>>()
                .map_err(too_many)?;
            return Ok(((0..n_runs).collect(), ids));
        }
        let mut table: HashTable<u32> = HashTable::with_capacity(n_runs);
        let mut first_run: Vec<usize> = Vec::with_capacity(n_runs);
        let mut run_group: Vec<u32> = Vec::with_capacity(n_runs);
        for run in 0..n_runs {
            let hash = hash_key(hasher, self.key(run));
            let same_keys = |g: &u32| {
                first_run
                    .get(*g as usize)
                    .is_some_and(|&r| self.key(r).eq(self.key(run)))
            };
            let g = match table.find(hash, same_keys) {
                Some(&g) => g,
                None => {
                    let g = u32::try_from(first_run.len()).map_err(too_many)?;
                    table.insert_unique(hash, g, |g| {
                        first_run
                            .get(*g as usize)
                            .map_or(0, |&r| hash_key(hasher, self.key(r)))
                    });
                    first_run.push(run);
                    g
                }
            };
            run_group.push(g);
        }
        let _ = index.set(table);
        Ok((first_run, run_group))
    }

    /// Offsets, years and values of the series in panel order. The usual layout (every
    /// series one run, periods strictly increasing within it) is kept as given; otherwise
    /// the rows are sorted by series and period.
    fn layout(
        &self,
        first_run: &[usize],
        run_group: &[u32],
        (years, values): (Cells, Cells),
        kind: PeriodKind,
        opts: &AssessOptions,
    ) -> Result<Layout> {
        let contiguous = first_run.len() == self.starts.len();
        let ordered = contiguous
            && (0..self.starts.len())
                .into_par_iter()
                .map_init(Vec::new, |buf, k| {
                    let start = self.starts.get(k).copied().unwrap_or(0);
                    years
                        .range(start..self.end(k), buf)
                        .windows(2)
                        .all(|w| matches!(w, [a, b] if a < b))
                })
                .all(|ok| ok);
        if ordered {
            let offsets = self
                .starts
                .iter()
                .copied()
                .chain(std::iter::once(self.n))
                .collect();
            return Ok((offsets, years, values));
        }
        let (offsets, years, values) = self.sorted(
            first_run,
            run_group,
            (&years.into_vec(), &values.into_vec()),
            kind,
            opts,
        )?;
        Ok((offsets, Cells::Owned(years), Cells::Owned(values)))
    }

    /// The rows sorted (stably) by series and period; a second row of one (series, period)
    /// is a [`OntrackError::DuplicateObservation`].
    fn sorted(
        &self,
        first_run: &[usize],
        run_group: &[u32],
        (years, values): (&[f64], &[f64]),
        kind: PeriodKind,
        opts: &AssessOptions,
    ) -> Result<(Vec<usize>, Vec<f64>, Vec<f64>)> {
        let n = self.n;
        let mut group_of: Vec<u32> = Vec::with_capacity(n);
        for (k, (&start, &g)) in self.starts.iter().zip(run_group).enumerate() {
            group_of.extend(std::iter::repeat_n(g, self.end(k) - start));
        }
        let mut order: Vec<usize> = (0..n).collect();
        // Stable: rows of one (series, period) keep their input order for the message.
        order.sort_by(|a, b| {
            group_of.get(*a).cmp(&group_of.get(*b)).then_with(|| {
                years
                    .get(*a)
                    .partial_cmp(&years.get(*b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
        });
        let mut offsets = Vec::with_capacity(first_run.len() + 1);
        let mut sorted_years = Vec::with_capacity(n);
        let mut sorted_values = Vec::with_capacity(n);
        let mut last: Option<(u32, f64, usize)> = None;
        for &row in &order {
            let (Some(&g), Some(&y)) = (group_of.get(row), years.get(row)) else {
                continue;
            };
            if let Some((lg, ly, lrow)) = last {
                if lg == g && ly == y {
                    let series = first_run
                        .get(g as usize)
                        .map(|&r| describe_series(self.key(r), opts))
                        .unwrap_or_default();
                    return Err(OntrackError::DuplicateObservation {
                        series,
                        period: format_period(y, kind),
                        first_row: lrow.min(row),
                        second_row: lrow.max(row),
                    });
                }
            }
            if last.is_none_or(|(lg, _, _)| lg != g) {
                offsets.push(sorted_years.len());
            }
            sorted_years.push(y);
            sorted_values.push(values.get(row).copied().unwrap_or(f64::NAN));
            last = Some((g, y, row));
        }
        offsets.push(sorted_years.len());
        Ok((offsets, sorted_years, sorted_values))
    }
}

/// `indicator=…, region=…` for messages.
pub(crate) fn describe_series<'a>(
    keys: impl Iterator<Item = Option<&'a str>>,
    opts: &AssessOptions,
) -> String {
    opts.key_columns()
        .zip(keys)
        .map(|(name, v)| format!("{name}={}", v.unwrap_or("null")))
        .collect::<Vec<_>>()
        .join(", ")
}
