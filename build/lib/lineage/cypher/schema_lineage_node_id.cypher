// schema_lineage_node_id: every lineage node has one unique id (also the index behind id lookups).
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the constraint name.
CREATE CONSTRAINT lineage_node_id IF NOT EXISTS
FOR (n:LineageNode) REQUIRE n.id IS UNIQUE
