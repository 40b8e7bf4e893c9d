// schema_lineage_node_id_fold: look nodes up by id ignoring (ASCII) case.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_node_id_fold IF NOT EXISTS
FOR (n:LineageNode) ON (n.id_fold)
