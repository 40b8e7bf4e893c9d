// ping: the cheapest query the database answers; proves it is up and readable.
// Parameters: none.
RETURN 1 AS ok
