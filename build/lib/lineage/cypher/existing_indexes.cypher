// existing_indexes: the names of every index and constraint-backing index in the database, so the
// store creates its schema only when part of it is missing.
// Parameters: none.
SHOW INDEXES YIELD name
RETURN collect(name) AS names
