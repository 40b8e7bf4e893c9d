// node_ids: the id and mode of every merged node, for the in-memory adjacency index.
// Parameters: none.
// Returns: id, mode.
MATCH (n:LineageNode)
RETURN n.id AS id, n.mode AS mode
