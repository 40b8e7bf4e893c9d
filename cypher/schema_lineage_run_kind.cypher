// schema_lineage_run_kind: the run log read by kind and name, newest first.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the index name.
CREATE INDEX lineage_run_kind IF NOT EXISTS
FOR (r:LineageRun) ON (r.kind, r.name, r.seq)
