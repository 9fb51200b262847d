"""The installed `ontrack` command, run in a subprocess on real data and on bad input."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import polars as pl
import polars.selectors as cs
import pytest
from polars.testing import assert_frame_equal

import ontrack

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "plans" / "langfang_2017.toml"
LANGFANG = ROOT / "data" / "langfang"
REPORTED = LANGFANG / "langfang_reported_values.csv"
MAPPING = LANGFANG / "indicator_map.csv"
RENEWABLES = ROOT / "data" / "uk_ons_sdg" / "indicator_7-2-1.csv"
LANGFANG_ARGS = (
    "--plan",
    PLAN,
    "--reported",
    REPORTED,
    "--mapping",
    MAPPING,
    "--method",
    "open_sdg,china_plan,unsd_2023",
    "--baseline-policy",
    "last_at_or_before",
)
RENEWABLE_SERIES = "Renewable energy share in the total final energy consumption"
# The ONS file as published: Series, Year and Value columns; the headline is the rows whose
# breakdown column is empty.
UK_ARGS = (
    "--indicator",
    "Series",
    "--year",
    "Year",
    "--value",
    "Value",
    "--where",
    "Renewable and waste source=",
)
SUBCOMMANDS = ("assess", "compare", "project", "check", "methods", "template")


def ontrack_command() -> str:
    """The console script installed next to this interpreter (``.venv/bin/ontrack``)."""
    found = shutil.which("ontrack", path=str(Path(sys.executable).parent))
    assert found is not None, "the `ontrack` console script is not installed in this venv"
    return found


def run(*args: object, status: int = 0, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the installed command; check its exit status and that no traceback is shown."""
    proc = subprocess.run(
        [ontrack_command(), *(str(a) for a in args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert proc.returncode == status, (
        f"exit {proc.returncode}, expected {status}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    if "--debug" not in args:
        assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def load_langfang_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "langfang_example_for_cli", ROOT / "examples" / "langfang.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------- shared inputs


def renewables() -> pl.DataFrame:
    """The UK headline renewable share (ONS SDG 7.2.1) as a long frame."""
    raw = pl.read_csv(RENEWABLES, infer_schema_length=0)
    rows = raw.filter(pl.col("Renewable and waste source").is_null())
    return rows.select(
        pl.col("Series").alias("indicator"),
        pl.col("Year").cast(pl.Int64).alias("year"),
        pl.col("Value").cast(pl.Float64).alias("value"),
    )


def renewable_targets() -> pl.DataFrame:
    """EU Renewable Energy Directive 2009/28/EC, Annex I: the UK's 15 % by 2020 (2005: 1.3 %).

    The ONS series follows UN/IEA accounting, not the Directive's, so its 2005 value differs
    from the Directive's 1.3 %; the baseline is taken from the data.
    """
    return pl.DataFrame(
        {
            "id": ["RED 2020", "RED 2030 (illustrative 30 %)"],
            "indicator": [RENEWABLE_SERIES, RENEWABLE_SERIES],
            "direction": ["increase", "increase"],
            "target_value": [15.0, 30.0],
            "target_year": [2020, 2030],
            "baseline_year": [2005, 2005],
            "lower_bound": [0.0, 0.0],
            "upper_bound": [100.0, 100.0],
        }
    )


@pytest.fixture(scope="module")
def targets_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("targets") / "targets.csv"
    renewable_targets().write_csv(path)
    return path


@pytest.fixture(scope="module")
def reference(targets_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    """The CLI's assessment of the ONS CSV as it is published (read back from Parquet)."""
    out = tmp_path_factory.mktemp("reference") / "result.parquet"
    run(
        "assess",
        "--targets",
        targets_csv,
        "--observations",
        RENEWABLES,
        *UK_ARGS,
        "--method",
        "open_sdg,unsd_2023",
        "--out",
        out,
    )
    return pl.read_parquet(out)


# ---------------------------------------------------------------------------- help, version


@pytest.mark.parametrize("subcommand", ["", *SUBCOMMANDS])
def test_help_of_every_subcommand_has_examples(subcommand: str) -> None:
    args = [subcommand, "--help"] if subcommand else ["--help"]
    proc = run(*args)
    assert f"Usage: ontrack {subcommand}".rstrip() in proc.stdout
    assert "Examples:" in proc.stdout
    if not subcommand:
        for name in SUBCOMMANDS:
            assert name in proc.stdout


def test_version_and_python_dash_m() -> None:
    assert ontrack.__version__ in run("--version").stdout
    proc = subprocess.run(
        [sys.executable, "-m", "ontrack", "methods"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "open_sdg" in proc.stdout


# ---------------------------------------------------------------------------- Langfang


@pytest.fixture(scope="module")
def langfang_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("langfang")
    paths = {kind: out / f"langfang.{kind}" for kind in ("parquet", "xlsx", "html", "csv", "json")}
    # one assessment, written to every format at once
    run("assess", *LANGFANG_ARGS, *(a for p in paths.values() for a in ("--out", p)))
    return paths


def test_langfang_cli_equals_the_example(langfang_outputs: dict[str, Path]) -> None:
    _, _, expected, _ = load_langfang_example().assess_langfang()
    got = pl.read_parquet(langfang_outputs["parquet"])
    assert got.height == 23 * 3
    assert_frame_equal(got, expected)


def test_langfang_excel_has_a_summary_and_a_sheet_per_method(
    langfang_outputs: dict[str, Path],
) -> None:
    import fastexcel

    path = langfang_outputs["xlsx"]
    assert fastexcel.read_excel(path).sheet_names == [
        "summary",
        "open_sdg",
        "china_plan",
        "unsd_2023",
    ]
    result = pl.read_parquet(langfang_outputs["parquet"])
    summary = pl.read_excel(path, sheet_name="summary")
    counts = result.group_by("method", "status").len()
    for row in counts.iter_rows(named=True):
        in_sheet = summary.filter(pl.col("method") == row["method"]).get_column(row["status"])
        assert in_sheet.item() == row["len"]
    assert summary.get_column("total").to_list() == [23, 23, 23]
    for method in ("open_sdg", "china_plan", "unsd_2023"):
        sheet = pl.read_excel(path, sheet_name=method)
        part = result.filter(pl.col("method") == method)
        assert sheet.get_column("target_id").to_list() == part.get_column("target_id").to_list()
        assert sheet.get_column("status").to_list() == part.get_column("status").to_list()
        assert_frame_equal(
            sheet.select(pl.col("progress").cast(pl.Float64)),
            part.select("progress"),
        )


def test_langfang_csv_json_and_html(langfang_outputs: dict[str, Path]) -> None:
    result = pl.read_parquet(langfang_outputs["parquet"])
    from_csv = pl.read_csv(langfang_outputs["csv"], infer_schema_length=None)
    assert from_csv.columns == result.columns
    # CSV keeps the Enum columns (method, status) as their names
    columns = ("target_id", "method", "status", "latest_value")
    assert_frame_equal(
        from_csv.select(columns),
        result.select(columns).with_columns(cs.enum().cast(pl.String)),
    )
    from_json = pl.read_json(langfang_outputs["json"])
    assert from_json.get_column("status").to_list() == result.get_column("status").to_list()
    html = langfang_outputs["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "廊坊市推进全面创新改革试验区建设工作方案" in html
    for target_id in result.get_column("target_id").unique().to_list():
        assert target_id in html
    assert html.count("data:image/png;base64,") >= 2


def test_langfang_on_the_terminal_in_chinese() -> None:
    proc = run("assess", *LANGFANG_ARGS, "--lang", "zh")
    plan = ontrack.read_plan(PLAN)
    label = plan.targets.filter(pl.col("id") == "lf-2018-06").get_column("label_zh").item()
    assert label[:20] in proc.stdout
    assert "lf-2018-06" in proc.stdout
    assert "ontrack: read plan" in proc.stderr
    assert "ontrack: assessing 23 targets" in proc.stderr
    quiet = run("assess", *LANGFANG_ARGS, "--quiet")
    assert quiet.stderr == ""


def test_langfang_compare(tmp_path: Path) -> None:
    out = tmp_path / "compare.parquet"
    run("compare", *LANGFANG_ARGS[:6], "--baseline-policy", "last_at_or_before", "--out", out)
    result = pl.read_parquet(out)
    assert set(result.get_column("method")) == set(ontrack.ALL_METHODS)
    assert {"methods_agree", "consensus_status", "data_note"} <= set(result.columns)
    assert result.get_column("target_id").n_unique() == 23


def test_threads_sets_the_library_thread_count(tmp_path: Path) -> None:
    script = (
        "import ontrack\n"
        "from ontrack.cli import cli\n"
        f"cli.main(['methods', '--threads', '1', '-q', '--out', {str(tmp_path / 'm.csv')!r}],"
        " standalone_mode=False)\n"
        "print(ontrack.threads())\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1"


def test_threads_do_not_change_the_result(tmp_path: Path) -> None:
    one, default = tmp_path / "one.parquet", tmp_path / "default.parquet"
    run("assess", *LANGFANG_ARGS, "--threads", "1", "--out", one)
    run("assess", *LANGFANG_ARGS, "--out", default)
    assert_frame_equal(pl.read_parquet(one), pl.read_parquet(default))


# ---------------------------------------------------------------------------- check


def test_check_a_valid_plan() -> None:
    proc = run("check", PLAN)
    assert proc.stdout == ""
    assert "valid, 23 targets" in proc.stderr


def _line_of(text: str, needle: str, after: int = 0) -> int:
    """1-based number of the first line at or after ``after`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(needle)


def test_check_lists_every_error(tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8")
    first = _line_of(text, 'id = "lf-2018-02"')
    kind = _line_of(text, "kind = ", after=first)
    second = _line_of(text, 'id = "lf-2018-06"')
    group = _line_of(text, "group = ", after=second)
    third = _line_of(text, 'id = "lf-2020-01"')
    lines = text.splitlines()
    lines[kind - 1] = 'kind = "levell"'
    lines[group - 1] = 'group = "goal-2019"'
    lines.insert(third, "deadlin = 2020")
    broken = tmp_path / "broken.toml"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    proc = run("check", broken, status=2)
    errors = proc.stdout.splitlines()
    assert len(errors) == 3, proc.stdout
    pattern = re.compile(
        r'^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): target "(?P<id>[^"]+)": (?P<rest>.+)$'
    )
    parsed = [pattern.match(e) for e in errors]
    assert all(parsed), errors
    found = [(int(m["line"]), m["id"], m["rest"]) for m in parsed if m]
    assert found[0][:2] == (kind, "lf-2018-02")
    assert found[0][2].startswith('field "kind": unknown kind "levell"')
    assert found[1][:2] == (group, "lf-2018-06")
    assert found[1][2].startswith('field "group": group "goal-2019" is not declared')
    assert found[2][:2] == (third + 1, "lf-2020-01")
    assert "unknown field `deadlin`" in found[2][2]
    assert all(m["file"] == str(broken) for m in parsed if m)
    assert "3 errors in 1 plan file(s)" in proc.stderr


def test_check_lists_every_error_of_a_json_plan(tmp_path: Path) -> None:
    target = {"group": "g", "indicator": "x", "direction": "increase", "value": 1.0}
    plan = {
        "plan": {"id": "p"},
        "groups": [{"id": "g"}],
        "targets": [
            {"id": "a", **target, "kind": "levell", "deadline": 2020},
            {"id": "b", **target, "kind": "level", "deadline": 2020, "group": "h"},
            {"id": "c", **target, "kind": "level", "deadline": "soon", "extra": 1},
            {"id": "d", **target, "kind": "level", "deadline": 2020},
        ],
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    errors = run("check", path, status=2).stdout.splitlines()
    targets = [e.split(": ", 2)[1] for e in errors]
    assert targets == ['target "a"', 'target "b"', 'target "c"', 'target "c"']
    assert 'field "kind": unknown kind "levell"' in errors[0]
    assert 'field "group": group "h" is not declared' in errors[1]
    assert 'field "deadline": invalid type: string "soon"' in errors[2]
    assert "unknown field `extra`" in errors[3]
    lines = path.read_text(encoding="utf-8").splitlines()
    for error, needle in zip(errors, ('"levell"', '"h"', '"soon"', '"extra"'), strict=True):
        line, column = (int(n) for n in error.split(":")[1:3])
        assert lines[line - 1][column - 1 :].startswith(needle), (error, lines[line - 1])


def test_check_lists_every_bad_field_of_one_target(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(
        '[plan]\nid = "p"\n\n[[groups]]\nid = "g"\n\n[[targets]]\nid = "t"\ngroup = "g"\n'
        'indicator = "x"\nkind = "level"\ndirection = "increase"\nvalue = "forty"\n'
        "deadlin = 2020\nstrickt = true\n",
        encoding="utf-8",
    )
    errors = run("check", path, status=2).stdout.splitlines()
    assert len(errors) == 3, errors
    assert errors[0].startswith(f'{path}:13:9: target "t": field "value": invalid type')
    assert errors[1].startswith(f'{path}:14:1: target "t": unknown field `deadlin`')
    assert errors[2].startswith(f'{path}:15:1: target "t": unknown field `strickt`')


def test_check_a_syntax_error_and_a_missing_file(tmp_path: Path) -> None:
    broken = tmp_path / "syntax.toml"
    broken.write_text('[plan]\nid = "x"\n\n[[targets]]\nid = "t\n', encoding="utf-8")
    proc = run("check", broken, status=2)
    assert proc.stdout.startswith(f"{broken}:5:")
    proc = run("check", tmp_path / "absent.toml", status=2)
    assert "cannot read" in proc.stdout


# ---------------------------------------------------------------------------- methods


def test_methods_lists_every_method_with_its_published_thresholds(tmp_path: Path) -> None:
    proc = run("methods")
    for name in ontrack.methods():
        assert re.search(rf"^{name}$", proc.stdout, re.MULTILINE), name
    # Open SDG progress measure (open-sdg.readthedocs.io, "Progress status"): R >= 0.95 is
    # substantial progress, R >= 0.6 moderate.
    block = proc.stdout.split("open_sdg\n", 1)[1].split("\n\n", 1)[0]
    assert "substantial=0.95" in block
    assert "moderate=0.6" in block
    out = tmp_path / "methods.csv"
    run("methods", "--out", out)
    frame = pl.read_csv(out)
    assert frame.get_column("method").to_list() == ontrack.methods()


# ---------------------------------------------------------------------------- UK data


def test_assess_uk_data_equals_the_python_api(reference: pl.DataFrame) -> None:
    expected = ontrack.assess(renewables(), renewable_targets(), method=["open_sdg", "unsd_2023"])
    assert_frame_equal(reference.rename({"Series": "indicator"}), expected)
    red = reference.filter(pl.col("target_id") == "RED 2020")
    # ONS 7.2.1 headline: 13.9 % in 2020 (data/uk_ons_sdg/README.md), below the 15 % target.
    assert red.get_column("latest_year").to_list() == [2020, 2020]
    assert red.get_column("latest_value").to_list() == [13.9, 13.9]
    assert set(red.get_column("status")) <= {"off_track", "needs_acceleration", "regressing"}


def test_project_uk_data_equals_the_python_api(tmp_path: Path) -> None:
    out = tmp_path / "projection.parquet"
    run(
        "project",
        RENEWABLES,
        *UK_ARGS,
        "--until",
        "2030",
        "--method",
        "linear,drift",
        "--lower-bound",
        "0",
        "--upper-bound",
        "100",
        "--out",
        out,
    )
    expected = ontrack.project(
        renewables(), method=["linear", "drift"], until=2030, lower_bound=0, upper_bound=100
    )
    got = pl.read_parquet(out).rename({"Series": "indicator", "Year": "year"}, strict=False)
    assert_frame_equal(got, expected)
    xlsx = tmp_path / "projection.xlsx"
    run("project", RENEWABLES, *UK_ARGS, "--until", "2030", "--out", xlsx)
    import fastexcel

    assert fastexcel.read_excel(xlsx).sheet_names == ["summary", "auto"]
    terminal = run("project", RENEWABLES, *UK_ARGS, "--horizon", "2")
    assert "2022" in terminal.stdout
    assert "2023" in terminal.stdout


def test_compare_uk_data(targets_csv: Path) -> None:
    proc = run(
        "compare",
        "--targets",
        targets_csv,
        "--observations",
        RENEWABLES,
        *UK_ARGS,
        "--method",
        "open_sdg,eurostat_short_term",
    )
    assert "consensus_status" in proc.stdout
    assert "RED 2020" in proc.stdout


# ---------------------------------------------------------------------------- input formats


def _write_inputs(frame: pl.DataFrame, folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """The same observations in every input format, with the options each needs."""
    wide = frame.pivot(on="year", index="indicator", values="value")
    csv_text = frame.write_csv()
    out: dict[str, tuple[Path, list[str]]] = {}
    path = folder / "utf8.csv"
    path.write_text(csv_text, encoding="utf-8")
    out["csv"] = (path, [])
    path = folder / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text.encode("utf-8"))
    out["csv with BOM"] = (path, [])
    path = folder / "gb18030.csv"
    path.write_bytes(csv_text.encode("gb18030"))
    out["GB18030 csv, detected"] = (path, [])
    out["GB18030 csv, --encoding"] = (path, ["--encoding", "gb18030"])
    path = folder / "comma.csv"
    semicolon = frame.with_columns(
        pl.col("value").cast(pl.String).str.replace(".", ",", literal=True)
    )
    path.write_text(semicolon.write_csv(separator=";"), encoding="utf-8")
    out["decimal comma"] = (path, ["--decimal-comma"])
    path = folder / "obs.parquet"
    frame.write_parquet(path)
    out["parquet"] = (path, [])
    path = folder / "obs.json"
    frame.write_json(path)
    out["json"] = (path, [])
    path = folder / "obs.ndjson"
    frame.write_ndjson(path)
    out["ndjson"] = (path, [])
    path = folder / "obs.xlsx"
    frame.write_excel(path, worksheet="data")
    out["xlsx, --sheet"] = (path, ["--sheet", "data"])
    path = folder / "wide.csv"
    wide.write_csv(path)
    out["wide csv"] = (path, ["--wide"])
    path = folder / "wide.xlsx"
    wide.write_excel(path, worksheet="observations")
    out["wide xlsx"] = (path, ["--wide"])
    return out


FORMATS = (
    "csv",
    "csv with BOM",
    "GB18030 csv, detected",
    "GB18030 csv, --encoding",
    "decimal comma",
    "parquet",
    "json",
    "ndjson",
    "xlsx, --sheet",
    "wide csv",
    "wide xlsx",
)


@pytest.fixture(scope="module")
def chinese_inputs(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, tuple[Path, list[str]]], Path, pl.DataFrame]:
    """The renewable share under a Chinese indicator name, in every format, and its targets."""
    folder = tmp_path_factory.mktemp("inputs")
    name = "可再生能源占终端能源消费比重"
    frame = renewables().with_columns(pl.lit(name).alias("indicator"))
    targets = renewable_targets().with_columns(pl.lit(name).alias("indicator"))
    targets_path = folder / "targets.xlsx"
    targets.write_excel(targets_path, worksheet="targets")
    expected = ontrack.assess(frame, targets, method=["open_sdg", "unsd_2023"])
    return _write_inputs(frame, folder), targets_path, expected


@pytest.mark.parametrize("name", FORMATS)
def test_every_input_format_gives_the_same_assessment(
    name: str,
    chinese_inputs: tuple[dict[str, tuple[Path, list[str]]], Path, pl.DataFrame],
    tmp_path: Path,
) -> None:
    inputs, targets, expected = chinese_inputs
    path, options = inputs[name]
    out = tmp_path / "result.parquet"
    run(
        "assess",
        "--targets",
        targets,
        "--observations",
        path,
        *options,
        "--method",
        "open_sdg",
        "--method",
        "unsd_2023",
        "--out",
        out,
    )
    assert_frame_equal(pl.read_parquet(out), expected)


def test_missing_markers_are_missing_values(tmp_path: Path, targets_csv: Path) -> None:
    frame = renewables()
    text = frame.write_csv().splitlines()
    # three of the values as offices write "not available": '..', '-' and an empty cell
    for line_number, marker in ((3, ".."), (5, "-"), (7, "")):
        head, _, _ = text[line_number - 1].rpartition(",")
        text[line_number - 1] = f"{head},{marker}"
    path = tmp_path / "missing.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "result.parquet"
    run("assess", "--targets", targets_csv, "--observations", path, "--out", out)
    nulls = frame.with_columns(
        pl.when(pl.int_range(pl.len()).is_in([1, 3, 5]))
        .then(None)
        .otherwise(pl.col("value"))
        .alias("value")
    )
    expected = ontrack.assess(nulls, renewable_targets())
    got = pl.read_parquet(out)
    assert_frame_equal(got, expected)
    assert got.get_column("n_missing").to_list() == [3, 3]


# ---------------------------------------------------------------------------- template


def test_template_round_trip(tmp_path: Path) -> None:
    import fastexcel

    blank = tmp_path / "monitoring.xlsx"
    run("template", "--out", blank)
    assert fastexcel.read_excel(blank).sheet_names == ["observations", "targets", "help"]
    observations = pl.read_excel(blank, sheet_name="observations")
    assert observations.columns[:3] == ["indicator", "year", "value"]
    targets = pl.read_excel(blank, sheet_name="targets")
    assert {"id", "indicator", "direction", "target_value", "target_year"} <= set(targets.columns)

    # an office fills it in by hand (here: the UK figures and the Directive's target)
    filled = tmp_path / "filled.xlsx"
    from xlsxwriter import Workbook  # type: ignore[import-untyped]

    obs = renewables().with_columns(
        pl.lit("%").alias("unit"), pl.lit("ONS SDG 7.2.1").alias("source")
    )
    with Workbook(str(filled)) as workbook:
        obs.write_excel(workbook, worksheet="observations")
        renewable_targets().with_columns(pl.lit(False).alias("strict")).write_excel(
            workbook, worksheet="targets"
        )
    out = tmp_path / "result.parquet"
    run("assess", "--observations", filled, "--out", out)
    expected = ontrack.assess(obs, renewable_targets().with_columns(pl.lit(False).alias("strict")))
    assert_frame_equal(pl.read_parquet(out), expected)


def test_template_from_the_langfang_plan(tmp_path: Path) -> None:
    path = tmp_path / "langfang.xlsx"
    run("template", "--plan", PLAN, "--out", path)
    plan = ontrack.read_plan(PLAN)
    targets = pl.read_excel(path, sheet_name="targets")
    assert targets.get_column("id").to_list() == plan.targets.get_column("id").to_list()
    observations = pl.read_excel(path, sheet_name="observations")
    indicators = plan.targets.get_column("indicator").unique(maintain_order=True)
    assert observations.get_column("indicator").unique(maintain_order=True).to_list() == (
        indicators.to_list()
    )
    assert set(observations.get_column("year")) == set(range(2016, 2021))
    # read back as it is, unfilled: every target is there, none can be assessed
    out = tmp_path / "result.parquet"
    run("assess", "--observations", path, "--out", out)
    result = pl.read_parquet(out)
    assert sorted(result.get_column("target_id")) == sorted(plan.targets.get_column("id"))
    assert set(result.get_column("status")) == {"insufficient_data"}

    # filled in with the reported Langfang values of those years, it assesses as the plan does
    _, reported, _, _ = load_langfang_example().assess_langfang()
    points = reported.select("indicator", "year", pl.col("value").alias("reported"))
    filled_rows = (
        observations.join(points, on=["indicator", "year"], how="left")
        .with_columns(pl.col("reported").alias("value"))
        .drop("reported")
    )
    assert filled_rows.get_column("value").drop_nulls().len() > 0
    filled = tmp_path / "filled.xlsx"
    from xlsxwriter import Workbook

    with Workbook(str(filled)) as workbook:
        filled_rows.write_excel(workbook, worksheet="observations")
        targets.write_excel(workbook, worksheet="targets")
    as_csv = tmp_path / "filled.csv"
    filled_rows.write_csv(as_csv)
    options = ("--method", "open_sdg,china_plan", "--baseline-policy", "last_at_or_before")
    from_template, from_plan = tmp_path / "template.parquet", tmp_path / "plan.parquet"
    run("assess", "--observations", filled, *options, "--out", from_template)
    run("assess", "--plan", PLAN, "--observations", as_csv, *options, "--out", from_plan)
    assert_frame_equal(pl.read_parquet(from_template), pl.read_parquet(from_plan))


# ---------------------------------------------------------------------------- bad input


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    (folder / "targets.csv").write_text(
        "indicator,direction,target_value,target_year\nx,increase,10,2030\n", encoding="utf-8"
    )
    (folder / "text_value.csv").write_text(
        "indicator,year,value\nx,2015,1.0\nx,2016,abc\n", encoding="utf-8"
    )
    (folder / "comma_value.csv").write_text(
        'indicator,year,value\nx,2015,"1,5"\n', encoding="utf-8"
    )
    (folder / "bad_year.csv").write_text(
        "indicator,year,value\nx,2015,1.0\nx,next year,2.0\n", encoding="utf-8"
    )
    (folder / "bad_direction.csv").write_text(
        "indicator,direction,target_value,target_year\nx,increase,10,2030\nx,upward,5,2030\n",
        encoding="utf-8",
    )
    (folder / "duplicate.csv").write_text(
        "indicator,year,value\nx,2014,0.5\nx,2015,1.0\nx,2015,2.0\n", encoding="utf-8"
    )
    (folder / "latin1.csv").write_bytes("indicator,year,value\ncafé,2015,1.0\n".encode("latin-1"))
    (folder / "obs.docx").write_text("not a table", encoding="utf-8")
    (folder / "taken.csv").mkdir()
    (folder / "not_wide.csv").write_text("indicator,year,value\nx,2015,1\n", encoding="utf-8")
    (folder / "bad_strict.csv").write_text(
        "indicator,direction,target_value,target_year,strict\nx,increase,10,2030,maybe\n",
        encoding="utf-8",
    )
    pl.DataFrame({"indicator": ["x"], "year": [2015], "value": [1.0]}).write_excel(
        folder / "book.xlsx", worksheet="data"
    )
    (folder / "bad_plan.toml").write_text(
        '[plan]\nid = "p"\n\n[[groups]]\nid = "g"\n\n[[targets]]\nid = "t"\ngroup = "g"\n'
        'indicator = "x"\nkind = "level"\ndirection = "upward"\nvalue = 1.0\ndeadline = 2030\n',
        encoding="utf-8",
    )
    return folder


BAD_INPUTS: tuple[tuple[str, list[str], str], ...] = (
    (
        "missing observations file",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/absent.csv"],
        "{d}/absent.csv: no such file",
    ),
    (
        "missing plan file",
        ["assess", "--plan", "{d}/absent.toml", "-i", "{d}/text_value.csv"],
        "{d}/absent.toml: no such file",
    ),
    (
        "wrong sheet",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/book.xlsx", "--sheet", "2023"],
        "{d}/book.xlsx: no sheet '2023'; the workbook has sheets ['data']",
    ),
    (
        "bad column",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/text_value.csv", "--by", "regoin"],
        "{d}/text_value.csv: no column 'regoin' for the observations",
    ),
    (
        "misspelt column name option",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/text_value.csv", "--value", "valeu"],
        "no column 'valeu' for the observations (did you mean 'value'?)",
    ),
    (
        "invalid plan",
        ["assess", "--plan", "{d}/bad_plan.toml", "-i", "{d}/text_value.csv"],
        '{d}/bad_plan.toml:12:13: target "t": field "direction"',
    ),
    (
        "a value that is not a number",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/text_value.csv"],
        "{d}/text_value.csv: column 'value', line 3: 'abc' is not a number",
    ),
    (
        "a decimal comma without --decimal-comma",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/comma_value.csv"],
        "line 2: '1,5' is not a number; with a decimal comma pass --decimal-comma",
    ),
    (
        "a year that is not a year",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/bad_year.csv"],
        "{d}/bad_year.csv: column 'year', line 3: 'next year' is not a year",
    ),
    (
        "a target flag that is not true or false",
        ["assess", "-t", "{d}/bad_strict.csv", "-i", "{d}/not_wide.csv"],
        "{d}/bad_strict.csv: column 'strict', line 2: 'maybe' is not true or false",
    ),
    (
        "an encoding that cannot be told",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/latin1.csv"],
        "not UTF-8 (byte 24 of the file) and not Chinese text in GB18030; pass the file's "
        "encoding with --encoding",
    ),
    (
        "an unknown encoding",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/latin1.csv", "--encoding", "klingon"],
        "unknown encoding 'klingon'",
    ),
    (
        "an unknown input format",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/obs.docx"],
        "{d}/obs.docx: unknown file type '.docx'",
    ),
    (
        "an unknown output format",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "--out", "{d}/r.docx"],
        "{d}/r.docx: cannot write '.docx' files here",
    ),
    (
        "an output that is a directory",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "--out", "{d}/taken.csv"],
        "'{d}/taken.csv' is a directory",
    ),
    (
        "--wide without year columns",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "--wide"],
        "--wide but no column is named by a year",
    ),
    (
        "two values for one year",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/duplicate.csv"],
        "{d}/duplicate.csv against {d}/targets.csv: duplicate observation: series indicator=x "
        "has more than one row for period 2015 (lines 3 and 4 of {d}/duplicate.csv)",
    ),
    (
        "two values for one year, projected",
        ["project", "{d}/duplicate.csv", "--until", "2030"],
        "(lines 3 and 4 of {d}/duplicate.csv)",
    ),
    (
        "a target row with an unknown direction",
        ["assess", "-t", "{d}/bad_direction.csv", "-i", "{d}/not_wide.csv"],
        'target "row 1" (line 3 of {d}/bad_direction.csv): field "direction": unknown '
        'direction "upward"',
    ),
    (
        "an unknown method",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "-m", "open_sgd"],
        'unknown method "open_sgd"',
    ),
    (
        "an unknown method parameter",
        [
            "assess",
            "-t",
            "{d}/targets.csv",
            "-i",
            "{d}/not_wide.csv",
            "--param",
            "open_sdg.substantail=0.9",
        ],
        'unknown parameter "substantail"',
    ),
    (
        "both a plan and a targets table",
        [
            "assess",
            "--plan",
            "{d}/bad_plan.toml",
            "-t",
            "{d}/targets.csv",
            "-i",
            "{d}/not_wide.csv",
        ],
        "give the targets once: --plan or --targets, not both",
    ),
    (
        "no targets",
        ["assess", "-i", "{d}/not_wide.csv"],
        "give the targets: --plan PLAN.toml or --targets FILE",
    ),
    (
        "a bad --where",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "--where", "region"],
        "--where 'region': expected COLUMN=VALUE",
    ),
    (
        "--sheet on a CSV",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "--sheet", "x"],
        "--sheet applies to workbooks (.xlsx), not to .csv files",
    ),
    (
        "an HTML projection",
        ["project", "{d}/not_wide.csv", "--out", "{d}/p.html"],
        "{d}/p.html: cannot write '.html' files here",
    ),
    (
        "a template that is not a workbook",
        ["template", "--out", "{d}/t.csv"],
        "{d}/t.csv: a template is a workbook; name it *.xlsx",
    ),
    (
        "zero threads",
        ["assess", "-t", "{d}/targets.csv", "-i", "{d}/not_wide.csv", "--threads", "0"],
        "Invalid value for '--threads'",
    ),
)


@pytest.mark.parametrize(("case", "args", "message"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_exits_2_with_a_message_that_says_where(
    case: str, args: list[str], message: str, bad_files: Path
) -> None:
    proc = run(*(a.format(d=bad_files) for a in args), status=2)
    assert message.format(d=bad_files) in proc.stderr, proc.stderr
    assert proc.stdout == ""


def test_debug_shows_the_traceback(bad_files: Path) -> None:
    proc = run(
        "assess",
        "-t",
        bad_files / "targets.csv",
        "-i",
        bad_files / "text_value.csv",
        "--debug",
        status=2,
    )
    assert "Traceback" in proc.stderr
    assert "'abc' is not a number" in proc.stderr


def test_an_internal_error_exits_1_without_a_traceback(bad_files: Path) -> None:
    # A library failure that is no user mistake, simulated by replacing ontrack.assess.
    script = (
        "import sys, ontrack\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('simulated failure')\n"
        "ontrack.assess = broken\n"
        "from ontrack.cli import main\n"
        "sys.argv = ['ontrack', *sys.argv[1:]]\n"
        "main()\n"
    )
    args = ["assess", "-t", str(bad_files / "targets.csv"), "-i", str(bad_files / "not_wide.csv")]
    for debug, status in (([], 1), (["--debug"], 1)):
        proc = subprocess.run(
            [sys.executable, "-c", script, *args, *debug],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert proc.returncode == status, proc.stderr
        assert "simulated failure" in proc.stderr
        assert ("Traceback" in proc.stderr) == bool(debug)
    assert (
        "rerun with --debug"
        in subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        ).stderr
    )


def test_json_output_of_a_terminal_free_run_is_valid(tmp_path: Path, targets_csv: Path) -> None:
    out = tmp_path / "r.json"
    run("assess", "-t", targets_csv, "-i", RENEWABLES, *UK_ARGS, "--out", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {row["target_id"] for row in rows} == {"RED 2020", "RED 2030 (illustrative 30 %)"}
