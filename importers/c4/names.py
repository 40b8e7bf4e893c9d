"""How an architecture document names things: documented IDs, display names, and the
references tables make to the boxes of its diagrams.

**Documented IDs.** ``DS-001``, ``MDL-017``, ``SCH-VIEW``, ``FS-ONLINE``, ``PL-004``, ``JOB-12``:
a known prefix (:data:`ID_PREFIXES`, any case), a hyphen and a code. The prefix names the kind.
An upper-case code of another prefix (``CHURN-SCORER``, ``INV-204``) is read as an ID only where
nothing else can be meant: a title that is the code alone, a label line of its own, or the code
followed by ``:`` and a name. Nothing else in upper case with a hyphen (``UTF-8``, ``GPT-4`` in
parentheses) is taken for an ID.

**In a label** the ID may stand anywhere on the title line (``DS-001: Viewing Events``,
``[Model] MDL-CHURN``, ``Churn Scorer (MDL-017)``, ``Churn Scorer — MDL-017``) or on a line of
its own (``Churn Scorer<br/>MDL-017``, ``(MDL-017)``, ``ID: MDL-017``). The name is the rest of
the title; a title that is only the ID takes its name from a parenthesis (``MDL-017 (Churn
Scorer)``), else the ID is the name.

**In a table cell** a node is named by its ID (``MDL-017``), its ID and name (``MDL-017 (Churn
Scorer)``, ``Churn Scorer (MDL-017)``, ``MDL-017: Churn Scorer``) or its name alone. A cell that
pairs an ID with a name tells the whole document that the name means that ID.

**Same thing.** Names are compared without case, spaces and punctuation but dots
(:func:`normalize`), and without a plural ``s`` or ``ies`` (:func:`same_thing_key`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lineage.model import Kind

ID_PREFIXES: dict[str, Kind] = {
    "DS": Kind.SOURCE,
    "MDL": Kind.MODEL,
    "SCH": Kind.SCHEMA,
    "FS": Kind.FEATURE,
    "FEAT": Kind.FEATURE,
    "PL": Kind.JOB,
    "JOB": Kind.JOB,
}
_KNOWN = r"(?:" + "|".join(ID_PREFIXES) + r")-(?:[A-Z0-9][A-Z0-9_.-]*[A-Z0-9]|[A-Z0-9])"
_CODE = r"[A-Z][A-Z0-9]{1,15}(?:-[A-Z0-9]+)+"
_KNOWN_ID = re.compile(rf"(?<![\w-])(?i:{_KNOWN})(?![\w-])")
_ANY_ID = re.compile(rf"(?<![\w-])(?:(?i:{_KNOWN})|{_CODE})(?![\w-])")
_ID_LINE = re.compile(rf"\W*(?:(?i:id)\s*[:=#]\s*)?((?i:{_KNOWN})|{_CODE})\W*")
_DASHES = "\u2013\u2014"  # en and em dash
_SEPARATORS = f" \t:{_DASHES}\u00b7|,;/-"
_LEADING_CODE = re.compile(rf"({_CODE})\s*(?::|\s[{_DASHES}-])\s*\S")
_CELL_CODE = re.compile(rf"({_CODE})(?=$|[\s:(])")
"""A cell may start with a code of any prefix: ``CHURN-SCORER (Churn Scorer)``."""
_NAME_FOLLOWS = re.compile(rf"\s*[:{_DASHES}]")
_TRAILING_PARENTHESES = re.compile(r"(?:\s*\(([^()]*)\))+\s*\Z")


def documented_id(text: str) -> str | None:
    """The first ID with a known prefix in ``text`` (``DS-001``, ``MDL-SEARCH``), upper-cased."""
    match = _KNOWN_ID.search(text)
    return match[0].upper() if match else None


def known_kind(doc_id: str | None) -> Kind | None:
    """The kind an ID's prefix names; ``None`` for another prefix."""
    if not doc_id:
        return None
    return ID_PREFIXES.get(doc_id.split("-", 1)[0].upper())


def id_line(line: str) -> str | None:
    """The ID a line holds alone: ``MDL-017``, ``(MDL-017)``, ``ID: CHURN-SCORER``."""
    match = _ID_LINE.fullmatch(line.strip())
    return match[1].upper() if match else None


