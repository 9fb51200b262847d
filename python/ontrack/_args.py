"""Checking the types of keyword arguments before they reach the engine.

Each helper returns the argument in the form the native module takes, or raises
:class:`~ontrack.errors.ArgumentTypeError` naming the argument. Ranges (a level in (0, 1), a
horizon of at least one year, ...) are the engine's to check: it raises
:class:`~ontrack.errors.OptionError` naming the option.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Iterable, Mapping
from decimal import Decimal

from ontrack.errors import ArgumentTypeError, OptionError

# The widest whole number the engine takes (a 64-bit integer).
_I64 = 2**63


def _wrong(name: str, expected: str, value: object) -> ArgumentTypeError:
    return ArgumentTypeError(
        f"{name} must be {expected}, not {type(value).__qualname__} ({value!r:.60})",
        option=name,
    )


def real(value: object, name: str) -> float:
    """Return a number (int, float, Decimal, numpy scalar; not a bool) as a float."""
    if isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        return float(value)
    raise _wrong(name, "a number", value)


def optional_real(value: object, name: str) -> float | None:
    """Return ``None`` or a number."""
    return None if value is None else real(value, name)


def whole(value: object, name: str) -> int:
    """Return a whole number (int or numpy integer; not a bool, not a float)."""
    if isinstance(value, bool):
        raise _wrong(name, "a whole number", value)
    try:
        out = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise _wrong(name, "a whole number", value) from None
    if not -_I64 <= out < _I64:
        msg = f"{name} = {out} is out of range"
        raise OptionError(msg, option=name)
    return out


def optional_whole(value: object, name: str) -> int | None:
    """Return ``None`` or a whole number."""
    return None if value is None else whole(value, name)


def reals(value: object, name: str) -> list[float]:
    """Return a number or a sequence of numbers as a list of floats."""
    if isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        return [float(value)]
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise _wrong(name, "a number or a sequence of numbers", value)
    return [real(v, name) for v in value]


def optional_reals(value: object, name: str) -> list[float] | None:
    """Return ``None`` or a number or a sequence of numbers as a list of floats."""
    return None if value is None else reals(value, name)


def flag(value: object, name: str) -> bool:
    """Return a bool (Python or numpy) argument."""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise _wrong(name, "True or False", value)


def text(value: object, name: str) -> str:
    """Return a string argument."""
    if isinstance(value, str):
        return value
    raise _wrong(name, "a string", value)


def optional_text(value: object, name: str) -> str | None:
    """Return ``None`` or a string."""
    return None if value is None else text(value, name)
