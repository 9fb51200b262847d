//! The result frame of `assess`: one column per output field, built in parallel.

use ontrack_kernels::Status;
use polars::prelude::*;
use rayon::prelude::*;

use crate::calendar::PeriodKind;
use crate::error::Result;
use crate::options::AssessOptions;
use crate::output::{level_name, period_column};
use crate::panel::Panel;
use crate::target::TargetSpec;

use super::row::{Keys, Row};

/// A text column from one accessor per row.
fn text_column<'a>(name: &str, rows: &[&'a Row], f: impl Fn(&'a Row) -> Option<&'a str>) -> Column {
    let ca: StringChunked = rows.iter().map(|r| f(r)).collect();
    ca.with_name(name.into()).into_column()
}

/// A float column from one accessor per row (non-finite values become null).
fn float_column<'a>(name: &str, rows: &[&'a Row], f: impl Fn(&'a Row) -> Option<f64>) -> Column {
    let ca: Float64Chunked = rows
        .iter()
        .map(|r| f(r).filter(|x| x.is_finite()))
        .collect();
    ca.with_name(name.into()).into_column()
}

/// Builds one output column; the columns of a result are built in parallel.
type ColumnBuilder<'a> = Box<dyn Fn() -> Result<Column> + Send + Sync + 'a>;

/// The column builders of a result, in column order.
struct Columns<'a> {
    rows: &'a [&'a Row],
    kind: PeriodKind,
    builders: Vec<ColumnBuilder<'a>>,
}

impl<'a> Columns<'a> {
    fn text(&mut self, name: &'a str, f: impl Fn(&'a Row) -> Option<&'a str> + Send + Sync + 'a) {
        let rows = self.rows;
        self.builders
            .push(Box::new(move || Ok(text_column(name, rows, &f))));
    }

    fn float(&mut self, name: &'a str, f: impl Fn(&'a Row) -> Option<f64> + Send + Sync + 'a) {
        let rows = self.rows;
        self.builders
            .push(Box::new(move || Ok(float_column(name, rows, &f))));
    }

    /// A period column, in the type of the observations' periods.
    fn period(&mut self, name: &'a str, f: impl Fn(&'a Row) -> Option<f64> + Send + Sync + 'a) {
        let (rows, kind) = (self.rows, self.kind);
        self.builders.push(Box::new(move || {
            period_column(name, rows.iter().map(|r| f(r)).collect(), kind)
        }));
    }

    fn count(&mut self, name: &'a str, f: fn(&Row) -> u32) {
        let rows = self.rows;
        self.builders.push(Box::new(move || {
            let ca: UInt32Chunked = rows.iter().map(|r| Some(f(r))).collect();
            Ok(ca.with_name(name.into()).into_column())
        }));
    }
}

/// The target of a row, if it has one.
fn target_of<'a>(
    specs: &'a [TargetSpec],
) -> impl Fn(&'a Row) -> Option<&'a TargetSpec> + Copy + Send + Sync + 'a {
    move |r: &'a Row| r.target.and_then(|t| specs.get(t))
}

/// The result frame of `assess` from its rows (see [`crate::assess::assess`] for the
/// columns).
pub(super) fn build_frame<'a>(
    rows: &'a [&'a Row],
    panel: &'a Panel,
    specs: &'a [TargetSpec],
    options: &'a AssessOptions,
) -> Result<DataFrame> {
    let mut columns = Columns {
        rows,
        kind: panel.period_kind,
        builders: Vec::with_capacity(56),
    };
    key_columns(&mut columns, panel, specs, options);
    status_columns(&mut columns, specs);
    metric_columns(&mut columns);
    projection_columns(&mut columns, options);
    carried_columns(&mut columns, specs);
    let built: Vec<Column> = columns
        .builders
        .par_iter()
        .map(|build| build())
        .collect::<Result<_>>()?;
    Ok(DataFrame::new(rows.len(), built)?)
}

/// Keys: the indicator, then the `by` columns, as strings (the caller casts them back to
/// their input type).
fn key_columns<'a>(
    columns: &mut Columns<'a>,
    panel: &'a Panel,
    specs: &'a [TargetSpec],
    options: &'a AssessOptions,
) {
    for (i, name) in options.key_columns().enumerate() {
        columns.text(name, move |r| match &r.keys {
            Keys::Group(g) => panel.key(*g, i),
            Keys::Owned(k) => k.get(i).and_then(|v| v.as_deref()),
            Keys::Target(t) => specs.get(*t).and_then(|s| {
                if i == 0 {
                    Some(s.indicator.as_str())
                } else {
                    options
                        .by
                        .get(i - 1)
                        .and_then(|b| s.keys.get(b))
                        .and_then(|v| v.as_deref())
                }
            }),
        });
    }
}

