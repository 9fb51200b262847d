"""The Python examples of the documentation run as written.

Every ```python block of the pages below is executed, in page order and in one namespace per
page (a later block may use what an earlier one defined), from the repository root, so that the
paths in the examples (``plans/...``, ``data/...``) are the ones a reader of a clone would type.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

import ontrack

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "index.md",
    "getting-started/python.md",
    "plans.md",
    "rollups.md",
    "sensitivity.md",
    "errors.md",
]
# Pages whose examples need what a test cannot have, and why; every other page with a
# ```python block must be in PAGES.
NOT_RUN = {
    "distributed.md": "needs a Spark session or a Dask cluster and their files",
}
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_every_page_with_python_examples_is_run() -> None:
    with_examples = {
        str(path.relative_to(ROOT / "docs"))
        for path in (ROOT / "docs").rglob("*.md")
        if BLOCK.search(path.read_text(encoding="utf-8"))
    }
    assert with_examples == set(PAGES) | set(NOT_RUN)


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = BLOCK.findall((ROOT / "docs" / page).read_text(encoding="utf-8"))
    assert blocks, page
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), namespace)


def _documented_columns(page: str, heading: str) -> list[str]:
    """Column names in the first cell of each row of the table under `heading`, in order."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    section = text.split(heading, 1)[1].split("\n#", 1)[0]
    names: list[str] = []
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names += re.findall(r"`([^`]+)`", first_cell)
    return names


def test_the_data_contract_lists_every_result_column_in_order() -> None:
    obs = pl.DataFrame({"indicator": "x", "year": [2015, 2018, 2021], "value": [1.0, 2.0, 3.0]})
    targets = pl.DataFrame(
        {
            "indicator": ["x"],
            "direction": ["increase"],
            "target_value": [5.0],
            "target_year": [2030],
        }
    )
    actual = ontrack.assess(obs, targets).columns
    documented: list[str] = []
    for name in _documented_columns("data-contract.md", "## Results"):
        if "<pct>" in name:
            documented += [name.replace("<pct>", pct) for pct in ("80", "95")]
        else:
            documented.append(name)
    # `projected_lower_<pct>`, `projected_upper_<pct>` are documented as a pair: interleave
    # them per level as assess does.
    lower = [c for c in documented if c.startswith("projected_lower_")]
    upper = [c for c in documented if c.startswith("projected_upper_")]
    start = documented.index(lower[0])
    documented[start : start + 4] = [x for pair in zip(lower, upper, strict=True) for x in pair]
    assert documented == actual
