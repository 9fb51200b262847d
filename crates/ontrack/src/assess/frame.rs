//! The result frame of `assess`, written batch by batch. A batch is a share of the jobs
//! (a few per thread); its jobs are evaluated a few hundred at a time into rows that stay in
//! the processor's cache and are written at once into the batch's column builders, sized
//! for the batch up front, then dropped. Each batch ends as one chunk per column, and the
//! result's columns are those chunks in batch order: no row of the whole result is ever
//! held, and no column is copied after it is written.

use ontrack_kernels::trend::TrendVerdict;
use ontrack_kernels::{Direction, Label, Status};
use polars::prelude::*;

use crate::calendar::PeriodKind;
use crate::categories::{enum_column, position, Vocabulary};
use crate::error::Result;
use crate::options::AssessOptions;
use crate::output::{float_column, level_name, period_column, stack_batches};
use crate::panel::Panel;
use crate::target::TargetKind;

use super::row::{Keys, ProjectionOutcome, Row};
use super::targets::{Targets, Text};

/// The chunk of one output column being written for a batch. Numbers and categories are
/// plain vectors, with a missing value written in-band (NaN, [`NO_CATEGORY`]) and turned into
/// the validity mask once per chunk: no `Option` and no mask bit per cell while writing.
pub(super) enum Sink {
    Text(TextSink),
    /// A key column (the `usize`-th, the indicator first).
    Key(KeySink, usize),
    /// Values, NaN for null.
    Float(PlSmallStr, Vec<f64>),
    /// Decimal years (NaN for null), converted to the observations' period type at the end.
    Period(PlSmallStr, Vec<f64>),
    Count(PlSmallStr, Vec<u32>),
    /// Categories of an `Enum` column (of the type given), [`NO_CATEGORY`] for null.
    Category(PlSmallStr, Vec<u8>, DataType),
    /// A column that no row can fill with these options: only its length is counted, and
    /// it becomes a null column of its type (no cell written).
    Null(PlSmallStr, usize, DataType),
}

/// Which kind of [`Sink`] a column writes into.
#[derive(Clone, Copy)]
enum SinkKind {
    Text,
    Key(usize),
    Float,
    Period,
    Count,
    Category,
    Null,
}

impl Sink {
    fn new(column: &ColumnSpec<'_>, capacity: usize) -> Self {
        let name = column.name.clone();
        match column.kind {
            SinkKind::Text => Self::Text(TextSink::new(name, capacity)),
            SinkKind::Key(i) => Self::Key(KeySink::new(name, capacity), i),
            SinkKind::Float => Self::Float(name, Vec::with_capacity(capacity)),
            SinkKind::Period => Self::Period(name, Vec::with_capacity(capacity)),
            SinkKind::Count => Self::Count(name, Vec::with_capacity(capacity)),
            SinkKind::Category => {
                Self::Category(name, Vec::with_capacity(capacity), column.dtype.clone())
            }
            SinkKind::Null => Self::Null(name, 0, column.dtype.clone()),
        }
    }

    fn finish(self, kind: PeriodKind, panel: &Panel) -> Result<Column> {
        Ok(match self {
            Self::Text(t) => t.finish().into_column(),
            Self::Key(k, i) => k.finish(panel, i)?.into_column(),
            Self::Float(name, values) => float_column(name, values),
            Self::Period(name, years) => period_column(&name, years, kind)?,
            Self::Count(name, values) => UInt32Chunked::from_vec(name, values).into_column(),
            // `Enum` columns map ids outside the vocabulary, `NO_CATEGORY` among them, to null.
            Self::Category(name, ids, dtype) => {
                enum_column(name.clone(), UInt8Chunked::from_vec(name, ids), dtype)
            }
            Self::Null(name, len, dtype) => {
                if dtype.is_enum() {
                    enum_column(name.clone(), UInt8Chunked::full_null(name, len), dtype)
                } else {
                    Series::full_null(name, len, &dtype).into_column()
                }
            }
        })
    }
}

