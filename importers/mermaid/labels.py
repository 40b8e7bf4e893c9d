"""Label text: what a Mermaid label displays, once quotes, markup and entities are resolved."""

from __future__ import annotations

import html
import re
from html.entities import html5

_BR = re.compile(r"<br\s*/?\s*>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(?:b|i|u|em|strong|small|big|sub|sup|span|font|code|s|del|mark)\b[^<>]*>", re.IGNORECASE
)
_MERMAID_ENTITY = re.compile(r"#(\d{1,7}|[A-Za-z]\w*);")
_MARKDOWN = re.compile(r"(\*\*|__)(.+?)\1|(?<!\w)([*_])(\S(?:.*?\S)?)\3(?!\w)")


def clean_label(raw: str) -> str:
    """Display text of a label: quotes, markdown markers, ``<br>``, tags and entities resolved.

    ``<br>`` variants and literal newlines become ``"\\n"``; each line is stripped and inner
    runs of whitespace collapsed; blank lines are dropped.
    """
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":
        text = _MARKDOWN.sub(lambda m: m[2] or m[4], text[1:-1])
    text = _BR.sub("\n", text)
    text = _INLINE_TAG.sub("", text)
    text = _MERMAID_ENTITY.sub(_as_html_entity, text)
    text = html.unescape(text)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _as_html_entity(match: re.Match[str]) -> str:
    """Mermaid writes ``#quot;`` and ``#35;`` where HTML writes ``&quot;`` and ``&#35;``."""
    code = match[1]
    if code.isdigit():
        return f"&#{code};"
    return f"&{code};" if f"{code};" in html5 else match[0]


def excerpt(text: str, limit: int = 60) -> str:
    """A statement as a warning quotes it: on one line, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")
