"""Avro schemas (files, folders, Schema Registry exports) as schema nodes linked to topics.

    lineage import avro schemas/            one origin per path given

One node per subject, ``schema:<subject>``: the latest version's fields, every version with its
registry id and Rabin fingerprint, the subject's compatibility level, and each breaking step
between consecutive versions, computed (the "Last Breaking Change" column teams keep by
hand). ``HAS_SCHEMA`` links each topic to its subjects. Named types resolve across the files
of one import and through registry references. ``docs/importers/avro.md`` has the layouts.
"""

from lineage.importers.avro.importer import AvroImporter

__all__ = ["AvroImporter"]