/// A text column's chunk. Columns that are null in every row of a batch (a target field
/// the targets do not give, a reason no row has) write no cell: the nulls are counted until
/// the first value.
pub(super) struct TextSink {
    name: PlSmallStr,
    capacity: usize,
    nulls: usize,
    text: Option<StringChunkedBuilder>,
}

impl TextSink {
    fn new(name: PlSmallStr, capacity: usize) -> Self {
        Self {
            name,
            capacity,
            nulls: 0,
            text: None,
        }
    }

    fn append(&mut self, value: Option<&str>) {
        match (&mut self.text, value) {
            (Some(b), v) => b.append_option(v),
            (None, None) => self.nulls += 1,
            (None, Some(v)) => {
                let mut b = StringChunkedBuilder::new(self.name.clone(), self.capacity);
                for _ in 0..self.nulls {
                    b.append_null();
                }
                b.append_value(v);
                self.text = Some(b);
            }
        }
    }

    fn finish(self) -> StringChunked {
        match self.text {
            Some(b) => b.finish(),
            None => StringChunked::full_null(self.name, self.nulls),
        }
    }
}

/// A key column's chunk. While every row is one of a series of the panel, only the series
/// are noted, and the chunk is gathered from the panel's key column at the end (views
/// copied, no string built); from the first row keyed otherwise (a target without data,
/// a share-of-units job), it is text.
pub(super) struct KeySink {
    series: Vec<IdxSize>,
    text: TextSink,
    as_text: bool,
}

impl KeySink {
    fn new(name: PlSmallStr, capacity: usize) -> Self {
        Self {
            series: Vec::with_capacity(capacity),
            text: TextSink::new(name, capacity),
            as_text: false,
        }
    }

    /// Append the key (column `i`) of a row of `series` (if it is one series'), whose value
    /// is `value()`.
    fn append<'s>(
        &mut self,
        series: Option<usize>,
        i: usize,
        panel: &'s Panel,
        value: impl FnOnce() -> Option<&'s str>,
    ) {
        if !self.as_text {
            if let Some(g) = series.and_then(|g| IdxSize::try_from(g).ok()) {
                self.series.push(g);
                return;
            }
            self.as_text = true;
            for &g in &self.series {
                self.text.append(panel.key(g as usize, i));
            }
        }
        self.text.append(value());
    }

    fn finish(self, panel: &Panel, i: usize) -> Result<StringChunked> {
        if self.as_text {
            return Ok(self.text.finish());
        }
        Ok(panel.key_values(i, &self.series)?.with_name(self.text.name))
    }
}

/// The category written for a missing value: no vocabulary has this many names (see
/// [`Vocabulary::dtype`]).
const NO_CATEGORY: u8 = u8::MAX;

/// Writes one column's values for a batch of rows into its sink (of the column's kind).
type Writer<'a> = Box<dyn for<'r> Fn(&'r [Row<'a>], &mut Sink) + Send + Sync + 'a>;

/// One output column: its name, kind of sink, type (of an `Enum` column) and writer.
struct ColumnSpec<'a> {
    name: PlSmallStr,
    kind: SinkKind,
    dtype: DataType,
    write: Writer<'a>,
}

/// The output columns of `assess`, in order: how each is written from a batch of rows.
pub(super) struct Layout<'a> {
    panel: &'a Panel,
    columns: Vec<ColumnSpec<'a>>,
}

impl<'a> Layout<'a> {
    /// The columns of a result (see [`crate::assess::assess`]).
    pub(super) fn new(
        panel: &'a Panel,
        targets: Targets<'a>,
        options: &'a AssessOptions,
    ) -> Result<Self> {
        let mut layout = Self {
            panel,
            columns: Vec::with_capacity(56),
        };
        key_columns(&mut layout, panel, targets, options);
        status_columns(&mut layout, targets)?;
        metric_columns(&mut layout)?;
        projection_columns(&mut layout, options)?;
        carried_columns(&mut layout, targets);
        Ok(layout)
    }

