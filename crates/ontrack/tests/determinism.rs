//! Results depend only on each series, its targets and the options: not on the number of
//! threads, not on which other series are computed alongside, and the schema declared before
//! anything runs is the schema of the real result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ontrack::polars::prelude::*;
use ontrack::schema::{output_schema, Operation};
use ontrack::{assess, project, AssessOptions, Horizon, ProjectOptions};

/// A deterministic panel: `n` series over 2005–2022 with gaps, nulls and a few short series,
/// two key columns (one integer), and a target for every other series.
fn panel(n: usize) -> (DataFrame, DataFrame) {
    let (mut ind, mut region, mut code, mut year, mut value) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for s in 0..n {
        let first = 2005 + (s % 13) as i64;
        let level = 10.0 + 90.0 * next();
        let slope = next() * 4.0 - 1.5;
        for y in first..=2022 {
            if next() < 0.08 {
                continue; // a gap
            }
            ind.push(if s % 3 == 0 { "a" } else { "b" });
            region.push(format!("r{s}"));
            code.push((s % 7) as i64);
            year.push(y);
            let noise = next() * 3.0 - 1.5;
            value.push((next() > 0.05).then_some(level + slope * (y - first) as f64 + noise));
        }
    }
    let obs = df!(
        "indicator" => ind, "region" => region, "code" => code, "year" => year, "value" => value,
    )
    .unwrap();
    let targeted: Vec<usize> = (0..n).filter(|s| s % 2 == 0).collect();
    let targets = df!(
        "indicator" => targeted.iter().map(|s| if s % 3 == 0 { "a" } else { "b" }).collect::<Vec<_>>(),
        "region" => targeted.iter().map(|s| format!("r{s}")).collect::<Vec<_>>(),
        "code" => targeted.iter().map(|s| (s % 7) as i64).collect::<Vec<_>>(),
        "direction" => targeted.iter().map(|s| if s % 4 == 0 { "increase" } else { "decrease" }).collect::<Vec<_>>(),
        "target_value" => targeted.iter().map(|s| 20.0 + *s as f64 % 80.0).collect::<Vec<_>>(),
        "target_year" => vec![2030i64; targeted.len()],
    )
    .unwrap();
    (obs, targets)
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
        let alone_obs = obs
            .clone()
            .lazy()
            .filter(col("region").eq(lit(region)))
            .collect()
            .unwrap();
        let alone = assess(
            &alone_obs,
            &targets,
            &AssessOptions {
                include_targets_without_data: false,
                ..opts.clone()
            },
        )
        .unwrap();
        let from_full = full
            .clone()
            .lazy()
            .filter(col("region").eq(lit(region)))
            .collect()
            .unwrap();
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
