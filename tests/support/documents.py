"""Documents the importer tests read: the seed documents beside the project, their blocks."""

from __future__ import annotations

from pathlib import Path

from lineage.importers.markdown_doc import read_markdown
from support import SEEDS


def seed_documents() -> list[Path]:
    """The real architecture documents in ``../shared/seeds`` (none when it is not there)."""
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def fenced_blocks(text: str, language: str | None = None) -> list[tuple[int, str, str]]:
    """(first content line, info string, content) of each fenced block of a Markdown text,
    only those of ``language`` when it is given."""
    return [
        (block.first_line, block.info, block.text)
        for block in read_markdown(text).blocks
        if block.line != block.first_line and (language is None or block.language == language)
    ]
