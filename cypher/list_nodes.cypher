// list_nodes: merged nodes, optionally of one kind and mode, optionally containing a text in
// their id, display name or an alias. The caller folds $needle like the *_fold properties
// (ASCII letters lowercased) and sorts the result by id.
// Parameters: $kind (string or null), $mode (string or null), $needle (string or null).
// Returns: body (the merged node as JSON).
MATCH (n:LineageNode)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($mode IS NULL OR n.mode = $mode)
  AND ($needle IS NULL
       OR n.id_fold CONTAINS $needle
       OR n.name_fold CONTAINS $needle
       OR any(alias IN n.aliases_fold WHERE alias CONTAINS $needle))
RETURN n.body AS body
