// count_nodes: how many merged nodes list_nodes would list with the same filters, unpaged.
// Parameters: $kind (string or null), $mode (string or null), $needle (string or null).
// Returns: count (int).
MATCH (n:LineageNode)
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($mode IS NULL OR n.mode = $mode)
  AND ($needle IS NULL
       OR n.id_fold CONTAINS $needle
       OR n.name_fold CONTAINS $needle
       OR any(alias IN n.aliases_fold WHERE alias CONTAINS $needle))
RETURN count(n) AS count
