"""What a document says about one box of a diagram: the evidence the kind rules read.

A box's label is read in parts: its **title line** (the first line with text besides bracketed
type tags), its **title** (that line without tags and trailing parentheses, joined with the next
line when the label wraps after one word), its **tags** (``[Kafka Stream]``, ``[ML]``), its
**details** (the lines after the title line) and its documented ID and name
(:mod:`importers.c4.names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from lineage.importers.c4.names import id_line, label_id, name_part, trailing_parentheses
from lineage.importers.diagram import C4Element, Shape
from lineage.model import Kind

_TAG = re.compile(r"\[[^\[\]\n]{1,40}\]")
_TAG_TEXT = re.compile(r"\[([^\[\]\n]{1,40})\]")
_WRAPPED = re.compile(r"[A-Za-z][A-Za-z-]*(?: [A-Za-z][A-Za-z-]*)?")


@dataclass(frozen=True)
class Evidence:
    """Everything a document says about one diagram box."""

    diagram_id: str
    label: str
    """The cleaned label; lines separated by ``"\\n"``."""
    subgraphs: tuple[str, ...] = ()
    """Titles of the subgraphs the box sits in, innermost first."""
    c4: C4Element | None = None
    technology: str | None = None
    description: str | None = None
    shape: Shape = Shape.DEFAULT
    has_inputs: bool = False
    has_outputs: bool = False
    table_id: str | None = None
    """The ID a table (or another label) of the document pairs with this box's name."""
    in_inventory: bool = False
    """The box's name is a row of the data-source inventory."""
    override_kind: Kind | None = None

    @cached_property
    def lines(self) -> tuple[str, ...]:
        return tuple(line for line in self.label.split("\n") if line.strip())

    @cached_property
    def _title_index(self) -> int:
        return next((i for i, line in enumerate(self.lines) if _TAG.sub("", line).strip()), 0)

    @cached_property
    def title_line(self) -> str:
        """The first label line with text besides type tags."""
        return self.lines[self._title_index] if self.lines else self.diagram_id

    @cached_property
    def details(self) -> tuple[str, ...]:
        """The label lines after the title line."""
        return self.lines[self._title_index + 1 :]

    @cached_property
    def _bare_title(self) -> str:
        untagged = " ".join(_TAG.sub(" ", self.title_line).split())
        return trailing_parentheses(untagged)[0] or self.diagram_id

    @cached_property
    def title(self) -> str:
        """The title line without type tags and trailing parentheses.

        A label wrapped after a single word (``Stream<br/>Join``) reads as one title when the
        next line is one or two plain words: ``Stream Join``, not ``Stream``.
        """
        first = self._bare_title
        if len(first.split()) == 1 and self.details and _WRAPPED.fullmatch(self.details[0]):
            return f"{first} {self.details[0]}"
        return first

    @property
    def short_title(self) -> str:
        """The title's first line alone (``Metaflow`` for ``Metaflow<br/>Workflow Framework``)."""
        return self.title.split(" ", 1)[0] if self.title != self._bare_title else self.title

    @cached_property
    def label_id(self) -> str | None:
        """The documented ID the label gives."""
        return label_id(self.lines, self.title_line, self.title)

    @property
    def documented_id(self) -> str | None:
        return self.label_id or self.table_id

    @cached_property
    def name(self) -> str:
        """The title without its ID. A title that is only the ID is named by a parenthesis on
        the title line (``MDL-017 (Churn Scorer)``), else by the next line when it is plain
        text (``DS-001<br/>Member Viewing Events``), else by the ID."""
        if found := name_part(self.title, self.label_id):
            return found
        notes = trailing_parentheses(_TAG.sub(" ", self.title_line))[1]
        plain = [line for line in self.details[:1] if ":" not in line and not id_line(line)]
        named = (text for text in (*notes, *plain) if text.upper() != self.label_id)
        return next(named, self.title)

    @cached_property
    def tags(self) -> tuple[str, ...]:
        """Bracketed type tags anywhere in the label: ``[Kafka Stream]``, ``[ML]``."""
        return tuple(" ".join(t.split()) for t in _TAG_TEXT.findall(self.label))

    @property
    def all_text(self) -> str:
        parts = (self.label, self.technology or "", self.description or "")
        return "\n".join(p for p in parts if p)
