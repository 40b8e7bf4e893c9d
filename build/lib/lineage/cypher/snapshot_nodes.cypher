// snapshot_nodes: every merged node, for whole-graph analysis.
// Parameters: none.
// Returns: body (the merged node as JSON).
MATCH (n:LineageNode)
RETURN n.body AS body
