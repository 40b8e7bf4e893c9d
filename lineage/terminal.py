"""A rich console that never lets imported text drive the terminal.

Node names, ids and labels come from documents anyone may write; one holding an escape
sequence (``\\x1b]0;...``, ``\\x1b[2J``) would retitle or clear the user's terminal when printed
raw. This console writes every control character of the text it prints as a visible escape
(``\\x1b``), keeping only line breaks and tabs; the colours rich adds itself are not text, so
they still work.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.segment import Segment

_KEPT = {"\n", "\t"}
ESCAPES = {
    code: f"\\x{code:02x}"
    for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))
    if chr(code) not in _KEPT
}
"""C0 and C1 control characters and DEL, each to its ``\\xNN`` form."""


def visible(text: str) -> str:
    r"""``text`` with its control characters written out.

    >>> visible("a\x1b[2Jb\n")
    'a\\x1b[2Jb\n'
    """
    return text.translate(ESCAPES)


class SafeConsole(Console):
    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        safe = (
            segment if segment.control else Segment(visible(segment.text), segment.style)
            for segment in buffer
        )
        return super()._render_buffer(safe)
