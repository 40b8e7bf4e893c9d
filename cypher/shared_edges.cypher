// shared_edges: of the given edge keys, those another origin asserts too.
// Parameters: $origin (string); $keys (list of {source, type, target}).
// Returns: source, type, target.
UNWIND $keys AS key
MATCH (a:EdgeAssertion {source: key.source, type: key.type, target: key.target})
WHERE a.origin <> $origin
RETURN DISTINCT key.source AS source, key.type AS type, key.target AS target
