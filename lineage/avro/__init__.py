"""Avro schemas as the service understands them, independent of where they were read from.

    schemas        parse a schema (with the named types it references), its canonical form
                   and Rabin fingerprint, its fields flattened to dotted paths
    compatibility  whether one schema can read another's data, under a registry's modes

The importer (``lineage.importers.avro``) reads files and registries into these; the
schema-change analysis compares a proposed schema with the stored versions through them.
"""
