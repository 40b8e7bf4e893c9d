// get_nodes: the merged nodes among the given ids (unknown ids give no row).
// Parameters: $ids (list of node ids).
// Returns: body (the merged node as JSON).
UNWIND $ids AS id
MATCH (n:LineageNode {id: id})
RETURN n.body AS body
