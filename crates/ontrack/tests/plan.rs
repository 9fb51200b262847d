//! Plan files: the Langfang plan loads completely, broken files give positioned errors, JSON
//! reads like TOML, and the targets frame round-trips through `targets_from_frame`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ontrack::plan::{lookup_unit, parse_plan, read_plan, PlanFormat, UnitDimension};
use ontrack::polars::prelude::*;
use ontrack::{targets_from_frame, OntrackError, PeriodKind, TargetKind, TargetSpec};

fn repo_root() -> PathBuf {
    common::manifest_dir().join("../..")
}

fn langfang_path() -> PathBuf {
    repo_root().join("plans/langfang_2017.toml")
}

fn fixture(name: &str) -> PathBuf {
    common::manifest_dir().join("tests/plans").join(name)
}

/// Kind → count of `kind = "..."` lines in a TOML plan's text.
fn kinds_in_text(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        if let Some(rest) = line.trim().strip_prefix("kind = \"") {
            let kind = rest.trim_end_matches('"').to_string();
            *out.entry(kind).or_insert(0) += 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------- Langfang plan

#[test]
fn langfang_plan_loads_and_every_target_converts() {
    let path = langfang_path();
    let text = std::fs::read_to_string(&path).unwrap();
    let plan = read_plan(&path).unwrap();
    assert_eq!(plan.meta.id, "langfang-2017-innovation-reform");
    assert_eq!(plan.meta.base_year, Some(2016));
    assert_eq!(plan.meta.year, Some(2017));

    let headers = text.lines().filter(|l| l.trim() == "[[targets]]").count();
    assert_eq!(plan.targets.len(), headers);
    assert_eq!(plan.targets.len(), 23, "plans/README.md says 23 targets");
    let group_headers = text.lines().filter(|l| l.trim() == "[[groups]]").count();
    assert_eq!(plan.groups.len(), group_headers);

    let specs = plan.to_target_specs().unwrap();
    assert_eq!(specs.len(), plan.targets.len());

    // Counts by kind: the file's text, the parsed plan and the specs agree.
    let from_text = kinds_in_text(&text);
    let mut from_specs = BTreeMap::new();
    for s in &specs {
        *from_specs.entry(s.kind.as_str().to_string()).or_insert(0) += 1;
    }
    assert_eq!(from_specs, from_text);
    // ... and the README's summary line: level 7, share_of_units 7, cumulative 6,
    // direction 2, binary 1, change 0.
    let count = |k: &str| from_specs.get(k).copied().unwrap_or(0);
    assert_eq!(
        [
            count("level"),
            count("share_of_units"),
            count("cumulative"),
            count("direction"),
            count("binary"),
            count("change")
        ],
        [7, 7, 6, 2, 1, 0]
    );

    // Every group referenced exists; ids unique; labels present.
    let mut ids: Vec<&str> = specs.iter().map(|s| s.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), specs.len());
    for t in &plan.targets {
        assert!(plan.group(&t.group).is_some(), "{}", t.id);
        assert!(t.label_zh.is_some() && t.label_en.is_some(), "{}", t.id);
        assert!(t.note.is_some(), "{}", t.id);
    }
    for s in &specs {
        assert_eq!(
            s.label,
            plan.targets.iter().find(|t| t.id == s.id).unwrap().label_en
        );
    }
    assert_eq!(
        plan.unit_columns(),
        [
            "cluster",
            "enterprise",
            "quarter",
            "county",
            "development_zone"
        ]
    );
}

#[test]
fn langfang_scales_come_from_the_unit_table() {
    let plan = read_plan(&langfang_path()).unwrap();
    let specs = plan.to_target_specs().unwrap();
    let spec = |id: &str| specs.iter().find(|s| s.id == id).unwrap();

    let turnover = spec("lf-2018-06"); // 超过40亿元
    assert_eq!(turnover.unit.as_deref(), Some("亿元"));
    assert_eq!(turnover.scale, 1e8);
    assert_eq!(turnover.value, Some(40.0));
    assert!(turnover.strict);
    assert_eq!(turnover.year, Some(2018.0));

    assert_eq!(spec("lf-t07-02").scale, 1e8); // 千亿级 cluster, 1000 亿元
    assert_eq!(spec("lf-2018-01").scale, 1.0); // %
    assert_eq!(spec("lf-2018-05").scale, 1.0); // 家
    assert_eq!(spec("lf-t09-04").scale, 1.0); // 人
    let binary = spec("lf-2020-03");
    assert_eq!(binary.kind, TargetKind::Binary);
    assert_eq!((binary.unit.as_deref(), binary.scale), (None, 1.0));

    let cumulative = spec("lf-2018-03");
    assert_eq!(cumulative.window_start, Some(2016.0));
    let share = spec("lf-m10-01");
    assert_eq!(share.unit_column.as_deref(), Some("county"));
    assert_eq!(share.unit_threshold, Some(1.0));
    assert_eq!(share.group.as_deref(), Some("measure-10"));
}

#[test]
fn langfang_labels_quote_the_source() {
    // plans/README.md promises every label_zh is an exact substring of the plan's source text,
    // which the plan file names in `[plan] source` (relative to plans/).
    let plan = read_plan(&langfang_path()).unwrap();
    let source = plan.meta.source.as_deref().unwrap();
    let text = std::fs::read_to_string(repo_root().join("plans").join(source)).unwrap();
    assert!(text.starts_with("廊坊市推进全面创新改革试验区建设工作方案"));
    for t in &plan.targets {
        let label = t.label_zh.as_deref().unwrap();
        assert!(
            text.contains(label),
            "{}: {label:?} is not in the source text",
            t.id
        );
    }
}

#[test]
fn langfang_targets_frame_round_trips() {
    let plan = read_plan(&langfang_path()).unwrap();
    let specs = plan.to_target_specs().unwrap();
    let frame = plan.targets_frame().unwrap();
    assert_eq!(frame.height(), specs.len());
    for extra in ["label_zh", "label_en", "note", "group_name"] {
        assert!(frame.column(extra).is_ok(), "{extra}");
    }
    // share_of_units targets need their unit columns among the keys.
    let keys = plan.unit_columns();
    let mut back = targets_from_frame(&frame, "indicator", &keys, PeriodKind::Year).unwrap();
    for s in &mut back {
        // Keys absent from the targets frame apply the target to every sub-unit.
        assert!(s.keys.values().all(Option::is_none), "{}", s.id);
        s.keys.clear();
    }
    assert_eq!(back, specs);
    // Without the unit columns the share_of_units targets cannot be validated.
    assert!(targets_from_frame(&frame, "indicator", &[], PeriodKind::Year).is_err());
    let names: Vec<String> = frame
        .column("group_name")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect();
    assert_eq!(names[0], "Overall goals for 2018");
}

// ---------------------------------------------------------------------------- small plan, JSON

#[test]
fn small_plan_round_trips_through_the_targets_frame() {
    let plan = read_plan(&fixture("small.toml")).unwrap();
    let specs = plan.to_target_specs().unwrap();
    let frame = plan.targets_frame().unwrap();
    let expected_columns = [
        "id",
        "indicator",
        "kind",
        "direction",
        "target_value",
        "target_year",
        "strict",
        "baseline_year",
        "baseline_value",
        "window_start",
        "lower_bound",
        "upper_bound",
        "unit",
        "scale",
        "label",
        "group",
        "weight",
        "change_type",
        "unit_column",
        "unit_threshold",
        "label_zh",
        "label_en",
        "note",
        "group_name",
    ];
    let names: Vec<&str> = frame
        .get_column_names()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, expected_columns);
    assert_eq!(
        frame.column("target_year").unwrap().dtype(),
        &DataType::Int64
    );
    let back = targets_from_frame(&frame, "indicator", &[], PeriodKind::Year).unwrap();
    assert_eq!(back, specs);

    let spec = |id: &str| specs.iter().find(|s| s.id == id).unwrap();
    assert_eq!(spec("s-01").value, Some(40.0)); // an integer in the file
    assert_eq!(spec("s-01").scale, 1e8);
    assert_eq!(
        spec("s-01").label.as_deref(),
        Some("技术合同成交额超过40亿元")
    );
    assert_eq!(spec("s-03").unit.as_deref(), Some("percent"));
    assert_eq!(spec("s-03").label.as_deref(), Some("Share clearly raised"));
    assert_eq!(spec("s-04").scale, 1e4);
    assert_eq!(spec("s-04").weight, 2.0);
    assert_eq!(spec("s-06").scale, 7e8); // explicit scale, unit outside the table
    let group_name = frame.column("group_name").unwrap().str().unwrap();
    assert_eq!(group_name.get(0), Some("Group one"));
    assert_eq!(group_name.get(2), Some("第二组"));
}

