//! `rollup` on a small hand-checked plan (docs/rollups.md).
//!
//! The plan: eight level targets, each on its own indicator, every one "reach 121 by 2017"
//! from 100 in 2015, with the latest value in 2016. So `g_r = √1.21 − 1 = 0.1` and
//! `g_a = y_2016/100 − 1`, hence Open SDG's `R = g_a / g_r`:
//!
//! | target | group | weight | y_2016 | R | status | Open SDG score | progress `(y−100)/21` | ESCAP `A = (y²/100 − 100)/21` |
//! |---|---|---|---|---|---|---|---|---|
//! | A | G1 | 1 | 110 | 1.0 | on_track | 7.1429·1 − 4.2857 = 2.8572 | 10/21 | 21/21 = 1 |
//! | B | G1 | 2 | 107 | 0.7 | needs_acceleration | 7.1429·0.7 − 4.2857 = 0.71433 | 7/21 | 14.49/21 = 0.69 |
//! | C | G1 | 1 | 103 | 0.3 | off_track | 4.1667·0.3 − 2.5 = −1.24999 | 3/21 | 6.09/21 = 0.29 |
//! | D | G2 | 3 | 95 | −0.5 | regressing | 4.1667·(−0.5) − 2.5 = −4.58335 | −5/21 | −9.75/21 |
//! | E | G2 | 1 | 125 | 2.5 | achieved | 5 | 25/21 | 56.25/21 |
//! | F | G2 | 1 | — (one point) | — | insufficient_data | — | — | — |
//! | G | G2 | 1 | 110 | 1.0 | on_track | 2.8572 | 10/21 | 1 |
//! | H | G2 | 2 | 103 | 0.3 | off_track | −1.24999 | 3/21 | 0.29 |
//!
//! (ESCAP with two points: the log-linear fit is exact, `ŷ_2017 = y_2016·(y_2016/100)`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
use common::*;
use ontrack::polars::prelude::*;
use ontrack::{assess, rollup, AssessOptions, Frame, OntrackError, RollupHow, RollupOptions};

const TOL: f64 = 1e-9;

/// The assessed plan of the module docs, by `methods`; `keep` filters the target ids.
fn plan(methods: &[&str], keep: &[&str]) -> DataFrame {
    let latest = [
        ("a", Some(110.0)),
        ("b", Some(107.0)),
        ("c", Some(103.0)),
        ("d", Some(95.0)),
        ("e", Some(125.0)),
        ("f", None),
        ("g", Some(110.0)),
        ("h", Some(103.0)),
    ];
    let (mut ind, mut yr, mut val) = (vec![], vec![], vec![]);
    for (name, y) in latest {
        ind.push(name);
        yr.push(2015_i64);
        val.push(100.0);
        if let Some(y) = y {
            ind.push(name);
            yr.push(2016);
            val.push(y);
        }
    }
    let obs = df!("indicator" => ind, "year" => yr, "value" => val).unwrap();
    let ids = ["A", "B", "C", "D", "E", "F", "G", "H"];
    let targets = df!(
        "id" => ids,
        "indicator" => ["a", "b", "c", "d", "e", "f", "g", "h"],
        "direction" => ["increase"; 8],
        "target_value" => [121.0; 8],
        "target_year" => [2017_i64; 8],
        "group" => ["G1", "G1", "G1", "G2", "G2", "G2", "G2", "G2"],
        "weight" => [1.0, 2.0, 1.0, 3.0, 1.0, 1.0, 1.0, 2.0],
    )
    .unwrap();
    let mask: BooleanChunked = ids.iter().map(|id| keep.contains(id)).collect();
    let targets = targets.filter(&mask).unwrap();
    let mut opts = AssessOptions::default().with_methods(methods).unwrap();
    opts.include_untargeted = false;
    assess(&obs, &targets, &opts).unwrap()
}

const ALL: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];

fn roll(result: &DataFrame, by: &[&str], how: RollupHow) -> DataFrame {
    rollup(result, &RollupOptions::by(by.iter().copied()).with_how(how)).unwrap()
}

/// An integer cell.
fn u(df: &DataFrame, col: &str, row: usize) -> u32 {
    df.column(col).unwrap().u32().unwrap().get(row).unwrap()
}

