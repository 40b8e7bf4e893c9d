"""From diagram text to logical statements, each with the file line it starts on.

Comments (``%%``), directives (``%%{...}%%``) and YAML front matter are dropped; a label left
open at a line end continues on the following lines; with ``semicolons``, one line may hold
several ``;``-separated statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from lineage.importers.problems import LineProblem

CLOSERS = {"]": "[", ")": "(", "}": "{"}
"""Each closing bracket and the opening bracket it closes."""

_NEWLINE = re.compile(r"\r\n|\r|\n")
_MAX_CONTINUATION_LINES = 40
_ENTITY_BEFORE = re.compile(r"[&#]#?\w+\Z")


@dataclass(frozen=True)
class Statement:
    """A logical statement and the file line it starts on."""

    number: int
    text: str


def content_lines(text: str, first_line: int) -> tuple[list[Statement], list[LineProblem]]:
    """Non-blank lines without ``%%`` comments, ``%%{...}%%`` directives and YAML front matter,
    and the problem of a front matter that is never closed (then no line is content)."""
    kept = list(_uncommented(text, first_line))
    if kept and kept[0].text.strip() == "---":
        closing = next((i for i, ln in enumerate(kept[1:], 1) if ln.text.strip() == "---"), None)
        if closing is None:
            return [], [LineProblem(kept[0].number, "front matter is not closed with '---'")]
        kept = kept[closing + 1 :]
    return kept, []


def first_content_line(text: str) -> str | None:
    """The first line :func:`content_lines` would keep, reading no further than it must."""
    lines = _uncommented(text, 1)
    first = next(lines, None)
    if first is None or first.text.strip() != "---":
        return first.text if first else None
    for line in lines:  # skip the front matter to its closing '---'
        if line.text.strip() == "---":
            following = next(lines, None)
            return following.text if following else None
    return None


def _uncommented(text: str, first_line: int) -> Iterator[Statement]:
    """Non-blank lines that are not ``%%`` comments or ``%%{...}%%`` directives, lazily."""
    in_directive = False
    for i, raw in enumerate(_NEWLINE.split(text)):
        stripped = raw.strip()
        if in_directive:
            in_directive = "}%%" not in stripped
        elif stripped.startswith("%%{") and "}%%" not in stripped:
            in_directive = True  # a directive spread over several lines
        elif stripped and not stripped.startswith("%%"):
            yield Statement(first_line + i, raw)


def split_statements(lines: list[Statement], *, braces: bool, semicolons: bool) -> list[Statement]:
    """Logical statements: a label left open at a line end continues on the following lines
    (joined with ``"\\n"``), and with ``semicolons`` a line may hold several ``;``-separated ones.
    """
    statements: list[Statement] = []
    i = 0
    while i < len(lines):
        stack: list[str] = []
        end = i
        while (
            _open_after(lines[end].text, stack, braces)
            and end + 1 < len(lines)
            and end - i < _MAX_CONTINUATION_LINES
        ):
            end += 1
        if stack:
            end = i  # never closed: read the line on its own
        text = "\n".join(line.text for line in lines[i : end + 1])
        statements.extend(_split_semicolons(Statement(lines[i].number, text), braces, semicolons))
        i = end + 1
    return statements


def _track(text: str, stack: list[str], braces: bool, cut: str | None = None) -> list[int]:
    """Follow brackets, quotes and ``|edge label|`` pipes through ``text``, updating ``stack``.

    Returns the offsets of ``cut`` characters met outside all of them (statement separators).
    """
    cuts: list[int] = []
    for i, ch in enumerate(text):
        top = stack[-1] if stack else ""
        if top in ('"', "|"):
            if ch == top:
                stack.pop()
        elif ch in '"[(' or (ch == "|" and not stack) or (braces and ch == "{"):
            stack.append(ch)
        elif ch in CLOSERS and top == CLOSERS[ch]:
            stack.pop()
        elif ch == cut and not stack and not _ENTITY_BEFORE.search(text, max(0, i - 40), i):
            cuts.append(i)
    return cuts


def _open_after(text: str, stack: list[str], braces: bool) -> bool:
    """Whether a statement continues on the next line: a bracket (or a quote in one) is open."""
    _track(text, stack, braces)
    while stack and stack[-1] == "|":
        stack.pop()
    if stack == ['"']:
        stack.pop()
    return bool(stack)


def _split_semicolons(stmt: Statement, braces: bool, semicolons: bool) -> list[Statement]:
    if not semicolons:
        return [stmt]
    bounds = [-1, *_track(stmt.text, [], braces, cut=";"), len(stmt.text)]
    parts = []
    for start, stop in pairwise(bounds):
        piece = stmt.text[start + 1 : stop]
        if piece.strip():
            line = stmt.number
            if "\n" in stmt.text:  # a statement spread over lines: count the ones before
                line += stmt.text.count("\n", 0, start + 1 + _lead(piece))
            parts.append(Statement(line, piece.strip()))
    return parts


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())