#[test]
fn json_loads_the_same_as_toml() {
    let toml = read_plan(&fixture("small.toml")).unwrap();
    let json = read_plan(&fixture("small.json")).unwrap();
    assert_eq!(json, toml);
    assert_eq!(
        json.to_target_specs().unwrap(),
        toml.to_target_specs().unwrap()
    );
    assert_eq!(json.file(), fixture("small.json").display().to_string());
    // And the serde model writes JSON that reads back the same.
    let text = serde_json::to_string_pretty(&toml).unwrap();
    let again = parse_plan(&text, "again.json", PlanFormat::Json).unwrap();
    assert_eq!(again, toml);
}

#[test]
fn units_table() {
    let yi = lookup_unit("亿元").unwrap();
    assert_eq!((yi.scale, yi.dimension), (1e8, UnitDimension::Money));
    assert_eq!(lookup_unit("万元").unwrap().scale, 1e4);
    assert_eq!(lookup_unit("万").unwrap().scale, 1e4);
    assert_eq!(lookup_unit("千").unwrap().scale, 1e3);
    assert_eq!(lookup_unit("%").unwrap().scale, 1.0);
    assert_eq!(lookup_unit("‰").unwrap().share_max(), Some(1000.0));
    assert_eq!(lookup_unit("Percent").unwrap().name, "%");
    assert_eq!(lookup_unit("100 million yuan (亿元)").unwrap().scale, 1e8);
    for count in ["个", "家", "项", "人", "次", "件", "所", "座", "count"] {
        let u = lookup_unit(count).unwrap();
        assert_eq!(
            (u.scale, u.dimension),
            (1.0, UnitDimension::Count),
            "{count}"
        );
    }
    assert!(lookup_unit("亿美元").is_none());
    assert!(lookup_unit("").is_none());
}

