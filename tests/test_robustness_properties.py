"""Hypothesis: arbitrary observation and target frames have only two outcomes.

Either a documented :class:`ontrack.OntrackError` subclass whose attribute names the culprit,
or a result holding every input series (each with a ``status`` and, for ``assess``, a
``reason`` when not assessed). Frames are drawn with nulls, NaN, ±inf, duplicates, unicode
keys, extreme and negative years, empty frames and arbitrary target fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import ontrack

KEYS = st.sampled_from(["a", "b", "城镇化率", "😀", "", " "])
NUMBERS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1e6, 1e6),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-300, 1e300]),
)
YEARS = st.one_of(
    st.integers(2000, 2030),
    st.integers(-3000, 3000),
    st.sampled_from([None, 0, 9999, -(2**40), 2**40]),
)


@st.composite
def observations(draw: st.DrawFn) -> pl.DataFrame:
    # Half the frames are well-formed (unique series-years, no null year), so that results,
    # not only refusals, are checked often.
    clean = draw(st.booleans())
    years = st.integers(1990, 2040) if clean else YEARS
    rows = draw(st.lists(st.tuples(KEYS, KEYS, years, NUMBERS), max_size=12))
    if clean:
        rows = list({(r[0], r[1], r[2]): r for r in rows}.values())
    return pl.DataFrame(
        {
            "indicator": [r[0] for r in rows],
            "region": [r[1] for r in rows],
            "year": [r[2] for r in rows],
            "value": [r[3] for r in rows],
        },
        schema={
            "indicator": pl.String,
            "region": pl.String,
            "year": pl.Int64,
            "value": pl.Float64,
        },
    )


@st.composite
def targets(draw: st.DrawFn) -> pl.DataFrame:
    clean = draw(st.booleans())
    directions = ["increase", "decrease"] + ([] if clean else ["sideways", None])
    kinds = ["level", "change", "direction"] + ([] if clean else ["cumulative", "binary", "x"])
    rows = draw(
        st.lists(
            st.tuples(
                KEYS,
                st.sampled_from(directions),
                st.sampled_from(kinds),
                st.floats(-1e3, 1e3) if clean else NUMBERS,
                st.integers(2000, 2050) if clean else YEARS,
                st.one_of(st.none(), KEYS),
            ),
            max_size=4,
        )
    )
    return pl.DataFrame(
        {
            "id": [f"t{i}" for i in range(len(rows))],
            "indicator": [r[0] for r in rows],
            "direction": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "target_value": [r[3] for r in rows],
            "target_year": [r[4] for r in rows],
            "region": [r[5] for r in rows],
        },
        schema={
            "id": pl.String,
            "indicator": pl.String,
            "direction": pl.String,
            "kind": pl.String,
            "target_value": pl.Float64,
            "target_year": pl.Int64,
            "region": pl.String,
        },
    )


def culprit_named(error: ontrack.OntrackError) -> bool:
    """A documented class, with at least one attribute naming the culprit."""
    return type(error) in {
        ontrack.MissingColumnError,
        ontrack.ColumnTypeError,
        ontrack.NullValueError,
        ontrack.DuplicateObservationError,
        ontrack.TargetError,
        ontrack.DuplicateTargetError,
        ontrack.OptionError,
    } and bool(error.context())


def outcome(call: Callable[[], pl.DataFrame]) -> pl.DataFrame | ontrack.OntrackError:
    """The result, or the OntrackError raised (any other exception propagates)."""
    try:
        out = call()
    except ontrack.OntrackError as error:
        event(f"refused: {type(error).__name__}")
        return error
    event("accepted")
    return out


def every_series(obs: pl.DataFrame, out: pl.DataFrame) -> None:
    wanted = set(obs.select("indicator", "region").unique().rows())
    have = set(out.select("indicator", "region").unique().rows())
    missing = wanted - have
    assert not missing, f"series lost: {sorted(missing, key=str)[:3]}"


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(obs=observations(), tgt=targets(), method=st.sampled_from(["open_sdg", "unsd_2023"]))
def test_assess_either_refuses_or_keeps_every_series(
    obs: pl.DataFrame, tgt: pl.DataFrame, method: str
) -> None:
    out = outcome(lambda: ontrack.assess(obs, tgt, by="region", method=method))
    if isinstance(out, ontrack.OntrackError):
        assert culprit_named(out), repr(out)
        return
    every_series(obs, out)
    assert out.get_column("status").null_count() == 0
    not_assessed = out.filter(pl.col("status") == "insufficient_data")
    assert not_assessed.get_column("reason").null_count() == 0


@SETTINGS
@given(
    obs=observations(),
    horizon=st.one_of(st.integers(-5, 20), st.floats(allow_nan=True), st.none()),
    levels=st.one_of(
        st.floats(allow_nan=True, allow_infinity=True),
        st.lists(st.floats(0.01, 0.99), max_size=3),
    ),
)
def test_project_either_refuses_or_keeps_every_series(
    obs: pl.DataFrame, horizon: Any, levels: Any
) -> None:
    out = outcome(lambda: ontrack.project(obs, by="region", horizon=horizon, levels=levels))
    if isinstance(out, ontrack.OntrackError):
        assert culprit_named(out) or isinstance(out, ontrack.ArgumentTypeError), repr(out)
        if isinstance(horizon, float):
            assert out.option in {"horizon", "levels"}
        return
    assert not isinstance(horizon, float)
    every_series(obs, out)


@SETTINGS
@given(obs=observations(), tgt=targets())
def test_sensitivity_and_rollup_keep_every_series(obs: pl.DataFrame, tgt: pl.DataFrame) -> None:
    out = outcome(lambda: ontrack.sensitivity(obs, tgt, by="region"))
    if isinstance(out, ontrack.OntrackError):
        assert culprit_named(out), repr(out)
        return
    every_series(obs, out)
    assert out.get_column("robustness").null_count() == 0


@SETTINGS
@given(obs=observations(), tgt=targets())
def test_rollup_counts_every_row(obs: pl.DataFrame, tgt: pl.DataFrame) -> None:
    result = outcome(lambda: ontrack.assess(obs, tgt, by="region", projection=None))
    if isinstance(result, ontrack.OntrackError):
        return
    rolled = ontrack.rollup(result, by="region")
    assert rolled.get_column("n").sum() == result.height
