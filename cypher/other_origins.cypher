// other_origins: how many origins besides one are recorded. None: every fact of that origin
// is its alone, and its merged view is what it asserts.
// Parameters: $origin (string).
// Returns: count (int).
MATCH (o:Origin)
WHERE o.name <> $origin
RETURN count(o) AS count
