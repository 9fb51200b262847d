"""Bad input raises the documented exception class, naming what is wrong."""

from __future__ import annotations

import polars as pl
import pytest

import ontrack
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
