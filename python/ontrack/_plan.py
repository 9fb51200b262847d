"""Plans as files: ``ontrack.read_plan``."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

import polars as pl

from ontrack import _ontrack
from ontrack.errors import ArgumentTypeError


@dataclass(frozen=True)
class Plan:
    """A plan file loaded and validated.

    Attributes
    ----------
    targets
        The targets frame of the data contract, ready for :func:`ontrack.assess` (plus
        ``label_zh``, ``label_en``, ``note`` and ``group_name``).
    meta
        The ``[plan]`` table: id, names, issuer, year, base year, source.
    groups
        The ``[[groups]]`` entries (tasks, goals) as a frame: ``id``, ``name_zh``, ``name_en``.
    unit_columns
        Key columns that share-of-units targets count sub-units by: pass them in ``by=``
        when assessing.
    """

    targets: pl.DataFrame
    meta: dict[str, object]
    groups: pl.DataFrame
    unit_columns: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The plan's name (English if given, else Chinese, else its id)."""
        for key in ("name_en", "name_zh", "id"):
            value = self.meta.get(key)
            if isinstance(value, str) and value:
                return value
        return ""


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Load a plan file (TOML, or JSON with the same fields) into targets.

    Errors name the file, line, column and target id, as :class:`ontrack.PlanError` (also in
    its ``file``, ``line``, ``col`` and ``target_id`` attributes).

    Examples
    --------
    >>> import ontrack
    >>> plan = ontrack.read_plan("plans/langfang_2017.toml")
    >>> plan.targets.filter(id="lf-2018-06").select("kind", "target_value", "unit", "strict")
    shape: (1, 4)
    ┌───────┬──────────────┬──────┬────────┐
    │ kind  ┆ target_value ┆ unit ┆ strict │
    │ ---   ┆ ---          ┆ ---  ┆ ---    │
    │ str   ┆ f64          ┆ str  ┆ bool   │
    ╞═══════╪══════════════╪══════╪════════╡
    │ level ┆ 40.0         ┆ 亿元 ┆ true   │
    └───────┴──────────────┴──────┴────────┘
    """
    if not isinstance(path, str | os.PathLike):
        msg = f"path must be a str or os.PathLike, not {type(path).__qualname__}"
        raise ArgumentTypeError(msg, option="path")
    frame, meta, groups, units = _ontrack.read_plan(os.fspath(path))
    group_rows = json.loads(groups)
    group_frame = pl.DataFrame(
        group_rows,
        schema={"id": pl.String, "name_zh": pl.String, "name_en": pl.String},
    )
    return Plan(targets=frame, meta=json.loads(meta), groups=group_frame, unit_columns=units)
