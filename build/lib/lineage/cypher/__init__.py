"""The Neo4j store's Cypher statements, one ``.cypher`` file per query.

Installed as the resource package ``lineage.cypher``; ``lineage.store.neo4j_cypher`` reads the
files with ``importlib.resources``. No Python code lives here.
"""
