// list_nodes: merged nodes ordered by id, optionally of one kind and mode, optionally containing
// a text in their id, display name or an alias, optionally a page of them. The caller folds
// $needle like the *_fold properties (ASCII letters lowercased).
// Parameters: $kind (string or null), $mode (string or null), $needle (string or null),
//   $after (node id or null: only ids after it), $limit (int: at most this many rows).
// Returns: body (the merged node as JSON), ordered by id.
MATCH (n:LineageNode)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($mode IS NULL OR n.mode = $mode)
  AND ($needle IS NULL
       OR n.id_fold CONTAINS $needle
       OR n.name_fold CONTAINS $needle
       OR any(alias IN n.aliases_fold WHERE alias CONTAINS $needle))
  AND ($after IS NULL OR n.id > $after)
RETURN n.body AS body
ORDER BY n.id
LIMIT $limit
