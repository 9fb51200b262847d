"""Every notebook in notebooks/ executes on a real Jupyter kernel without an error.

The kernel is this interpreter (``sys.executable -m ipykernel_launcher``), so it runs in the
same virtualenv as the tests, whatever kernelspecs are installed on the machine. Each notebook
runs with ``notebooks/`` as its working directory, a timeout of 600 s per cell. An error in any
cell fails the test with the cell's source and traceback; so does a warning a cell prints (a
deprecation today is an error tomorrow), except matplotlib's missing-glyph warning.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets import default

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 600
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# matplotlib's missing-glyph warning (no CJK font installed) is about the machine, not the code.
GLYPH = re.compile(r"Glyph \d+ .* missing from font")


class ThisInterpreterSpecs(KernelSpecManager):
    """Resolve every kernel name to ipykernel on ``sys.executable`` (this virtualenv)."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python ({sys.executable})",
            language="python",
            name=kernel_name,
        )


class ThisInterpreterKernel(AsyncKernelManager):
    """A kernel manager that starts kernels on this interpreter."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return ThisInterpreterSpecs()


def read(path: Path) -> nbformat.NotebookNode:
    notebook: nbformat.NotebookNode = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    return notebook


def test_there_are_notebooks() -> None:
    assert PATHS, f"no notebooks in {NOTEBOOKS}"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = read(path)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name} cell {index} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {index} has a count"


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_notebook_executes(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Jupyter's own notice about moving to platform directories is not about this project.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    notebook = read(path)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=ThisInterpreterKernel,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    failure = None
    try:
        client.execute()
    except CellExecutionError as error:
        failure = f"{path.name}: a cell failed\n{ANSI.sub('', str(error))}"
    if failure is not None:
        pytest.fail(failure, pytrace=False)
    warned = [
        f"cell {index}:\n{cell.source}\n{output.text}"
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        if output.get("name") == "stderr"
        and "Warning" in output.text
        and not GLYPH.search(output.text)
    ]
    assert not warned, f"{path.name}: warnings in cells\n" + "\n".join(warned)
