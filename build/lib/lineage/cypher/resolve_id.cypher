// resolve_id: the node whose id is exactly the reference (first step of resolve).
// Parameters: $ref (string).
// Returns: id.
MATCH (n:LineageNode {id: $ref})
RETURN n.id AS id
