// edge_assertions: every origin's assertion of the given edges, with the origin's sequence
// number so the caller can merge them oldest first.
// Parameters: $keys (list of {source, type, target}).
// Returns: source, type, target, origin, seq, body.
UNWIND $keys AS key
MATCH (a:EdgeAssertion {source: key.source, type: key.type, target: key.target})
MATCH (o:Origin {name: a.origin})
RETURN a.source AS source, a.type AS type, a.target AS target,
       a.origin AS origin, o.seq AS seq, a.body AS body
