"""The C4 importer never fails with an unexpected exception: arbitrary text, and real
documents with characters and lines deleted, duplicated or swapped."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import EXAMPLES, SEEDS
from support.mutations import mutated

from lineage.importers.c4 import C4Importer
from lineage.model import ImportBatch

DOCUMENTS = sorted(
    [*(EXAMPLES / "docs").iterdir(), *(SEEDS.glob("0*.txt") if SEEDS.is_dir() else [])]
)
TEXTS = [path.read_text(encoding="utf-8") for path in DOCUMENTS]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKUP = st.sampled_from(
    ["```", "```mermaid\n", "```yaml lineage\n", "graph LR\n", "C4Context\n", "-->", "→", "|",
     "[", "]", "(", ")", "[(", ")]", "subgraph ", "end\n", "\n", "    ", "DS-001: ", "---\n",
     "Rel(a, b, \"x\")\n", "<br/>", "\"", ":", "nodes:\n", "  A: model\n", "| a | b |\n|---|---|\n"]
)  # fmt: skip


def parse(text: str, source: str = "fuzz.md") -> ImportBatch:
    batch = C4Importer().parse(text, source=source)
    for warning in batch.warnings:
        assert warning.location.startswith(f"{source}:")
    return batch


@SETTINGS
@given(st.text())
def test_arbitrary_text(text: str) -> None:
    parse(text)


@SETTINGS
@given(st.lists(st.one_of(MARKUP, st.text(max_size=8)), max_size=60).map("".join))
def test_markup_soup(text: str) -> None:
    parse(text)
    parse(text, source="fuzz.mmd")


mutated_documents = mutated(TEXTS, inserts="[](){}<>|-=→:#`\n ", max_steps=8)


@SETTINGS
@given(mutated_documents)
def test_mutated_documents(text: str) -> None:
    parse(text)


def test_documents_are_there() -> None:
    assert any(isinstance(p, Path) and p.suffix == ".md" for p in DOCUMENTS)
