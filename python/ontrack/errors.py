"""The exception classes of ontrack: one hierarchy, structured attributes, picklable.

Every user-facing failure of the package is an :class:`OntrackError` (itself a
``ValueError``). Besides its message, every error carries the attributes listed in
:data:`ATTRIBUTES` (``None`` where they do not apply), so that a notebook or a pipeline can
act on an error without parsing its text::

    try:
        ontrack.assess(observations, targets)
    except ontrack.NullValueError as e:
        bad_row = observations[e.row]  # e.column names the column

Errors pickle and unpickle with their class, message and attributes, so they cross process
boundaries (``multiprocessing``, ``concurrent.futures``, Spark, Dask) intact.

The classes are defined here, once, in Python: an argument of the wrong type is both an
:class:`OntrackError` and a ``TypeError`` (:class:`ArgumentTypeError`), which needs multiple
inheritance, and plain Python classes pickle by reference to this module. The Rust engine
raises them by name (its error enum carries the same attributes, ``ontrack::ErrorContext``,
whose field names :data:`ATTRIBUTES` reads from the extension).
"""

from __future__ import annotations

from typing import Any, Final

from ontrack._ontrack import ERROR_ATTRIBUTES

__all__ = [
    "ATTRIBUTES",
    "ArgumentTypeError",
    "ColumnTypeError",
    "DuplicateObservationError",
    "DuplicateTargetError",
    "EngineError",
    "MissingColumnError",
    "NullValueError",
    "OntrackError",
    "OptionError",
    "PlanError",
    "TargetError",
]

#: The structured attributes every :class:`OntrackError` carries (``None`` when not
#: applicable): the fields of the Rust ``ErrorContext``, in their order, as the extension
#: lists them.
ATTRIBUTES: Final[tuple[str, ...]] = tuple(ERROR_ATTRIBUTES)

#: Attributes of errors raised inside a polars query, by class and message (the latest few).
#: polars re-raises the exception of a Python function run inside a query as
#: ``type(error)(message + context)``, a new instance with the message alone; the error is
#: kept here (:func:`_keep_attributes`) so that the new instance gets its attributes back.
_RAISED_IN_QUERIES: Final[dict[tuple[type[OntrackError], str], dict[str, Any]]] = {}
_KEPT: Final[int] = 64


class OntrackError(ValueError):
    """Base class of every ontrack error; also a ``ValueError``.

    Parameters
    ----------
    message
        What is wrong, naming the culprit (``str(error)`` is this message).
    column, row, series, target_id, option, file, line, col, sheet, bucket
        The structured attributes below; keyword-only.

    Attributes
    ----------
    column : str or None
        The column of an input frame at fault (for a target, the targets-frame field).
    row : int or None
        Zero-based row of the input frame at fault (for a repeat, the repeating row).
    series : str or None
        The series at fault, as ``indicator=…, key=…``.
    target_id : str or None
        The id of the target at fault.
    option : str or None
        The keyword argument at fault (e.g. ``"horizon"``, ``"method_params"``).
    file : str or None
        The file at fault, as named by the caller.
    line : int or None
        1-based line in ``file``.
    col : int or None
        1-based column (in characters) on ``line``.
    sheet : str or None
        The sheet of a workbook the input came from.
    bucket : int or None
        The bucket (group of series processed together) of a distributed run.

    Examples
    --------
    >>> import pickle
    >>> from ontrack.errors import NullValueError
    >>> e = NullValueError('observations column "year" is null at row 3', column="year", row=3)
    >>> copy = pickle.loads(pickle.dumps(e))
    >>> type(copy).__name__, str(copy), copy.column, copy.row, copy.option
    ('NullValueError', 'observations column "year" is null at row 3', 'year', 3, None)
    """

    column: str | None
    row: int | None
    series: str | None
    target_id: str | None
    option: str | None
    file: str | None
    line: int | None
    col: int | None
    sheet: str | None
    bucket: int | None

    def __init__(
        self,
        message: str = "",
        *,
        column: str | None = None,
        row: int | None = None,
        series: str | None = None,
        target_id: str | None = None,
        option: str | None = None,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        sheet: str | None = None,
        bucket: int | None = None,
    ) -> None:
        super().__init__(message)
        self.column = column
        self.row = row
        self.series = series
        self.target_id = target_id
        self.option = option
        self.file = file
        self.line = line
        self.col = col
        self.sheet = sheet
        self.bucket = bucket
        if _RAISED_IN_QUERIES and isinstance(message, str) and not self.context():
            self._restore_attributes(message)

    def _restore_attributes(self, message: str) -> None:
        # An instance rebuilt by polars from its message: ``message`` is the kept error's,
        # maybe followed by a blank line and the query's context.
        for (cls, kept), context in reversed(list(_RAISED_IN_QUERIES.items())):
            if type(self) is cls and (message == kept or message.startswith(kept + "\n")):
                for name, value in context.items():
                    setattr(self, name, value)
                return

    @property
    def message(self) -> str:
        """The message (``str(error)``)."""
        return str(self.args[0]) if self.args else ""

    def context(self) -> dict[str, Any]:
        """Return the attributes that apply (those not ``None``), by name."""
        return {name: getattr(self, name) for name in ATTRIBUTES if getattr(self, name) is not None}

    def __reduce__(self) -> tuple[Any, ...]:
        # The class, the message and every instance attribute (the structured ones and any
        # notes added with ``add_note``): enough to rebuild the error in another process.
        return (type(self), (self.message,), dict(self.__dict__))

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.context().items())
        return f"{type(self).__name__}({self.message!r}{extra})"


class MissingColumnError(OntrackError):
    """A required column is absent (``column`` names it)."""


class ColumnTypeError(OntrackError):
    """A column has a type that cannot be used (``column``; ``row`` for a mixed column)."""


class NullValueError(OntrackError):
    """A value that must be present is null (``column`` and ``row``)."""


class DuplicateObservationError(OntrackError):
    """Two observations for the same series and period (``series``, ``row`` of the repeat)."""


class TargetError(OntrackError):
    """A target row is invalid (``target_id``; ``column`` names the field)."""


class DuplicateTargetError(TargetError):
    """Two targets share an id (``target_id``, ``row`` of the repeat)."""


class OptionError(OntrackError):
    """An argument (option) has an invalid value or is out of range (``option`` names it)."""


class ArgumentTypeError(OptionError, TypeError):
    """An argument has the wrong type (``option`` names it); also a ``TypeError``."""


class PlanError(OntrackError):
    """A plan file is malformed (``file``, ``line``, ``col`` and ``target_id``)."""


class EngineError(OntrackError):
    """The polars engine reported an error."""


def _keep_attributes(error: OntrackError) -> OntrackError:
    """Keep ``error``'s attributes for the copy polars makes of it; returns ``error``.

    Call it on an error raised inside a polars query (in a function run by ``map_batches``):
    polars re-raises such an exception as a new instance built from its message (with the
    failing expression appended), and that instance gets the attributes back.
    """
    key = (type(error), error.message)
    _RAISED_IN_QUERIES.pop(key, None)
    _RAISED_IN_QUERIES[key] = error.context()
    for oldest in list(_RAISED_IN_QUERIES)[:-_KEPT]:
        _RAISED_IN_QUERIES.pop(oldest, None)
    return error
