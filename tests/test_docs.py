"""The Python examples of the documentation run as written.

Every ```python block of the pages below is executed, in page order and in one namespace per
page (a later block may use what an earlier one defined), from the repository root, so that the
paths in the examples (``plans/...``, ``data/...``) are the ones a reader of a clone would type.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "index.md",
    "getting-started/python.md",
    "plans.md",
    "rollups.md",
    "sensitivity.md",
    "errors.md",
]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_every_page_with_python_examples_is_run() -> None:
    with_examples = {
        str(path.relative_to(ROOT / "docs"))
        for path in (ROOT / "docs").rglob("*.md")
        if BLOCK.search(path.read_text(encoding="utf-8"))
    }
    assert with_examples == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = BLOCK.findall((ROOT / "docs" / page).read_text(encoding="utf-8"))
    assert blocks, page
    namespace: dict[str, object] = {"__name__": f"docs.{page}"}
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), namespace)
