//! Replays the fuzzing corpus and every crash reproducer of `fuzz/` as ordinary tests, in the
//! normal (uninstrumented) build: each input goes through the same harness the fuzzer runs
//! (`fuzz/src/lib.rs`), which panics if ontrack panics, returns an error naming nothing, or
//! loses a series.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

#[path = "../../../fuzz/src/lib.rs"]
mod harness;

mod common;

use ontrack::PlanFormat;
use std::path::PathBuf;

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = common::manifest_dir().join("../../fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn replay(target: &str, run: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no corpus for {target}");
    for path in files {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} fails", path.display());
    }
}

#[test]
fn plan_toml_corpus() {
    replay("plan_toml", |d| harness::plan(d, PlanFormat::Toml));
}

#[test]
fn plan_json_corpus() {
    replay("plan_json", |d| harness::plan(d, PlanFormat::Json));
}

#[test]
fn assess_frame_corpus() {
    replay("assess_frame", harness::assess);
}

#[test]
fn project_frame_corpus() {
    replay("project_frame", harness::project);
}

#[test]
fn decoded_frames_are_small_and_varied() {
    // The decoder the fuzzer drives: 3 rows with a null year and a NaN, 1 target.
    let data = [
        3u8, 0, 1, 5, 10, 1, 0, 255, 240, 2, 1, 7, 0, 1, 0, 0, 0, 0, 12,
    ];
    let (obs, targets) = harness::frames(&data).unwrap();
    assert_eq!(obs.height(), 3);
    assert_eq!(obs.column("year").unwrap().null_count(), 1);
    assert_eq!(targets.height(), 1);
}
