"""Writing results: by the output file's extension, or a table on the terminal."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

import polars as pl

from ontrack.cli._errors import BadInputError
from ontrack.display import STATUSES

OUTPUT_SUFFIXES: Final[tuple[str, ...]] = (".csv", ".parquet", ".json", ".xlsx", ".html")

_SHEET_FORBIDDEN: Final[re.Pattern[str]] = re.compile(r"[\[\]:*?/\\]")


def output_kind(path: Path, *, html: bool) -> str:
    """Return the output format of ``path`` (its extension); checked before any work."""
    suffix = path.suffix.lower()
    allowed = [s for s in OUTPUT_SUFFIXES if html or s != ".html"]
    if suffix not in allowed:
        msg = (
            f"{path}: cannot write {suffix or '(no extension)'!r} files here; the extension "
            f"picks the format: {', '.join(allowed)}"
        )
        raise BadInputError(msg)
    if path.parent != Path() and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    return suffix.lstrip(".")


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Nested columns (lists, structs) as text, for CSV and spreadsheets."""
    out = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, pl.List | pl.Array):
            out.append(pl.col(name).cast(pl.List(pl.String)).list.join("; ").alias(name))
        elif isinstance(dtype, pl.Struct):
            out.append(pl.col(name).struct.json_encode().alias(name))
    return frame.with_columns(out) if out else frame


def sheet_name(name: str, taken: Sequence[str]) -> str:
    """Make a valid, unused worksheet name (at most 31 characters, none of ``[]:*?/``)."""
    base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "sheet"
    candidate, n = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def write_workbook(path: Path, sheets: Mapping[str, pl.DataFrame]) -> None:
    """One worksheet per frame, in order, via xlsxwriter."""
    from xlsxwriter import Workbook  # type: ignore[import-untyped]

    taken: list[str] = []
    with Workbook(str(path)) as workbook:
        for name, frame in sheets.items():
            sheet = sheet_name(name, taken)
            taken.append(sheet)
            flat(frame).write_excel(
                workbook=workbook,
                worksheet=sheet,
                autofit=frame.height <= 2000,
                float_precision=6,
                freeze_panes=(1, 0),
            )


def status_summary(result: pl.DataFrame) -> pl.DataFrame:
    """Rows per method and status: the summary sheet of an assessment."""
    if "method" not in result.columns or "status" not in result.columns:
        return pl.DataFrame({"rows": [result.height]})
    counts = result.group_by("method", "status", maintain_order=True).len()
    wide = counts.pivot(on="status", index="method", values="len")
    statuses = [s for s in STATUSES if s in wide.columns]
    others = [c for c in wide.columns if c not in ("method", *statuses)]
    ordered = wide.select("method", *statuses, *others).fill_null(0)
    return ordered.with_columns(pl.sum_horizontal(*statuses, *others).alias("total"))


def by_method(result: pl.DataFrame, summary: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Lay out a summary sheet, then one sheet per method (or one ``result`` sheet)."""
    sheets: dict[str, pl.DataFrame] = {"summary": summary}
    if "method" not in result.columns:
        sheets["result"] = result
        return sheets
    for method in result.get_column("method").unique(maintain_order=True).to_list():
        sheets[str(method)] = result.filter(pl.col("method") == method)
    return sheets


def write(
    frame: pl.DataFrame,
    path: Path,
    *,
    sheets: Callable[[pl.DataFrame], Mapping[str, pl.DataFrame]] | None = None,
    html: Callable[[Path], object] | None = None,
    bom: bool = False,
) -> None:
    """Write ``frame`` to ``path`` in the format of its extension."""
    kind = output_kind(path, html=html is not None)
    try:
        if kind == "csv":
            flat(frame).write_csv(path, include_bom=bom)
        elif kind == "parquet":
            frame.write_parquet(path)
        elif kind == "json":
            frame.write_json(path)
        elif kind == "xlsx":
            write_workbook(path, sheets(frame) if sheets is not None else {"result": frame})
        elif html is not None:
            html(path)
    except ImportError as err:
        msg = f"{path}: writing .{kind} files needs {err.name}; pip install 'ontrack[cli]'"
        raise BadInputError(msg) from None
    except OSError as err:
        msg = f"{path}: cannot write: {err.strerror or err}"
        raise BadInputError(msg) from None


def terminal(frame: pl.DataFrame, columns: Sequence[str], *, label_width: int = 36) -> str:
    """``frame`` as a text table of ``columns`` (those present and not all empty), every row.

    Long labels are cut to ``label_width`` characters; the table is as wide as it needs to be
    (a terminal narrower than that wraps the lines, a file or pipe keeps them whole).
    """
    shown = [
        c
        for c in columns
        if c in frame.columns
        and (frame.height == 0 or frame.get_column(c).null_count() < frame.height)
    ] or frame.columns
    table = flat(frame.select(shown))
    if "label" in table.columns:
        label = pl.col("label")
        table = table.with_columns(
            pl.when(label.str.len_chars() > label_width)
            .then(label.str.slice(0, label_width - 1) + "…")
            .otherwise(label)
            .alias("label")
        )
    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        tbl_width_chars=10_000,
        fmt_str_lengths=max(label_width, 60),
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        float_precision=4,
    ):
        return str(table)
