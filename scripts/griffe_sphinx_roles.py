"""Griffe extension for the docs build: Sphinx roles in docstrings as inline code.

The docstrings use Sphinx roles (``:func:`assess```, ``:class:`OntrackError```) so that
``help()`` and IDEs read them naturally; mkdocstrings renders Markdown and would show the roles
verbatim. This extension rewrites each role to inline code (```assess```) when the docs are
built; the sources are not changed. Loaded by ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# :func:`x`, :py:class:`~a.b.C`, :meth:`C.m`, ... ; `~` keeps only the last dotted part.
_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|attr|data|mod|obj|exc):`(~?)([^`]+)`")


def _code(match: re.Match[str]) -> str:
    target = match.group(2)
    if match.group(1):
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles in every docstring to inline code."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the docstring of each loaded object."""
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_code, obj.docstring.value)
