//! The result frame of `assess`: one column per output field, built in parallel.

use ontrack_kernels::Status;
use polars::prelude::*;
use rayon::prelude::*;

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

#[allow(clippy::too_many_lines)]
pub(super) fn build_frame<'a>(
    rows: &'a [&'a Row],
    panel: &'a Panel,
    specs: &'a [TargetSpec],
    options: &'a AssessOptions,
) -> Result<DataFrame> {
    let n = rows.len();
    let spec = |r: &'a Row| -> Option<&'a TargetSpec> { r.target.and_then(|t| specs.get(t)) };
    let proj = |r: &'a Row| r.projection.as_deref();
    let kind = panel.period_kind;
    let mut builders: Vec<ColumnBuilder<'a>> = Vec::with_capacity(56);
    let text = |name: &'static str, f: fn(&'a Row) -> Option<&'a str>| -> ColumnBuilder<'a> {
        Box::new(move || Ok(text_column(name, rows, f)))
    };
    let float = |name: &'static str, f: fn(&'a Row) -> Option<f64>| -> ColumnBuilder<'a> {
        Box::new(move || Ok(float_column(name, rows, f)))
    };

    // Keys: the indicator, then the `by` columns, as strings (the caller casts them back to
    // their input type).
    for (i, name) in options.key_columns().enumerate() {
        builders.push(Box::new(move || {
            Ok(text_column(name, rows, |r| match &r.keys {
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
            }))
        }));
    }
    builders.push(Box::new(move || {
        Ok(text_column("target_id", rows, |r| {
            spec(r).map(|s| s.id.as_str())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("kind", rows, |r| {
            spec(r).map(|s| s.kind.as_str())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("direction", rows, |r| {
            spec(r).map(|s| s.direction.as_str())
        }))
    }));
    builders.push(text("method", |r| Some(r.method)));
    builders.push(text("status", |r| Some(r.status.as_str())));
    builders.push(text("method_status", |r| r.method_status));
    builders.push(float("score", |r| r.score));
    builders.push(float("method_ratio", |r| r.method_ratio));
    builders.push(Box::new(move || {
        period_column(
            "baseline_year",
            rows.iter().map(|r| r.baseline.map(|p| p.year)).collect(),
            kind,
        )
    }));
    builders.push(float("baseline_value", |r| r.baseline.map(|p| p.value)));
    builders.push(Box::new(move || {
        period_column(
            "latest_year",
            rows.iter().map(|r| r.latest.map(|p| p.year)).collect(),
            kind,
        )
    }));
    builders.push(float("latest_value", |r| r.latest.map(|p| p.value)));
    builders.push(Box::new(move || {
        period_column(
            "target_year",
            rows.iter().map(|r| spec(r).and_then(|s| s.year)).collect(),
            kind,
        )
    }));
    builders.push(float("target_value", |r| r.target_value));
    builders.push(float("progress", |r| r.metrics.progress));
    builders.push(float("completion_rate", |r| r.metrics.completion_rate));
    builders.push(float("time_elapsed", |r| r.metrics.time_elapsed));
    builders.push(float("schedule_gap", |r| r.metrics.schedule_gap));
    builders.push(float("gap", |r| r.metrics.gap));
    builders.push(float("relative_gap", |r| r.metrics.relative_gap));
    builders.push(float("achieved_growth", |r| r.metrics.achieved_growth));
    builders.push(float("required_growth", |r| r.metrics.required_growth));
    builders.push(float("needed_growth", |r| r.metrics.needed_growth));
    builders.push(float("achieved_change", |r| r.metrics.achieved_change));
    builders.push(float("required_change", |r| r.metrics.required_change));
    builders.push(float("needed_change", |r| r.metrics.needed_change));
    builders.push(float("growth_ratio", |r| {
        r.metrics
            .achieved_growth
            .zip(r.metrics.required_growth)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    }));
    builders.push(float("change_ratio", |r| {
        r.metrics
            .achieved_change
            .zip(r.metrics.required_change)
            .and_then(|(a, b)| ontrack_kernels::growth::ratio(a, b))
    }));
    builders.push(float("trend_slope", |r| r.trend.map(|t| t.slope)));
    builders.push(float("trend_p_value", |r| r.trend.and_then(|t| t.p_value)));
    builders.push(text("trend", |r| r.trend.map(|t| t.verdict.as_str())));
    builders.push(Box::new(move || {
        Ok(text_column("projection_method", rows, |r| {
            proj(r).and_then(|p| p.method)
        }))
    }));
    builders.push(Box::new(move || {
        Ok(float_column("projected_value", rows, |r| {
            proj(r).and_then(|p| p.value)
        }))
    }));
    for (i, level) in options.levels.iter().enumerate() {
        let name = level_name(*level);
        for (side, upper) in [("lower", false), ("upper", true)] {
            let column = format!("projected_{side}_{name}");
            builders.push(Box::new(move || {
                Ok(float_column(&column, rows, |r| {
                    proj(r)
                        .and_then(|p| p.intervals.get(i))
                        .map(|b| if upper { b.1 } else { b.0 })
                }))
            }));
        }
    }
    builders.push(Box::new(move || {
        Ok(float_column("probability", rows, |r| {
            proj(r).and_then(|p| p.probability)
        }))
    }));
    builders.push(Box::new(move || {
        period_column(
            "expected_attainment_year",
            rows.iter()
                .map(|r| proj(r).and_then(|p| p.attainment_year))
                .collect(),
            kind,
        )
    }));
    builders.push(Box::new(move || {
        Ok(text_column("probabilistic_status", rows, |r| {
            proj(r).and_then(|p| p.status).map(Status::as_str)
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("projection_reason", rows, |r| {
            proj(r).and_then(|p| p.reason.as_deref())
        }))
    }));
    builders.push(Box::new(move || {
        let ca: UInt32Chunked = rows.iter().map(|r| Some(r.n_points)).collect();
        Ok(ca.with_name("n_points".into()).into_column())
    }));
    builders.push(Box::new(move || {
        let ca: UInt32Chunked = rows.iter().map(|r| Some(r.n_missing)).collect();
        Ok(ca.with_name("n_missing".into()).into_column())
    }));
    builders.push(Box::new(move || {
        Ok(text_column("label", rows, |r| {
            spec(r).and_then(|s| s.label.as_deref())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("group", rows, |r| {
            spec(r).and_then(|s| s.group.as_deref())
        }))
    }));
    builders.push(Box::new(move || {
        Ok(float_column("weight", rows, |r| spec(r).map(|s| s.weight)))
    }));
    builders.push(Box::new(move || {
        Ok(text_column("unit", rows, |r| {
            spec(r).and_then(|s| s.unit.as_deref())
        }))
    }));
    builders.push(text("reason", |r| r.reason.as_deref()));
    let columns: Vec<Column> = builders
        .par_iter()
        .map(|build| build())
        .collect::<Result<_>>()?;
    Ok(DataFrame::new(n, columns)?)
}
