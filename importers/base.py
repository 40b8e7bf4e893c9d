"""The importer interface: what an importer receives, what it returns, how it reports trouble.

::

    Importer[ConfigT]              format, configure(request) -> ConfigT,
    │                              extract(config) -> Iterator[ImportBatch]
    └── TextImporter               ConfigT = Paths; parse(text, source) -> ImportBatch
        ├── yaml_spec.YamlSpecImporter
        └── c4.C4Importer

**Receives.** A typed config, built by :meth:`Importer.configure` from an :class:`ImportRequest`
(what the user typed: targets, which are paths or URLs, and ``key=value`` options). A file
format's config is the paths to read (:data:`Paths`); an importer of a service (an Avro schema
registry URL, a Metaflow service or datastore) declares a frozen dataclass of what it needs and
refuses a request that lacks it or has an option it does not know (:class:`InputError`).

**Returns.** One :class:`ImportBatch` per origin (a file, a registry, a flow), from a generator:
``store.apply`` replaces what that origin asserted before, so re-importing is idempotent.

**Reports.** A line it can read but not use is an ``ImportWarning`` on the batch, located
``file:line`` (:func:`line_warnings`), and the rest is still read. Input it cannot read at all
raises ``ParseError(message, source=..., line=...)``; a target that does not exist or cannot be
reached raises ``InputError``. Nothing else escapes: not a bare ``Exception``, not a traceback.

**Never** touches a store, the network beyond its own input, or global state. The config is an
argument of ``extract``, not state of the importer, so one importer object serves every run.
``docs/importers/README.md`` has a template for a new importer.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from lineage.errors import InputError, ParseError
from lineage.importers.problems import LineProblem
from lineage.model import ImportBatch, ImportWarning

ConfigT = TypeVar("ConfigT")

Paths = Sequence[Path]
"""The config of a file format: files, and folders to search for its suffixes."""


@dataclass(frozen=True)
class ImportRequest:
    """What a user asks an importer to read: ``lineage import FORMAT TARGET... [-o key=value]``."""

    targets: tuple[str, ...]
    """Paths or URLs, as typed."""
    options: Mapping[str, str] = field(default_factory=dict, hash=False)
    progress: Callable[[str], None] | None = field(default=None, compare=False, hash=False)
    """Told what is being read, when reading takes a while (a registry's subjects)."""
    state_of: Callable[[str], str | None] | None = field(default=None, compare=False, hash=False)
    """The ``state`` an origin's last batch left (``ImportBatch.state``): an importer that
    keeps a cursor reads only what is new since. The service answers it from the store."""

    @classmethod
    def of_paths(cls, paths: Iterable[Path | str]) -> ImportRequest:
        return cls(tuple(str(path) for path in paths))

    def check_options(self, *known: str) -> None:
        """Raise ``InputError`` naming the options the importer does not know."""
        unknown = sorted(set(self.options) - set(known))
        if unknown:
            takes = ", ".join(known) or "none"
            raise InputError(f"unknown option(s) {', '.join(unknown)}; this format takes: {takes}")


class Importer(ABC, Generic[ConfigT]):
    """One input format. A subclass sets ``format`` and implements the two methods."""

    format: ClassVar[str]
    """The name users type: ``lineage import <format>``; stable once released."""
    joins_known_nodes: ClassVar[bool] = False
    """Whether a node it reads is the node of the same kind the graph already knows by one of
    its aliases, when its own id is new to the graph (the service renames it before the
    apply: the importer itself never sees a store)."""

    @abstractmethod
    def configure(self, request: ImportRequest) -> ConfigT:
        """The typed config of ``request``; ``InputError`` when the request does not fit."""

    @abstractmethod
    def extract(self, config: ConfigT) -> Iterator[ImportBatch]:
        """The batches the input holds, one per origin, read lazily."""

    def run(self, request: ImportRequest) -> Iterator[ImportBatch]:
        """``extract(configure(request))``: what the service calls for any format."""
        return self.extract(self.configure(request))

    def origin(self, source: str) -> str:
        """The origin of an input this importer read: ``<format>:<source>``."""
        return f"{self.format}:{source}"


class TextImporter(Importer[Paths]):
    """An importer for a text format, one batch per file (the file's origin).

    A subclass sets ``suffixes`` and implements :meth:`parse`; ``extract`` expands folders,
    reads each file as UTF-8 and parses it. ``parse`` alone serves a document given as text.
    """

    suffixes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def parse(self, text: str, *, source: str) -> ImportBatch:
        """Parse one document. ``source`` names it in the origin and in every message."""

    def configure(self, request: ImportRequest) -> Paths:
        request.check_options()
        return file_paths(request, urls=f"the {self.format} importer reads files, not URLs")

    def extract(self, config: Paths) -> Iterator[ImportBatch]:
        """One batch per file. A file's origin is its absolute path, so importing it again
        from another folder replaces the same origin; locations keep the short path."""
        for path in expand_paths(config, self.suffixes):
            batch = self.parse(read_text(path), source=display_path(path))
            yield replace(batch, origin=self.origin(path.resolve().as_posix()))


def file_paths(request: ImportRequest, *, urls: str) -> Paths:
    """The paths a request names; a URL among them is an ``InputError`` saying ``urls``."""
    for target in request.targets:
        if "://" in target:
            raise InputError(f"{target}: {urls}")
    return tuple(Path(target) for target in request.targets)


def line_warnings(source: str, problems: Iterable[LineProblem]) -> tuple[ImportWarning, ...]:
    """The warnings of lines a parser could read but not use, located ``source:line``."""
    return tuple(ImportWarning(f"{source}:{p.line}", p.message) for p in problems)


def expand_paths(paths: Paths, suffixes: tuple[str, ...]) -> list[Path]:
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
    """A UTF-8 file's text; ``ParseError`` with the line of the first byte that is not UTF-8
    (a Latin-1 or UTF-16 file), which says what the byte is."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(exc, data, str(path)) from None


def _not_utf8(exc: UnicodeDecodeError, data: bytes, source: str) -> ParseError:
    line = data.count(b"\n", 0, exc.start) + 1
    bom = (
        " (it starts with a UTF-16 byte-order mark)"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff")
        else ""
    )
    message = (
        f"not UTF-8 text{bom}: byte 0x{data[exc.start]:02X} ({exc.reason}); save the file as UTF-8"
    )
    return ParseError(message, source=source, line=line)


def display_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else absolute."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return resolved.as_posix()
