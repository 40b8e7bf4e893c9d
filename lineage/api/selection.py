"""What a query asks of a field, so a resolver can skip work nobody will read.

A lineage answer's witness edges cost a join in the store and a GraphQL object per edge; a
query that selects no ``edges`` anywhere below the field does not pay for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types import Info
from strawberry.types.nodes import Selection


def selects_anywhere(info: Info, name: str) -> bool:
    """Whether a field called ``name`` is selected at any depth below the resolved field
    (through fragments too): a conservative test, true when in doubt."""
    return _anywhere(info.selected_fields, name)


def _anywhere(selections: Iterable[Selection], name: str) -> bool:
    for selection in selections:
        if getattr(selection, "name", None) == name:
            return True
        if _anywhere(getattr(selection, "selections", ()), name):
            return True
    return False
