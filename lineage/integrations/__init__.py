"""Small pieces users add to their own code so this service can see their lineage."""
