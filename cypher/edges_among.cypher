// edges_among: merged edges of the given types whose both ends are among the given nodes
// (the subgraph a traversal rebuilds its witness paths from).
// Parameters: $ids (list of node ids), $types (list of EdgeType values).
// Returns: body (the merged edge as JSON).
UNWIND $ids AS id
MATCH (:LineageNode {id: id})-[r]->(target:LineageNode)
WHERE type(r) IN $types AND target.id IN $ids
RETURN r.body AS body
