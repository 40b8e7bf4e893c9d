// resolve_alias: nodes that have the reference as an alias, ignoring case (third step).
// Parameters: $folded (the reference with ASCII letters lowercased).
// Returns: id.
MATCH (n:LineageNode)
WHERE $folded IN n.aliases_fold
RETURN n.id AS id
