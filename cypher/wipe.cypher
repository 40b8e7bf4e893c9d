// wipe: delete everything this service stored (lineage nodes and edges, assertions, origins,
// the meta node, the run log), in batches; constraints and indexes stay. Used by tests. Needs an
// auto-commit transaction (CALL ... IN TRANSACTIONS).
// Parameters: none.
MATCH (n)
WHERE n:LineageNode OR n:NodeAssertion OR n:EdgeAssertion OR n:Origin OR n:LineageMeta
   OR n:LineageRun
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 10000 ROWS
