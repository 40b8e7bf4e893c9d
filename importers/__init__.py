"""Importers: one module (or small package) per input format, each turning its input into
``ImportBatch`` values (the interface is :mod:`lineage.importers.base`).

Formats are looked up by the name users type (``lineage import yaml``); a format's module is
imported only when it is used. The service reads through two functions:

* :func:`run_import` — any format, from what the user typed (paths or URLs, and options);
* :func:`parse_document` — one document given as text (the GraphQL ``importDocument``).
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from typing import Any

from lineage.errors import InputError
from lineage.importers.base import Importer, ImportRequest, TextImporter
from lineage.model import ImportBatch

__all__ = ["ImportRequest", "formats", "get_importer", "parse_document", "run_import"]

_FORMATS: dict[str, str] = {
    "avro": "lineage.importers.avro:AvroImporter",
    "c4": "lineage.importers.c4:C4Importer",
    "metaflow": "lineage.importers.metaflow:MetaflowImporter",
    "yaml": "lineage.importers.yaml_spec:YamlSpecImporter",
}


def formats() -> list[str]:
    return sorted(_FORMATS)


def get_importer(format_name: str) -> Importer[Any]:
    """A new importer for ``format_name``; ``InputError`` names the known formats otherwise."""
    target = _FORMATS.get(format_name.lower())
    if target is None:
        raise InputError(f"unknown import format {format_name!r}; known: {', '.join(formats())}")
    module_name, class_name = target.split(":")
    return getattr(import_module(module_name), class_name)()


def run_import(format_name: str, request: ImportRequest) -> Iterator[ImportBatch]:
    """The batches ``format_name`` reads from ``request``, one per origin."""
    return get_importer(format_name).run(request)


def parse_document(format_name: str, text: str, *, source: str) -> ImportBatch:
    """One document given as text; ``InputError`` for a format that does not read text."""
    importer = get_importer(format_name)
    if not isinstance(importer, TextImporter):
        raise InputError(f"the {format_name} importer reads files, not a single document")
    return importer.parse(text, source=source)