fn counts(df: &DataFrame, row: usize) -> [u32; 6] {
    [
        "n_achieved",
        "n_on_track",
        "n_needs_acceleration",
        "n_off_track",
        "n_regressing",
        "n_insufficient_data",
    ]
    .map(|c| u(df, c, row))
}

#[test]
fn the_plan_is_as_documented() {
    let r = plan(&["open_sdg"], &ALL);
    assert_eq!(r.height(), 8);
    let statuses: Vec<String> = (0..8).map(|i| s(&r, "status", i).unwrap()).collect();
    assert_eq!(
        statuses,
        [
            "on_track",
            "needs_acceleration",
            "off_track",
            "regressing",
            "achieved",
            "insufficient_data",
            "on_track",
            "off_track"
        ]
    );
    for (i, score) in [2.8572, 0.71433, -1.24999, -4.58335, 5.0]
        .iter()
        .enumerate()
    {
        close_abs(f(&r, "score", i), *score, TOL);
    }
    assert_eq!(f(&r, "score", 5), None);
}

#[test]
fn mean_score_by_group_every_column() {
    let r = plan(&["open_sdg"], &ALL);
    let out = roll(&r, &["group"], RollupHow::MeanScore);
    assert_eq!(out.height(), 2);
    let names: Vec<&str> = out.get_column_names().iter().map(|c| c.as_str()).collect();
    assert_eq!(
        names,
        [
            "group",
            "method",
            "n",
            "n_assessed",
            "coverage",
            "n_achieved",
            "n_on_track",
            "n_needs_acceleration",
            "n_off_track",
            "n_regressing",
            "n_insufficient_data",
            "share_on_track",
            "mean_score",
            "weighted_mean_score",
            "total_weight",
            "mean_progress",
            "mean_ratio",
            "worst_status",
            "two_worst_status",
            "status",
            "how",
            "reason",
        ]
    );

    // G1 = A, B, C: all assessed.
    assert_eq!(s(&out, "group", 0).as_deref(), Some("G1"));
    assert_eq!(s(&out, "method", 0).as_deref(), Some("open_sdg"));
    assert_eq!((u(&out, "n", 0), u(&out, "n_assessed", 0)), (3, 3));
    close(f(&out, "coverage", 0), 1.0);
    assert_eq!(counts(&out, 0), [0, 1, 1, 1, 0, 0]);
    // (achieved 0 + on_track 1) / 3 assessed
    close(f(&out, "share_on_track", 0), 1.0 / 3.0);
    // (2.8572 + 0.71433 − 1.24999) / 3 = 2.32154 / 3
    close_abs(f(&out, "mean_score", 0), 2.32154 / 3.0, TOL);
    // weights 1, 2, 1: (2.8572 + 2·0.71433 − 1.24999) / 4 = 3.03587 / 4
    close_abs(f(&out, "weighted_mean_score", 0), 3.03587 / 4.0, TOL);
    close(f(&out, "total_weight", 0), 4.0);
    // (10 + 7 + 3) / 21 / 3
    close(f(&out, "mean_progress", 0), 20.0 / 63.0);
    // (1.0 + 0.7 + 0.3) / 3
    close_abs(f(&out, "mean_ratio", 0), 2.0 / 3.0, TOL);
    assert_eq!(s(&out, "worst_status", 0).as_deref(), Some("off_track"));
    // the two worst are off_track (C) and needs_acceleration (B): the better one
    assert_eq!(
        s(&out, "two_worst_status", 0).as_deref(),
        Some("needs_acceleration")
    );
    // 0.7738 is in [0, 2.5)
    assert_eq!(s(&out, "status", 0).as_deref(), Some("needs_acceleration"));
    assert_eq!(s(&out, "how", 0).as_deref(), Some("mean_score"));
    assert_eq!(s(&out, "reason", 0), None);

    // G2 = D, E, F, G, H: F has one point, so 4 of 5 assessed — exactly the SDSN 80%.
    assert_eq!(s(&out, "group", 1).as_deref(), Some("G2"));
    assert_eq!((u(&out, "n", 1), u(&out, "n_assessed", 1)), (5, 4));
    close(f(&out, "coverage", 1), 0.8);
    assert_eq!(counts(&out, 1), [1, 1, 0, 1, 1, 1]);
    // (achieved 1 + on_track 1) / 4 assessed
    close(f(&out, "share_on_track", 1), 0.5);
    // (−4.58335 + 5 + 2.8572 − 1.24999) / 4 = 2.02386 / 4
    close_abs(f(&out, "mean_score", 1), 2.02386 / 4.0, TOL);
    // weights 3, 1, (F), 1, 2: (3·−4.58335 + 5 + 2.8572 + 2·−1.24999) / 7 = −8.39283 / 7
    close_abs(f(&out, "weighted_mean_score", 1), -8.39283 / 7.0, TOL);
    close(f(&out, "total_weight", 1), 7.0);
    // (−5 + 25 + 10 + 3) / 21 / 4; F's progress (0, one point) is not counted
    close(f(&out, "mean_progress", 1), 33.0 / 84.0);
    // (−0.5 + 2.5 + 1.0 + 0.3) / 4
    close_abs(f(&out, "mean_ratio", 1), 3.3 / 4.0, TOL);
    assert_eq!(s(&out, "worst_status", 1).as_deref(), Some("regressing"));
    // the two worst are regressing (D) and off_track (H)
    assert_eq!(s(&out, "two_worst_status", 1).as_deref(), Some("off_track"));
    // 0.506 is in [0, 2.5)
    assert_eq!(s(&out, "status", 1).as_deref(), Some("needs_acceleration"));
    assert_eq!(s(&out, "reason", 1), None);
}