def label_id(lines: Sequence[str], title_line: str, title: str) -> str | None:
    """The documented ID a box's label gives, where the module docstring says it may stand."""
    if found := documented_id(title_line):
        return found
    if found := next((found for line in lines if (found := id_line(line))), None):
        return found
    leading = _LEADING_CODE.match(title)
    return leading[1] if leading else None


def name_part(text: str, doc_id: str | None) -> str:
    """``text`` without the ID and the brackets and separators around it:
    ``"DS-001: Viewing Events"`` and ``"Viewing Events (DS-001)"`` give ``"Viewing Events"``."""
    found = _locate(text, doc_id)
    if found is not None:
        before = text[: found.start()].rstrip(_SEPARATORS + "([")
        after = text[found.end() :].lstrip(_SEPARATORS + ")]")
        text = f"{before} {after}"
    return " ".join(text.split()).strip(_SEPARATORS)


def _locate(text: str, doc_id: str | None) -> re.Match[str] | None:
    """Where ``text`` writes ``doc_id`` (in any case), if it does."""
    if not doc_id:
        return None
    return next((m for m in _ANY_ID.finditer(text) if m[0].upper() == doc_id), None)


def trailing_parentheses(text: str) -> tuple[str, tuple[str, ...]]:
    """``"Lake (S3) (parquet)"`` -> ``("Lake", ("S3", "parquet"))``."""
    match = _TRAILING_PARENTHESES.search(text)
    if match is None:
        return text.strip(), ()
    inner = tuple(p.strip() for p in re.findall(r"\(([^()]*)\)", match[0]) if p.strip())
    return text[: match.start()].strip(), inner


def normalize(name: str) -> str:
    """A name for matching: case, spaces, ``-`` and ``_`` (and other punctuation but dots)
    ignored: ``MDL_SEARCH``, ``mdl-search`` and ``MDL Search`` are one name."""
    return re.sub(r"[^a-z0-9.]", "", name.lower())


def same_thing_key(name: str) -> str:
    """A name for deciding that two mentions are one thing: also ignores a plural ``s`` (or
    ``ies``), so ``Recommendation Model`` and ``Recommendation Models`` are one node, and
    ``Search Query`` and ``Search Queries``."""
    key = normalize(name)
    if len(key) > 3 and key.endswith("s"):
        key = key[:-1]
    return key[:-2] + "y" if len(key) > 3 and key.endswith("ie") else key


@dataclass(frozen=True)
class Reference:
    """How a table cell names a node."""

    text: str
    id: str | None
    name: str | None
    pairs: bool = False
    """The cell pairs the ID with a name (``MDL-017 (Churn Scorer)``), not with a note."""


def read_reference(text: str) -> Reference:
    """``MDL-017``, ``MDL-017 (Churn Scorer)``, ``Churn Scorer (MDL-017)``, ``MDL-017: Churn
    Scorer``, ``Churn Scorer``; ``MDL-SEARCH training`` is an ID with a note."""
    text = " ".join(text.split())
    leading = _CELL_CODE.match(text)
    doc_id = documented_id(text) or (leading[1] if leading else None)
    if doc_id is None:
        return Reference(text, None, text or None)
    rest = name_part(text, doc_id)
    found = _locate(text, doc_id)
    before, notes = trailing_parentheses(text)
    paired = bool(rest) and (
        (found is not None and bool(_NAME_FOLLOWS.match(text, found.end())))
        or (bool(notes) and before.upper() == doc_id)
        or text.rstrip(")]").upper().endswith(doc_id)
    )
    return Reference(text, doc_id, rest.strip("()[] ") or None, paired)


@dataclass
class IdDirectory:
    """The IDs a document pairs with names, by :func:`same_thing_key` of the name. A name paired
    with two different IDs is ambiguous and pairs with none."""

    _ids: dict[str, str | None] = field(default_factory=dict)

    def pair(self, name: str, doc_id: str) -> None:
        key = same_thing_key(name)
        if not key or key == same_thing_key(doc_id):
            return
        known = self._ids.setdefault(key, doc_id)
        if known is not None and known != doc_id:
            self._ids[key] = None

    def pair_all(self, references: Iterable[Reference]) -> None:
        for ref in references:
            if ref.pairs and ref.id and ref.name:
                self.pair(ref.name, ref.id)

    def id_of(self, name: str) -> str | None:
        return self._ids.get(same_thing_key(name))
