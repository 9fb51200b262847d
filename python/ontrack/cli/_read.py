"""Reading observations and targets as offices have them: CSV, Parquet, JSON or Excel.

Every cell is read as text first and converted here, so that a bad cell is reported with its
file, sheet, column and row rather than as a parser error, and so that the same rules apply
to every format:

- **Missing values**: an empty cell, ``..`` (the statistical convention for "not available"),
  ``-``, ``—`` and ``…`` are missing in number columns; an empty cell is missing everywhere.
- **Numbers**: ``1234.5`` and ``1,234.5``; with ``--decimal-comma``, ``1234,5`` and
  ``1.234,5``. A comma is never silently dropped inside a number (``1,5`` is an error that
  suggests ``--decimal-comma``).
- **Years**: whole numbers (``2015``, or ``2015.0`` from a spreadsheet), or ISO dates.
- **Encodings** (CSV): a byte-order mark decides (UTF-8, UTF-16); otherwise ``--encoding``;
  otherwise UTF-8 when the bytes are valid UTF-8, else GB18030 when every non-ASCII character
  it decodes to is Chinese text (the only reading that is then unambiguous); otherwise an
  error that asks for ``--encoding``.
- **Wide tables** (``--wide``): every column whose name is a year (``2015``, ``2015.0``,
  ``2015年``) is a year; the other columns identify the series.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl

from ontrack.cli._errors import BadInputError, where

ROW: Final[str] = "__ontrack_row__"
"""Column holding each row's number in its file (CSV line, spreadsheet row, record)."""

MISSING_MARKERS: Final[tuple[str, ...]] = ("", "..", "-", "—", "…")
"""Cell texts read as missing in number columns (after trimming spaces)."""

CSV_SUFFIXES: Final[frozenset[str]] = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES: Final[frozenset[str]] = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
PARQUET_SUFFIXES: Final[frozenset[str]] = frozenset({".parquet", ".pq"})
JSON_SUFFIXES: Final[frozenset[str]] = frozenset({".json", ".ndjson", ".jsonl"})

TARGET_FLOATS: Final[tuple[str, ...]] = (
    "target_value",
    "baseline_value",
    "lower_bound",
    "upper_bound",
    "scale",
    "weight",
    "unit_threshold",
)
TARGET_YEARS: Final[tuple[str, ...]] = ("target_year", "baseline_year", "window_start")
TARGET_BOOLS: Final[tuple[str, ...]] = ("strict",)

_TRUE: Final[frozenset[str]] = frozenset({"true", "t", "yes", "y", "1", "1.0", "是", "真"})
_FALSE: Final[frozenset[str]] = frozenset({"false", "f", "no", "n", "0", "0.0", "否", "假"})
_YEAR_HEADER: Final[re.Pattern[str]] = re.compile(r"^\s*(\d{4})(?:\.0+)?\s*年?\s*$")
_SPACES: Final[str] = r"[\s\u00a0\u202f']"


@dataclass(frozen=True)
class ReadOptions:
    """How to read a table file (the command line's input options)."""

    encoding: str | None = None
    separator: str | None = None
    decimal_comma: bool = False
    sheet: str | None = None
    wide: bool = False
    where: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Table:
    """A table as read: text cells (mostly), the row numbers in ``ROW``, and its place."""

    frame: pl.DataFrame
    place: str
    row_word: str
    file: str
    sheet: str | None = None

    def at(self, column: str, row: object) -> str:
        """``data.csv: column 'value', line 7``."""
        return f"{self.place}: column {column!r}, {self.row_word} {row}"

    def error(
        self, message: str, *, column: str | None = None, row: object = None
    ) -> BadInputError:
        """Make an error about this table: its file and sheet, and ``column`` and ``row``.

        ``row`` is the number the message shows (``ROW``): the ``line`` of a CSV file or a
        sheet, or the 1-based record of a Parquet or JSON file (``row``, zero-based).
        """
        line = record = None
        if isinstance(row, int):
            if self.row_word == "row" and self.sheet is None:
                record = row - 1
            else:
                line = row
        return BadInputError(
            message, file=self.file, sheet=self.sheet, column=column, row=record, line=line
        )

    def like(self, frame: pl.DataFrame) -> Table:
        """Return another frame at this table's place."""
        return Table(frame, self.place, self.row_word, self.file, self.sheet)