    /// Empty builders of every column for a batch of `rows` rows.
    pub(super) fn sinks(&self, rows: usize) -> Vec<Sink> {
        self.columns.iter().map(|c| Sink::new(c, rows)).collect()
    }

    /// Append `rows` to the builders of a batch.
    pub(super) fn write(&self, rows: &[Row<'a>], sinks: &mut [Sink]) {
        for (column, sink) in self.columns.iter().zip(sinks) {
            (column.write)(rows, sink);
        }
    }

    /// The batch's chunk of every column.
    pub(super) fn finish(&self, sinks: Vec<Sink>) -> Result<Vec<Column>> {
        sinks
            .into_iter()
            .map(|s| s.finish(self.panel.period_kind, self.panel))
            .collect()
    }

    /// The result frame from the batches' chunks, in batch order.
    pub(super) fn frame(&self, batches: Vec<Vec<Column>>) -> Result<DataFrame> {
        match stack_batches(batches)? {
            Some(frame) => Ok(frame),
            None => Ok(DataFrame::new(0, self.finish(self.sinks(0))?)?),
        }
    }

    fn push(&mut self, name: impl Into<PlSmallStr>, kind: SinkKind, write: Writer<'a>) {
        self.columns.push(ColumnSpec {
            name: name.into(),
            kind,
            dtype: DataType::Null,
            write,
        });
    }

    /// An `Enum` column of `vocabulary`, written from each row's category.
    fn category(
        &mut self,
        name: &'a str,
        vocabulary: Vocabulary,
        f: impl Fn(&Row<'a>) -> Option<u8> + Send + Sync + 'a,
    ) -> Result<()> {
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Category(_, ids, _) = sink {
                ids.extend(rows.iter().map(|r| f(r).unwrap_or(NO_CATEGORY)));
            }
        });
        self.columns.push(ColumnSpec {
            name: name.into(),
            kind: SinkKind::Category,
            dtype: vocabulary.dtype()?,
            write,
        });
        Ok(())
    }

    /// A text column of cells made for the occasion (or borrowed).
    fn made_text(
        &mut self,
        name: &'a str,
        f: impl Fn(&Row<'a>) -> Option<Text<'a>> + Send + Sync + 'a,
    ) {
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Text(t) = sink {
                for r in rows {
                    t.append(f(r).as_ref().map(Text::as_str));
                }
            }
        });
        self.push(name, SinkKind::Text, write);
    }

    /// A column that no row can fill with these options, of type `dtype` (see
    /// [`Sink::Null`]).
    fn null(&mut self, name: impl Into<PlSmallStr>, dtype: DataType) {
        let write: Writer<'a> = Box::new(|rows, sink| {
            if let Sink::Null(_, len, _) = sink {
                *len += rows.len();
            }
        });
        self.columns.push(ColumnSpec {
            name: name.into(),
            kind: SinkKind::Null,
            dtype,
            write,
        });
    }

    fn text(
        &mut self,
        name: &'a str,
        f: impl for<'r> Fn(&'r Row<'a>) -> Option<&'r str> + Send + Sync + 'a,
    ) {
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Text(t) = sink {
                for r in rows {
                    t.append(f(r));
                }
            }
        });
        self.push(name, SinkKind::Text, write);
    }

    /// A float column (non-finite values become null).
    fn float(
        &mut self,
        name: impl Into<PlSmallStr>,
        f: impl Fn(&Row<'a>) -> Option<f64> + Send + Sync + 'a,
    ) {
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Float(_, values) = sink {
                values.extend(
                    rows.iter()
                        .map(|r| f(r).filter(|x| x.is_finite()).unwrap_or(f64::NAN)),
                );
            }
        });
        self.push(name, SinkKind::Float, write);
    }

    /// A period column, in the type of the observations' periods.
    fn period(&mut self, name: &'a str, f: impl Fn(&Row<'a>) -> Option<f64> + Send + Sync + 'a) {
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Period(_, years) = sink {
                years.extend(rows.iter().map(|r| f(r).unwrap_or(f64::NAN)));
            }
        });
        self.push(name, SinkKind::Period, write);
    }

    fn count(&mut self, name: &'a str, f: fn(&Row<'a>) -> u32) {
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Count(_, values) = sink {
                values.extend(rows.iter().map(f));
            }
        });
        self.push(name, SinkKind::Count, write);
    }
}

