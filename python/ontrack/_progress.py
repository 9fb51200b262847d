"""Progress bars of long calls (``progress=`` of assess, compare_methods, sensitivity, project).

The Rust core runs a call's jobs (one per target x series, or series x projection method) in
chunks and, about every 0.1 s, the native module hands ``(done, total)`` to the callable made
here. The bar is the conventional ``tqdm.auto`` one: a widget in Jupyter, a text line on
stderr in a terminal. Ctrl-C and Jupyter's interrupt work whatever ``progress`` says.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ontrack._args import flag

if TYPE_CHECKING:
    from tqdm.std import tqdm

#: With ``progress=None``, a bar appears once a call has run this many seconds.
AUTO_DELAY = 2.0


class _Bar:
    """Callable ``(done, total)`` feeding a tqdm bar, created when it is due."""

    def __init__(self, always: bool, description: str) -> None:
        self._always = always
        self._description = description
        self._started = time.monotonic()
        self._bar: tqdm[Any] | None = None

    def __call__(self, done: int, total: int) -> None:
        bar = self._bar
        if bar is None:
            if not self._always and time.monotonic() - self._started < AUTO_DELAY:
                return
            # Imported when a bar is due: short calls never import tqdm.
            from tqdm.std import TqdmWarning

            with warnings.catch_warnings():
                # In Jupyter without ipywidgets tqdm.auto falls back to the text bar, which
                # works there too; its warning about that would only be noise.
                warnings.simplefilter("ignore", TqdmWarning)
                from tqdm.auto import tqdm

            # Starting at the jobs already done keeps the rate and the time left honest.
            bar = self._bar = tqdm(total=total, initial=done, desc=self._description, unit="job")
        if bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def check(progress: object) -> bool | None:
    """Return ``progress`` if it is ``True``, ``False`` or ``None``; raise ArgumentTypeError."""
    return None if progress is None else flag(progress, "progress")


@contextmanager
def bar(progress: bool | None, description: str) -> Iterator[Callable[[int, int], None] | None]:
    """Yield the progress callable of one native call (``None``: no bar), closing it after.

    ``progress``: ``None`` shows a bar once the call has run :data:`AUTO_DELAY` seconds,
    ``True`` always, ``False`` never.
    """
    mode = check(progress)
    if mode is False:
        yield None
        return
    feed = _Bar(always=mode is True, description=description)
    try:
        yield feed
    finally:
        feed.close()
