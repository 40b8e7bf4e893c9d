// schema_lineage_origin_name: one :Origin node per origin name.
// Parameters: none. Idempotent (IF NOT EXISTS); the file name is "schema_" + the constraint name.
CREATE CONSTRAINT lineage_origin_name IF NOT EXISTS
FOR (o:Origin) REQUIRE o.name IS UNIQUE