/// Keys: the indicator, then the `by` columns, as strings (the caller casts them back to
/// their input type).
fn key_columns<'a>(
    layout: &mut Layout<'a>,
    panel: &'a Panel,
    targets: Targets<'a>,
    options: &'a AssessOptions,
) {
    for (i, name) in options.key_columns().enumerate() {
        let value = move |r: &Row<'a>| match &r.keys {
            Keys::Group(g) => panel.key(*g, i),
            Keys::Owned(k) => k.get(i).and_then(|v| v.as_deref()),
            Keys::Target(t) => {
                if i == 0 {
                    targets.indicator(*t)
                } else {
                    let k = i - 1;
                    options.by.get(k).and_then(|b| targets.key(*t, k, b))
                }
            }
        };
        let write: Writer<'a> = Box::new(move |rows, sink| {
            if let Sink::Key(k, _) = sink {
                for r in rows {
                    let series = match r.keys {
                        Keys::Group(g) => Some(g),
                        _ => None,
                    };
                    k.append(series, i, panel, || value(r));
                }
            }
        });
        layout.push(name, SinkKind::Key(i), write);
    }
}

/// The target, the method and its verdict, the baseline, the latest point and the target.
fn status_columns<'a>(layout: &mut Layout<'a>, targets: Targets<'a>) -> Result<()> {
    layout.made_text("target_id", move |r| r.target.and_then(|t| targets.id(t)));
    layout.category("kind", Vocabulary::Kind, move |r| {
        r.target
            .and_then(|t| targets.kind(t))
            .and_then(|k| position(&TargetKind::ALL, &k))
    })?;
    layout.category("direction", Vocabulary::Direction, move |r| {
        r.target
            .and_then(|t| targets.direction(t))
            .and_then(|d| position(&Direction::ALL, &d))
    })?;
    layout.category("method", Vocabulary::Method, |r| {
        Vocabulary::Method.index(r.method)
    })?;
    layout.category("status", Vocabulary::Status, |r| {
        position(&Status::ALL, &r.status)
    })?;
    layout.category("method_status", Vocabulary::Label, |r| {
        r.method_status.and_then(|l| position(Label::ALL, &l))
    })?;
    layout.float("score", |r| r.score);
    layout.float("method_ratio", |r| r.method_ratio);
    layout.period("baseline_year", |r| r.baseline.map(|p| p.year));
    layout.float("baseline_value", |r| r.baseline.map(|p| p.value));
    layout.period("latest_year", |r| r.latest.map(|p| p.year));
    layout.float("latest_value", |r| r.latest.map(|p| p.value));
    layout.period("target_year", move |r| {
        r.target.and_then(|t| targets.year(t))
    });
    layout.float("target_value", |r| r.target_value);
    Ok(())
}

