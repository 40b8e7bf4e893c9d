// schema_lineage_edge_assertion_origin: find every edge assertion of one origin.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_edge_assertion_origin IF NOT EXISTS
FOR (a:EdgeAssertion) ON (a.origin)
