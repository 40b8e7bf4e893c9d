// schema_lineage_node_assertion_origin: find every node assertion of one origin.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_node_assertion_origin IF NOT EXISTS
FOR (a:NodeAssertion) ON (a.origin)
