// schema_lineage_node_key_fold: look nodes up by the key part of their id, ignoring case.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_node_key_fold IF NOT EXISTS
FOR (n:LineageNode) ON (n.key_fold)
