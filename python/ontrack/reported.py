"""Reported values from several sources turned into observations, honestly.

Plan-monitoring data rarely come as a clean series. Values are transcribed from press
conferences, bulletins and reposts; two sources can report one year differently; some values
are floors ("预计达到140亿元以上", or a subset of what the target counts); some measure something
close to the plan's indicator but not it. This module makes each of those decisions explicit
and visible in the frames it returns:

- :func:`read_reported` reads a table of reported values and a **mapping file** that says, for
  every distinct reported indicator, which plan indicator it measures and how it enters
  (``as_is``, ``lower_bound``, ``derived`` or ``ignore``), and converts units by the unit
  table of the Rust core (:data:`UNITS`, :func:`lookup_unit`).
- :func:`resolve_conflicts` keeps one value per series and year when sources disagree, and
  flags every resolved row (``conflict``, ``n_sources``, ``conflict_note``).

How lower bounds then enter an assessment is :mod:`ontrack.lower_bounds`; the Langfang case
is :mod:`ontrack.langfang`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final, Literal, NamedTuple

import polars as pl

from ontrack import _ontrack
from ontrack._frames import FrameLike, as_list, to_polars
from ontrack.errors import (
    ColumnTypeError,
    DuplicateObservationError,
    MissingColumnError,
    OntrackError,
)

__all__ = [
    "DEFAULT_RANK",
    "TRANSFORMS",
    "UNITS",
    "ConflictPolicy",
    "Unit",
    "comparable_units",
    "ensure_columns",
    "is_lower_bound_text",
    "lookup_unit",
    "parse_value",
    "read_reported",
    "resolve_conflicts",
]

ConflictPolicy = Literal["best", "error", "mean"]

DEFAULT_RANK: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("kind", ("reported", "derived", "estimate")),
    ("reliability", ("high", "medium", "low", "very low")),
)
"""Default ranking of rows that share a series and year: provenance, then reliability."""

TRANSFORMS: Final[tuple[str, ...]] = ("as_is", "lower_bound", "derived", "ignore")
"""How the values of a mapping line enter (see :func:`read_reported`)."""

_LOWER_WORDS: Final[re.Pattern[str]] = re.compile(
    r"以上|不少于|不低于|超过|突破|超|>=|≥|>|lower bound|at least|more than", re.IGNORECASE
)
_NUMBER: Final[re.Pattern[str]] = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_RANK_KIND_ALIASES: Final[Mapping[str, str]] = {"estimate (>=)": "estimate"}

DeriveFunction = Callable[[pl.DataFrame], pl.DataFrame]


# ---------------------------------------------------------------------------- units


class Unit(NamedTuple):
    """A unit of the Rust core's unit table (``ontrack::units``)."""

    #: The canonical name (``percent`` is ``%``, ``yuan`` is ``元``).
    name: str
    #: What it measures: ``money``, ``count`` or ``share``.
    dimension: str
    #: Multiplier to the base unit of the dimension (1e8 for 亿元; 1 for ``%`` and ``‰``,
    #: which are compared in their own unit).
    scale: float
    #: The unit in ASCII English, for chart text (``100 million yuan``).
    english: str


UNITS: Final[Mapping[str, Unit]] = {
    spelling: Unit(*unit) for spelling, unit in _ontrack.unit_table()
}
"""Every spelling of the unit table → its unit (read from the Rust core, which plan files
use too). Look labels up with :func:`lookup_unit`, which also trims them, ignores the case of
English names and reads ``100 million yuan (亿元)`` inside the parentheses."""


def lookup_unit(label: object) -> Unit | None:
    """Return the unit a label names, by the Rust core's rule; ``None`` for an unknown label.

    >>> lookup_unit("100 million yuan (亿元)").scale, lookup_unit(" Percent ").name
    (100000000.0, '%')
    >>> lookup_unit("score") is None
    True
    """
    if not isinstance(label, str):
        return None
    found = _ontrack.lookup_unit(label)
    return None if found is None else Unit(*found)


def comparable_units(a: object, b: object) -> bool | None:
    """Whether values in unit ``a`` compare with values in unit ``b`` after scaling.

    They do in the same dimension, and for shares in the same unit (``%`` and ``‰`` are not
    converted); ``None`` when either label is not a known unit.

    >>> comparable_units("亿元", "yuan"), comparable_units("%", "‰"), comparable_units("%", "?")
    (True, False, None)
    """
    if not isinstance(a, str) or not isinstance(b, str):
        return None
    return _ontrack.units_comparable(a, b)


