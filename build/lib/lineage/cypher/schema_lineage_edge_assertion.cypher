// schema_lineage_edge_assertion: an origin asserts an edge (source, type, target) at most once.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the constraint name.
CREATE CONSTRAINT lineage_edge_assertion IF NOT EXISTS
FOR (a:EdgeAssertion) REQUIRE (a.origin, a.source, a.type, a.target) IS UNIQUE
