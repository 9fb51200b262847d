//! The observations, validated, sorted once and cut into contiguous series.
//!
//! Rows are grouped by (indicator, keys…) and ordered by period inside each group, so every
//! kernel sees one series as a pair of contiguous slices. Input that is already grouped and
//! sorted (the usual case) is detected and costs no sort.

use std::collections::HashMap;

use polars::prelude::*;

use crate::columns::{days_from_decimal_year, floats, periods, require, string_column, PeriodKind};
use crate::error::{Frame, OntrackError, Result};
use crate::options::AssessOptions;

/// Observations cut into series.
#[derive(Clone)]
pub(crate) struct Panel {
    /// Key values of each series: the indicator first, then the `by` keys.
    pub keys: Vec<Vec<Option<String>>>,
    /// `offsets[g]..offsets[g + 1]` is series `g` in `years` / `values`.
    pub offsets: Vec<usize>,
    /// Periods as decimal years, sorted within each series.
    pub years: Vec<f64>,
    /// Values in base units when a scale column is given; `None` = missing.
    pub values: Vec<Option<f64>>,
    /// How periods were given.
    pub period_kind: PeriodKind,
}

impl Panel {
    /// The number of series.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The same panel without the last non-missing value of every series (for
    /// leave-latest-out checks).
    pub fn without_latest(&self) -> Self {
        let mut out = self.clone();
        for g in 0..self.len() {
            let start = self.offsets.get(g).copied().unwrap_or(0);
            let end = self.offsets.get(g + 1).copied().unwrap_or(start);
            if let Some(slot) = out
                .values
                .get_mut(start..end)
                .and_then(|vals| vals.iter_mut().rev().find(|v| v.is_some()))
            {
                *slot = None;
            }
        }
        out
    }

    /// Series `g` as (years, values).
    pub fn series(&self, g: usize) -> (&[f64], &[Option<f64>]) {
        let start = self.offsets.get(g).copied().unwrap_or(0);
        let end = self.offsets.get(g + 1).copied().unwrap_or(start);
        (
            self.years.get(start..end).unwrap_or(&[]),
            self.values.get(start..end).unwrap_or(&[]),
        )
    }

