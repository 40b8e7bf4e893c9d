// runs: the newest entries of the run log of one kind, and of one name when $name is not null.
// Parameters: $kind (string), $name (string or null), $limit (int).
// Returns: kind, name (string), started (datetime), document (string); newest first.
MATCH (r:LineageRun {kind: $kind})
WHERE $name IS NULL OR r.name = $name
RETURN r.kind AS kind, r.name AS name, r.started AS started, r.document AS document
ORDER BY r.seq DESC
LIMIT $limit
