// edges_between: merged edges of the given types from each given source to its given target
// (the edges of a traversal's witness paths, once the walk has chosen them).
// Parameters: $pairs (list of [source id, target id]), $types (list of EdgeType values).
// Returns: body (the merged edge as JSON).
UNWIND $pairs AS pair
MATCH (source:LineageNode {id: pair[0]})-[r]->(target:LineageNode {id: pair[1]})
WHERE type(r) IN $types
RETURN r.body AS body
