// edges_among: merged edges of the given types whose both ends are among the given nodes
// (the subgraph a traversal rebuilds its witness paths from). Written as one MATCH with both
// ends filtered by `IN $ids`: the planner seeks the sources through the id index and filters
// the targets, where an UNWIND over the ids sometimes got a plan that rescanned the index
// once per id (seconds instead of milliseconds on a few thousand nodes).
// Parameters: $ids (list of node ids), $types (list of EdgeType values).
// Returns: body (the merged edge as JSON).
MATCH (source:LineageNode)-[r]->(target:LineageNode)
WHERE source.id IN $ids AND target.id IN $ids AND type(r) IN $types
RETURN r.body AS body
