"""Answers put into words for people: what the CLI prints and the API's ``reason`` fields.

Analysis returns typed values (``lineage.bounds.Truncation``); only the outer layers turn them
into sentences, and both use this module so a reason reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from lineage.bounds import Bound, Truncation


def truncation_text(truncation: Truncation) -> str:
    """``max_hops: more nodes lie beyond 3 hops downstream of source:DS-001``."""
    limit = truncation.limit
    match truncation.bound:
        case Bound.MAX_HOPS:
            text = f"more nodes lie beyond {limit} hops"
        case Bound.MAX_NODES:
            text = f"the answer was cut at {limit} nodes"
        case Bound.K:
            text = f"more than {limit} paths lie within the length bound"
        case Bound.MAX_CYCLES:
            text = f"more than {limit} cycles; the first {limit} are listed"
    if truncation.direction is not None and truncation.node is not None:
        text += f" {truncation.direction.value} of {truncation.node}"
    return f"{truncation.bound.value}: {text}"


def reason(truncations: Iterable[Truncation]) -> str | None:
    """Every truncation in one line, ``None`` when there is none."""
    return "; ".join(truncation_text(t) for t in truncations) or None
