"""Turn what a user types (an id, an alias, a lineage URI or a unique name) into one node."""

from __future__ import annotations

from lineage.errors import AmbiguousNode, NodeNotFound
from lineage.model import Node, NodeId
from lineage.refs import id_from_uri
from lineage.store.base import GraphStore


def resolve_node(store: GraphStore, ref: str) -> NodeId:
    """The one node ``ref`` names.

    Parameters
    ----------
    store : GraphStore
    ref : str
        A node id (``source:DS-001``), an alias (``DS1``), a lineage URI (``kafka://views.raw``)
        or a display name; names and aliases match case-insensitively.

    Returns
    -------
    NodeId

    Raises
    ------
    NodeNotFound
        When nothing is known by that name.
    AmbiguousNode
        When several nodes are; the error lists them.
    """
    ref = ref.strip()
    uri_id = id_from_uri(ref)
    candidates = store.resolve(uri_id) if uri_id else []
    if not candidates:
        candidates = store.resolve(ref)
    if not candidates:
        raise NodeNotFound(ref)
    if len(candidates) > 1:
        raise AmbiguousNode(ref, candidates)
    return candidates[0]


def get_node(store: GraphStore, ref: str) -> Node:
    """The merged node ``ref`` names (see :func:`resolve_node`)."""
    node_id = resolve_node(store, ref)
    return store.get_nodes([node_id])[node_id]
