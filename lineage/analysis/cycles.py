"""Elementary cycles of a small directed graph on integer nodes (Johnson's algorithm).

A feedback loop lists its elementary cycles, cut after a bound. The loop's component comes
from the adjacency index as node positions ``0..n-1``; this module enumerates the cycles on
them lazily, so the caller takes the first few of a dense component without the rest. It is
the same enumeration as ``networkx.simple_cycles`` (the tests check one against the other),
without importing networkx, which costs a command-line process more than the whole answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def elementary_cycles(successors: Sequence[Sequence[int]]) -> Iterator[list[int]]:
    """Every elementary cycle once, each starting at its smallest node, in a fixed order:
    by that start, then by the depth-first order of the successor lists.

    Notes
    -----
    Johnson (1975): for each start ``s`` in turn, a depth-first search over the nodes after
    ``s`` that blocks a node once it is on the path, and unblocks it only when a cycle is
    found through it, so between two cycles no node is entered twice: O((V + E)(C + 1)) for
    C cycles. Iterative, so a long cycle cannot overflow the interpreter's stack.
    """
    for start in range(len(successors)):
        yield from _cycles_through(start, successors)


def _cycles_through(start: int, successors: Sequence[Sequence[int]]) -> Iterator[list[int]]:
    """The cycles whose smallest node is ``start``."""
    blocked = {start}
    unblocks: dict[int, set[int]] = {}
    """For a blocked node, the nodes to unblock with it (they were blocked through it)."""
    on_a_cycle: set[int] = set()
    path = [start]
    stack = [(start, iter(successors[start]))]
    while stack:
        node, onward = stack[-1]
        for nxt in onward:
            if nxt == start:
                yield list(path)
                on_a_cycle.update(path)
            elif nxt > start and nxt not in blocked:
                path.append(nxt)
                stack.append((nxt, iter(successors[nxt])))
                on_a_cycle.discard(nxt)
                blocked.add(nxt)
                break
        else:  # every successor of ``node`` tried
            if node in on_a_cycle:
                _unblock(node, blocked, unblocks)
            else:
                for nxt in successors[node]:
                    if nxt > start:
                        unblocks.setdefault(nxt, set()).add(node)
            stack.pop()
            path.pop()


def _unblock(node: int, blocked: set[int], unblocks: dict[int, set[int]]) -> None:
    pending = {node}
    while pending:
        current = pending.pop()
        if current in blocked:
            blocked.discard(current)
            pending.update(unblocks.pop(current, ()))
