// reach_downstream: the nodes reachable from the root along edges of the given types, within
// the hop bound, each with its minimum hop distance: nearest first, by id within a distance,
// at most $limit + 1 rows (the one extra row tells the caller the walk was cut at $limit).
// Distinct end nodes with min(size(hops)) grouped by node plan as a pruned breadth-first expand
// (VarLengthExpand(Pruning,BFS)): each node is visited once and no path is enumerated, and the
// expand stops at the bound. With a bound of 1 there is nothing to prune and the planner expands
// the root's relationships once (VarLengthExpand(All) of exactly one hop).
// Hop bound: Cypher takes no parameter in a variable-length bound, so the pattern holds the
// placeholder {max_hops}, which neo4j_cypher.bounded_query() replaces with an integer literal
// after checking it is an int from 1 to 100000; nothing else is ever written into the text.
// Parameters: $root (node id), $types (list of EdgeType values), $limit (int, at least 0);
// placeholder {max_hops} (int, rendered by bounded_query).
// Returns: depth (int), id (node id), ordered by depth then id.
MATCH (root:LineageNode {id: $root})-[hops:FEEDS|TRIGGERS|HAS_SCHEMA*1..{max_hops}]->(n:LineageNode)
WHERE all(r IN hops WHERE type(r) IN $types)
WITH root, n, min(size(hops)) AS depth
WHERE n <> root
RETURN depth, n.id AS id
ORDER BY depth, id
LIMIT $limit + 1
