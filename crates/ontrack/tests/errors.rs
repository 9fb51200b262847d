//! One test per error variant: each names the column, row, series or target.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;
use common::*;
use ontrack::polars::prelude::*;
use ontrack::{assess, AssessOptions, OntrackError};

fn err(obs: &DataFrame, targets: &DataFrame, opts: &AssessOptions) -> OntrackError {
    match assess(obs, targets, opts) {
        Err(e) => e,
        Ok(df) => panic!("expected an error, got {df}"),
    }
}

#[test]
fn missing_column_names_the_column_and_frame() {
    let obs = df!("indicator" => ["x"], "year" => [2015i64]).unwrap();
    let e = err(
        &obs,
        &target("x", "increase", 1.0, 2030, false),
        &AssessOptions::default(),
    );
    assert!(
        matches!(e, OntrackError::MissingColumn { ref column, .. } if column == "value"),
        "{e}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("observations")
            && msg.contains("\"value\"")
            && msg.contains("indicator, year"),
        "{msg}"
    );

    let obs = series("x", &[(2015, 1.0)]);
    let t = df!("indicator" => ["x"], "target_value" => [2.0]).unwrap();
    let e = err(&obs, &t, &AssessOptions::default());
    assert!(
        e.to_string()
            .contains("targets frame has no column \"direction\""),
        "{e}"
    );
}

#[test]
fn wrong_type_names_column_and_types() {
    let obs = df!("indicator" => ["x"], "year" => ["2015"], "value" => [1.0]).unwrap();
    let e = err(
        &obs,
        &target("x", "increase", 1.0, 2030, false),
        &AssessOptions::default(),
    );
    assert!(
        matches!(e, OntrackError::ColumnType { ref column, .. } if column == "year"),
        "{e}"
    );
    assert!(e.to_string().contains("str"), "{e}");
}

#[test]
fn null_period_names_the_row() {
    let obs =
        df!("indicator" => ["x", "x"], "year" => [Some(2015i64), None], "value" => [1.0, 2.0])
            .unwrap();
    let e = err(
        &obs,
        &target("x", "increase", 1.0, 2030, false),
        &AssessOptions::default(),
    );
    assert!(
        matches!(e, OntrackError::NullValue { row: 1, ref column, .. } if column == "year"),
        "{e}"
    );
}

#[test]
fn duplicate_observation_names_series_and_period() {
    let obs = df!(
        "indicator" => ["x", "x", "x"],
        "region" => ["a", "b", "a"],
        "year" => [2015i64, 2015, 2015],
        "value" => [1.0, 2.0, 3.0],
    )
    .unwrap();
    let opts = AssessOptions::default().with_by(["region"]);
    let e = err(&obs, &target("x", "increase", 1.0, 2030, false), &opts);
    match &e {
        OntrackError::DuplicateObservation {
            series,
            period,
            first_row,
            second_row,
        } => {
            assert_eq!(series, "indicator=x, region=a");
            assert_eq!(period, "2015");
            assert_eq!((*first_row, *second_row), (0, 2));
        }
        other => panic!("wrong variant: {other}"),
    }
}

#[test]
fn invalid_target_names_id_and_field() {
    let obs = series("x", &[(2015, 1.0)]);
    let t = df!(
        "id" => ["lf-1"], "indicator" => ["x"], "kind" => ["levell"], "direction" => ["increase"],
        "target_value" => [2.0], "target_year" => [2030i64],
    )
    .unwrap();
    let e = err(&obs, &t, &AssessOptions::default());
    assert!(
        matches!(e, OntrackError::InvalidTarget { ref target_id, ref field, .. } if target_id == "lf-1" && field == "kind"),
        "{e}"
    );
    assert!(e.to_string().contains("unknown kind \"levell\""), "{e}");

    let t = df!("id" => ["lf-2"], "indicator" => ["x"], "direction" => ["increase"], "target_value" => [2.0]).unwrap();
    let e = err(&obs, &t, &AssessOptions::default());
    assert!(
        e.to_string()
            .contains("target \"lf-2\": field \"target_year\""),
        "{e}"
    );

    let t = df!(
        "id" => ["lf-3"], "indicator" => ["x"], "kind" => ["cumulative"], "direction" => ["increase"],
        "target_value" => [2.0], "target_year" => [2030i64],
    )
    .unwrap();
    let e = err(&obs, &t, &AssessOptions::default());
    assert!(e.to_string().contains("\"window_start\""), "{e}");
}