# ---------------------------------------------------------------------------- small helpers


def is_lower_bound_text(text: str | None) -> bool:
    """Whether a kind, unit or value text marks a lower bound ("以上", ">=", "lower bound").

    >>> is_lower_bound_text("estimate (>=)"), is_lower_bound_text("140亿元以上")
    (True, True)
    >>> is_lower_bound_text("reported")
    False
    """
    return text is not None and _LOWER_WORDS.search(text) is not None


def parse_value(text: str | None) -> tuple[float | None, str | None]:
    """Parse a reported value into ``(number, bound)``; ``bound`` is ``"lower"`` for "140以上".

    >>> parse_value("140以上"), parse_value("90.66"), parse_value("1,258")
    ((140.0, 'lower'), (90.66, None), (1258.0, None))
    >>> parse_value(None), parse_value("n/a")
    ((None, None), (None, None))
    """
    if text is None:
        return None, None
    match = _NUMBER.search(text)
    if match is None:
        return None, None
    number = float(match.group(0).replace(",", ""))
    return number, ("lower" if is_lower_bound_text(text) else None)


def _rank_value(column: str, value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if column == "kind":
        text = _RANK_KIND_ALIASES.get(text, re.sub(r"\s*\(.*\)$", "", text))
    return text


def _fmt(value: float | None) -> str:
    if value is None:
        return "null"
    return f"{value:g}"


def _describe(row: Mapping[str, object], value: str) -> str:
    """``226.7 (reported, medium)``; a lower bound reads ``>=140 (estimate (>=), medium)``."""
    number = row.get(value)
    text = _fmt(number if isinstance(number, float | int) else None)
    if row.get("_bound") == "lower":
        text = f">={text}"
    details = [str(row[c]) for c in ("kind", "reliability") if row.get(c) is not None]
    return f"{text} ({', '.join(details)})" if details else text


def ensure_columns(
    frame: FrameLike, columns: Sequence[str], dtype: pl.DataType | None = None
) -> pl.DataFrame:
    """Add each missing column of ``columns`` as an all-null column (existing ones are kept).

    :func:`ontrack.assess` needs every ``by`` column in the observations; a plan whose
    share-of-units targets count sub-units by ``county`` needs a ``county`` column even when
    no observation is per county (null = the series is not split by county).

    >>> ensure_columns(pl.DataFrame({"x": [1]}), ["county"]).schema["county"]
    String
    """
    out = to_polars(frame, "frame")
    missing = [c for c in columns if c not in out.columns]
    kind = pl.String() if dtype is None else dtype
    return out.with_columns(pl.lit(None, dtype=kind).alias(c) for c in missing)


# ---------------------------------------------------------------------------- conflicts


def resolve_conflicts(
    obs: FrameLike,
    *,
    keys: str | Sequence[str],
    year: str = "year",
    value: str = "value",
    rank: Sequence[tuple[str, Sequence[str]]] = DEFAULT_RANK,
    policy: ConflictPolicy = "best",
) -> pl.DataFrame:
    """Keep one row per (keys, year) when several sources report it, and say so.

    Parameters
    ----------
    obs
        Long observations with the ``keys`` columns, ``year`` and ``value`` (numeric; a string
        column is parsed with :func:`parse_value`), and optionally ``bound`` (``"lower"`` or
        null), ``kind`` and ``reliability``. A row is a lower bound when ``bound`` says so, or
        when its ``kind`` or value text does ("estimate (>=)", "140以上").
    keys
        Columns identifying a series (e.g. ``"indicator"``, or ``["indicator", "region"]``).
    year, value
        Column names.
    rank
        ``(column, [best, ..., worst])`` pairs applied in order after the first rule (a point
        value beats a lower bound). Values not listed rank after the listed ones; ``kind`` is
        compared without a parenthesised suffix ("estimate (>=)" ranks as "estimate"). Ties
        keep the first row in input order.
    policy
        ``"best"`` (default): keep the best-ranked row. ``"mean"``: average the point values
        of the group (lower bounds are never averaged with points; with bounds only, the
        highest floor is kept). ``"error"``: raise on any conflict.

    Returns
    -------
    polars.DataFrame
        The kept rows in input order, with ``conflict`` (bool), ``n_sources`` (rows that
        shared the series and year) and ``conflict_note`` (null when there was no conflict;
        otherwise every value, which was kept or dropped and why, and whether the kept point
        is consistent with the lower bounds of that year).

    Raises
    ------
    ontrack.DuplicateObservationError
        With ``policy="error"`` when two rows share a series and year.
    ontrack.MissingColumnError, ontrack.OptionError
        When a column is missing or the policy is unknown.

    Examples
    --------
    >>> import polars as pl
    >>> obs = pl.DataFrame({
    ...     "indicator": ["t", "t", "t"], "year": [2018, 2022, 2022],
    ...     "value": [90.66, 226.7, 140.0],
    ...     "kind": ["reported", "reported", "estimate (>=)"],
    ...     "reliability": ["medium", "medium", "medium"],
    ... })
    >>> out = resolve_conflicts(obs, keys="indicator")
    >>> out.get_column("value").to_list(), out.get_column("conflict").to_list()
    ([90.66, 226.7], [False, True])
    >>> print(out.get_column("conflict_note")[1])  # doctest: +ELLIPSIS
    2 sources for 2022: 226.7 (reported, medium) kept; >=140 (estimate (>=), medium) dropped ...
    """
    from ontrack.errors import OptionError

    if policy not in ("best", "error", "mean"):
        msg = f"resolve_conflicts: policy must be 'best', 'error' or 'mean', not {policy!r}"
        raise OptionError(msg, option="policy")
    frame = to_polars(obs, "observations")
    key_columns = as_list(keys, "keys")
    missing = [c for c in [*key_columns, year, value] if c not in frame.columns]
    if missing:
        msg = f"resolve_conflicts: no column(s) {missing} in the observations ({frame.columns})"
        raise MissingColumnError(msg, column=missing[0])
    frame = _with_numeric_value(frame, value)
    frame = frame.with_row_index("_order")

    groups = frame.group_by([*key_columns, year], maintain_order=True).agg(pl.col("_order"))
    kept_rows: list[dict[str, object]] = []
    rows = frame.rows(named=True)
    for group in groups.iter_rows(named=True):
        members = [rows[i] for i in group["_order"]]
        if len(members) == 1:
            kept_rows.append(
                {**members[0], "conflict": False, "n_sources": 1, "conflict_note": None}
            )
            continue
        if policy == "error":
            series = ", ".join(f"{k}={group[k]}" for k in key_columns)
            values = "; ".join(_describe(m, value) for m in members)
            msg = (
                f"duplicate observation: series {series} has {len(members)} rows for "
                f"{year} {group[year]} (rows {', '.join(str(m['_order']) for m in members)}: "
                f"{values}); resolve them or use policy='best' or 'mean'"
            )
            raise DuplicateObservationError(msg, series=series, row=members[-1]["_order"])
        kept_rows.append(_resolve_group(members, group[year], value, rank, policy))

    columns = [*frame.columns, "conflict", "n_sources", "conflict_note"]
    schema: dict[str, pl.DataType] = {
        **dict(frame.schema),
        "conflict": pl.Boolean(),
        "n_sources": pl.Int64(),
        "conflict_note": pl.String(),
    }
    out = pl.from_dicts(kept_rows, schema=schema).select(columns)
    return out.sort("_order").drop("_order", "_bound")


def _with_numeric_value(frame: pl.DataFrame, value: str) -> pl.DataFrame:
    """Add ``_bound`` (lower or null) and make ``value`` a float column."""
    bound = pl.lit(None, dtype=pl.String)
    if "bound" in frame.columns:
        bound = pl.col("bound").cast(pl.String)
    if "kind" in frame.columns:
        kind_says = (
            pl.col("kind")
            .cast(pl.String)
            .map_elements(is_lower_bound_text, return_dtype=pl.Boolean)
        )
        bound = pl.when(kind_says.fill_null(False)).then(pl.lit("lower")).otherwise(bound)
    if frame.schema[value] == pl.String:
        parsed = frame.get_column(value).to_list()
        numbers = [parse_value(v) for v in parsed]
        frame = frame.with_columns(
            pl.Series(value, [n for n, _ in numbers], dtype=pl.Float64),
            pl.Series("_text_bound", [b for _, b in numbers], dtype=pl.String),
        )
        bound = pl.coalesce(bound, pl.col("_text_bound"))
        frame = frame.with_columns(bound.alias("_bound")).drop("_text_bound")
    else:
        frame = frame.with_columns(pl.col(value).cast(pl.Float64), bound.alias("_bound"))
    return frame


def _sort_key(
    row: Mapping[str, object], rank: Sequence[tuple[str, Sequence[str]]]
) -> tuple[int, ...]:
    key = [1 if row.get("_bound") == "lower" else 0]
    for column, order in rank:
        wanted = [o.strip().lower() for o in order]
        found = _rank_value(column, row.get(column))
        key.append(wanted.index(found) if found in wanted else len(wanted))
    order_index = row["_order"]
    key.append(order_index if isinstance(order_index, int) else 0)
    return tuple(key)


def _resolve_group(
    members: list[dict[str, object]],
    period: object,
    value: str,
    rank: Sequence[tuple[str, Sequence[str]]],
    policy: ConflictPolicy,
) -> dict[str, object]:
    ranked = sorted(members, key=lambda r: _sort_key(r, rank))
    points = [r for r in ranked if r.get("_bound") != "lower"]
    floors = [r for r in ranked if r.get("_bound") == "lower"]
    head = f"{len(members)} sources for {period}"
    parts: list[str] = []
    if policy == "mean" and len(points) > 1:
        numbers = [float(v) for r in points if isinstance(v := r.get(value), int | float)]
        mean = sum(numbers) / len(numbers) if numbers else None
        kept = dict(points[0])
        kept[value] = mean
        if "kind" in kept:
            kept["kind"] = f"mean of {len(numbers)} points"
        for column in ("reliability",):
            if column in kept:
                kept[column] = points[-1].get(column) if len(points) else kept[column]
        for column in ("source_title", "source_url"):
            if column in kept:
                texts = dict.fromkeys(str(r[column]) for r in points if r.get(column) is not None)
                kept[column] = " | ".join(texts) or None
        described = ", ".join(_describe(r, value) for r in points)
        parts.append(f"mean {_fmt(mean)} of {described} kept")
        parts.extend(f"{_describe(r, value)} not averaged (a lower bound)" for r in floors)
    elif points:
        kept = dict(points[0])
        parts.append(f"{_describe(kept, value)} kept")
        parts.extend(f"{_describe(r, value)} dropped" for r in points[1:])
        parts.extend(
            f"{_describe(r, value)} dropped (a lower bound never replaces a point value)"
            for r in floors
        )
    else:
        # Bounds only: the highest floor is the tightest statement; "best" ranks them as any
        # other rows, "mean" keeps the highest (floors are never averaged).
        if policy == "mean":
            floors = sorted(floors, key=lambda r: -_number(r.get(value)))
        kept = dict(floors[0])
        parts.append(f"{_describe(kept, value)} kept (lower bounds only)")
        parts.extend(f"{_describe(r, value)} dropped" for r in floors[1:])
    note = f"{head}: " + "; ".join(parts)
    if points and floors:
        point = _number(kept.get(value))
        for floor in floors:
            limit = _number(floor.get(value))
            if point < limit:
                note += (
                    f"; HARD CONFLICT: the kept {_fmt(point)} is below the lower bound "
                    f">={_fmt(limit)} of the same year"
                )
            else:
                note += (
                    f"; the kept {_fmt(point)} is consistent with the lower bound >={_fmt(limit)}"
                )
    return {**kept, "conflict": True, "n_sources": len(members), "conflict_note": note}


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


# ---------------------------------------------------------------------------- reading


def read_reported(
    values: str | os.PathLike[str],
    mapping: str | os.PathLike[str],
    *,
    join: Sequence[str] = ("entity", "indicator_zh", "indicator_en"),
    include_ignored: bool = False,
    derive: Mapping[str, DeriveFunction] | None = None,
    policy: ConflictPolicy = "best",
    rank: Sequence[tuple[str, Sequence[str]]] = DEFAULT_RANK,
) -> pl.DataFrame:
    """Read reported values with a mapping file into long observations of plan indicators.

    Parameters
    ----------
    values
        CSV of reported values, one row per value: the ``join`` columns, ``year``, ``value``
        (a number, or text such as "140以上"), and optionally ``unit``, ``kind`` (reported /
        derived / estimate, "estimate (>=)" for a floor), ``source_title``, ``source_url``,
        ``note``, ``reliability``.
    mapping
        CSV with the ``join`` columns, ``plan_indicator`` and ``transform``, one line per
        distinct ``join`` key of ``values``: every row of ``values`` must match exactly one
        line. ``transform`` is ``as_is`` (the values are the plan indicator), ``lower_bound``
        (they are floors of it), ``derived`` (the plan value is computed from them by
        ``derive[plan_indicator]``) or ``ignore`` (not used; kept as context with
        ``include_ignored``).
    join
        Columns joining values to mapping lines.
    include_ignored
        Also return the ``ignore`` rows that name a plan indicator (as context: they never
        enter an assessment, see :func:`apply_bounds`). They skip conflict resolution.
    derive
        ``plan_indicator`` → function from the rows of its ``derived`` lines (parsed: ``year``
        Int64, ``value`` Float64, ``bound``, ``scale``, the ``join`` columns) to a frame with
        ``year`` and ``value`` (other columns optional).
    policy, rank
        Passed to :func:`resolve_conflicts` (per plan indicator and year).

    Returns
    -------
    polars.DataFrame
        ``indicator`` (the plan indicator), ``year`` (Int64), ``value`` (Float64), ``kind``,
        ``bound`` ("lower" or null), ``transform``, ``unit``, ``scale`` (to base units, e.g.
        1e8 for 亿元; pass ``scale="scale"`` to :func:`ontrack.assess`), ``source_title``,
        ``source_url``, ``reliability``, ``note``, the ``join`` columns, ``conflict``,
        ``n_sources`` and ``conflict_note``.

    Raises
    ------
    ontrack.OntrackError
        When a values row matches no mapping line or several, a mapping line has an unknown
        transform, an entering line has no plan indicator, a ``derived`` line has no
        function, or a year or value cannot be read; the message names the row.
    """
    raw = pl.read_csv(Path(values), infer_schema_length=0)
    lines = pl.read_csv(Path(mapping), infer_schema_length=0)
    join_columns = list(join)
    for name, frame, needed in (
        ("values", raw, [*join_columns, "year", "value"]),
        ("mapping", lines, [*join_columns, "plan_indicator", "transform"]),
    ):
        absent = [c for c in needed if c not in frame.columns]
        if absent:
            msg = f"read_reported: the {name} file has no column(s) {absent} ({frame.columns})"
            raise MissingColumnError(
                msg, column=absent[0], file=os.fspath(values if name == "values" else mapping)
            )

    duplicated = lines.filter(pl.struct(join_columns).is_duplicated())
    if duplicated.height:
        msg = (
            f"read_reported: {duplicated.height} mapping lines share a key "
            f"{join_columns}: {duplicated.select(join_columns).rows()[:3]}"
        )
        raise OntrackError(msg)
    unknown = lines.filter(~pl.col("transform").is_in(list(TRANSFORMS)))
    if unknown.height:
        msg = (
            f"read_reported: unknown transform(s) {unknown.get_column('transform').to_list()} "
            f"in the mapping; expected one of {list(TRANSFORMS)}"
        )
        raise OntrackError(msg)
    entering = lines.filter((pl.col("transform") != "ignore") & pl.col("plan_indicator").is_null())
    if entering.height:
        msg = (
            "read_reported: mapping line(s) with a transform other than 'ignore' but no "
            f"plan_indicator: {entering.select(join_columns).rows()}"
        )
        raise OntrackError(msg)

    mapped_columns = ["plan_indicator", "transform"]
    joined = raw.with_row_index("_row").join(
        lines.select([*join_columns, *mapped_columns]),
        on=join_columns,
        how="left",
        nulls_equal=True,
    )
    unmatched = joined.filter(pl.col("transform").is_null())
    if unmatched.height:
        first = unmatched.row(0, named=True)
        msg = (
            f"read_reported: {unmatched.height} value row(s) match no mapping line, e.g. "
            f"row {first['_row']} ({', '.join(f'{c}={first[c]!r}' for c in join_columns)})"
        )
        raise OntrackError(msg, row=first["_row"], file=os.fspath(values))

    rows: list[pl.DataFrame] = []
    used = joined.filter(pl.col("transform").is_in(["as_is", "lower_bound"]))
    rows.append(_entering_rows(used))
    derived = joined.filter(pl.col("transform") == "derived")
    for (plan_indicator,), part in derived.group_by("plan_indicator", maintain_order=True):
        function = (derive or {}).get(str(plan_indicator))
        if function is None:
            msg = (
                f"read_reported: mapping line(s) for plan indicator {plan_indicator!r} have "
                "transform 'derived' but derive= has no function for it"
            )
            raise OntrackError(msg)
        computed = function(_entering_rows(part))
        rows.append(_derived_rows(computed, str(plan_indicator), part))
    observations = pl.concat([r for r in rows if r.height], how="diagonal_relaxed")
    if not observations.height:
        observations = _entering_rows(used)
    observations = resolve_conflicts(
        observations, keys="indicator", policy=policy, rank=rank
    ).with_columns(pl.col("n_sources").cast(pl.Int64))

    if include_ignored:
        context = joined.filter(
            (pl.col("transform") == "ignore") & pl.col("plan_indicator").is_not_null()
        )
        if context.height:
            extra = _entering_rows(context).with_columns(
                pl.lit(False).alias("conflict"),
                pl.lit(1, dtype=pl.Int64).alias("n_sources"),
                pl.lit(None, dtype=pl.String).alias("conflict_note"),
            )
            observations = pl.concat([observations, extra], how="diagonal_relaxed")
    return observations.select(_output_columns(join_columns, observations.columns)).sort(
        "indicator", "year", maintain_order=True
    )


def _output_columns(join: Sequence[str], present: Sequence[str]) -> list[str]:
    first = [
        "indicator",
        "year",
        "value",
        "kind",
        "bound",
        "transform",
        "unit",
        "scale",
        "source_title",
        "source_url",
        "reliability",
        "note",
        *join,
        "conflict",
        "n_sources",
        "conflict_note",
    ]
    return [c for c in dict.fromkeys(first) if c in present]


def _entering_rows(joined: pl.DataFrame) -> pl.DataFrame:
    """Turn mapped rows into observations: parse value and year, mark bounds, attach units."""
    values = joined.get_column("value").to_list()
    parsed = [parse_value(v) for v in values]
    bad = [i for i, (n, _) in enumerate(parsed) if n is None]
    if bad:
        row = joined.row(bad[0], named=True)
        msg = f"read_reported: value {row['value']!r} of row {row['_row']} is not a number"
        raise ColumnTypeError(msg, column="value", row=row["_row"])
    years = joined.get_column("year").cast(pl.Int64, strict=False)
    if years.null_count():
        row = joined.filter(years.is_null()).row(0, named=True)
        msg = f"read_reported: year {row['year']!r} of row {row['_row']} is not a whole year"
        raise ColumnTypeError(msg, column="year", row=row["_row"])
    text_bound = pl.Series("_text_bound", [b for _, b in parsed], dtype=pl.String)
    kind = pl.col("kind") if "kind" in joined.columns else pl.lit(None, dtype=pl.String)
    unit = pl.col("unit") if "unit" in joined.columns else pl.lit(None, dtype=pl.String)
    says_lower = (
        (pl.col("transform") == "lower_bound")
        | kind.map_elements(is_lower_bound_text, return_dtype=pl.Boolean).fill_null(False)
        | unit.map_elements(is_lower_bound_text, return_dtype=pl.Boolean).fill_null(False)
        | pl.col("_text_bound").is_not_null()
    )
    distinct = joined.get_column("unit").unique().to_list() if "unit" in joined.columns else []
    scale_of = {u: found.scale for u in distinct if (found := lookup_unit(u)) is not None}
    out = joined.with_columns(
        pl.col("plan_indicator").alias("indicator"),
        years.alias("year"),
        pl.Series("value", [n for n, _ in parsed], dtype=pl.Float64),
        text_bound,
    ).with_columns(
        pl.when(says_lower).then(pl.lit("lower")).otherwise(None).cast(pl.String).alias("bound"),
        unit.replace_strict(scale_of, default=None, return_dtype=pl.Float64).alias("scale"),
    )
    return out.drop("_text_bound", "_row", "plan_indicator")


def _derived_rows(computed: pl.DataFrame, indicator: str, inputs: pl.DataFrame) -> pl.DataFrame:
    for column in ("year", "value"):
        if column not in computed.columns:
            msg = f"read_reported: derive[{indicator!r}] returned no {column!r} column"
            raise OntrackError(msg)
    out = computed.with_columns(
        pl.lit(indicator).alias("indicator"),
        pl.col("year").cast(pl.Int64),
        pl.col("value").cast(pl.Float64),
        pl.lit("derived").alias("transform"),
    )
    if "kind" not in out.columns:
        out = out.with_columns(pl.lit("derived").alias("kind"))
    if "bound" not in out.columns:
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("bound"))
    if "note" not in out.columns:
        sources = (
            ", ".join(dict.fromkeys(inputs.get_column("indicator_zh").to_list()))
            if ("indicator_zh" in inputs.columns)
            else "mapped rows"
        )
        out = out.with_columns(pl.lit(f"derived from {sources}").alias("note"))
    return out