// ---------------------------------------------------------------------------- broken files

struct Expect<'a> {
    line: usize,
    column: usize,
    target: Option<&'a str>,
    message: &'a str,
}

fn broken(name: &str) -> (OntrackError, String) {
    let path = fixture(name);
    match read_plan(&path) {
        Err(e) => (e, path.display().to_string()),
        Ok(_) => panic!("{name} loaded without error"),
    }
}

fn check(name: &str, expect: &Expect<'_>) {
    let (err, path) = broken(name);
    let text = err.to_string();
    assert_eq!(err.kind(), "Plan");
    let OntrackError::Plan {
        file,
        line,
        column,
        target_id,
        message,
    } = err
    else {
        panic!("{name}: not a plan error: {text}");
    };
    assert_eq!(file, path, "{name}");
    assert_eq!(
        (line, column),
        (Some(expect.line), Some(expect.column)),
        "{name}: {text}"
    );
    assert_eq!(target_id.as_deref(), expect.target, "{name}: {text}");
    assert!(
        message.contains(expect.message),
        "{name}: {message:?} lacks {:?}",
        expect.message
    );
    let prefix = format!("{path}:{}:{}: ", expect.line, expect.column);
    assert!(text.starts_with(&prefix), "{text}");
    if let Some(id) = expect.target {
        assert!(
            text.starts_with(&format!("{prefix}target \"{id}\": ")),
            "{text}"
        );
    }
}

