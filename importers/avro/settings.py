"""``schemas.yaml``: what the schema files themselves cannot say.

.. code-block:: yaml

    compatibility: BACKWARD            # every subject's level unless it sets its own
    subjects:
      views.raw-value:
        topic: views.raw               # or topics: [views.raw, views.replay]
        compatibility: FULL
        aliases: [SCH-VIEW]            # names the graph may know it by (a doc's schema id)

It sits in the folder being imported (or beside a file imported alone). Subjects it does not
list still import: a ``<topic>-value`` / ``<topic>-key`` subject belongs to its topic by the
registry's TopicNameStrategy, ``<topic>-<record name>`` by TopicRecordNameStrategy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lineage.avro.compatibility import DEFAULT_MODE, Mode
from lineage.errors import ParseError
from lineage.importers.base import display_path, read_text
from lineage.importers.safe_yaml import YamlProblem, compose

FILE_NAME = "schemas.yaml"
MAX_VALUES = 100_000
_SUBJECT_KEYS = frozenset({"topic", "topics", "compatibility", "aliases"})


@dataclass(frozen=True)
class SubjectSettings:
    topics: tuple[str, ...] = ()
    compatibility: Mode | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    compatibility: Mode = DEFAULT_MODE
    subjects: Mapping[str, SubjectSettings] = field(default_factory=dict)
    source: str | None = None

    def of(self, subject: str) -> SubjectSettings:
        return self.subjects.get(subject, SubjectSettings())

    def mode_of(self, subject: str) -> Mode:
        return self.of(subject).compatibility or self.compatibility


def settings_for(root: Path) -> Settings:
    """The ``schemas.yaml`` of a folder being imported (or of a file's folder), if any."""
    folder = root if root.is_dir() else root.parent
    path = folder / FILE_NAME
    if not path.is_file():
        return Settings()
    source = display_path(path)
    return _parse(_load(read_text(path), source), source)


def _load(text: str, source: str) -> Any:
    try:
        root, loader = compose(text, max_values=MAX_VALUES)
    except YamlProblem as problem:
        line = problem.line + 1 if problem.line is not None else None
        raise ParseError(problem.message, source=source, line=line) from problem
    if root is None:
        return {}
    try:
        return loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise ParseError(f"not valid YAML: {exc}", source=source) from exc


def _parse(value: Any, source: str) -> Settings:
    if not isinstance(value, dict):
        raise ParseError("expected a mapping with 'compatibility' and 'subjects'", source=source)
    unknown = sorted(set(value) - {"compatibility", "subjects"})
    if unknown:
        raise ParseError(
            f"unknown key(s) {unknown}; expected compatibility, subjects", source=source
        )
    subjects = value.get("subjects") or {}
    if not isinstance(subjects, dict):
        raise ParseError("'subjects' must map each subject to its settings", source=source)
    return Settings(
        compatibility=_mode(value.get("compatibility"), source) or DEFAULT_MODE,
        subjects={str(name): _subject(name, entry, source) for name, entry in subjects.items()},
        source=source,
    )


def _subject(name: Any, entry: Any, source: str) -> SubjectSettings:
    where = f"subject {name!r}"
    if entry is None:
        return SubjectSettings()
    if not isinstance(entry, dict):
        raise ParseError(f"{where}: expected a mapping of {sorted(_SUBJECT_KEYS)}", source=source)
    unknown = sorted(set(entry) - _SUBJECT_KEYS)
    if unknown:
        raise ParseError(f"{where}: unknown key(s) {unknown}", source=source)
    return SubjectSettings(
        topics=_names(entry.get("topic"), where, source)
        + _names(entry.get("topics"), where, source),
        compatibility=_mode(entry.get("compatibility"), source),
        aliases=_names(entry.get("aliases"), where, source),
    )


def _names(value: Any, where: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise ParseError(f"{where}: expected names (text), not {value!r}", source=source)
    return tuple(item.strip() for item in items)


def _mode(value: Any, source: str) -> Mode | None:
    if value is None:
        return None
    try:
        return Mode(str(value).upper())
    except ValueError:
        known = ", ".join(mode.value for mode in Mode)
        raise ParseError(f"compatibility {value!r} is not one of {known}", source=source) from None
