// reach_upstream: every node the root is reachable from along edges of the given types, with
// its minimum hop distance, one row per distance. Distinct end nodes with min(size(hops))
// grouped by node plan as a pruned breadth-first expand (VarLengthExpand(Pruning,BFS)):
// each node is visited once and no path is enumerated. The pattern is unbounded (Cypher takes
// no parameter as a bound); the distance is filtered after the aggregation.
// Parameters: $root (node id), $types (list of EdgeType values), $max_hops (int).
// Returns: depth (int, ascending), ids (list of node ids at that distance).
MATCH (root:LineageNode {id: $root})<-[hops:FEEDS|TRIGGERS|HAS_SCHEMA*1..]-(n:LineageNode)
WHERE all(r IN hops WHERE type(r) IN $types)
WITH root, n, min(size(hops)) AS depth
WHERE n <> root AND depth <= $max_hops
RETURN depth, collect(n.id) AS ids
ORDER BY depth
