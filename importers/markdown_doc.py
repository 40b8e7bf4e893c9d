"""Read a Markdown architecture document into the parts the C4 importer uses.

Parsed with markdown-it-py (CommonMark + GFM tables); every part keeps its 1-based line in the
original file::

    MarkdownDoc
    ├── CodeBlock     fenced (or indented) code: info string, text, first content line
    ├── Table         header cells and rows, each row with its line
    ├── Heading       level and text (the context blocks and tables sit under)
    └── FrontMatter   a leading ``---`` YAML block, blanked out before parsing

Some documents are indented as a whole (every line starts with four spaces), which Markdown
reads as indented code. A code block that holds fences or Markdown structure is therefore
re-read: its region (which may run past lines a fence's content leaves unindented) is dedented
and parsed again, with line numbers shifted back to the file's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_REPARSE_DEPTH = 3
"""How many times an indented region inside an indented region is re-read."""


@dataclass(frozen=True)
class Heading:
    """A section title; the blocks and tables after it sit under it."""

    level: int
    text: str
    line: int


@dataclass(frozen=True)
class CodeBlock:
    info: str
    """The fence's info string as written (``"mermaid"``, ``"yaml lineage"``); empty for an
    indented block or a bare fence."""
    text: str
    first_line: int
    """The file line of the block's first content line (the one after the opening fence)."""
    line: int
    """The file line of the opening fence (equal to ``first_line`` for indented code)."""
    heading: str | None = None
    closed: bool = True
    """False for a fence the document never closes (Markdown reads it to the end)."""

    @property
    def language(self) -> str:
        words = self.info.split()
        return words[0].lower() if words else ""


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    line: int
    heading: str | None = None


@dataclass(frozen=True)
class FrontMatter:
    text: str
    first_line: int


@dataclass(frozen=True)
class MarkdownDoc:
    blocks: tuple[CodeBlock, ...]
    tables: tuple[Table, ...]
    headings: tuple[Heading, ...]
    front_matter: FrontMatter | None


_FENCE_OPEN = re.compile(r"(`{3,}|~{3,})")
_MARKDOWN_HINT = re.compile(r"^ {0,3}(?:`{3,}|~{3,}|#{1,6}\s|\|.*\|\s*$)", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n|\r")


def read_markdown(text: str) -> MarkdownDoc:
    """Split a document into code blocks, tables and headings, in reading order."""
    text = _NEWLINES.sub("\n", text)
    front_matter, body = split_front_matter(text)
    parts = _Collector()
    parts.collect(body, offset=0, depth=0)
    return MarkdownDoc(
        tuple(parts.blocks), tuple(parts.tables), tuple(parts.headings), front_matter
    )


def split_front_matter(text: str) -> tuple[FrontMatter | None, str]:
    """A leading ``---`` ... ``---`` (or ``...``) block; its lines are blanked so every other
    line keeps its number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            matter = FrontMatter("\n".join(lines[1:i]), first_line=2)
            return matter, "\n".join([""] * (i + 1) + lines[i + 1 :])
    return None, text


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


class _Collector:
    def __init__(self) -> None:
        self.blocks: list[CodeBlock] = []
        self.tables: list[Table] = []
        self.headings: list[Heading] = []
        self.heading: str | None = None

    def collect(self, text: str, *, offset: int, depth: int) -> None:
        """Read ``text`` whose first line is file line ``offset + 1``."""
        tokens = _parser().parse(text)
        lines = text.split("\n")
        skip_until = -1  # lines already read as part of a re-parsed indented region
        for i, token in enumerate(tokens):
            if token.map is None or token.map[0] < skip_until:
                continue
            start = token.map[0]
            if token.type == "heading_open":
                self._heading(token, tokens[i + 1] if i + 1 < len(tokens) else None, offset)
            elif token.type == "fence":
                self.blocks.append(
                    CodeBlock(
                        info=token.info.strip(),
                        text=token.content,
                        first_line=offset + start + 2,
                        line=offset + start + 1,
                        heading=self.heading,
                        closed=_fence_closed(token, lines),
                    )
                )
            elif token.type == "code_block":
                if depth < MAX_REPARSE_DEPTH and _MARKDOWN_HINT.search(_dedent_text(token.content)):
                    end, dedented = _indented_region(lines, start)
                    self.collect(dedented, offset=offset + start, depth=depth + 1)
                    skip_until = end
                else:
                    line = offset + start + 1
                    self.blocks.append(CodeBlock("", token.content, line, line, self.heading))
            elif token.type == "table_open":
                table = _table(tokens, i, offset, self.heading)
                if table is not None:
                    self.tables.append(table)

    def _heading(self, token: Token, inline: Token | None, offset: int) -> None:
        text = _plain(inline.content) if inline is not None and inline.type == "inline" else ""
        level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        line = offset + (token.map[0] if token.map else 0) + 1
        self.headings.append(Heading(level, text, line))
        self.heading = text or self.heading


def _fence_closed(token: Token, lines: list[str]) -> bool:
    """Whether the fence's last line closes it: nothing but its fence character, at least as
    many as opened it."""
    assert token.map is not None
    if token.map[1] - token.map[0] < 2:
        return False
    last = lines[token.map[1] - 1].strip()
    return len(last) >= len(token.markup) and last == token.markup[0] * len(last)


def _dedent_text(content: str) -> str:
    lines = content.split("\n")
    widths = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()]
    cut = min(widths, default=0)
    return "\n".join(ln[cut:] for ln in lines)


def _lead(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indented_region(lines: list[str], start: int) -> tuple[int, str]:
    """The indented region that starts at ``start``: it runs while lines are blank, indented at
    least as far as its first line, or inside a fence opened in the region (a fence's content
    may be written flush left). Returns the index after its last line and its dedented text."""
    expanded = [line.expandtabs(4) for line in lines]
    indent = _lead(expanded[start])
    fence: str | None = None
    last = start
    for i in range(start, len(expanded)):
        line = expanded[i]
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            last = i
            continue
        if not stripped:
            continue
        if _lead(line) < indent:
            break
        opened = _FENCE_OPEN.match(stripped)
        if opened and _lead(line) - indent <= 3:
            fence = opened[1]
        last = i
    region = [line[min(indent, _lead(line)) :] for line in expanded[start : last + 1]]
    return last + 1, "\n".join(region)


def _table(tokens: list[Token], start: int, offset: int, heading: str | None) -> Table | None:
    header: tuple[str, ...] = ()
    rows: list[TableRow] = []
    for row_line, cells, in_head in _rows(tokens, start):
        if in_head and not header:
            header = cells
        else:
            rows.append(TableRow(cells, offset + row_line + 1))
    table_map = tokens[start].map
    if not header or table_map is None:
        return None
    return Table(header, tuple(rows), offset + table_map[0] + 1, heading)


def _rows(tokens: list[Token], start: int) -> Iterator[tuple[int, tuple[str, ...], bool]]:
    """``(line index, cells, is_header)`` for each row of the table opened at ``start``."""
    in_head = False
    row_line = 0
    cells: list[str] = []
    for token in tokens[start + 1 :]:
        if token.type == "table_close":
            return
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row_line = token.map[0] if token.map else row_line
            cells = []
        elif token.type == "inline":
            cells.append(_plain(token.content))
        elif token.type == "tr_close":
            yield row_line, tuple(cells), in_head


_EMPHASIS = re.compile(r"(\*\*|__|`)")


def _plain(text: str) -> str:
    """Cell or heading text without emphasis and code markers."""
    return " ".join(_EMPHASIS.sub("", text).split())