# ---------------------------------------------------------------------------- files


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    for kind, suffixes in (
        ("csv", CSV_SUFFIXES),
        ("excel", EXCEL_SUFFIXES),
        ("parquet", PARQUET_SUFFIXES),
        ("json", JSON_SUFFIXES),
    ):
        if suffix in suffixes:
            return kind
    msg = (
        f"{path}: unknown file type {suffix or '(no extension)'!r}; expected .csv, .parquet, "
        ".json or .xlsx"
    )
    raise BadInputError(msg, file=str(path))


def _is_chinese_text(text: str) -> bool:
    """Whether every non-ASCII character is CJK text or punctuation (a GB18030 reading)."""
    for char in text:
        code = ord(char)
        if code < 0x80:
            continue
        if not (
            0x3000 <= code <= 0x303F  # CJK punctuation
            or 0x3400 <= code <= 0x4DBF  # extension A
            or 0x4E00 <= code <= 0x9FFF  # unified ideographs
            or 0xFF00 <= code <= 0xFFEF  # full-width forms
            or 0x2000 <= code <= 0x206F  # general punctuation (…, —, “”)
            or code == 0x00B7  # middle dot
            or 0x2460 <= code <= 0x24FF  # enclosed numbers ①
            or 0x2160 <= code <= 0x217F  # Roman numerals
            or 0x00B0 <= code <= 0x00B1  # ° ±
            or code == 0x00D7  # multiplication sign
            or code == 0x2030  # per mille
        ):
            return False
    return True


