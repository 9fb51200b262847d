"""How lower bounds enter an assessment, and what the data show per target.

:func:`apply_bounds` decides which lower bounds (from :func:`ontrack.reported.read_reported`)
enter an assessment, by the rule below, and returns, per target, a plain note on what the
data show; :func:`annotate` joins it to an :func:`ontrack.assess` result.

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

from collections.abc import Mapping, Sequence
from typing import Final

import polars as pl

from ontrack._frames import FrameLike, to_polars
from ontrack.reported import _fmt, _number, comparable_units, lookup_unit

__all__ = ["annotate", "apply_bounds"]

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
    found = lookup_unit(unit)
    return None if found is None else found.dimension


def _check_units(
    rows: Sequence[Mapping[str, object]],
    by_indicator: Mapping[object, Sequence[Mapping[str, object]]],
    indicator: str,
) -> None:
    """Refuse an observation whose unit cannot be compared with its target's (% vs 亿元).

    The rule is the Rust core's (shares compare only in one unit: % vs ‰ is refused too);
    unknown units are not checked.
    """
    from ontrack.errors import TargetError

    for row in rows:
        if row["_context"]:
            continue
        have = _dimension(row.get("unit"))
        for goal in by_indicator.get(row[indicator], []):
            want = _dimension(goal.get("unit"))
            if comparable_units(row.get("unit"), goal.get("unit")) is False:
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
