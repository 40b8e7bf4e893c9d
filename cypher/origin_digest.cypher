// origin_digest: the fingerprint of what an origin asserted when last applied (no row for an
// origin never applied).
// Parameters: $origin (string).
// Returns: digest (bytes, or null for a batch that could not be fingerprinted).
MATCH (o:Origin {name: $origin})
RETURN o.digest AS digest