/// The target, the method and its verdict, the baseline, the latest point and the target.
fn status_columns<'a>(columns: &mut Columns<'a>, specs: &'a [TargetSpec]) {
    let spec = target_of(specs);
    columns.text("target_id", move |r| spec(r).map(|s| s.id.as_str()));
    columns.text("kind", move |r| spec(r).map(|s| s.kind.as_str()));
    columns.text("direction", move |r| spec(r).map(|s| s.direction.as_str()));
    columns.text("method", |r| Some(r.method));
    columns.text("status", |r| Some(r.status.as_str()));
    columns.text("method_status", |r| r.method_status);
    columns.float("score", |r| r.score);
    columns.float("method_ratio", |r| r.method_ratio);
    columns.period("baseline_year", |r| r.baseline.map(|p| p.year));
    columns.float("baseline_value", |r| r.baseline.map(|p| p.value));
    columns.period("latest_year", |r| r.latest.map(|p| p.year));
    columns.float("latest_value", |r| r.latest.map(|p| p.value));
    columns.period("target_year", move |r| spec(r).and_then(|s| s.year));
    columns.float("target_value", |r| r.target_value);
}

/// Progress, gaps, growth and change rates, and the trend test.
fn metric_columns(columns: &mut Columns<'_>) {
    columns.float("progress", |r| r.metrics.progress);
    columns.float("completion_rate", |r| r.metrics.completion_rate);
    columns.float("time_elapsed", |r| r.metrics.time_elapsed);
    columns.float("schedule_gap", |r| r.metrics.schedule_gap);
    columns.float("gap", |r| r.metrics.gap);
    columns.float("relative_gap", |r| r.metrics.relative_gap);
    columns.float("achieved_growth", |r| r.metrics.achieved_growth);
    columns.float("required_growth", |r| r.metrics.required_growth);
    columns.float("needed_growth", |r| r.metrics.needed_growth);
    columns.float("achieved_change", |r| r.metrics.achieved_change);
    columns.float("required_change", |r| r.metrics.required_change);
    columns.float("needed_change", |r| r.metrics.needed_change);
    columns.float("growth_ratio", |r| {
        r.metrics
            .achieved_growth
            .zip(r.metrics.required_growth)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    });
    columns.float("change_ratio", |r| {
        r.metrics
            .achieved_change
            .zip(r.metrics.required_change)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    });
    columns.float("trend_slope", |r| r.trend.map(|t| t.slope));
    columns.float("trend_p_value", |r| r.trend.and_then(|t| t.p_value));
    columns.text("trend", |r| r.trend.map(|t| t.verdict.as_str()));
}

/// The projection at the deadline: method, value, intervals, probability, attainment year.
fn projection_columns<'a>(columns: &mut Columns<'a>, options: &'a AssessOptions) {
    let proj = |r: &'a Row| r.projection.as_deref();
    columns.text("projection_method", move |r| proj(r).and_then(|p| p.method));
    columns.float("projected_value", move |r| proj(r).and_then(|p| p.value));
    for (i, level) in options.levels.iter().enumerate() {
        let name = level_name(*level);
        for (side, upper) in [("lower", false), ("upper", true)] {
            let column = format!("projected_{side}_{name}");
            let rows = columns.rows;
            columns.builders.push(Box::new(move || {
                Ok(float_column(&column, rows, |r| {
                    proj(r)
                        .and_then(|p| p.intervals.get(i))
                        .map(|b| if upper { b.1 } else { b.0 })
                }))
            }));
        }
    }
    columns.float("probability", move |r| proj(r).and_then(|p| p.probability));
    columns.period("expected_attainment_year", move |r| {
        proj(r).and_then(|p| p.attainment_year)
    });
    columns.text("probabilistic_status", move |r| {
        proj(r).and_then(|p| p.status).map(Status::as_str)
    });
    columns.text("projection_reason", move |r| {
        proj(r).and_then(|p| p.reason.as_deref())
    });
}

/// Counts, what is carried from the target, and the reason.
fn carried_columns<'a>(columns: &mut Columns<'a>, specs: &'a [TargetSpec]) {
    let spec = target_of(specs);
    columns.count("n_points", |r| r.n_points);
    columns.count("n_missing", |r| r.n_missing);
    columns.text("label", move |r| spec(r).and_then(|s| s.label.as_deref()));
    columns.text("group", move |r| spec(r).and_then(|s| s.group.as_deref()));
    columns.float("weight", move |r| spec(r).map(|s| s.weight));
    columns.text("unit", move |r| spec(r).and_then(|s| s.unit.as_deref()));
    columns.text("reason", |r| r.reason.as_deref());
}
