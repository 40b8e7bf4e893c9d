"""Reading JSON the strict way, for every importer that reads JSON files or exports.

Python's ``json`` reads more than JSON and fails in ways that are not about the input: it
accepts ``NaN`` and ``Infinity`` (no JSON writer emits them; a store or a response that holds
one is no longer JSON), turns ``1e400`` into an infinity, raises a bare ``ValueError`` for an
integer of more than 4,300 digits, a ``RecursionError`` for deep nesting, and decodes a lone
surrogate escape (``"\\ud800"``) into a string no UTF-8 writer can write. Each of these is a
:class:`~lineage.errors.ParseError` here, naming the file and the line.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, NoReturn

from lineage.errors import ParseError

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _Refused(ValueError):
    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.token = token


def parse_json(text: str, source: str) -> Any:
    """The value of the JSON ``text``; ``source`` names it in the ``ParseError``."""
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite, parse_int=_whole)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc.msg}", source=source, line=exc.lineno) from exc
    except _Refused as exc:
        raise ParseError(str(exc), source=source, line=_line_of(text, exc.token)) from None
    except RecursionError:
        raise ParseError("JSON nested too deeply to read", source=source) from None
    if _SURROGATE_ESCAPE.search(text):
        _check_text(value, text, source)
    return value


def _no_constant(name: str) -> NoReturn:
    raise _Refused(f"{name} is not a JSON value (write a number, or null)", name)


def _finite(token: str) -> float:
    value = float(token)
    if math.isinf(value):
        raise _Refused(f"the number {_shortened(token)} is too large to hold", token)
    return value


def _whole(token: str) -> int:
    try:
        return int(token)
    except ValueError:
        message = f"an integer of {len(token):,} digits is too long to read; quote it as text"
        raise _Refused(message, token) from None


def _check_text(value: Any, text: str, source: str) -> None:
    """Refuse a string or key holding a lone surrogate (a pair decodes to one character)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            lone = next((c for c in item if "\ud800" <= c <= "\udfff"), None)
            if lone is not None:
                escape = f"\\u{ord(lone):04x}"
                raise ParseError(
                    f"a string holds a lone surrogate ({escape}), which is not text",
                    source=source,
                    line=_line_of(text.lower(), escape),
                )


def _line_of(text: str, token: str) -> int | None:
    at = text.find(token)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _shortened(token: str) -> str:
    return token if len(token) <= 40 else f"{token[:20]}…{token[-10:]} ({len(token):,} characters)"
