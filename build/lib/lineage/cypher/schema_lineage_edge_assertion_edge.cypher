// schema_lineage_edge_assertion_edge: find every origin's assertion of an edge.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_edge_assertion_edge IF NOT EXISTS
FOR (a:EdgeAssertion) ON (a.source, a.type, a.target)