#[test]
fn duplicate_target_ids_are_rejected() {
    let obs = series("x", &[(2015, 1.0)]);
    let t = df!(
        "id" => ["a", "a"], "indicator" => ["x", "x"], "direction" => ["increase", "increase"],
        "target_value" => [2.0, 3.0], "target_year" => [2030i64, 2030],
    )
    .unwrap();
    let e = err(&obs, &t, &AssessOptions::default());
    assert!(
        matches!(
            e,
            OntrackError::DuplicateTarget {
                first_row: 0,
                second_row: 1,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn invalid_options_are_named() {
    let e = AssessOptions::default()
        .with_methods(["open_sgd"])
        .unwrap_err();
    assert!(
        matches!(e, OntrackError::InvalidOption { ref option, .. } if option == "method"),
        "{e}"
    );
    assert!(
        e.to_string().contains("open_sdg"),
        "lists the valid names: {e}"
    );
    let obs = series("x", &[(2015, 1.0)]);
    let opts = AssessOptions::default().with_by(["year"]);
    let e = err(&obs, &target("x", "increase", 1.0, 2030, false), &opts);
    assert!(matches!(e, OntrackError::InvalidOption { .. }), "{e}");
}

#[test]
fn polars_errors_are_wrapped() {
    let e: OntrackError = PolarsError::ComputeError("boom".into()).into();
    assert_eq!(e.kind(), "Engine");
    assert!(e.to_string().contains("boom"));
}

#[test]
fn a_generated_id_that_collides_with_a_given_one_is_rejected() {
    let obs = series("x", &[(2015, 1.0)]);
    let t = df!(
        "id" => [Some("row 1"), None], "indicator" => ["x", "x"], "direction" => ["increase", "increase"],
        "target_value" => [2.0, 3.0], "target_year" => [2030i64, 2030],
    )
    .unwrap();
    let e = err(&obs, &t, &AssessOptions::default());
    assert!(
        matches!(e, OntrackError::DuplicateTarget { ref target_id, first_row: 0, second_row: 1 } if target_id == "row 1"),
        "{e}"
    );
    // Rows without ids get distinct generated ids.
    let t = df!(
        "id" => [None::<&str>, None], "indicator" => ["x", "x"], "direction" => ["increase", "increase"],
        "target_value" => [2.0, 3.0], "target_year" => [2030i64, 2030],
    )
    .unwrap();
    assert_eq!(
        assess(&obs, &t, &AssessOptions::default())
            .unwrap()
            .height(),
        2
    );
}

#[test]
fn context_carries_the_structured_attributes_of_each_variant() {
    use ontrack::{ErrorContext, Frame};
    let plan = OntrackError::Plan {
        file: "plan.toml".into(),
        line: Some(4),
        column: Some(9),
        target_id: Some("t-1".into()),
        message: "field \"direction\": unknown".into(),
    };
    let ctx = plan.context();
    assert_eq!(
        ctx,
        ErrorContext {
            file: Some("plan.toml".into()),
            line: Some(4),
            col: Some(9),
            target_id: Some("t-1".into()),
            ..ErrorContext::default()
        }
    );
    let dup = OntrackError::DuplicateObservation {
        series: "indicator=x".into(),
        period: "2015".into(),
        first_row: 0,
        second_row: 3,
    };
    assert_eq!(dup.context().series.as_deref(), Some("indicator=x"));
    assert_eq!(dup.context().row, Some(3));
    let option = OntrackError::InvalidOption {
        option: "horizon".into(),
        message: "must be at least 1 year".into(),
    };
    assert_eq!(option.context().option.as_deref(), Some("horizon"));
    let missing = OntrackError::MissingColumn {
        frame: Frame::Targets,
        column: "target_year".into(),
        available: "indicator".into(),
    };
    // A location adds sheet and bucket, keeps the kind, the other attributes and the message.
    let located = missing.in_sheet("targets").in_bucket(12);
    assert_eq!(located.kind(), "MissingColumn");
    let ctx = located.context();
    assert_eq!(ctx.column.as_deref(), Some("target_year"));
    assert_eq!(ctx.sheet.as_deref(), Some("targets"));
    assert_eq!(ctx.bucket, Some(12));
    assert!(located
        .to_string()
        .ends_with("(sheet \"targets\", bucket 12)"));
    assert_eq!(ErrorContext::FIELDS.len(), 10);
    for kind in OntrackError::KINDS {
        assert!(!kind.is_empty());
    }
}

/// `assess` checks a targets frame from its columns without building specs; the public
/// `targets_from_frame` builds and validates specs. Both must report the same first problem,
/// with the same target id and field, for every kind of invalid row.
#[test]
fn targets_frame_problems_are_reported_alike_by_assess_and_targets_from_frame() {
    use ontrack::{targets_from_frame, PeriodKind};
    let obs = series("x", &[(2015, 1.0), (2020, 2.0)]);
    // Three rows: the middle one is changed by each case; `id` null on the first row.
    let base = || {
        df!(
            "id" => [None, Some("b"), Some("c")],
            "indicator" => [Some("x"), Some("x"), Some("x")],
            "kind" => [None::<&str>, None, None],
            "direction" => [Some("increase"), Some("increase"), Some("decrease")],
            "target_value" => [Some(3.0), Some(4.0), Some(0.5)],
            "target_year" => [Some(2030i64), Some(2030), Some(2030)],
            "baseline_year" => [None::<i64>, None, None],
            "baseline_value" => [None::<f64>, None, None],
            "window_start" => [None::<i64>, None, None],
            "lower_bound" => [None::<f64>, None, None],
            "upper_bound" => [None::<f64>, None, None],
            "scale" => [None::<f64>, None, None],
            "weight" => [None::<f64>, None, None],
            "change_type" => [None::<&str>, None, None],
            "unit_column" => [None::<&str>, None, None],
            "unit_threshold" => [None::<f64>, None, None],
        )
        .unwrap()
    };
    let set_row = |df: &mut DataFrame, row: usize, column: &str, value: AnyValue<'_>| {
        let old = df.column(column).unwrap().as_materialized_series().clone();
        let mut values: Vec<AnyValue<'_>> = old.iter().collect();
        values[row] = value;
        let s = Series::from_any_values_and_dtype(column.into(), &values, old.dtype(), true);
        df.with_column(s.unwrap().into_column()).unwrap();
    };
    let set = |df: &mut DataFrame, column: &str, value: AnyValue<'_>| set_row(df, 1, column, value);
    type Case = (&'static str, Vec<(&'static str, AnyValue<'static>)>);
    let cases: Vec<Case> = vec![
        ("null indicator", vec![("indicator", AnyValue::Null)]),
        (
            "empty indicator",
            vec![("indicator", AnyValue::String(" "))],
        ),
        ("unknown kind", vec![("kind", AnyValue::String("levle"))]),
        ("null direction", vec![("direction", AnyValue::Null)]),
        (
            "unknown direction",
            vec![("direction", AnyValue::String("sideways"))],
        ),
        (
            "unknown change type",
            vec![("change_type", AnyValue::String("ratio"))],
        ),
        (
            "NaN value",
            vec![("target_value", AnyValue::Float64(f64::NAN))],
        ),
        ("no value", vec![("target_value", AnyValue::Null)]),
        ("no deadline", vec![("target_year", AnyValue::Null)]),
        (
            "baseline after the deadline",
            vec![("baseline_year", AnyValue::Int64(2040))],
        ),
        (
            "baseline value without year",
            vec![("baseline_value", AnyValue::Float64(1.0))],
        ),
        (
            "bounds crossed",
            vec![
                ("lower_bound", AnyValue::Float64(5.0)),
                ("upper_bound", AnyValue::Float64(1.0)),
            ],
        ),
        (
            "value beyond a bound",
            vec![("upper_bound", AnyValue::Float64(3.5))],
        ),
        ("zero scale", vec![("scale", AnyValue::Float64(0.0))]),
        ("negative weight", vec![("weight", AnyValue::Float64(-1.0))]),
        (
            "cumulative without window",
            vec![("kind", AnyValue::String("cumulative"))],
        ),
        (
            "share without unit column",
            vec![("kind", AnyValue::String("share_of_units"))],
        ),
        (
            "share over an unknown key",
            vec![
                ("kind", AnyValue::String("share_of_units")),
                ("unit_column", AnyValue::String("county")),
            ],
        ),
        ("duplicate id", vec![("id", AnyValue::String("c"))]),
        (
            "id of a generated one",
            vec![("id", AnyValue::String("row 0"))],
        ),
    ];
    for (what, changes) in cases {
        let mut t = base();
        for (column, value) in changes {
            set(&mut t, column, value);
        }
        let from_assess = err(&obs, &t, &AssessOptions::default());
        let from_specs = targets_from_frame(&t, "indicator", &[], PeriodKind::Year).unwrap_err();
        assert_eq!(from_assess.to_string(), from_specs.to_string(), "{what}");
        assert!(
            matches!(
                from_assess,
                OntrackError::InvalidTarget { .. } | OntrackError::DuplicateTarget { .. }
            ),
            "{what}: {from_assess}"
        );
    }
    // Two bad rows: the first in row order is reported, by both.
    let mut t = base();
    set(&mut t, "direction", AnyValue::String("sideways"));
    set_row(&mut t, 0, "weight", AnyValue::Float64(-1.0));
    let from_assess = err(&obs, &t, &AssessOptions::default());
    let from_specs = targets_from_frame(&t, "indicator", &[], PeriodKind::Year).unwrap_err();
    assert_eq!(from_assess.to_string(), from_specs.to_string());
    assert!(from_assess.to_string().contains("row 0"), "{from_assess}");
}