#[test]
fn status_by_each_how() {
    let r = plan(&["open_sdg"], &ALL);
    let status = |how: RollupHow| -> Vec<Option<String>> {
        let out = roll(&r, &["group"], how);
        (0..2).map(|i| s(&out, "status", i)).collect()
    };
    let st = |a: &str, b: &str| vec![Some(a.to_string()), Some(b.to_string())];
    assert_eq!(
        status(RollupHow::MeanScore),
        st("needs_acceleration", "needs_acceleration")
    );
    // Unequal weights move G2 from 0.506 (needs acceleration) to −1.199, in [−2.5, 0).
    assert_eq!(
        status(RollupHow::WeightedMeanScore),
        st("needs_acceleration", "off_track")
    );
    // G1 1/3 < 0.5 → off_track (1 of 3 regress: no majority); G2 0.5 → needs_acceleration.
    assert_eq!(
        status(RollupHow::ShareOnTrack),
        st("off_track", "needs_acceleration")
    );
    // Two worst vs worst: one bad indicator alone does not colour the goal.
    assert_eq!(
        status(RollupHow::TwoWorst),
        st("needs_acceleration", "off_track")
    );
    assert_eq!(status(RollupHow::Worst), st("off_track", "regressing"));
    // Open SDG's R has no single scale: mean_value gives no status for it.
    let out = roll(&r, &["group"], RollupHow::MeanValue);
    assert_eq!(s(&out, "status", 0), None);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("ESCAP's anticipated-progress cut-offs only"));
}

