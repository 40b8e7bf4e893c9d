// schema_lineage_meta_name: one :LineageMeta node per name (the store's apply counter and lock).
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the constraint name.
CREATE CONSTRAINT lineage_meta_name IF NOT EXISTS
FOR (m:LineageMeta) REQUIRE m.name IS UNIQUE
