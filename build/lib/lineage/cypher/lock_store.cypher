// lock_store: take the store's write lock and the next apply sequence number. Run first in
// every writing transaction: concurrent applies queue on this one node, so each reads and
// rewrites merged views that no other transaction is changing.
// Parameters: $name (string, the meta node's name).
// Returns: seq (int, increases with every write; orders origins oldest to newest).
MERGE (m:LineageMeta {name: $name})
SET m.seq = coalesce(m.seq, 0) + 1
RETURN m.seq AS seq
