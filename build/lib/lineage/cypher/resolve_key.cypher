// resolve_key: nodes whose id's key (DS-001 in source:DS-001) is the reference, ignoring case
// (fourth step of resolve).
// Parameters: $folded (the reference with ASCII letters lowercased).
// Returns: id.
MATCH (n:LineageNode {key_fold: $folded})
RETURN n.id AS id
