// schema_lineage_node_assertion: an origin asserts a node at most once.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the constraint name.
CREATE CONSTRAINT lineage_node_assertion IF NOT EXISTS
FOR (a:NodeAssertion) REQUIRE (a.origin, a.node_id) IS UNIQUE
