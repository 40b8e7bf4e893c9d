// add_edge_assertions: store what one origin asserts about each edge, verbatim.
// Parameters: $origin (string); $rows (list of {source, type, target, body: JSON}).
UNWIND $rows AS row
CREATE (:EdgeAssertion {
  origin: $origin, source: row.source, type: row.type, target: row.target, body: row.body
})
