// schema_lineage_node_name_fold: look nodes up by display name, ignoring case.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_node_name_fold IF NOT EXISTS
FOR (n:LineageNode) ON (n.name_fold)