#[test]
fn sdsn_twenty_percent_rule() {
    // Exactly 80% (4 of 5 in G2) aggregates: see mean_score_by_group_every_column.
    // Without H, G2 = D, E, F, G: 3 of 4 assessed, coverage 0.75 < 0.8 → no aggregate.
    let r = plan(&["open_sdg"], &["A", "B", "C", "D", "E", "F", "G"]);
    for how in [
        RollupHow::MeanScore,
        RollupHow::WeightedMeanScore,
        RollupHow::ShareOnTrack,
        RollupHow::TwoWorst,
        RollupHow::Worst,
        RollupHow::MeanValue,
    ] {
        let out = roll(&r, &["group"], how);
        assert_eq!(s(&out, "group", 1).as_deref(), Some("G2"));
        // The row is there, with its counts.
        assert_eq!((u(&out, "n", 1), u(&out, "n_assessed", 1)), (4, 3));
        assert_eq!(counts(&out, 1), [1, 1, 0, 0, 1, 1]);
        close(f(&out, "coverage", 1), 0.75);
        for col in [
            "share_on_track",
            "mean_score",
            "weighted_mean_score",
            "total_weight",
            "mean_progress",
            "mean_ratio",
        ] {
            assert_eq!(f(&out, col, 1), None, "{col} by {how}");
        }
        for col in ["worst_status", "two_worst_status", "status"] {
            assert_eq!(s(&out, col, 1), None, "{col} by {how}");
        }
        let what = match how {
            RollupHow::MeanScore | RollupHow::WeightedMeanScore => "have no score",
            RollupHow::MeanValue => "have no method_ratio",
            _ => "are insufficient_data",
        };
        assert_eq!(
            s(&out, "reason", 1).unwrap(),
            format!("coverage 0.75 below 0.80 (1 of 4 rows {what}): no aggregate (SDSN rule)")
        );
        // G1 is untouched (mean_value gives Open SDG no status, with its reason).
        close(f(&out, "coverage", 0), 1.0);
        assert_eq!(s(&out, "status", 0).is_some(), how != RollupHow::MeanValue);
    }
    // A lower bar gives the aggregate: (−4.58335 + 5 + 2.8572) / 3.
    let opts = RollupOptions::by(["group"]).with_min_coverage(0.75);
    let out = rollup(&r, &opts).unwrap();
    close_abs(f(&out, "mean_score", 1), 3.27385 / 3.0, TOL);
    // A higher bar than 0.8 refuses G2 of the full plan (coverage 0.8).
    let full = plan(&["open_sdg"], &ALL);
    let opts = RollupOptions::by(["group"]).with_min_coverage(0.81);
    let out = rollup(&full, &opts).unwrap();
    assert_eq!(f(&out, "mean_score", 1), None);
    assert!(s(&out, "reason", 1)
        .unwrap()
        .starts_with("coverage 0.80 below 0.81"));
}

#[test]
fn methods_never_mix() {
    let r = plan(&["open_sdg", "unsd_2022"], &ALL);
    assert_eq!(r.height(), 16);
    for by in [vec!["group"], vec!["group", "method"]] {
        let out = roll(&r, &by, RollupHow::Worst);
        assert_eq!(out.height(), 4);
        let keys: Vec<(String, String)> = (0..4)
            .map(|i| (s(&out, "group", i).unwrap(), s(&out, "method", i).unwrap()))
            .collect();
        // First-seen order.
        let want = [
            ("G1", "open_sdg"),
            ("G1", "unsd_2022"),
            ("G2", "open_sdg"),
            ("G2", "unsd_2022"),
        ];
        assert_eq!(
            keys,
            want.map(|(g, m)| (g.to_string(), m.to_string())).to_vec()
        );
        // Each group counts its own method's rows only.
        assert_eq!(
            (0..4).map(|i| u(&out, "n", i)).collect::<Vec<_>>(),
            [3, 3, 5, 5]
        );
        // UNSD's CR = R here: 1.0 substantial, 0.7 fair, 0.3 limited, −0.5 deterioration.
        assert_eq!(counts(&out, 1), [0, 1, 1, 1, 0, 0]);
        assert_eq!(counts(&out, 3), [1, 1, 0, 1, 1, 1]);
        assert_eq!(s(&out, "status", 3).as_deref(), Some("regressing"));
    }
    // Scores: Open SDG's are averaged; UNSD defines none, so its groups have no aggregate.
    let out = roll(&r, &["group"], RollupHow::MeanScore);
    close_abs(f(&out, "mean_score", 0), 2.32154 / 3.0, TOL);
    assert_eq!(f(&out, "mean_score", 1), None);
    assert_eq!(s(&out, "status", 1), None);
    assert_eq!(
        s(&out, "reason", 1).unwrap(),
        "coverage 0.00 below 0.80 (3 of 3 rows have no score): no aggregate (SDSN rule)"
    );
    // No `by`: one group per method over the whole plan.
    let out = roll(&r, &[], RollupHow::ShareOnTrack);
    assert_eq!(out.height(), 2);
    assert_eq!(out.get_column_names()[0].as_str(), "method");
    // 8 rows, 7 assessed (≥ 0.8 coverage: 7/8); (1 achieved + 2 on_track) / 7
    close(f(&out, "coverage", 0), 7.0 / 8.0);
    close(f(&out, "share_on_track", 0), 3.0 / 7.0);
    close(f(&out, "share_on_track", 1), 3.0 / 7.0);
}

