"""Reported values from several sources turned into observations, honestly.

Plan-monitoring data rarely come as a clean series. Values are transcribed from press
conferences, bulletins and reposts; two sources can report one year differently; some values
are floors ("预计达到140亿元以上", or a subset of what the target counts); some measure something
close to the plan's indicator but not it. This module makes each of those decisions explicit
and visible in the frames it returns:

- :func:`read_reported` reads a table of reported values and a **mapping file** that says, for
  every distinct reported indicator, which plan indicator it measures and how it enters
  (``as_is``, ``lower_bound``, ``derived`` or ``ignore``). :func:`langfang_observations` is
  the Langfang case (``data/langfang/``).
- :func:`resolve_conflicts` keeps one value per series and year when sources disagree, and
  flags every resolved row (``conflict``, ``n_sources``, ``conflict_note``).
- :func:`apply_bounds` decides how lower bounds enter an assessment (the rule below) and
  returns, per target, a plain note on what the data show (:func:`annotate` joins it to an
  :func:`ontrack.assess` result).

The lower-bound rule
--------------------
A lower bound ``v >= L`` says the value is at least ``L``; it never becomes a point value by
itself, and it is never averaged with point values.

1. **It can prove achievement, never shortfall.** For a target of direction ``increase`` with a
   number (``level``, ``cumulative``, ``binary``), a bound that already meets the target
   (``L > target`` when ``strict``, ``L >= target`` otherwise; for ``cumulative`` the sum of the
   window's points and bounds) in a year the target is judged on (at or before the deadline,
   inside the window) proves the target was met. Such a bound enters the assessment as a value
   (``bound = "lower"`` stays on the row) and the target's note says so.
2. **Otherwise it decides nothing.** A bound below the target, after the deadline, or on a
   ``direction``, ``change`` or ``share_of_units`` target (or any ``decrease`` target) does not
   enter; the note says "lower bound only: cannot assess" with the values, so the target stays
   ``insufficient_data`` with its reason rather than looking off track.
3. **Shared indicators.** A bound enters only if it proves achievement for *every* target on
   its indicator that would see it (deadline at or after its year); otherwise it is held out
   and each note says why (the engine joins observations to targets by indicator, so a bound
   entered for one target would be a point for the others).
4. **Same year as a point.** :func:`resolve_conflicts` keeps the point and checks the bound
   against it: a point below a floor of the same year is a hard conflict, flagged in the note.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final, Literal

import polars as pl

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
    "annotate",
    "apply_bounds",
    "ensure_columns",
    "is_lower_bound_text",
    "langfang_observations",
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

UNITS: Final[Mapping[str, tuple[str, float]]] = {
    "100 million yuan (亿元)": ("money", 1e8),
    "亿元": ("money", 1e8),
    "万元": ("money", 1e4),
    "元": ("money", 1.0),
    "yuan": ("money", 1.0),
    "万": ("count", 1e4),
    "percent": ("share", 1.0),
    "%": ("share", 1.0),
    "‰": ("per_mille", 1.0),
    **{
        word: ("count", 1.0)
        for word in (
            "个",
            "家",
            "项",
            "人",
            "次",
            "件",
            "enterprises",
            "platforms",
            "bases",
            "units",
            "patents",
            "count",
        )
    },
}
"""Unit strings (of the data and of plan files) → (dimension, scale to base units)."""

_LOWER_WORDS: Final[re.Pattern[str]] = re.compile(
    r"以上|不少于|不低于|超过|突破|超|>=|≥|>|lower bound|at least|more than", re.IGNORECASE
)
_NUMBER: Final[re.Pattern[str]] = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_RANK_KIND_ALIASES: Final[Mapping[str, str]] = {"estimate (>=)": "estimate"}

DeriveFunction = Callable[[pl.DataFrame], pl.DataFrame]


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
    scale_of = {k: v[1] for k, v in UNITS.items()}
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


def langfang_observations(
    data_dir: str | os.PathLike[str],
    *,
    include_ignored: bool = False,
    policy: ConflictPolicy = "best",
) -> pl.DataFrame:
    """Read the Langfang reported values as observations of the 2017 plan's indicators.

    Reads ``langfang_reported_values.csv`` and ``indicator_map.csv`` from ``data_dir`` with
    :func:`read_reported` (the mapping file decides everything; see its README).
    ``data_dir`` is usually ``data/langfang`` of the repository.

    Examples
    --------
    >>> obs = langfang_observations("data/langfang")
    >>> obs.filter(indicator="tech_market_contract_turnover").select("year", "value", "conflict")
    shape: (3, 3)
    ┌──────┬───────┬──────────┐
    │ year ┆ value ┆ conflict │
    │ ---  ┆ ---   ┆ ---      │
    │ i64  ┆ f64   ┆ bool     │
    ╞══════╪═══════╪══════════╡
    │ 2012 ┆ 16.19 ┆ false    │
    │ 2018 ┆ 90.66 ┆ false    │
    │ 2022 ┆ 226.7 ┆ true     │
    └──────┴───────┴──────────┘
    """
    root = Path(data_dir)
    return read_reported(
        root / "langfang_reported_values.csv",
        root / "indicator_map.csv",
        include_ignored=include_ignored,
        policy=policy,
    )


# ---------------------------------------------------------------------------- lower bounds

_PROVABLE_KINDS: Final[frozenset[str]] = frozenset({"level", "cumulative", "binary"})


def _as_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _as_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _meets(number: float, threshold: float, strict: bool) -> bool:
    return number > threshold if strict else number >= threshold


def _in_target_unit(row: Mapping[str, object], target: Mapping[str, object], value: str) -> float:
    number = _number(row.get(value))
    obs_scale = _as_float(row.get("scale"))
    target_scale = _as_float(target.get("scale"))
    if obs_scale is not None and target_scale is not None and target_scale != 0.0:
        return number * obs_scale / target_scale
    return number


def _sees(target: Mapping[str, object], period: int) -> tuple[bool, str]:
    """Whether a target is judged on a year (at or before its deadline, inside its window)."""
    deadline = _as_int(target.get("target_year"))
    if deadline is not None and period > deadline:
        return False, f"after the deadline {deadline}"
    start = _as_int(target.get("window_start"))
    if target.get("kind") == "cumulative" and start is not None and period < start:
        return False, f"before the window start {start}"
    return True, ""


def _threshold(target: Mapping[str, object]) -> tuple[float, bool] | None:
    if target.get("kind") == "binary":
        return 1.0, False
    number = _as_float(target.get("target_value"))
    if number is None:
        return None
    return number, bool(target.get("strict") or False)


def _proves(
    target: Mapping[str, object],
    floor: Mapping[str, object],
    same_indicator: Sequence[Mapping[str, object]],
    year: str,
    value: str,
) -> tuple[bool, str]:
    """Whether a lower bound proves the target was met, and why (not)."""
    kind = str(target.get("kind") or "level")
    if target.get("direction") != "increase":
        return False, "a lower bound cannot show that a 'decrease' target was met"
    if kind not in _PROVABLE_KINDS:
        return False, f"a lower bound cannot decide a {kind} target"
    threshold = _threshold(target)
    if threshold is None:
        return False, "the target has no number"
    number, strict = threshold
    sign = ">" if strict else ">="
    if kind == "cumulative":
        window = []
        for row in same_indicator:
            period = _as_int(row.get(year))
            if period is not None and _sees(target, period)[0]:
                window.append(_in_target_unit(row, target, value))
        total = sum(window)
        if _meets(total, number, strict):
            return (
                True,
                f"with the window's other values it sums to {_fmt(total)} {sign} {_fmt(number)}",
            )
        return False, f"the window sums to at least {_fmt(total)}, not {sign} {_fmt(number)}"
    floor_value = _in_target_unit(floor, target, value)
    if _meets(floor_value, number, strict):
        return True, f"already meets the target ({_fmt(floor_value)} {sign} {_fmt(number)})"
    return False, f"does not reach the target ({sign} {_fmt(number)})"


def apply_bounds(
    obs: FrameLike,
    targets: FrameLike,
    *,
    indicator: str = "indicator",
    year: str = "year",
    value: str = "value",
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Decide how lower bounds enter an assessment, and say per target what the data show.

    The rule is in the module docstring: a lower bound enters (as a value, still marked
    ``bound = "lower"``) only when it proves achievement of every target on its indicator that
    is judged on its year; otherwise it is held out and the note says why. Rows with
    ``transform = "ignore"`` (context, see :func:`read_reported`) never enter.

    Parameters
    ----------
    obs
        Observations (e.g. from :func:`read_reported`): ``indicator``, ``year``, ``value`` and
        optionally ``bound``, ``transform``, ``scale``, ``kind``, ``reliability``,
        ``source_title``, ``conflict_note``. One row per indicator and year (resolve
        conflicts first).
    targets
        The targets frame (e.g. ``Plan.targets``): ``id``, ``indicator``, ``kind``,
        ``direction``, ``target_value``, ``target_year``, ``strict`` and optionally
        ``window_start`` and ``scale``.
    indicator, year, value
        Column names of ``obs``.

    Returns
    -------
    (polars.DataFrame, polars.DataFrame)
        The observations to assess (point values and the lower bounds that entered), and one
        row per target: ``target_id``, ``indicator``, ``kind``, ``data_status`` (``points``,
        ``lower bound proves achievement``, ``lower bound only: cannot assess``, ``context
        only``, ``no data``), ``n_points``, ``point_years``, ``n_bounds``,
        ``bounds_entered``, ``sources``, ``conflicts`` and ``data_note`` (one plain sentence
        or a few, per target).

    Examples
    --------
    >>> import polars as pl
    >>> obs = pl.DataFrame({"indicator": ["p", "p"], "year": [2015, 2020],
    ...                     "value": [12.0, 99.0], "bound": ["lower", "lower"]})
    >>> targets = pl.DataFrame({"id": ["T"], "indicator": ["p"], "kind": ["level"],
    ...     "direction": ["increase"], "target_value": [500.0], "target_year": [2018],
    ...     "strict": [True]})
    >>> used, notes = apply_bounds(obs, targets)
    >>> used.height, notes.get_column("data_status")[0]
    (0, 'lower bound only: cannot assess')
    >>> print(notes.get_column("data_note")[0])  # doctest: +NORMALIZE_WHITESPACE
    lower bound only: cannot assess. >=12 (2015) does not reach the target (> 500);
    >=99 (2020) after the deadline 2018.
    """
    frame = to_polars(obs, "observations")
    goals = to_polars(targets, "targets")
    if "id" not in goals.columns:
        goals = goals.with_row_index("id").with_columns(pl.format("T{}", pl.col("id")))
    frame = frame.with_row_index("_i")
    none = pl.lit(None, dtype=pl.String)
    transform = pl.col("transform") if "transform" in frame.columns else none
    bound = pl.col("bound") if "bound" in frame.columns else none
    frame = frame.with_columns(
        (transform == "ignore").fill_null(False).alias("_context"),
        (bound == "lower").fill_null(False).alias("_floor"),
    )
    rows = frame.rows(named=True)
    goal_rows = goals.rows(named=True)
    by_indicator: dict[object, list[dict[str, object]]] = {}
    for goal in goal_rows:
        by_indicator.setdefault(goal.get("indicator"), []).append(goal)
    _check_units(rows, by_indicator, indicator)

    # Per floor: a verdict for each target that sees it; it enters only if all say "proves".
    verdicts: dict[tuple[int, object], tuple[bool, str]] = {}
    enters: dict[int, bool] = {}
    for row in rows:
        if row["_context"] or not row["_floor"]:
            continue
        index = int(row["_i"])
        same = [r for r in rows if r[indicator] == row[indicator] and not r["_context"]]
        seen = []
        for goal in by_indicator.get(row[indicator], []):
            period = _as_int(row[year])
            visible, why = _sees(goal, period if period is not None else 0)
            if not visible:
                verdicts[(index, goal["id"])] = (False, why)
                continue
            if any(r[year] == row[year] and not r["_floor"] for r in same):
                verdicts[(index, goal["id"])] = (
                    False,
                    "checked against the point value of the same year",
                )
                seen.append(False)
                continue
            verdict = _proves(goal, row, same, year, value)
            verdicts[(index, goal["id"])] = verdict
            seen.append(verdict[0])
        enters[index] = bool(seen) and all(seen)

    keep = [
        int(r["_i"])
        for r in rows
        if not r["_context"] and (not r["_floor"] or enters.get(int(r["_i"]), False))
    ]
    used = frame.filter(pl.col("_i").is_in(keep)).drop("_i", "_context", "_floor")

    notes = [_note(goal, rows, verdicts, enters, indicator, year, value) for goal in goal_rows]
    schema: dict[str, pl.DataType] = {
        "target_id": pl.String(),
        "indicator": pl.String(),
        "kind": pl.String(),
        "data_status": pl.String(),
        "n_points": pl.Int64(),
        "point_years": pl.List(pl.Int64()),
        "n_bounds": pl.Int64(),
        "bounds_entered": pl.Int64(),
        "sources": pl.List(pl.String()),
        "conflicts": pl.String(),
        "data_note": pl.String(),
    }
    return used, pl.DataFrame(notes, schema=schema, orient="row")


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _dimension(unit: object) -> str | None:
    found = UNITS.get(unit) if isinstance(unit, str) else None
    return None if found is None else found[0]


