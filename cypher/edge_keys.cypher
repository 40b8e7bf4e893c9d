// edge_keys: every merged edge between lineage nodes as its key and mode, for the in-memory
// adjacency index.
// Parameters: none.
// Returns: source, type, target (ids and the relationship type), mode.
MATCH (s:LineageNode)-[r:FEEDS|TRIGGERS|HAS_SCHEMA]->(t:LineageNode)
RETURN s.id AS source, type(r) AS type, t.id AS target, r.mode AS mode
