//! Results depend only on each series, its targets and the options: not on the number of
//! threads, not on which other series are computed alongside, and the schema declared before
//! anything runs is the schema of the real result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ontrack::polars::prelude::*;
use ontrack::schema::{output_schema, Operation};
use ontrack::{assess, project, AssessOptions, Horizon, ProjectOptions};

mod common;

/// The shared seeded panel with two key columns (`region`, integer `code`).
fn panel(n: usize) -> (DataFrame, DataFrame) {
    common::seeded_panel(n, 0x9E37_79B9_7F4A_7C15, true)
}

fn options(threads: usize) -> AssessOptions {
    let mut opts = AssessOptions::default()
        .with_by(["region", "code"])
        .with_methods(["open_sdg", "unsd_2023"])
        .unwrap();
    opts.threads = Some(threads);
    opts
}

#[test]
fn one_and_two_threads_give_identical_results() {
    let (obs, targets) = panel(600);
    let one = assess(&obs, &targets, &options(1)).unwrap();
    let two = assess(&obs, &targets, &options(2)).unwrap();
    assert!(one.height() > 600);
    assert!(one.equals_missing(&two));

    let mut p1 = ProjectOptions {
        horizon: Horizon::Steps(3),
        ..ProjectOptions::default()
    };
    p1.columns = options(1);
    let mut p2 = p1.clone();
    p2.columns.threads = Some(2);
    assert!(project(&obs, &p1)
        .unwrap()
        .equals_missing(&project(&obs, &p2).unwrap()));
}

#[test]
fn a_series_result_does_not_depend_on_the_other_series() {
    let (obs, targets) = panel(300);
    let opts = options(2);
    let full = assess(&obs, &targets, &opts).unwrap();
    // Assess the series of one region alone: its rows are those of the full run.
    for region in ["r0", "r7", "r42"] {
        // Eager filtering: the crate's own polars features have no lazy frames.
        let in_region = |df: &DataFrame| {
            let mask = df.column("region").unwrap().str().unwrap().equal(region);
            df.filter(&mask).unwrap()
        };
        let alone_obs = in_region(&obs);
        let alone = assess(
            &alone_obs,
            &targets,
            &AssessOptions {
                include_targets_without_data: false,
                ..opts.clone()
            },
        )
        .unwrap();
        let from_full = in_region(&full);
        assert!(alone.height() > 0);
        assert!(alone.equals_missing(&from_full), "region {region}");
    }
}

#[test]
fn the_declared_schema_is_the_schema_of_the_result() {
    let (obs, targets) = panel(200);
    for opts in [
        options(1),
        AssessOptions {
            projection: None,
            ..options(1)
        },
    ] {
        let real = assess(&obs, &targets, &opts).unwrap();
        let declared =
            output_schema(Operation::Assess(&opts), obs.schema(), targets.schema()).unwrap();
        assert_eq!(real.schema().as_ref(), &declared);
        let real = ontrack::compare_methods(&obs, &targets, &opts).unwrap();
        let declared = output_schema(
            Operation::CompareMethods(&opts),
            obs.schema(),
            targets.schema(),
        )
        .unwrap();
        assert_eq!(real.schema().as_ref(), &declared);
    }
    let popts = ProjectOptions {
        columns: options(1),
        ..ProjectOptions::default()
    };
    let real = project(&obs, &popts).unwrap();
    let declared =
        output_schema(Operation::Project(&popts), obs.schema(), &Schema::default()).unwrap();
    assert_eq!(real.schema().as_ref(), &declared);
}

#[test]
fn a_declared_schema_fails_like_the_call() {
    let (obs, targets) = panel(5);
    let no_value = obs.drop("value").unwrap();
    let err = output_schema(
        Operation::Assess(&options(1)),
        no_value.schema(),
        targets.schema(),
    )
    .unwrap_err();
    assert!(
        matches!(err, ontrack::OntrackError::MissingColumn { .. }),
        "{err}"
    );
}
