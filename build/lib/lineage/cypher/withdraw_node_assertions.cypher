// withdraw_node_assertions: delete every node assertion of one origin.
// Parameters: $origin (string).
// Returns: id (the node id of each deleted assertion).
MATCH (a:NodeAssertion {origin: $origin})
WITH a, a.node_id AS id
DELETE a
RETURN id
