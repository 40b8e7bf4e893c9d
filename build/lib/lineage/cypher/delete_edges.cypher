// delete_edges: remove merged edges no origin asserts any more.
// Parameters: $keys (list of {source, type, target}).
UNWIND $keys AS key
MATCH (:LineageNode {id: key.source})-[r]->(:LineageNode {id: key.target})
WHERE type(r) = key.type
DELETE r