def _check_units(
    rows: Sequence[Mapping[str, object]],
    by_indicator: Mapping[object, Sequence[Mapping[str, object]]],
    indicator: str,
) -> None:
    """Refuse an observation whose unit has another dimension than its target's (% vs 亿元)."""
    from ontrack.errors import TargetError

    for row in rows:
        if row["_context"]:
            continue
        have = _dimension(row.get("unit"))
        for goal in by_indicator.get(row[indicator], []):
            want = _dimension(goal.get("unit"))
            if have is not None and want is not None and have != want:
                msg = (
                    f"target {goal.get('id')}: observation of {row[indicator]!r} in "
                    f"{row.get('unit')!r} ({have}) cannot be compared with the target's unit "
                    f"{goal.get('unit')!r} ({want})"
                )
                raise TargetError(msg, target_id=_opt_str(goal.get("id")), column="unit")


def _point_text(row: Mapping[str, object], year: str, value: str) -> str:
    details = [str(row[c]) for c in ("kind", "reliability") if row.get(c) is not None]
    inside = f" ({', '.join(details)})" if details else ""
    return f"{row[year]}: {_fmt(_as_float(row.get(value)))}{inside}"


def _note(
    goal: Mapping[str, object],
    rows: Sequence[Mapping[str, object]],
    verdicts: Mapping[tuple[int, object], tuple[bool, str]],
    enters: Mapping[int, bool],
    indicator: str,
    year: str,
    value: str,
) -> tuple[object, ...]:
    mine = [r for r in rows if r[indicator] == goal.get("indicator")]
    points = [r for r in mine if not r["_context"] and not r["_floor"]]
    floors = [r for r in mine if not r["_context"] and r["_floor"]]
    context = [r for r in mine if r["_context"]]
    entered = [r for r in floors if enters.get(int(str(r["_i"])), False)]
    sources = list(
        dict.fromkeys(
            str(r["source_title"]) for r in [*points, *floors] if r.get("source_title") is not None
        )
    )
    conflicts = "; ".join(
        str(r["conflict_note"]) for r in [*points, *floors] if r.get("conflict_note")
    )
    sentences: list[str] = []
    proving = [r for r in entered if verdicts.get((int(str(r["_i"])), goal["id"]), (False, ""))[0]]
    if points:
        sentences.append(
            "point values: " + "; ".join(_point_text(r, year, value) for r in points) + "."
        )
    floor_texts = []
    for r in floors:
        verdict = verdicts.get((int(str(r["_i"])), goal["id"]))
        text = f">={_fmt(_as_float(r.get(value)))} ({r[year]})"
        if r in entered:
            floor_texts.append(f"{text} {verdict[1] if verdict else 'meets the target'}: entered")
        elif verdict is not None and verdict[0]:
            floor_texts.append(
                f"{text} would prove this target but is held out: another target on "
                f"{goal.get('indicator')} cannot use it as a point"
            )
        else:
            floor_texts.append(f"{text} {verdict[1] if verdict else 'not used'}")
    if proving:
        status = "lower bound proves achievement"
        sentences.append(
            "a lower bound already meets the target and enters as a value: "
            + "; ".join(floor_texts)
            + "."
        )
    elif points:
        status = "points"
        if floors:
            sentences.append("lower bounds: " + "; ".join(floor_texts) + ".")
    elif floors:
        status = "lower bound only: cannot assess"
        sentences.append("lower bound only: cannot assess. " + "; ".join(floor_texts) + ".")
    elif context:
        status = "context only"
        sentences.append(
            "no observation of this indicator; context only (not used: "
            + "; ".join(
                f"{_point_text(r, year, value)}: {r['note']}"
                if r.get("note")
                else _point_text(r, year, value)
                for r in context
            )
            + ")."
        )
    else:
        status = "no data"
        sentences.append("no observation of this indicator in the data.")
    if conflicts:
        sentences.append(f"conflicts: {conflicts}.")
    point_years = sorted({y for r in points if (y := _as_int(r[year])) is not None})
    return (
        goal.get("id"),
        goal.get("indicator"),
        goal.get("kind"),
        status,
        len(points),
        point_years,
        len(floors),
        len(entered),
        sources,
        conflicts or None,
        " ".join(sentences),
    )


def annotate(result: FrameLike, notes: FrameLike) -> pl.DataFrame:
    """Join the notes of :func:`apply_bounds` to an :func:`ontrack.assess` result.

    Adds ``data_status`` and ``data_note`` to every result row (by ``target_id``); the
    engine's ``reason`` is left as it is.
    """
    frame = to_polars(result, "result")
    extra = to_polars(notes, "notes").select("target_id", "data_status", "data_note")
    return frame.join(extra, on="target_id", how="left", maintain_order="left")
