// shared_nodes: of the given node ids, those another origin asserts too.
// Parameters: $origin (string); $ids (list of node ids).
// Returns: id.
UNWIND $ids AS id
MATCH (a:NodeAssertion {node_id: id})
WHERE a.origin <> $origin
RETURN DISTINCT id
