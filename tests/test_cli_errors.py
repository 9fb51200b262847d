"""The command line's errors carry the attributes of ontrack's errors: file, sheet, column, line.

Run in process (``standalone_mode=False``), so that the error itself can be inspected: click's
exception (exit status 2) has the :class:`ontrack.OntrackError` as its ``__cause__``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from xlsxwriter import Workbook  # type: ignore[import-untyped]

import ontrack
from ontrack.cli import cli
from ontrack.cli._errors import EXIT_BAD_INPUT, BadInputError, Refused
from ontrack.cli._read import ReadOptions, read_table

OBS = pl.DataFrame(
    {"indicator": ["x", "x", "x"], "year": [2015, 2016, 2017], "value": [50.0, 55.0, 61.0]}
)
TARGETS = pl.DataFrame(
    {
        "id": ["T1"],
        "indicator": ["x"],
        "direction": ["increase"],
        "target_value": [80.0],
        "target_year": [2030],
    }
)


def workbook(path: Path, **sheets: pl.DataFrame) -> Path:
    """Write each frame to a sheet of its name, as an office's workbook is."""
    with Workbook(str(path)) as book:
        for name, frame in sheets.items():
            frame.write_excel(book, worksheet=name)
    return path


def refusal(*args: object) -> ontrack.OntrackError:
    """Run the command in process; return the error behind its exit status 2."""
    with pytest.raises(Refused) as info:
        cli.main([str(a) for a in (*args, "--quiet")], prog_name="ontrack", standalone_mode=False)
    assert info.value.exit_code == EXIT_BAD_INPUT
    cause = info.value.__cause__
    assert isinstance(cause, ontrack.OntrackError), repr(cause)
    assert str(info.value) == str(cause)
    return cause


def test_a_sheet_that_is_not_there(tmp_path: Path) -> None:
    book = workbook(tmp_path / "book.xlsx", data=OBS)
    targets = tmp_path / "targets.csv"
    TARGETS.write_csv(targets)
    err = refusal("assess", "-t", targets, "-i", book, "--sheet", "2023")
    assert isinstance(err, BadInputError)
    assert (err.file, err.sheet) == (str(book), "2023")
    assert "no sheet '2023'" in str(err)


def test_a_bad_cell_names_file_sheet_column_and_row(tmp_path: Path) -> None:
    bad = OBS.with_columns(pl.col("value").cast(pl.String)).with_row_index()
    bad = bad.with_columns(
        pl.when(pl.col("index") == 1).then(pl.lit("n/a!")).otherwise(pl.col("value")).alias("value")
    ).drop("index")
    book = workbook(tmp_path / "book.xlsx", notes=OBS.head(1), data=bad)
    targets = tmp_path / "targets.csv"
    TARGETS.write_csv(targets)
    err = refusal("assess", "-t", targets, "-i", book, "--sheet", "data")
    assert err.context() == {"file": str(book), "sheet": "data", "column": "value", "line": 3}
    assert "sheet 'data': column 'value', row 3: 'n/a!' is not a number" in str(err)


def test_the_default_sheet_is_named_too(tmp_path: Path) -> None:
    book = workbook(tmp_path / "book.xlsx", observations=OBS.drop("value"), targets=TARGETS)
    err = refusal("assess", "-i", book)
    assert err.context() == {"file": str(book), "sheet": "observations", "column": "value"}


def test_the_targets_sheet_of_a_template_workbook(tmp_path: Path) -> None:
    bad_targets = TARGETS.with_columns(pl.lit("soon").alias("target_year"))
    book = workbook(tmp_path / "book.xlsx", observations=OBS, targets=bad_targets)
    err = refusal("assess", "-i", book)
    assert err.context() == {
        "file": str(book),
        "sheet": "targets",
        "column": "target_year",
        "line": 2,
    }
    # --targets-sheet picks another sheet of a targets workbook
    other = workbook(tmp_path / "targets.xlsx", plan=TARGETS.drop("direction"))
    err = refusal("assess", "-t", other, "--targets-sheet", "plan", "-i", book)
    assert err.context() == {"file": str(other), "sheet": "plan", "column": "direction"}


def test_engine_errors_name_the_sheet_they_are_about(tmp_path: Path) -> None:
    # a target the engine refuses: its id, field and the targets' sheet
    upward = TARGETS.with_columns(pl.lit("upward").alias("direction"))
    book = workbook(tmp_path / "targets_bad.xlsx", observations=OBS, targets=upward)
    err = refusal("assess", "-i", book)
    assert isinstance(err, BadInputError)
    assert (err.target_id, err.column, err.sheet, err.file) == (
        "T1",
        "direction",
        "targets",
        str(book),
    )
    # a repeated observation: the series and the observations' sheet
    twice = pl.concat([OBS, OBS.tail(1)])
    book = workbook(tmp_path / "obs_bad.xlsx", observations=twice, targets=TARGETS)
    for command in (("assess", "-i", book), ("compare", "-i", book), ("project", book)):
        err = refusal(*command)
        # the engine's frame row 3 is the sheet's row 5 (a header row, then rows 2, 3, ...)
        assert (err.sheet, err.file, err.row, err.line) == ("observations", str(book), 3, 5)
        assert err.series is not None
        assert "rows 4 and 5 of" in str(err)


def test_an_empty_sheet(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with Workbook(str(path)) as book:
        book.add_worksheet("observations")
        OBS.write_excel(book, worksheet="other")
    with pytest.raises(BadInputError) as info:
        read_table(path, ReadOptions(), default_sheet="observations")
    assert (info.value.file, info.value.sheet) == (str(path), "observations")


def test_files_that_are_no_workbook_have_no_sheet(tmp_path: Path) -> None:
    path = tmp_path / "obs.csv"
    OBS.with_columns(pl.col("year").cast(pl.String).replace("2016", "next")).write_csv(path)
    targets = tmp_path / "targets.csv"
    TARGETS.write_csv(targets)
    err = refusal("assess", "-t", targets, "-i", path)
    assert err.context() == {"file": str(path), "column": "year", "line": 3}
    err = refusal("assess", "-t", targets, "-i", path, "--sheet", "data")
    assert err.context() == {"file": str(path), "option": "sheet"}
    parquet = tmp_path / "obs.parquet"
    OBS.with_columns(pl.col("value").cast(pl.String).replace("55.0", "x")).write_parquet(parquet)
    err = refusal("project", parquet)
    assert err.context() == {"file": str(parquet), "column": "value", "row": 1}
