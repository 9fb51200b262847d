"""Malformed inputs that used to escape as raw Python, Arrow or polars exceptions.

Each test feeds one of them the way a notebook user would and checks the specific
:class:`ontrack.OntrackError` subclass and the attribute naming the culprit, or that the
call now works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import polars as pl
import pytest

import ontrack
from ontrack import display, plot, report
from tests.conftest import level_target, series

OBS = series("x", [(2015, 10.0), (2016, 12.0), (2017, 13.0), (2018, 15.0)])


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def test_negative_horizon_is_an_option_error() -> None:
    with pytest.raises(ontrack.OptionError, match="horizon") as info:
        ontrack.project(OBS, horizon=-1)
    assert info.value.option == "horizon"
    with pytest.raises(ontrack.OptionError) as huge:
        ontrack.project(OBS, horizon=10**30)
    assert huge.value.option == "horizon"


def test_fractional_horizon_is_an_argument_type_error() -> None:
    with pytest.raises(ontrack.ArgumentTypeError, match="horizon must be a whole number") as info:
        ontrack.project(OBS, horizon=2.5)  # type: ignore[arg-type]
    assert info.value.option == "horizon"
    assert isinstance(info.value, TypeError)


def test_a_single_level_is_accepted() -> None:
    out = ontrack.project(OBS, method="linear", horizon=2, levels=0.8)
    assert "lower_80" in out.columns
    assert "lower_95" not in out.columns
    with pytest.raises(ontrack.ArgumentTypeError) as info:
        ontrack.project(OBS, horizon=2, levels="0.8")  # type: ignore[arg-type]
    assert info.value.option == "levels"


def test_text_base_years_name_the_argument() -> None:
    targets = level_target("x", "increase", 20.0, 2030)
    with pytest.raises(ontrack.ArgumentTypeError) as info:
        ontrack.sensitivity(OBS, targets, base_years=["x"])  # type: ignore[list-item]
    assert info.value.option == "base_years"


def test_pandas_object_column_mixing_numbers_and_text() -> None:
    frame = pd.DataFrame(
        {"indicator": ["x"] * 3, "year": [2015, 2016, 2017], "value": [1.0, "2", 3.0]}
    )
    with pytest.raises(ontrack.ColumnTypeError, match="'value'") as info:
        ontrack.assess(frame, level_target("x", "increase", 5.0, 2030))
    assert (info.value.column, info.value.row) == ("value", 1)


def test_report_with_another_period_name_and_no_target_id(tmp_path: Path) -> None:
    obs = OBS.rename({"year": "period", "value": "v"})
    targets = level_target("x", "increase", 20.0, 2030)
    result = ontrack.assess(obs, targets, year="period", value="v")
    path = report.html_report(
        result.drop("target_id"),
        observations=obs,
        year="period",
        value="v",
        path=tmp_path / "r.html",
    )
    text = path.read_text(encoding="utf-8")
    assert "Projections (series with at least 3 points)" in text
    assert "<h3>x</h3>" in text or "x" in text
    with pytest.raises(ontrack.MissingColumnError) as info:
        report.html_report(result, observations=obs, path=tmp_path / "s.html")
    assert info.value.column == "year"


def test_fan_chart_of_real_project_output_with_two_methods() -> None:
    projection = ontrack.project(OBS, method=["linear", "theta"], horizon=3)
    ax = plot.fan_chart(OBS, projection)
    labels = [line.get_label() for line in ax.get_lines()]
    assert "linear" in labels
    assert "theta" in labels


def test_fan_chart_of_two_series_names_the_option() -> None:
    both = pl.concat([OBS, OBS.with_columns(indicator=pl.lit("y"))])
    with pytest.raises(ontrack.OptionError, match="holds 2 series") as info:
        plot.fan_chart(both, ontrack.project(both, method="linear", horizon=2))
    assert info.value.option == "series"


def test_expressions_refuse_a_text_value_column() -> None:
    frame = pl.DataFrame({"year": [2015, 2020], "value": ["1.0", "2.0"]})
    with pytest.raises(ontrack.ColumnTypeError, match='column "value" has type str') as info:
        frame.select(ontrack.cagr("value", "year"))
    assert info.value.column == "value"
    assert not isinstance(info.value, pl.exceptions.PolarsError)
    frame = pl.DataFrame({"year": ["2015", "2020"], "value": [1.0, 2.0]})
    with pytest.raises(ontrack.ColumnTypeError, match='column "year" has type str') as info:
        frame.select(ontrack.progress("value", "year", target=3.0))
    assert info.value.column == "year"


def test_method_params_of_the_wrong_type_name_the_parameter() -> None:
    targets = level_target("x", "increase", 20.0, 2030)
    with pytest.raises(
        ontrack.OptionError, match='invalid parameter value: "substantial" = "high"'
    ) as info:
        ontrack.assess(OBS, targets, method_params={"open_sdg": {"substantial": "high"}})
    assert info.value.option == "method_params"
    with pytest.raises(ontrack.ArgumentTypeError) as wrong:
        ontrack.assess(OBS, targets, method_params={"open_sdg": 0.5})  # type: ignore[dict-item]
    assert wrong.value.option == "method_params"


def test_plot_and_display_raise_ontrack_errors() -> None:
    result = ontrack.assess(OBS, level_target("x", "increase", 20.0, 2030))
    with pytest.raises(ontrack.MissingColumnError) as missing:
        plot.progress_chart(result.drop("status"))
    assert missing.value.column == "status"
    with pytest.raises(ontrack.OptionError) as method:
        plot.progress_chart(result, method="unsd_2023")
    assert method.value.option == "method"
    with pytest.raises(ontrack.OptionError) as by:
        plot.progress_chart(pl.concat([result, result]))
    assert by.value.option == "by"
    with pytest.raises(ontrack.MissingColumnError) as table:
        display.status_table(result, columns=["nope"])
    assert table.value.column == "nope"
    with pytest.raises(ontrack.ArgumentTypeError) as frame:
        display.status_table([1, 2])  # type: ignore[arg-type]
    assert frame.value.option == "status_table"
