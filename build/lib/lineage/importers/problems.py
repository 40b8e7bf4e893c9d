"""The one shape every parser reports a readable-but-wrong line in: its line and what is wrong.

A leaf module (no imports from the project), so the pure parsers can use it too; the importer
turns each into an ``ImportWarning`` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LineProblem:
    line: int
    """The 1-based line in the source file."""
    message: str
