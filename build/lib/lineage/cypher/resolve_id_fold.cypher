// resolve_id_fold: nodes whose id equals the reference ignoring case (second step of resolve).
// Parameters: $folded (the reference with ASCII letters lowercased).
// Returns: id.
MATCH (n:LineageNode {id_fold: $folded})
RETURN n.id AS id
