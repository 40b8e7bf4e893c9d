"""Importers: one module per input format, each turning files into ``ImportBatch`` values.

Formats are looked up by the name users type (``lineage import yaml``); a format's module is
imported only when it is used.
"""

from __future__ import annotations

from importlib import import_module

from lineage.importers.base import Importer

from lineage.errors import InputError

_FORMATS: dict[str, str] = {
    "c4": "lineage.importers.c4:C4Importer",
    "yaml": "lineage.importers.yaml_spec:YamlSpecImporter",
}


def formats() -> list[str]:
    return sorted(_FORMATS)


def get_importer(format_name: str) -> Importer:
    """A new importer for ``format_name``; ``InputError`` names the known formats otherwise."""
    target = _FORMATS.get(format_name.lower())
    if target is None:
        raise InputError(f"unknown import format {format_name!r}; known: {', '.join(formats())}")
    module_name, class_name = target.split(":")
    return getattr(import_module(module_name), class_name)()
