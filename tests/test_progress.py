"""Progress bars and Ctrl-C: a tqdm bar when asked, identical results, KeyboardInterrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

import ontrack
from ontrack import _ontrack


def panel(n: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Return ``n`` random-walk series 2005-2022 (one region each) and one target for all."""
    years = np.arange(2005, 2023)
    rng = np.random.default_rng(seed)
    values = rng.normal(0.5, 1.0, size=(n, years.size)).cumsum(axis=1) + 50.0
    obs = pl.DataFrame(
        {
            "indicator": "x",
            "region": np.repeat(np.arange(n), years.size),
            "year": np.tile(years, n),
            "value": values.ravel(),
        }
    )
    targets = pl.DataFrame(
        {
            "indicator": ["x"],
            "direction": ["increase"],
            "target_value": [70.0],
            "target_year": [2030],
        }
    )
    return obs, targets


def test_progress_true_shows_a_tqdm_bar_and_false_shows_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Closed form: several chunks (256, 1024, then larger), over in well under a second.
    obs, targets = panel(3000)
    shown = ontrack.assess(obs, targets, by="region", projection=None, progress=True)
    err = capsys.readouterr().err
    assert "3000/3000" in err, err
    assert "100%" in err, err
    quiet = ontrack.assess(obs, targets, by="region", projection=None, progress=False)
    assert capsys.readouterr().err == ""
    assert_frame_equal(shown, quiet)


def test_every_call_takes_progress(capsys: pytest.CaptureFixture[str]) -> None:
    obs, targets = panel(400)
    ontrack.compare_methods(
        obs, targets, by="region", method=["open_sdg", "unsd_2023"], progress=True
    )
    assert "400/400" in capsys.readouterr().err
    # Three base years, the reference and the run without the latest points: five passes.
    ontrack.sensitivity(obs, targets, by="region", base_years=[2006, 2008, 2010], progress=True)
    assert "2000/2000" in capsys.readouterr().err
    ontrack.project(obs, by="region", method=["drift", "theta"], horizon=2, progress=True)
    assert "800/800" in capsys.readouterr().err
    for quiet in (False, None):  # short calls stay quiet by default
        ontrack.project(obs, by="region", method="drift", horizon=2, progress=quiet)
        ontrack.sensitivity(obs, targets, by="region", base_years=[2006], progress=quiet)
        assert capsys.readouterr().err == ""


def test_results_are_identical_with_and_without_progress() -> None:
    obs, targets = panel(2500, seed=11)
    with_bar = ontrack.assess(obs, targets, by="region", method=["open_sdg", "unsd_2023"])
    assert with_bar["probability"].null_count() < with_bar.height  # the default projection ran
    for progress in (True, False):
        again = ontrack.assess(
            obs, targets, by="region", method=["open_sdg", "unsd_2023"], progress=progress
        )
        assert_frame_equal(with_bar, again)
    projected = ontrack.project(obs, by="region", horizon=3, progress=True)
    assert_frame_equal(projected, ontrack.project(obs, by="region", horizon=3, progress=False))


def test_the_core_reports_chunks_in_order_up_to_the_total() -> None:
    obs, targets = panel(5000, seed=3)
    reports: list[tuple[int, int]] = []
    _ontrack.assess(
        obs,
        targets,
        method=["open_sdg"],
        by=["region"],
        indicator="indicator",
        year="year",
        value="value",
        progress=lambda done, total: reports.append((done, total)),
    )
    assert reports, "the final report is always made"
    assert reports[-1] == (5000, 5000)
    assert all(total == 5000 for _, total in reports)
    assert [d for d, _ in reports] == sorted(d for d, _ in reports)


def test_an_error_raised_by_the_progress_callable_stops_the_call() -> None:
    obs, _ = panel(300)

    def refuse(done: int, total: int) -> None:
        msg = f"stop at {done} of {total}"
        raise RuntimeError(msg)

    with pytest.raises(RuntimeError, match="stop at"):
        _ontrack.project(
            obs,
            method=["drift"],
            by=["region"],
            indicator="indicator",
            year="year",
            value="value",
            progress=refuse,
        )


def test_progress_must_be_a_bool_or_none() -> None:
    obs, targets = panel(5)
    with pytest.raises(ontrack.OptionError, match="progress must be True or False"):
        ontrack.assess(obs, targets, by="region", progress="yes")  # type: ignore[arg-type]


INTERRUPTED = """
import sys, time
import numpy as np, polars as pl
import ontrack

n = {n}
years = np.arange(2005, 2023)
values = np.random.default_rng(5).normal(0.5, 1.0, size=(n, years.size)).cumsum(axis=1) + 50
obs = pl.DataFrame({{"indicator": "x", "region": np.repeat(np.arange(n), years.size),
                    "year": np.tile(years, n), "value": values.ravel()}})
targets = pl.DataFrame({{"indicator": ["x"], "direction": ["increase"],
                        "target_value": [70.0], "target_year": [2030]}})
print("ready", flush=True)
ontrack.assess(obs, targets, by="region")  # the default projection: many seconds
print("finished", flush=True)
"""


def test_ctrl_c_stops_a_long_assess_with_keyboard_interrupt(tmp_path: Path) -> None:
    # 60 000 series with the default projection take well over five seconds here.
    script = tmp_path / "long_assess.py"
    script.write_text(textwrap.dedent(INTERRUPTED.format(n=60_000)))
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.stdout is not None
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(1.5)
        assert proc.poll() is None, "assess ended before the interrupt"
        os.kill(proc.pid, signal.SIGINT)
        sent = time.monotonic()
        out, err = proc.communicate(timeout=10)
        delay = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    print(f"assess stopped {delay:.2f} s after SIGINT")
    assert "KeyboardInterrupt" in err, err
    assert "finished" not in out
    assert proc.returncode != 0


def test_engine_tasks_never_show_a_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    from ontrack.distributed import _common

    seen: list[object] = []

    def fake_assess(*args: object, **kwargs: object) -> pl.DataFrame:
        seen.append(kwargs["progress"])
        return pl.DataFrame()

    monkeypatch.setattr(_ontrack, "assess", fake_assess)
    monkeypatch.setattr(_ontrack, "compare_methods", fake_assess)
    monkeypatch.setattr(_ontrack, "project", fake_assess)
    obs, targets = panel(3)
    operations: tuple[_common.Operation, ...] = ("assess", "compare", "project")
    for operation in operations:
        call = _common.Call(operation=operation, kwargs={"progress": lambda d, t: None})
        call.run(obs, targets)
    assert seen == [None, None, None]
