"""A readable error when the installed polars cannot exchange frames with the extension."""

from __future__ import annotations

import re

#: Python polars versions the extension (built on the polars 0.55.2 crate) works with.
SUPPORTED = ((1, 28), (3, 0))


def check_polars_version(version: str) -> None:
    """Raise ImportError if ``version`` is outside ``[1.28, 3)``.

    >>> check_polars_version("2.1.0")
    >>> check_polars_version("1.20.0")
    Traceback (most recent call last):
    ...
    ImportError: ontrack needs polars >=1.28,<3 (found 1.20.0); run: pip install 'polars>=1.28,<3'
    """
    match = re.match(r"(\d+)\.(\d+)", version)
    found = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    low, high = SUPPORTED
    if not (low <= found < high):
        msg = (
            f"ontrack needs polars >={low[0]}.{low[1]},<{high[0]} (found {version}); "
            f"run: pip install 'polars>={low[0]}.{low[1]},<{high[0]}'"
        )
        raise ImportError(msg)
