// node_assertions: every origin's assertion of the given nodes, with the origin's sequence
// number so the caller can merge them oldest first.
// Parameters: $ids (list of node ids).
// Returns: id, origin, seq, body.
UNWIND $ids AS id
MATCH (a:NodeAssertion {node_id: id})
MATCH (o:Origin {name: a.origin})
RETURN a.node_id AS id, a.origin AS origin, o.seq AS seq, a.body AS body
