// node_ids: the id of every merged node, for the in-memory adjacency index.
// Parameters: none.
// Returns: id.
MATCH (n:LineageNode)
RETURN n.id AS id
