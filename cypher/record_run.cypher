// record_run: add one entry to the run log (what a scheduled job or a roll-up did), then keep
// only the newest $keep entries of its kind and name. The sequence number comes from its own
// meta node, so the log never takes the graph's write lock.
// Parameters: $kind, $name (string), $started (datetime), $document (string, JSON the
//   service reads), $keep (int, at least 1).
MERGE (m:LineageMeta {name: 'runs'})
SET m.seq = coalesce(m.seq, 0) + 1
CREATE (:LineageRun {kind: $kind, name: $name, seq: m.seq, started: $started, document: $document})
WITH 1 AS done
MATCH (r:LineageRun {kind: $kind, name: $name})
WITH r ORDER BY r.seq DESC
SKIP $keep
DELETE r