#[test]
fn wrong_type() {
    check(
        "wrong_type.toml",
        &Expect {
            line: 26,
            column: 9,
            target: Some("b-02"),
            message: "field \"value\": invalid type: string \"forty\", expected a number",
        },
    );
}

#[test]
fn unknown_kind() {
    check(
        "unknown_kind.toml",
        &Expect {
            line: 24,
            column: 8,
            target: Some("b-02"),
            message: "field \"kind\": unknown kind \"levell\"",
        },
    );
}

#[test]
fn missing_deadline_points_at_the_target_entry() {
    check(
        "missing_deadline.toml",
        &Expect {
            line: 20,
            column: 1,
            target: Some("b-02"),
            message: "field \"deadline\": is required for a level target",
        },
    );
}

#[test]
fn duplicate_id_names_both_lines() {
    check(
        "duplicate_id.toml",
        &Expect {
            line: 21,
            column: 6,
            target: Some("b-01"),
            message: "duplicate target id \"b-01\": first (line 9), again (line 21)",
        },
    );
}

#[test]
fn undeclared_group() {
    check(
        "undeclared_group.toml",
        &Expect {
            line: 22,
            column: 9,
            target: Some("b-02"),
            message: "field \"group\": group \"g2\" is not declared in [[groups]] (declared: g1)",
        },
    );
}

#[test]
fn unit_mismatch_unknown_unit() {
    check(
        "unknown_unit.toml",
        &Expect {
            line: 27,
            column: 8,
            target: Some("b-02"),
            message: "field \"unit\": unit mismatch: unknown unit \"亿美元\"",
        },
    );
}

#[test]
fn unit_mismatch_share_out_of_range() {
    check(
        "share_out_of_range.toml",
        &Expect {
            line: 18,
            column: 15,
            target: Some("b-01"),
            message: "field \"upper_bound\": unit mismatch: 1000000000 is not a share in \"%\"",
        },
    );
}

#[test]
fn unit_mismatch_one_indicator_two_units() {
    check(
        "indicator_two_units.toml",
        &Expect {
            line: 27,
            column: 8,
            target: Some("b-02"),
            message: "unit mismatch: indicator \"share\" is in \"%\" (scale 1) in target \"b-01\" (line 15) but in \"亿元\"",
        },
    );
}

#[test]
fn cumulative_without_window() {
    check(
        "cumulative_without_window.toml",
        &Expect {
            line: 20,
            column: 1,
            target: Some("b-02"),
            message: "field \"window_start\": is required for a cumulative target",
        },
    );
}

#[test]
fn unknown_field_points_at_the_key() {
    check(
        "unknown_field.toml",
        &Expect {
            line: 29,
            column: 1,
            target: Some("b-02"),
            message: "unknown field `deadlin`",
        },
    );
}

#[test]
fn syntax_error() {
    check(
        "syntax_error.toml",
        &Expect {
            line: 23,
            column: 22,
            target: Some("b-02"),
            message: "",
        },
    );
}

#[test]
fn json_wrong_type_counts_columns_in_characters() {
    check(
        "wrong_type.json",
        &Expect {
            line: 6,
            column: 124,
            target: Some("j-02"),
            message: "field \"value\": invalid type: string \"forty\", expected a number",
        },
    );
}

#[test]
fn json_missing_deadline_points_at_the_object() {
    check(
        "missing_deadline.json",
        &Expect {
            line: 6,
            column: 5,
            target: Some("j-02"),
            message: "field \"deadline\": is required for a level target",
        },
    );
}

