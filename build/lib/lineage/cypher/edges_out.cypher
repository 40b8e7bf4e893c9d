// edges_out: merged edges of the given types leaving the given nodes (downstream).
// Parameters: $ids (list of node ids), $types (list of EdgeType values).
// Returns: body (the merged edge as JSON).
UNWIND $ids AS id
MATCH (:LineageNode {id: id})-[r]->(:LineageNode)
WHERE type(r) IN $types
RETURN r.body AS body
