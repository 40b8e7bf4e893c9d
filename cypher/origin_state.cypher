// origin_state: what an origin's importer keeps with it (a cursor of what it has read).
// Parameters: $origin (string).
// Returns: state (string or null); no row for an origin never applied.
MATCH (o:Origin {name: $origin})
RETURN o.state AS state
