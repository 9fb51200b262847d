//! A progress observer changes nothing in the results (for any chunk size), sees every job
//! done, and can stop a call between chunks with `OntrackError::Interrupted`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use ontrack::polars::prelude::*;
use ontrack::{
    assess, compare_methods, project, sensitivity, AssessOptions, Horizon, OntrackError, Progress,
    ProjectOptions, SensitivityOptions,
};

mod common;

/// The shared seeded panel keyed by `region` only.
fn panel(n: usize) -> (DataFrame, DataFrame) {
    common::seeded_panel(n, 0x2545_F491_4F6C_DD1D, false)
}

/// Every `(done, total)` an observer was told.
type Log = Arc<Mutex<Vec<(usize, usize)>>>;

/// An observer recording every report.
fn recorder(chunk: Option<usize>) -> (Progress, Log) {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let progress = Progress::new(move |done, total| {
        sink.lock().unwrap().push((done, total));
        ControlFlow::Continue(())
    });
    let progress = match chunk {
        Some(n) => progress.with_chunk_size(n),
        None => progress,
    };
    (progress, log)
}

/// Reports start at 0, never go back, never exceed the total and end at the total.
fn check_reports(log: &[(usize, usize)]) {
    let (first, last) = (log.first().unwrap(), log.last().unwrap());
    assert_eq!(first.0, 0, "{log:?}");
    assert!(last.1 > 0 && last.0 == last.1, "{log:?}");
    assert!(
        log.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 == w[1].1),
        "{log:?}"
    );
}

fn base() -> AssessOptions {
    AssessOptions::default()
        .with_by(["region"])
        .with_methods(["open_sdg", "unsd_2023"])
        .unwrap()
}

#[test]
fn assess_results_are_identical_with_and_without_an_observer_for_any_chunk_size() {
    let (obs, targets) = panel(240);
    let plain = assess(&obs, &targets, &base()).unwrap();
    assert!(plain.height() >= 480);
    for chunk in [Some(1), Some(7), Some(100), Some(100_000), None] {
        let (progress, log) = recorder(chunk);
        let opts = AssessOptions {
            progress: Some(progress),
            ..base()
        };
        let observed = assess(&obs, &targets, &opts).unwrap();
        assert!(observed.equals_missing(&plain), "chunk {chunk:?}");
        let log = log.lock().unwrap();
        check_reports(&log);
        // One job per target × series and per untargeted series: 240 jobs.
        assert_eq!(log.last().unwrap().1, 240);
        if chunk == Some(7) {
            assert_eq!(log.len(), 1 + 240_usize.div_ceil(7));
        }
    }
}

#[test]
fn compare_and_sensitivity_results_do_not_change_and_count_every_pass() {
    let (obs, targets) = panel(90);
    let closed = AssessOptions {
        projection: None,
        ..base()
    };
    let plain = compare_methods(&obs, &targets, &closed).unwrap();
    let (progress, log) = recorder(Some(5));
    let observed = compare_methods(
        &obs,
        &targets,
        &AssessOptions {
            progress: Some(progress),
            ..closed.clone()
        },
    )
    .unwrap();
    assert!(observed.equals_missing(&plain));
    check_reports(&log.lock().unwrap());

    let years = vec![2006.0, 2008.0, 2010.0];
    let plain = sensitivity(
        &obs,
        &targets,
        &SensitivityOptions {
            assess: closed.clone(),
            base_years: Some(years.clone()),
        },
    )
    .unwrap();
    let (progress, log) = recorder(Some(11));
    let observed = sensitivity(
        &obs,
        &targets,
        &SensitivityOptions {
            assess: AssessOptions {
                progress: Some(progress),
                ..closed
            },
            base_years: Some(years),
        },
    )
    .unwrap();
    assert!(observed.equals_missing(&plain));
    let log = log.lock().unwrap();
    check_reports(&log);
    // Five passes (reference, three base years, without the latest point) of 90 jobs.
    assert_eq!(log.last().unwrap().1, 5 * 90);
}

#[test]
fn project_results_are_identical_with_and_without_an_observer() {
    let (obs, _) = panel(120);
    let opts = ProjectOptions {
        horizon: Horizon::Steps(4),
        columns: base(),
        ..ProjectOptions::default()
    }
    .with_methods(["auto", "drift"])
    .unwrap();
    let plain = project(&obs, &opts).unwrap();
    for chunk in [Some(1), Some(13), None] {
        let (progress, log) = recorder(chunk);
        let mut observed_opts = opts.clone();
        observed_opts.columns.progress = Some(progress);
        let observed = project(&obs, &observed_opts).unwrap();
        assert!(observed.equals_missing(&plain), "chunk {chunk:?}");
        let log = log.lock().unwrap();
        check_reports(&log);
        assert_eq!(log.last().unwrap().1, 240); // series × methods
    }
}

#[test]
fn an_observer_stops_assess_and_project_between_chunks() {
    let (obs, targets) = panel(200);
    let calls = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&calls);
    let stop_after_two = Progress::new(move |_, _| {
        let mut n = counter.lock().unwrap();
        *n += 1;
        if *n > 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .with_chunk_size(10);
    let opts = AssessOptions {
        progress: Some(stop_after_two.clone()),
        ..base()
    };
    let err = assess(&obs, &targets, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            OntrackError::Interrupted {
                done: 20,
                total: 200
            }
        ),
        "{err}"
    );
    assert_eq!(err.kind(), "Interrupted");
    assert_eq!(err.to_string(), "interrupted after 20 of 200 jobs");

    *calls.lock().unwrap() = 0;
    let popts = ProjectOptions {
        columns: opts,
        ..ProjectOptions::default()
    };
    let err = project(&obs, &popts).unwrap_err();
    assert!(
        matches!(
            err,
            OntrackError::Interrupted {
                done: 20,
                total: 200
            }
        ),
        "{err}"
    );
}
