"""Bad input raises the documented exception class, naming what is wrong."""

from __future__ import annotations

import concurrent.futures
import inspect
import multiprocessing
import pickle
import subprocess
import sys

import polars as pl
import pytest

import ontrack
import ontrack.errors
from tests.conftest import level_target, series


def test_hierarchy() -> None:
    assert issubclass(ontrack.OntrackError, ValueError)
    for cls in (
        ontrack.MissingColumnError,
        ontrack.ColumnTypeError,
        ontrack.NullValueError,
        ontrack.DuplicateObservationError,
        ontrack.TargetError,
        ontrack.OptionError,
        ontrack.EngineError,
    ):
        assert issubclass(cls, ontrack.OntrackError)
    assert issubclass(ontrack.DuplicateTargetError, ontrack.TargetError)


def test_missing_column_names_it() -> None:
    obs = pl.DataFrame({"indicator": ["x"], "year": [2015]})
    with pytest.raises(ontrack.MissingColumnError, match='no column "value"') as info:
        ontrack.assess(obs, level_target("x", "increase", 1.0, 2030))
    assert isinstance(info.value, ValueError)


def test_custom_column_names() -> None:
    obs = pl.DataFrame({"ind": ["x", "x"], "t": [2015, 2020], "v": [50.0, 60.0]})
    targets = level_target("x", "increase", 80.0, 2030).rename({"indicator": "ind"})
    out = ontrack.assess(obs, targets, indicator="ind", year="t", value="v")
    assert out.get_column("status").item() == "on_track"
    with pytest.raises(ontrack.MissingColumnError, match='no column "year"'):
        ontrack.assess(obs, targets, indicator="ind", value="v")


def test_wrong_type() -> None:
    obs = pl.DataFrame({"indicator": ["x"], "year": [2015], "value": ["1.0"]})
    with pytest.raises(ontrack.ColumnTypeError, match='"value" has type str'):
        ontrack.assess(obs, level_target("x", "increase", 1.0, 2030))


def test_null_period() -> None:
    obs = pl.DataFrame({"indicator": ["x", "x"], "year": [2015, None], "value": [1.0, 2.0]})
    with pytest.raises(ontrack.NullValueError, match='"year" is null at row 1'):
        ontrack.assess(obs, level_target("x", "increase", 1.0, 2030))


def test_duplicate_observation() -> None:
    obs = series("x", [(2015, 1.0), (2015, 2.0)])
    with pytest.raises(ontrack.DuplicateObservationError, match=r"indicator=x.*period 2015"):
        ontrack.assess(obs, level_target("x", "increase", 1.0, 2030))


def test_bad_target() -> None:
    targets = level_target("x", "sideways", 1.0, 2030)
    with pytest.raises(ontrack.TargetError, match='target "T": field "direction"'):
        ontrack.assess(series("x", [(2015, 1.0)]), targets)
    twice = pl.concat([level_target("x", "increase", 1.0, 2030)] * 2)
    with pytest.raises(ontrack.DuplicateTargetError, match='duplicate target id "T"'):
        ontrack.assess(series("x", [(2015, 1.0)]), twice)


def test_bad_option() -> None:
    with pytest.raises(ontrack.OptionError, match="unknown method"):
        ontrack.assess(
            series("x", [(2015, 1.0)]), level_target("x", "increase", 1, 2030), method="x"
        )
    with pytest.raises(ontrack.OptionError, match="baseline_policy"):
        ontrack.assess(
            series("x", [(2015, 1.0)]),
            level_target("x", "increase", 1, 2030),
            baseline_policy="latest",  # type: ignore[arg-type]
        )


@pytest.mark.parametrize(
    "values",
    [
        pl.Series("value", [1, 2], dtype=pl.Int16),
        pl.Series("value", [1, 2], dtype=pl.Decimal(10, 2)),
        pl.Series("value", [1.0, 2.0], dtype=pl.Float32),
    ],
)
def test_other_numeric_types_work_without_panics(values: pl.Series) -> None:
    obs = pl.DataFrame({"indicator": ["x", "x"], "year": [2015, 2016]}).with_columns(values)
    out = ontrack.assess(obs, level_target("x", "increase", 3.0, 2030))
    assert out.get_column("latest_value").item() == 2.0


def test_categorical_and_int_keys() -> None:
    obs = series("x", [(2015, 1.0), (2016, 2.0)]).with_columns(
        pl.col("indicator").cast(pl.Categorical), region=pl.lit(7, dtype=pl.Int32)
    )
    out = ontrack.assess(obs, level_target("x", "increase", 3.0, 2030), by="region")
    assert out.get_column("region").dtype == pl.Int32
    assert out.get_column("region").item() == 7


# --- Structured attributes and pickling --------------------------------------------------

ALL_CLASSES = [
    getattr(ontrack.errors, name)
    for name in ontrack.errors.__all__
    if isinstance(getattr(ontrack.errors, name), type)
]


def test_every_class_is_an_ontrack_error_and_exported() -> None:
    assert len(ALL_CLASSES) == 11
    for cls in ALL_CLASSES:
        assert issubclass(cls, ontrack.OntrackError)
        assert getattr(ontrack, cls.__name__) is cls
        # Code importing the classes from the native module gets the same classes.
        assert getattr(ontrack._ontrack, cls.__name__) is cls
    assert issubclass(ontrack.ArgumentTypeError, TypeError)
    assert issubclass(ontrack.ArgumentTypeError, ontrack.OptionError)