    /// Build the panel from the observations frame.
    pub fn build(df: &DataFrame, opts: &AssessOptions) -> Result<Self> {
        let frame = Frame::Observations;
        let n = df.height();
        let indicator_col = require(df, frame, &opts.indicator)?;
        let period_col = require(df, frame, &opts.period)?;
        let value_col = require(df, frame, &opts.value)?;
        let mut key_cols = vec![indicator_col];
        for k in &opts.by {
            key_cols.push(require(df, frame, k)?);
        }
        // Keys are borrowed from string-cast columns: no allocation per cell.
        let key_strings: Vec<Column> = key_cols
            .iter()
            .map(|c| string_column(c, frame))
            .collect::<Result<_>>()?;
        let key_values: Vec<Vec<Option<&str>>> = key_strings
            .iter()
            .map(|c| Ok(c.str()?.iter().collect()))
            .collect::<Result<_>>()?;
        let period = periods(period_col, frame)?;
        let mut values = floats(value_col, frame)?;
        if let Some(scale_name) = &opts.scale {
            let scale = floats(require(df, frame, scale_name)?, frame)?;
            for (row, (v, s)) in values.iter_mut().zip(&scale).enumerate() {
                match s {
                    Some(s) if s.is_finite() && *s > 0.0 => *v = v.map(|x| x * s),
                    _ if v.is_none() => {}
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
            for (v, y) in values.iter_mut().zip(&period.years) {
                if y.is_some_and(|y| y > as_of) {
                    *v = None;
                }
            }
        }

        // Null indicators and periods cannot be placed in any series: an error, not a drop.
        let indicators = key_values.first().map(Vec::as_slice).unwrap_or(&[]);
        for (row, ind) in indicators.iter().enumerate() {
            if ind.is_none() {
                return Err(OntrackError::NullValue {
                    frame,
                    column: opts.indicator.clone(),
                    row,
                    what: "every observation needs an indicator".into(),
                });
            }
        }
        let mut years = Vec::with_capacity(n);
        for (row, y) in period.years.iter().enumerate() {
            match y {
                Some(y) => years.push(*y),
                None => {
                    return Err(OntrackError::NullValue {
                        frame,
                        column: opts.period.clone(),
                        row,
                        what: "every observation needs a period".into(),
                    })
                }
            }
        }

        // Group ids: consecutive rows of one series (the usual layout) skip the hash lookup.
        // Group ids: consecutive rows of one series (the usual layout) are recognised by
        // comparing with the previous row, without building a key or hashing.
        let same_as_previous = |row: usize| {
            row > 0
                && key_values
                    .iter()
                    .all(|col| col.get(row) == col.get(row - 1))
        };
        let mut ids: HashMap<Vec<Option<&str>>, u32> = HashMap::with_capacity(n.min(1 << 16));
        let mut group_of: Vec<u32> = Vec::with_capacity(n);
        let mut keys: Vec<Vec<Option<String>>> = Vec::new();
        let mut current = 0u32;
        for row in 0..n {
            if !same_as_previous(row) {
                let key: Vec<Option<&str>> = key_values
                    .iter()
                    .map(|col| col.get(row).copied().flatten())
                    .collect();
                let next = u32::try_from(keys.len()).map_err(|_| {
                    OntrackError::option("observations", "more than 4 billion series")
                })?;
                current = *ids.entry(key).or_insert_with_key(|key| {
                    keys.push(key.iter().map(|k| k.map(str::to_string)).collect());
                    next
                });
            }
            group_of.push(current);
        }

        let mut order: Vec<usize> = (0..n).collect();
        let in_order = order.windows(2).all(|w| match w {
            [a, b] => {
                let (ga, gb) = (group_of.get(*a), group_of.get(*b));
                ga < gb || (ga == gb && years.get(*a) <= years.get(*b))
            }
            _ => true,
        });
        if !in_order {
            order.sort_by(|a, b| {
                group_of.get(*a).cmp(&group_of.get(*b)).then_with(|| {
                    years
                        .get(*a)
                        .partial_cmp(&years.get(*b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
            });
        }

        let mut offsets = Vec::with_capacity(keys.len() + 1);
        let mut sorted_years = Vec::with_capacity(n);
        let mut sorted_values = Vec::with_capacity(n);
        let mut last: Option<(u32, f64, usize)> = None;
        for &row in &order {
            let (Some(&g), Some(&y)) = (group_of.get(row), years.get(row)) else {
                continue;
            };
            if let Some((lg, ly, lrow)) = last {
                if lg == g && ly == y {
                    let series = keys
                        .get(g as usize)
                        .map(|k| describe_series(k, opts))
                        .unwrap_or_default();
                    return Err(OntrackError::DuplicateObservation {
                        series,
                        period: format_period(y, period.kind),
                        first_row: lrow.min(row),
                        second_row: lrow.max(row),
                    });
                }
            }
            if last.is_none_or(|(lg, _, _)| lg != g) {
                offsets.push(sorted_years.len());
            }
            sorted_years.push(y);
            sorted_values.push(values.get(row).copied().flatten());
            last = Some((g, y, row));
        }
        offsets.push(sorted_years.len());
        if keys.is_empty() {
            offsets = vec![0];
        }
        Ok(Self {
            keys,
            offsets,
            years: sorted_years,
            values: sorted_values,
            period_kind: period.kind,
        })
    }
}

/// `indicator=…, region=…` for messages.
pub(crate) fn describe_series(keys: &[Option<String>], opts: &AssessOptions) -> String {
    std::iter::once(&opts.indicator)
        .chain(opts.by.iter())
        .zip(keys)
        .map(|(name, v)| format!("{name}={}", v.as_deref().unwrap_or("null")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A period for messages: `2017`, `2017.5` or `2017-06-30`.
pub(crate) fn format_period(year: f64, kind: PeriodKind) -> String {
    match kind {
        PeriodKind::Year => format!("{}", year.round() as i64),
        PeriodKind::Decimal => format!("{year}"),
        PeriodKind::Date => {
            let (y, m, d) =
                crate::columns::civil_from_days(i64::from(days_from_decimal_year(year)));
            format!("{y:04}-{m:02}-{d:02}")
        }
    }
}
