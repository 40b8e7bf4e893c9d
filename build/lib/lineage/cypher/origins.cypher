// origins: every origin's record.
// Parameters: none.
// Returns: name, applied_at (datetime), nodes, edges (int).
MATCH (o:Origin)
RETURN o.name AS name, o.applied_at AS applied_at, o.nodes AS nodes, o.edges AS edges
