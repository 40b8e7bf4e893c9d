"""Regenerate the README's diagram of the example platform (``make diagram``): the Mermaid
flowchart between the README's diagram markers, and ``docs/images/platform.svg``.

The drawing is of ``examples/platform.lineage.yaml`` alone, read into a scratch store, so it is
the same on every machine (a test checks the README holds what this writes)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from lineage.config import StoreSettings
from lineage.diagram import Format
from lineage.diagram.mermaid import to_mermaid
from lineage.service import ViewRequest, diagram, import_files, open_store

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SVG = ROOT / "docs" / "images" / "platform.svg"
START, END = "<!-- diagram:start (make diagram) -->", "<!-- diagram:end -->"


def drawings() -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(StoreSettings(db_path=Path(folder) / "lineage.db"))
        try:
            import_files(store, "yaml", [ROOT / "examples" / "platform.lineage.yaml"])
            whole = ViewRequest()
            view = diagram(store, whole, Format.MERMAID).view
            mermaid = to_mermaid(view, front_matter=False)  # the README needs no corrections
            svg = diagram(store, whole, Format.SVG).content
        finally:
            store.close()
    return mermaid, svg


def readme_with(mermaid: str, text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n```mermaid\n{mermaid}```\n{END}{tail}"


def main() -> int:
    mermaid, svg = drawings()
    README.write_text(readme_with(mermaid, README.read_text(encoding="utf-8")), encoding="utf-8")
    SVG.parent.mkdir(parents=True, exist_ok=True)
    SVG.write_bytes(svg)
    print(f"{README.name} and {SVG.relative_to(ROOT)} regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
