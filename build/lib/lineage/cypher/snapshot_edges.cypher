// snapshot_edges: every merged edge between lineage nodes, for whole-graph analysis.
// Parameters: none.
// Returns: body (the merged edge as JSON).
MATCH (:LineageNode)-[r:FEEDS|TRIGGERS|HAS_SCHEMA]->(:LineageNode)
RETURN r.body AS body
