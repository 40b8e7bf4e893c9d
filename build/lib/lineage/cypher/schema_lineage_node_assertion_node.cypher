// schema_lineage_node_assertion_node: find every origin's assertion of a node id.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_node_assertion_node IF NOT EXISTS
FOR (a:NodeAssertion) ON (a.node_id)
