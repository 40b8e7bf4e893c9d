// delete_nodes: remove merged nodes no origin asserts any more (with any edge still on them).
// Parameters: $ids (list of node ids).
UNWIND $ids AS id
MATCH (n:LineageNode {id: id})
DETACH DELETE n
