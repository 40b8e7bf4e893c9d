// resolve_name: nodes whose display name is the reference, ignoring case (last step).
// Parameters: $folded (the reference with ASCII letters lowercased).
// Returns: id.
MATCH (n:LineageNode {name_fold: $folded})
RETURN n.id AS id
