"""Helpers the tests share: where the repository's files are, graph builders (``graphs``),
the CLI (``cli``), stores of each backend (``stores``), the ASGI app (``api``) and the
document-mutation strategy of the fuzz tests (``mutations``). Fixtures stay in ``conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
OPERATIONS = ROOT / "graphql" / "operations"
DOCS = ROOT / "docs"
CYPHER = ROOT / "cypher"
SEEDS = ROOT.parent / "shared" / "seeds"
