// delete_origin: forget an origin's record (its assertions are withdrawn separately).
// Parameters: $origin (string).
MATCH (o:Origin {name: $origin})
DELETE o
