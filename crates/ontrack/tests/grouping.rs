//! How observations are cut into series: the same result whatever the row order, the chunk
//! layout of the columns or the length of the key strings; duplicates found wherever they are.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::cast_possible_truncation
)]

use ontrack::polars::prelude::*;
use ontrack::{assess, AssessOptions, OntrackError};

/// Indicator names longer than the 12 bytes a string view holds inline, all of one length
/// and with one 4-byte prefix, so that only their tails tell them apart.
fn indicator(i: usize) -> String {
    format!("indicator-with-a-long-name-{:03}", i % 7)
}

/// 7 indicators × 6 regions (one region null) × 2011..=2020, sorted by series then year.
fn sorted_panel() -> DataFrame {
    let (mut ind, mut reg, mut year, mut value) = (vec![], vec![], vec![], vec![]);
    for s in 0..42usize {
        let region = match s % 6 {
            5 => None,
            r => Some(format!("r{r}")),
        };
        for (k, y) in (2011..=2020i64).enumerate() {
            ind.push(indicator(s / 6));
            reg.push(region.clone());
            year.push(y);
            // A missing value now and then; levels and slopes differ by series.
            let v = 10.0 + s as f64 + (s % 4) as f64 * 0.7 * k as f64;
            value.push(((s + k) % 9 != 0).then_some(v));
        }
    }
    df!("indicator" => ind, "region" => reg, "year" => year, "value" => value).unwrap()
}

/// A target for every series but the last two (which appear as untargeted rows).
fn targets() -> DataFrame {
    let (mut ind, mut reg, mut val) = (vec![], vec![], vec![]);
    for s in 0..40usize {
        ind.push(indicator(s / 6));
        reg.push(match s % 6 {
            5 => None, // a null key targets every region of the indicator
            r => Some(format!("r{r}")),
        });
        val.push(30.0 + s as f64);
    }
    let n = ind.len();
    let ids: Vec<String> = (0..n).map(|i| format!("t{i:02}")).collect();
    df!(
        "id" => ids,
        "indicator" => ind,
        "region" => reg,
        "direction" => vec!["increase"; n],
        "target_value" => val,
        "target_year" => vec![2030i64; n],
    )
    .unwrap()
}

fn opts() -> AssessOptions {
    AssessOptions::default()
        .with_by(["region"])
        .with_methods(["open_sdg"])
        .unwrap()
}

/// The result in a canonical row order.
fn canonical(df: DataFrame) -> DataFrame {
    df.sort(
        ["target_id", "indicator", "region"],
        SortMultipleOptions::default().with_nulls_last(true),
    )
    .unwrap()
}

/// `df` as several chunks cut at `cuts` (row numbers), without rechunking.
fn chunked(df: &DataFrame, cuts: &[usize]) -> DataFrame {
    let mut bounds = vec![0];
    bounds.extend_from_slice(cuts);
    bounds.push(df.height());
    let mut out = df.slice(0, 0);
    for w in bounds.windows(2) {
        out.vstack_mut(&df.slice(w[0] as i64, w[1] - w[0])).unwrap();
    }
    out
}

#[test]
fn row_order_and_chunk_layout_do_not_change_the_result() {
    let obs = sorted_panel();
    let expected = canonical(assess(&obs, &targets(), &opts()).unwrap());
    // 34 targets on one series each, 6 with a null region fanning out over the 6 series of
    // their indicator, 2 series without a target.
    assert_eq!(expected.height(), 34 + 6 * 6 + 2);
    let n = obs.height();

    // Chunks cut inside a series, at a series boundary and one row long.
    let pieces = chunked(&obs, &[3, 10, 11, 200, 201, 333]);
    assert!(pieces.column("indicator").unwrap().n_chunks() > 1);
    let got = canonical(assess(&pieces, &targets(), &opts()).unwrap());
    assert!(got.equals_missing(&expected), "chunked input differs");

    // Rows in a scrambled order (a fixed permutation).
    let order: Vec<IdxSize> = (0..n as IdxSize).map(|i| (i * 97) % n as IdxSize).collect();
    let idx = IdxCa::from_vec("idx".into(), order);
    let shuffled = obs.take(&idx).unwrap();
    let got = canonical(assess(&shuffled, &targets(), &opts()).unwrap());
    assert!(got.equals_missing(&expected), "shuffled input differs");

    // Every series in two runs far apart (first halves, then second halves), and chunked.
    let first: Vec<IdxSize> = (0..n as IdxSize).filter(|i| i % 10 < 5).collect();
    let second: Vec<IdxSize> = (0..n as IdxSize).filter(|i| i % 10 >= 5).collect();
    let mut split = obs.take(&IdxCa::from_vec("i".into(), first)).unwrap();
    split
        .vstack_mut(&obs.take(&IdxCa::from_vec("i".into(), second)).unwrap())
        .unwrap();
    let got = canonical(assess(&split, &targets(), &opts()).unwrap());
    assert!(got.equals_missing(&expected), "split series differ");
}

#[test]
fn long_keys_that_differ_only_in_their_tail_are_different_series() {
    let obs = sorted_panel();
    let out = assess(&obs, &targets(), &opts()).unwrap();
    // Every targeted row covers one series of 10 years: no two series were merged.
    let ids = out.column("target_id").unwrap().str().unwrap();
    let points = out.column("n_points").unwrap().u32().unwrap();
    let missing = out.column("n_missing").unwrap().u32().unwrap();
    for row in 0..out.height() {
        if ids.get(row).is_some() {
            let total = points.get(row).unwrap() + missing.get(row).unwrap();
            assert_eq!(total, 10, "row {row}");
        }
    }
    assert_eq!(ids.null_count(), 2);
    let indicators = out.column("indicator").unwrap().n_unique().unwrap();
    assert_eq!(indicators, 7);
}

#[test]
fn duplicates_are_found_across_chunks_and_runs() {
    let obs = sorted_panel();
    // Row 25 (series 2, 2016) again at the end, in its own chunk.
    let mut dup = obs.clone();
    dup.vstack_mut(&obs.slice(25, 1)).unwrap();
    let err = assess(&dup, &targets(), &opts()).unwrap_err();
    match err {
        OntrackError::DuplicateObservation {
            series,
            period,
            first_row,
            second_row,
        } => {
            assert_eq!(series, format!("indicator={}, region=r2", indicator(0)));
            assert_eq!(period, "2016");
            assert_eq!((first_row, second_row), (25, obs.height()));
        }
        other => panic!("expected a duplicate, got {other}"),
    }
}

#[test]
fn targets_in_any_order_find_their_series() {
    // Sorted observations (no index built while grouping), targets in reverse: every lookup
    // misses the "next series" guess and goes through the index built on first use.
    let obs = sorted_panel();
    let expected = canonical(assess(&obs, &targets(), &opts()).unwrap());
    let t = targets();
    let reversed = t.reverse();
    let got = canonical(assess(&obs, &reversed, &opts()).unwrap());
    assert!(got.equals_missing(&expected));
}

#[test]
fn empty_observations_leave_every_target_without_data() {
    let obs = sorted_panel().slice(0, 0);
    let out = assess(&obs, &targets(), &opts()).unwrap();
    assert_eq!(out.height(), 40);
    let status = out
        .column("status")
        .unwrap()
        .cast(&DataType::String)
        .unwrap();
    assert!(status
        .str()
        .unwrap()
        .iter()
        .all(|s| s == Some("insufficient_data")));
}