#[test]
fn escap_regional_mean_value() {
    let r = plan(&["escap"], &ALL);
    let out = roll(&r, &["group"], RollupHow::MeanValue);
    // G1: A = (1 + 0.69 + 0.29) / 3 = 0.66 → 0 ≤ A < 1: accelerate
    close_abs(f(&out, "mean_ratio", 0), 0.66, TOL);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("needs_acceleration"));
    // G2: (−9.75 + 56.25 + 21 + 6.09) / 21 / 4 = 73.59 / 84 (F not counted)
    close_abs(f(&out, "mean_ratio", 1), 73.59 / 84.0, TOL);
    assert_eq!(s(&out, "status", 1).as_deref(), Some("needs_acceleration"));
    // Unweighted: the weights do not enter.
    let opts = RollupOptions::by(["group"])
        .with_how(RollupHow::MeanValue)
        .with_weight("weight");
    let weighted_cols = rollup(&r, &opts).unwrap();
    assert_eq!(f(&weighted_cols, "mean_ratio", 1), f(&out, "mean_ratio", 1));
    // ESCAP's score is the current status CS = progress: its mean is not banded by Open SDG's
    // −5…5 bands.
    let out = roll(&r, &["group"], RollupHow::MeanScore);
    close(f(&out, "mean_score", 0), 20.0 / 63.0);
    assert_eq!(s(&out, "status", 0), None);
    assert!(s(&out, "reason", 0)
        .unwrap()
        .contains("Open SDG score bands (-5 to 5) only"));
    // By region, by hand: (1.2 + 0.9)/2 = 1.05 ≥ 1 → maintain (on_track); (−0.5 + 0.2)/2 < 0
    // → reverse (regressing); every row achieved → achieved.
    let r = df!(
        "region" => ["east", "east", "west", "west", "north"],
        "method" => ["escap"; 5],
        "status" => ["on_track", "needs_acceleration", "regressing", "needs_acceleration", "achieved"],
        "method_ratio" => [1.2, 0.9, -0.5, 0.2, 1.4],
    )
    .unwrap();
    let out = roll(&r, &["region"], RollupHow::MeanValue);
    close(f(&out, "mean_ratio", 0), 1.05);
    close(f(&out, "mean_ratio", 1), -0.15);
    let got: Vec<String> = (0..3).map(|i| s(&out, "status", i).unwrap()).collect();
    assert_eq!(got, ["on_track", "regressing", "achieved"]);
}

/// A result frame written by hand (rollup takes any frame with the columns it needs).
fn statuses(group: &[&str], status: &[&str], score: &[Option<f64>]) -> DataFrame {
    df!(
        "group" => group,
        "method" => vec!["open_sdg"; group.len()],
        "status" => status,
        "score" => score,
    )
    .unwrap()
}

#[test]
fn share_on_track_bands() {
    let g = [
        "a", "a", "a", "a", "a", "b", "b", "b", "c", "c", "c", "c", "d", "d",
    ];
    let st = [
        // a: 4 of 5 on track or achieved = 0.8 → on_track
        "on_track",
        "achieved",
        "on_track",
        "on_track",
        "off_track",
        // b: 0 of 3, 2 of 3 regress (a majority) → regressing
        "regressing",
        "regressing",
        "off_track",
        // c: 1 of 4 = 0.25, 2 of 4 regress (not a majority) → off_track
        "on_track",
        "regressing",
        "regressing",
        "needs_acceleration",
        // d: all achieved → achieved
        "achieved",
        "achieved",
    ];
    let r = statuses(&g, &st, &[None; 14]);
    let out = roll(&r, &["group"], RollupHow::ShareOnTrack);
    let got: Vec<String> = (0..4).map(|i| s(&out, "status", i).unwrap()).collect();
    assert_eq!(got, ["on_track", "regressing", "off_track", "achieved"]);
    close(f(&out, "share_on_track", 0), 0.8);
    close(f(&out, "share_on_track", 2), 0.25);
    // 0.5 exactly: needs acceleration.
    let r = statuses(&["x", "x"], &["on_track", "off_track"], &[None; 2]);
    let out = roll(&r, &["group"], RollupHow::ShareOnTrack);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("needs_acceleration"));
}