def test_attributes_are_those_of_the_rust_error_context() -> None:
    assert list(ontrack.errors.ATTRIBUTES) == ontrack._ontrack.ERROR_ATTRIBUTES
    for kind, name in ontrack._ontrack.ERROR_CLASSES:
        assert kind
        assert issubclass(getattr(ontrack.errors, name), ontrack.OntrackError)


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_every_class_pickles_with_message_and_attributes(cls: type[ontrack.OntrackError]) -> None:
    values: dict[str, object] = {
        name: (i if name in {"row", "line", "col", "bucket"} else f"v{i}")
        for i, name in enumerate(ontrack.errors.ATTRIBUTES)
    }
    error = cls("what is wrong", **values)  # type: ignore[arg-type]
    error.add_note("a note")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == "what is wrong"
    assert copy.context() == values
    assert copy.__notes__ == ["a note"]
    bare = pickle.loads(pickle.dumps(cls("only a message")))
    assert bare.context() == {}
    assert all(getattr(bare, name) is None for name in ontrack.errors.ATTRIBUTES)


def test_engine_errors_carry_attributes() -> None:
    obs = pl.DataFrame({"indicator": ["x", "x"], "year": [2015, None], "value": [1.0, 2.0]})
    with pytest.raises(ontrack.NullValueError) as info:
        ontrack.assess(obs, level_target("x", "increase", 1.0, 2030))
    assert (info.value.column, info.value.row, info.value.option) == ("year", 1, None)
    twice = pl.concat([level_target("x", "increase", 1.0, 2030)] * 2)
    with pytest.raises(ontrack.DuplicateTargetError) as dup:
        ontrack.assess(series("x", [(2015, 1.0)]), twice)
    assert (dup.value.target_id, dup.value.row) == ("T", 1)
    with pytest.raises(ontrack.DuplicateObservationError) as obs_dup:
        ontrack.assess(
            series("x", [(2015, 1.0), (2015, 2.0)]), level_target("x", "increase", 1, 2030)
        )
    assert obs_dup.value.series == "indicator=x"
    assert obs_dup.value.row == 1
    with pytest.raises(ontrack.TargetError) as target:
        ontrack.assess(series("x", [(2015, 1.0)]), level_target("x", "sideways", 1.0, 2030))
    assert (target.value.target_id, target.value.column) == ("T", "direction")


def _assess_with_a_null_year() -> None:
    obs = pl.DataFrame({"indicator": ["x", "x"], "year": [2015, None], "value": [1.0, 2.0]})
    ontrack.assess(obs, level_target("x", "increase", 1.0, 2030))


def _project_with_a_bad_horizon() -> None:
    ontrack.project(series("x", [(2015, 1.0), (2016, 2.0)]), horizon=2.5)  # type: ignore[arg-type]


def test_errors_cross_a_process_boundary() -> None:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        with pytest.raises(ontrack.NullValueError) as info:
            pool.submit(_assess_with_a_null_year).result()
        assert (info.value.column, info.value.row) == ("year", 1)
        assert 'column "year" is null at row 1' in str(info.value)
        with pytest.raises(ontrack.ArgumentTypeError) as arg:
            pool.submit(_project_with_a_bad_horizon).result()
        assert arg.value.option == "horizon"
        assert isinstance(arg.value, TypeError)


def test_attributes_are_the_keywords_of_every_error() -> None:
    signature = inspect.signature(ontrack.OntrackError.__init__)
    keywords = [p.name for p in signature.parameters.values() if p.kind is p.KEYWORD_ONLY]
    assert keywords == list(ontrack.errors.ATTRIBUTES)
    assert isinstance(ontrack.errors.ATTRIBUTES, tuple)
    assert len(set(ontrack.errors.ATTRIBUTES)) == len(ontrack.errors.ATTRIBUTES) == 10


@pytest.mark.parametrize("first", ["ontrack.errors", "ontrack._ontrack", "ontrack"])
def test_the_modules_import_in_any_order(first: str) -> None:
    # ontrack.errors reads ERROR_ATTRIBUTES from the extension, which re-exports the classes.
    script = (
        f"import {first}\n"
        "import ontrack._ontrack as native, ontrack.errors as errors\n"
        "assert native.OntrackError is errors.OntrackError\n"
        "assert list(errors.ATTRIBUTES) == native.ERROR_ATTRIBUTES\n"
        "assert {'OntrackError', 'ERROR_ATTRIBUTES'} <= set(native.__all__)\n"
        "try:\n"
        "    native.NoSuchError\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('an unknown name was found')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


def test_errors_rebuilt_from_their_message_get_their_attributes_back() -> None:
    # polars re-raises an error raised inside a query as type(error)(message + context).
    message = 'observations column "amount" has type str; expected a number'
    kept = ontrack.errors._keep_attributes(ontrack.ColumnTypeError(message, column="amount"))
    assert kept.column == "amount"
    rebuilt = ontrack.ColumnTypeError(
        message + "\n\nThis error occurred in the following expression:\n\tcol(...)"
    )
    assert type(rebuilt) is ontrack.ColumnTypeError
    assert rebuilt.context() == {"column": "amount"}
    assert ontrack.ColumnTypeError(message + " and more").column is None
    assert ontrack.MissingColumnError(message).column is None
    assert ontrack.ColumnTypeError(message, column="other").column == "other"
    for i in range(100):
        ontrack.errors._keep_attributes(ontrack.ColumnTypeError(f"m{i}", column=f"c{i}"))
    assert ontrack.ColumnTypeError(message).column is None  # only the latest are kept
    assert ontrack.ColumnTypeError("m99").column == "c99"
