// withdraw_edge_assertions: delete every edge assertion of one origin.
// Parameters: $origin (string).
// Returns: source, type, target (the key of each deleted assertion).
MATCH (a:EdgeAssertion {origin: $origin})
WITH a, a.source AS source, a.type AS type, a.target AS target
DELETE a
RETURN source, type, target
