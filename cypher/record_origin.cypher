// record_origin: create or update an origin's record (applied now, newest of all).
// Parameters: $origin (string), $seq (int, from lock_store), $applied_at (datetime),
//   $nodes, $edges (int, how many nodes and edges the origin asserts), $digest (bytes or
//   null, the fingerprint of its facts), $state (string or null, kept for its importer).
MERGE (o:Origin {name: $origin})
SET o.seq = $seq, o.applied_at = $applied_at, o.nodes = $nodes, o.edges = $edges,
    o.digest = $digest, o.state = $state
