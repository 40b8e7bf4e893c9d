// add_node_assertions: store what one origin asserts about each node, verbatim.
// Parameters: $origin (string); $rows (list of {id: node id, body: the assertion as JSON}).
UNWIND $rows AS row
CREATE (:NodeAssertion {origin: $origin, node_id: row.id, body: row.body})