#[test]
fn two_worst_with_one_assessed_row_and_achieved_groups() {
    let r = statuses(
        &["x", "y", "y", "y", "y", "y"],
        &[
            "needs_acceleration",
            "achieved",
            "achieved",
            "achieved",
            "achieved",
            "regressing",
        ],
        &[
            Some(1.0),
            Some(5.0),
            Some(5.0),
            Some(5.0),
            Some(5.0),
            Some(-5.0),
        ],
    );
    let out = roll(&r, &["group"], RollupHow::TwoWorst);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("needs_acceleration"));
    assert_eq!(
        s(&out, "reason", 0).as_deref(),
        Some("one assessed row: its status")
    );
    // One regressing indicator among four achieved: the better of (regressing, achieved).
    assert_eq!(s(&out, "status", 1).as_deref(), Some("achieved"));
    let out = roll(&r, &["group"], RollupHow::Worst);
    assert_eq!(s(&out, "status", 1).as_deref(), Some("regressing"));
    // Mean score: (4·5 − 5)/5 = 3 → on track, not achieved (not every row is).
    let out = roll(&r, &["group"], RollupHow::MeanScore);
    close(f(&out, "mean_score", 1), 3.0);
    assert_eq!(s(&out, "status", 1).as_deref(), Some("on_track"));
    let r = statuses(
        &["z", "z"],
        &["achieved", "achieved"],
        &[Some(5.0), Some(5.0)],
    );
    let out = roll(&r, &["group"], RollupHow::MeanScore);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("achieved"));
}

#[test]
fn weighted_mean_without_or_with_another_weight_column() {
    let r = statuses(
        &["x", "x"],
        &["on_track", "off_track"],
        &[Some(4.0), Some(-2.0)],
    );
    // No weight column: equal weights, said in reason: (4 − 2)/2.
    let out = roll(&r, &["group"], RollupHow::WeightedMeanScore);
    close(f(&out, "weighted_mean_score", 0), 1.0);
    assert_eq!(
        s(&out, "reason", 0).as_deref(),
        Some("no weight column: equal weights")
    );
    // A named column: (3·4 + 1·−2)/4 = 2.5 → on track; a null weight counts 1.
    let r2 = r
        .clone()
        .with_column(Column::new("w".into(), [3.0, 1.0]))
        .unwrap()
        .clone();
    let opts = RollupOptions::by(["group"])
        .with_how(RollupHow::WeightedMeanScore)
        .with_weight("w");
    let out = rollup(&r2, &opts).unwrap();
    close(f(&out, "weighted_mean_score", 0), 2.5);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("on_track"));
    let r3 = r
        .clone()
        .with_column(Column::new("weight".into(), [Some(3.0), None]))
        .unwrap()
        .clone();
    let out = roll(&r3, &["group"], RollupHow::WeightedMeanScore);
    close(f(&out, "weighted_mean_score", 0), 2.5);
    assert_eq!(
        s(&out, "reason", 0).as_deref(),
        Some("a row without weight counts with weight 1")
    );
}

