"""The importer interface: files in, ``ImportBatch`` out, nothing else.

An importer never sees a store. A text format implements ``parse(text, source=...)`` and
inherits ``extract``, which expands folders, reads files and yields one batch per file::

    Importer (protocol)            extract(paths) -> Iterator[ImportBatch]
    └── TextImporter               parse(text, source) -> ImportBatch, one file at a time
        ├── yaml_spec.YamlSpecImporter
        └── c4.C4Importer ...
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar, Protocol

from lineage.errors import InputError, ParseError
from lineage.model import ImportBatch


class Importer(Protocol):
    format: ClassVar[str]
    """The name users type: ``lineage import <format>``."""

    def extract(self, paths: Sequence[Path]) -> Iterator[ImportBatch]: ...


class TextImporter(ABC):
    """An importer for a text format, one batch per file (the file's origin)."""

    format: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def parse(self, text: str, *, source: str) -> ImportBatch:
        """Parse one document. ``source`` names it in the origin and in every message."""

    def extract(self, paths: Sequence[Path]) -> Iterator[ImportBatch]:
        for path in expand_paths(paths, self.suffixes):
            batch = self.parse(read_text(path), source=display_path(path))
            yield replace(batch, origin=self.origin(path.resolve().as_posix()))

    def origin(self, source: str) -> str:
        """The origin of a document: a file's is its absolute path, so importing it again
        from another folder replaces the same origin (``location`` keeps the short path)."""
        return f"{self.format}:{source}"


def expand_paths(paths: Sequence[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Files as given, and the files with one of ``suffixes`` inside folders, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
            )
            if not inside:
                raise InputError(f"{path}: no {'/'.join(suffixes)} files in this folder")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
        raise ParseError(message, source=str(path)) from exc
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from exc


def display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return resolved.as_posix()