#[test]
fn plan_table_and_files() {
    let e = parse_plan(
        "[plan]\nname_en = \"x\"\n\n[[targets]]\n",
        "p.toml",
        PlanFormat::Toml,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("p.toml:1:1: [plan]: missing field `id`"),
        "{e}"
    );
    let e = parse_plan(
        "targets = []\n[plan]\nid = \"\"\n",
        "p.toml",
        PlanFormat::Toml,
    );
    let e = e.unwrap_err().to_string();
    assert!(
        e.starts_with("p.toml:3:6: [plan]: field \"id\": is an empty string"),
        "{e}"
    );
    let e = parse_plan(
        "targets = []\n[plan]\nid = \"p\"\n[[groups]]\nid = \"g\"\n[[groups]]\nid = \"g\"\n",
        "p.toml",
        PlanFormat::Toml,
    );
    let e = e.unwrap_err().to_string();
    assert!(
        e.starts_with(
            "p.toml:7:6: group \"g\": field \"id\": duplicate group id (first at line 4)"
        ),
        "{e}"
    );
    let e = parse_plan(
        "targets = []\n[plan]\nid = \"p\"\n[[groups]]\nid = \"g\"\nname = \"x\"\n",
        "p.toml",
        PlanFormat::Toml,
    );
    let e = e.unwrap_err().to_string();
    assert!(
        e.starts_with("p.toml:6:1: group \"g\": unknown field `name`"),
        "{e}"
    );
    let e = parse_plan(
        "[plan]\nid = \"p\"\n[[targets]]\ngroup = \"g\"\n",
        "p.toml",
        PlanFormat::Toml,
    );
    let e = e.unwrap_err().to_string();
    assert!(
        e.starts_with("p.toml:3:1: [[targets]] entry 1: missing field `id`"),
        "{e}"
    );
    let e = parse_plan(
        "{\n  \"plan\": {\"id\": \"p\",}\n}",
        "x.json",
        PlanFormat::Json,
    )
    .unwrap_err();
    assert!(
        matches!(
            e,
            OntrackError::Plan {
                line: Some(2),
                column: Some(_),
                target_id: None,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("trailing comma"), "{e}");
    let e = read_plan(Path::new("no/such/plan.toml")).unwrap_err();
    assert!(
        e.to_string().starts_with("no/such/plan.toml: cannot read"),
        "{e}"
    );
    let e = read_plan(Path::new("plan.yaml")).unwrap_err();
    assert!(e.to_string().contains("expected .toml or .json"), "{e}");
}

#[test]
fn kind_specific_fields_are_checked() {
    let base = r#"
[plan]
id = "p"
[[groups]]
id = "g"
[[targets]]
id = "t"
group = "g"
indicator = "x"
kind = "direction"
direction = "increase"
deadline = 2020
"#;
    let err = |extra: &str| {
        parse_plan(&format!("{base}{extra}\n"), "p.toml", PlanFormat::Toml)
            .unwrap_err()
            .to_string()
    };
    assert!(
        err("value = 3.0").starts_with(
            "p.toml:13:9: target \"t\": field \"value\": a direction target has no number"
        ),
        "{}",
        err("value = 3.0")
    );
    assert!(err("window_start = 2016").contains("only applies to cumulative targets"));
    assert!(err("unit_column = \"county\"").contains("only applies to share_of_units"));
    assert!(err("note = \"\"").contains("field \"note\": is an empty string"));
    assert!(err("unit = \"‰\"\nupper_bound = 2000.0").contains("not a share in \"‰\" (0 to 1000)"));
    // A plan built in code has no positions.
    let plan = parse_plan(base, "p.toml", PlanFormat::Toml).unwrap();
    let mut t = plan.targets[0].clone();
    t.group = "nope".into();
    let code = ontrack::Plan::new(plan.meta.clone(), plan.groups.clone(), vec![t]);
    let e = code.to_target_specs().unwrap_err().to_string();
    assert!(
        e.starts_with("<plan>: target \"t\": field \"group\""),
        "{e}"
    );
}

#[test]
fn spec_serde_matches_plan() {
    // A TargetSpec from a plan serialises like any other (the Python side ships specs as JSON).
    let plan = read_plan(&fixture("small.toml")).unwrap();
    let specs = plan.to_target_specs().unwrap();
    let json = serde_json::to_string(&specs).unwrap();
    let back: Vec<TargetSpec> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, specs);
}
