"""Hypothesis strategy shared by the parser fuzz tests: real documents, damaged at random."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

_OPERATIONS = ("delete", "duplicate", "insert", "swap_chars", "swap_lines", "drop_line", "dup_line")


def mutated(bases: Sequence[str], *, inserts: str, max_steps: int = 6) -> st.SearchStrategy[str]:
    """One of ``bases`` with 1..max_steps characters or lines deleted, duplicated, swapped, or
    one of ``inserts`` put in at a random place."""

    @st.composite
    def strategy(draw: st.DrawFn) -> str:
        text = draw(st.sampled_from(list(bases)))
        for _ in range(draw(st.integers(1, max_steps))):
            text = _mutate(draw, text, draw(st.sampled_from(_OPERATIONS)), inserts)
        return text

    return strategy()


def _mutate(draw: st.DrawFn, text: str, operation: str, inserts: str) -> str:
    at = draw(st.integers(0, len(text)))
    if operation == "delete":
        return text[:at] + text[at + draw(st.integers(1, 5)) :]
    if operation == "duplicate":
        return text[:at] + text[at : at + draw(st.integers(1, 20))] + text[at:]
    if operation == "insert":
        return text[:at] + draw(st.sampled_from(list(inserts))) + text[at:]
    if operation == "swap_chars" and text:
        other = draw(st.integers(0, len(text) - 1))
        chars = list(text)
        at = min(at, len(text) - 1)
        chars[at], chars[other] = chars[other], chars[at]
        return "".join(chars)
    lines = text.split("\n")
    a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    if operation == "swap_lines":
        lines[a], lines[b] = lines[b], lines[a]
    elif operation == "dup_line":
        lines.insert(a, lines[a])
    else:
        del lines[a]
    return "\n".join(lines)