/// Progress, gaps, growth and change rates, and the trend test.
fn metric_columns(layout: &mut Layout<'_>) -> Result<()> {
    layout.float("progress", |r| r.metrics.progress);
    layout.float("completion_rate", |r| r.metrics.completion_rate);
    layout.float("time_elapsed", |r| r.metrics.time_elapsed);
    layout.float("schedule_gap", |r| r.metrics.schedule_gap);
    layout.float("gap", |r| r.metrics.gap);
    layout.float("relative_gap", |r| r.metrics.relative_gap);
    layout.float("achieved_growth", |r| r.metrics.achieved_growth);
    layout.float("required_growth", |r| r.metrics.required_growth);
    layout.float("needed_growth", |r| r.metrics.needed_growth);
    layout.float("achieved_change", |r| r.metrics.achieved_change);
    layout.float("required_change", |r| r.metrics.required_change);
    layout.float("needed_change", |r| r.metrics.needed_change);
    layout.float("growth_ratio", |r| {
        r.metrics
            .achieved_growth
            .zip(r.metrics.required_growth)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    });
    layout.float("change_ratio", |r| {
        r.metrics
            .achieved_change
            .zip(r.metrics.required_change)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    });
    layout.float("trend_slope", |r| r.trend.map(|t| t.slope));
    layout.float("trend_p_value", |r| r.trend.and_then(|t| t.p_value));
    layout.category("trend", Vocabulary::Trend, |r| {
        r.trend
            .and_then(|t| position(&TrendVerdict::ALL, &t.verdict))
    })
}

/// A row's projection, if it has one.
fn proj<'r>(r: &'r Row<'_>) -> Option<&'r ProjectionOutcome> {
    r.projection.as_deref()
}

/// The projection at the deadline: method, value, intervals, probability, attainment year.
fn projection_columns<'a>(layout: &mut Layout<'a>, options: &'a AssessOptions) -> Result<()> {
    if options.projection.is_none() {
        // Without a projection only a reached deadline gives a probability (see
        // `project_target`): the method, value and interval columns stay null.
        layout.null("projection_method", Vocabulary::ProjectionMethod.dtype()?);
        layout.null("projected_value", DataType::Float64);
        for level in &options.levels {
            let name = level_name(*level);
            for side in ["lower", "upper"] {
                layout.null(format!("projected_{side}_{name}"), DataType::Float64);
            }
        }
    } else {
        projected_columns(layout, options)?;
    }
    layout.float("probability", move |r| proj(r).and_then(|p| p.probability));
    layout.period("expected_attainment_year", move |r| {
        proj(r).and_then(|p| p.attainment_year)
    });
    layout.category("probabilistic_status", Vocabulary::Status, move |r| {
        proj(r)
            .and_then(|p| p.status)
            .and_then(|s| position(&Status::ALL, &s))
    })?;
    layout.text("projection_reason", move |r| {
        proj(r).and_then(|p| p.reason.as_deref())
    });
    Ok(())
}

/// The projection's method, value and intervals at the deadline.
fn projected_columns<'a>(layout: &mut Layout<'a>, options: &'a AssessOptions) -> Result<()> {
    layout.category(
        "projection_method",
        Vocabulary::ProjectionMethod,
        move |r| {
            proj(r)
                .and_then(|p| p.method)
                .and_then(|m| Vocabulary::ProjectionMethod.index(m))
        },
    )?;
    layout.float("projected_value", move |r| proj(r).and_then(|p| p.value));
    for (i, level) in options.levels.iter().enumerate() {
        let name = level_name(*level);
        for (side, upper) in [("lower", false), ("upper", true)] {
            layout.float(format!("projected_{side}_{name}"), move |r| {
                proj(r)
                    .and_then(|p| p.intervals.get(i))
                    .map(|b| if upper { b.1 } else { b.0 })
            });
        }
    }
    Ok(())
}

/// Counts, what is carried from the target, and the reason.
fn carried_columns<'a>(layout: &mut Layout<'a>, targets: Targets<'a>) {
    let text = move |r: &Row<'a>, i: usize| {
        r.target
            .and_then(|t| targets.texts(t).get(i).copied().flatten())
    };
    layout.count("n_points", |r| r.n_points);
    layout.count("n_missing", |r| r.n_missing);
    layout.text("label", move |r| text(r, 0));
    layout.text("group", move |r| text(r, 1));
    layout.float("weight", move |r| r.target.and_then(|t| targets.weight(t)));
    layout.text("unit", move |r| text(r, 2));
    layout.text("reason", |r| r.reason.as_deref());
}