def decode_csv(raw: bytes, label: str, encoding: str | None) -> tuple[str, str]:
    """Decode a CSV file's bytes; returns the text and the encoding used."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            encoding = encoding or name
            break
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except LookupError:
            msg = f"{label}: unknown encoding {encoding!r} (try utf-8, gb18030, latin-1)"
            raise BadInputError(msg, file=label, option="encoding") from None
        except UnicodeDecodeError as err:
            msg = f"{label}: not valid {encoding} (byte {err.start} of the file)"
            raise BadInputError(msg, file=label, option="encoding") from None
        return text.removeprefix("\ufeff"), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first_bad = err.start
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and _is_chinese_text(text):
        return text, "gb18030"
    msg = (
        f"{label}: not UTF-8 (byte {first_bad} of the file) and not Chinese text in GB18030; "
        "pass the file's encoding with --encoding (e.g. gb18030, latin-1, cp1252)"
    )
    raise BadInputError(msg, file=label)


def _sniff_separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_csv(path: Path, options: ReadOptions) -> tuple[pl.DataFrame, str]:
    text, used = decode_csv(path.read_bytes(), str(path), options.encoding)
    separator = options.separator or _sniff_separator(text)
    if options.decimal_comma and separator == ",":
        msg = (
            f"{path}: the separator is ',' and --decimal-comma is set: a decimal comma needs "
            "another separator (';' or tab), or every number quoted; pass --separator"
        )
        if '"' not in text:
            raise BadInputError(msg, file=str(path), option="decimal_comma")
    frame = pl.read_csv(
        io.BytesIO(text.encode("utf-8")),
        separator=separator,
        infer_schema=False,
        truncate_ragged_lines=False,
        raise_if_empty=True,
    )
    return frame, used


def excel_sheets(path: Path) -> list[str]:
    """List the sheet names of a workbook (via fastexcel, polars' calamine reader)."""
    try:
        import fastexcel
    except ImportError:
        msg = f"{path}: reading workbooks needs fastexcel; pip install 'ontrack[cli]'"
        raise BadInputError(msg, file=str(path)) from None

    try:
        return list(fastexcel.read_excel(path).sheet_names)
    except Exception as err:  # fastexcel's errors share no base class worth naming
        msg = f"{path}: cannot be read as a workbook: {err}"
        raise BadInputError(msg, file=str(path)) from None


def _read_excel(
    path: Path, sheet: str | None, default_sheet: str | None
) -> tuple[pl.DataFrame, str]:
    names = excel_sheets(path)
    if sheet is None:
        sheet = default_sheet if default_sheet in names else (names[0] if names else None)
    if sheet is None or sheet not in names:
        msg = f"{path}: no sheet {sheet!r}; the workbook has sheets {names}"
        raise BadInputError(msg, file=str(path), sheet=sheet)
    try:
        frame = pl.read_excel(
            path, sheet_name=sheet, engine="calamine", read_options={"dtypes": "string"}
        )
    except pl.exceptions.NoDataError:
        frame = pl.DataFrame()
    except (pl.exceptions.PolarsError, OSError, ValueError) as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        msg = f"{where(str(path), sheet)}: cannot be read as EXCEL: {reason}"
        raise BadInputError(msg, file=str(path), sheet=sheet) from None
    if frame.width == 0:
        msg = f"{where(str(path), sheet)}: the sheet is empty (no header row)"
        raise BadInputError(msg, file=str(path), sheet=sheet)
    return frame, sheet


def read_table(path: Path, options: ReadOptions, *, default_sheet: str | None = None) -> Table:
    """Read a table file with every cell as text where the format allows it.

    ``default_sheet`` is the sheet read from a workbook when ``options.sheet`` is not given
    and the workbook has one of that name (else its first sheet).
    """
    if not path.exists():
        msg = f"{path}: no such file"
        raise BadInputError(msg, file=str(path))
    if path.is_dir():
        msg = f"{path}: is a directory, not a file"
        raise BadInputError(msg, file=str(path))
    kind = _kind(path)
    if options.sheet is not None and kind != "excel":
        msg = f"{path}: --sheet applies to workbooks (.xlsx), not to {path.suffix} files"
        raise BadInputError(msg, file=str(path), option="sheet")
    place, row_word, first = str(path), "row", 1
    sheet: str | None = None
    try:
        if kind == "csv":
            frame, _ = _read_csv(path, options)
            row_word, first = "line", 2
        elif kind == "excel":
            frame, sheet = _read_excel(path, options.sheet, default_sheet)
            place, first = where(str(path), sheet), 2
        elif kind == "parquet":
            frame = pl.read_parquet(path)
        elif path.suffix.lower() in {".ndjson", ".jsonl"}:
            frame = pl.read_ndjson(path)
        else:
            frame = pl.read_json(path)
    except BadInputError:
        raise
    except (pl.exceptions.PolarsError, OSError, ValueError) as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        msg = f"{path}: cannot be read as {kind.upper()}: {reason}"
        raise BadInputError(msg, file=str(path)) from None
    frame = frame.with_row_index(ROW, offset=first)
    table = Table(_blank_as_null(frame), place, row_word, file=str(path), sheet=sheet)
    return _filter(table, options.where)


def _blank_as_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty (or all-space) text cells are missing; text is trimmed."""
    text = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    return frame.with_columns(
        pl.when(pl.col(c).str.strip_chars() == "")
        .then(None)
        .otherwise(pl.col(c).str.strip_chars())
        .alias(c)
        for c in text
    )


def _filter(table: Table, conditions: Sequence[str]) -> Table:
    frame = table.frame
    for condition in conditions:
        column, sep, value = condition.partition("=")
        column = column.strip()
        if not sep or not column:
            msg = f"--where {condition!r}: expected COLUMN=VALUE (COLUMN= keeps empty cells)"
            raise BadInputError(msg, option="where")
        require_columns(table, [column], what="--where")
        cell = pl.col(column).cast(pl.String)
        keep = cell.is_null() if value.strip() == "" else cell == value.strip()
        frame = frame.filter(keep)
    return table.like(frame)


def require_columns(table: Table, needed: Sequence[str], *, what: str) -> None:
    """Fail with the file, the missing column, close matches and the columns there are."""
    present = [c for c in table.frame.columns if c != ROW]
    for column in needed:
        if column in present:
            continue
        close = difflib.get_close_matches(column, present, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        msg = (
            f"{table.place}: no column {column!r} for {what}{hint}; the columns are "
            f"{', '.join(repr(c) for c in present)}"
        )
        raise table.error(msg, column=column)


# ---------------------------------------------------------------------------- cells


def _first_bad(
    table: Table, column: str, parsed: pl.Series, given: pl.Series | None = None
) -> tuple[object, object] | None:
    """Find the first ``given`` cell (default: non-null) not parsed: its row and text."""
    original = table.frame.get_column(column)
    bad = (original.is_not_null() if given is None else given) & parsed.is_null()
    if not bad.any():
        return None
    index = int(bad.arg_max() or 0)
    return table.frame.get_column(ROW)[index], original[index]


def numbers(table: Table, column: str, *, decimal_comma: bool) -> pl.Series:
    """Parse a column as Float64: missing markers as null; a cell that is no number fails."""
    series = table.frame.get_column(column)
    if series.dtype.is_numeric():
        return series.cast(pl.Float64)
    if series.dtype == pl.Null:
        return series.cast(pl.Float64)
    if series.dtype != pl.String:
        msg = f"{table.place}: column {column!r} holds {series.dtype}, not numbers"
        raise table.error(msg, column=column)
    text = pl.col(column).str.replace_all(_SPACES, "")
    if decimal_comma:
        grouped = text.str.contains(r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$")
        text = pl.when(grouped).then(text.str.replace_all(r"\.", "")).otherwise(text)
        text = text.str.replace(",", ".", literal=True)
    else:
        grouped = text.str.contains(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")
        text = pl.when(grouped).then(text.str.replace_all(",", "", literal=True)).otherwise(text)
    missing = pl.col(column).is_in(list(MISSING_MARKERS)) | pl.col(column).is_null()
    parsed, given = table.frame.select(
        pl.when(missing).then(None).otherwise(text.cast(pl.Float64, strict=False)).alias(column),
        (~missing).alias("_given"),
    )
    bad = _first_bad(table, column, parsed, given)
    if bad is not None:
        row, cell = bad
        hint = (
            "; with a decimal comma pass --decimal-comma"
            if not decimal_comma and re.fullmatch(r"[-+]?\d+,\d+", str(cell).strip())
            else ""
        )
        msg = f"{table.at(column, row)}: {cell!r} is not a number{hint}"
        raise table.error(msg, column=column, row=row)
    return parsed


def years(table: Table, column: str) -> pl.Series:
    """Parse a period column as Int64 years (or Float64 fractional years, or dates)."""
    series = table.frame.get_column(column)
    if series.dtype.is_temporal() or series.dtype.is_integer():
        return series
    if series.dtype.is_float():
        whole = series.drop_nulls()
        return series.cast(pl.Int64) if (whole == whole.round(0)).all() else series
    text = pl.col(column)
    as_float = table.frame.select(
        pl.when(text.is_in(list(MISSING_MARKERS)))
        .then(None)
        .otherwise(text)
        .cast(pl.Float64, strict=False)
        .alias(column)
    ).to_series()
    if _first_bad(table, column, as_float) is None:
        whole = as_float.drop_nulls()
        return as_float.cast(pl.Int64) if (whole == whole.round(0)).all() else as_float
    as_date = table.frame.select(text.str.to_date(strict=False).alias(column)).to_series()
    if _first_bad(table, column, as_date) is None:
        return as_date
    bad = _first_bad(table, column, as_float)
    assert bad is not None
    row, cell = bad
    msg = (
        f"{table.at(column, row)}: {cell!r} is not a year (a whole number such as 2015, or a date)"
    )
    raise table.error(msg, column=column, row=row)


def booleans(table: Table, column: str) -> pl.Series:
    """Parse a column of true/false cells (also 1/0, yes/no, 是/否)."""
    series = table.frame.get_column(column)
    if series.dtype == pl.Boolean:
        return series
    text = series.cast(pl.String).str.to_lowercase()
    parsed = (
        pl.select(
            pl.when(text.is_in(list(_TRUE)))
            .then(True)
            .when(text.is_in(list(_FALSE)))
            .then(False)
            .otherwise(None)
            .alias(column)
        )
        .to_series()
        .cast(pl.Boolean)
    )
    bad = _first_bad(table, column, parsed)
    if bad is not None:
        row, cell = bad
        msg = f"{table.at(column, row)}: {cell!r} is not true or false"
        raise table.error(msg, column=column, row=row)
    return parsed


# ---------------------------------------------------------------------------- wide tables


def year_columns(columns: Sequence[str]) -> dict[str, int]:
    """Columns whose name is a year, with the year."""
    out: dict[str, int] = {}
    for column in columns:
        match = _YEAR_HEADER.match(column)
        if match:
            out[column] = int(match.group(1))
    return out


def unpivot_years(table: Table, *, year: str, value: str, decimal_comma: bool) -> Table:
    """Turn a wide table (a column per year) into a long one with ``year`` and ``value``."""
    found = year_columns(table.frame.columns)
    if not found:
        msg = (
            f"{table.place}: --wide but no column is named by a year (such as 2015); the "
            f"columns are {', '.join(repr(c) for c in table.frame.columns if c != ROW)}"
        )
        raise table.error(msg)
    for clash in (year, value):
        if clash in table.frame.columns:
            msg = f"{table.place}: --wide makes a {clash!r} column, but the file has one already"
            raise table.error(msg, column=clash)
    parsed = table.frame.with_columns(
        numbers(table, column, decimal_comma=decimal_comma) for column in found
    )
    index = [c for c in parsed.columns if c not in found]
    long = parsed.unpivot(on=list(found), index=index, variable_name=year, value_name=value)
    long = long.with_columns(
        pl.col(year).replace_strict(found, return_dtype=pl.Int64),
        pl.col(value).cast(pl.Float64),
    )
    return table.like(long)