#[test]
fn errors() {
    let r = plan(&["open_sdg"], &ALL);
    let missing = |res: ontrack::Result<DataFrame>, col: &str| match res {
        Err(OntrackError::MissingColumn {
            frame: Frame::Result,
            column,
            available,
        }) => {
            assert_eq!(column, col);
            assert!(available.contains("status"));
        }
        other => panic!("expected a missing {col:?}, got {other:?}"),
    };
    missing(rollup(&r, &RollupOptions::by(["region"])), "region");
    missing(
        rollup(&r.drop("status").unwrap(), &RollupOptions::by(["group"])),
        "status",
    );
    missing(
        rollup(&r.drop("method").unwrap(), &RollupOptions::by(["group"])),
        "method",
    );
    missing(
        rollup(&r.drop("score").unwrap(), &RollupOptions::by(["group"])),
        "score",
    );
    missing(
        rollup(
            &r.drop("method_ratio").unwrap(),
            &RollupOptions::by(["group"]).with_how(RollupHow::MeanValue),
        ),
        "method_ratio",
    );
    missing(
        rollup(&r, &RollupOptions::by(["group"]).with_weight("importance")),
        "importance",
    );
    // `score` is needed only by the score means.
    let out = rollup(
        &r.drop("score").unwrap(),
        &RollupOptions::by(["group"]).with_how(RollupHow::Worst),
    )
    .unwrap();
    assert_eq!(f(&out, "mean_score", 0), None);

    // Unknown how: InvalidOption naming `how`.
    match "median".parse::<RollupHow>() {
        Err(OntrackError::InvalidOption { option, message }) => {
            assert_eq!(option, "how");
            assert!(message.contains("two_worst"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    for name in RollupHow::NAMES {
        assert_eq!(name.parse::<RollupHow>().unwrap().as_str(), name);
    }
    assert_eq!(
        "Two-Worst".parse::<RollupHow>().unwrap(),
        RollupHow::TwoWorst
    );

    let invalid = |opts: RollupOptions, option: &str| match rollup(&r, &opts) {
        Err(OntrackError::InvalidOption { option: o, .. }) => assert_eq!(o, option),
        other => panic!("expected InvalidOption {option}, got {other:?}"),
    };
    invalid(
        RollupOptions::by(["group"]).with_min_coverage(1.5),
        "min_coverage",
    );
    invalid(RollupOptions::by(["group", "group"]), "by");
    invalid(RollupOptions::by(["status"]), "by");
    let mut opts = RollupOptions::by(["group"]);
    opts.share_cuts = [0.4, 0.6];
    invalid(opts, "share_cuts");

    // Bad values in the result.
    let bad = statuses(&["x"], &["great"], &[None]);
    match rollup(&bad, &RollupOptions::by(["group"])) {
        Err(OntrackError::ColumnType { column, found, .. }) => {
            assert_eq!(column, "status");
            assert_eq!(found, "the string \"great\" at row 0");
        }
        other => panic!("{other:?}"),
    }
    let null = df!(
        "group" => ["x", "x"],
        "method" => ["open_sdg", "open_sdg"],
        "status" => [Some("on_track"), None],
        "score" => [1.0, 2.0],
    )
    .unwrap();
    match rollup(&null, &RollupOptions::by(["group"])) {
        Err(OntrackError::NullValue { column, row, .. }) => {
            assert_eq!((column.as_str(), row), ("status", 1));
        }
        other => panic!("{other:?}"),
    }
    let negative = statuses(&["x"], &["on_track"], &[Some(1.0)])
        .with_column(Column::new("weight".into(), [-1.0]))
        .unwrap()
        .clone();
    match rollup(&negative, &RollupOptions::by(["group"])) {
        Err(OntrackError::ColumnType { column, found, .. }) => {
            assert_eq!(column, "weight");
            assert_eq!(found, "the value -1 at row 0");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn key_types_are_kept_and_nulls_group() {
    let r = df!(
        "region" => [Some(7_i64), Some(7), None, Some(3)],
        "method" => ["open_sdg"; 4],
        "status" => ["on_track", "off_track", "achieved", "regressing"],
        "score" => [3.0, -1.0, 5.0, -4.0],
    )
    .unwrap();
    let out = roll(&r, &["region"], RollupHow::Worst);
    assert_eq!(out.column("region").unwrap().dtype(), &DataType::Int64);
    let regions: Vec<Option<i64>> = out
        .column("region")
        .unwrap()
        .i64()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(regions, [Some(7), None, Some(3)]);
    assert_eq!(s(&out, "status", 0).as_deref(), Some("off_track"));
    assert_eq!(s(&out, "status", 1).as_deref(), Some("achieved"));
    // An empty result rolls up to an empty frame with every column.
    let empty = r.head(Some(0));
    let out = roll(&empty, &["region"], RollupHow::MeanScore);
    assert_eq!(out.height(), 0);
    assert_eq!(out.width(), 22);
}
