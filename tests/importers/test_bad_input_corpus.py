"""Every importer against the bad-input corpus (``tests/corpus/bad/``, plus the cases too
large or too regular to keep as files, made here): a whole ``lineage`` process each time, with
its address space capped and a time limit, on a store that already holds a graph.

With ``--strict`` every case is exit 2 with a message naming the bad file, and the store is
byte-for-byte what it was, although a good file is imported in the same command (a
multi-file import is all or nothing). Without it, a case may instead import with a warning
that names the file; never a traceback.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import EXAMPLES, ROOT

from lineage.store.embedded import EmbeddedStore

pytestmark = pytest.mark.slow

CORPUS = ROOT / "tests" / "corpus" / "bad"
LINEAGE = str(Path(sys.executable).parent / "lineage")
MEMORY_CAP = 3 * 1024**3
"""Address space a case may use: an expansion that multiplies would pass it."""
TIME_CAP = 120
"""Seconds a case may take: the bound against a parser that is quadratic or loops."""
MEGABYTES_20 = 20 * 1024 * 1024

GOOD = {
    "yaml": EXAMPLES / "platform.lineage.yaml",
    "c4": EXAMPLES / "docs" / "dataflow.md",
    "avro": EXAMPLES / "avro" / "flat" / "common.avsc",
    "metaflow": EXAMPLES / "metaflow" / "export.json",
}
SUFFIX = {"yaml": ".yaml", "c4": ".md", "avro": ".avsc", "metaflow": ".json"}


def _made() -> dict[str, dict[str, Callable[[], bytes]]]:
    """The cases made at test time: big, or many times one pattern."""
    deep_json = lambda: b"[" * 10_000 + b"]" * 10_000  # noqa: E731
    deep_objects = lambda: b'{"a": ' * 10_000 + b"1" + b"}" * 10_000  # noqa: E731
    unterminated = lambda: b'{"schema": "' + b"x" * MEGABYTES_20  # noqa: E731
    return {
        "yaml": {
            "twenty-megabytes-unterminated": lambda: b'version: 1\nname: "' + b"x" * MEGABYTES_20,
            "nested-10000-deep": lambda: b"version: " + b"[" * 10_000 + b"]" * 10_000,
            "nested-blocks-10000-deep": lambda: "".join(
                f"{' ' * i}k:\n" for i in range(10_000)
            ).encode(),
        },
        "c4": {
            "twenty-megabytes-one-line": lambda: _mermaid(b"A" + b"-" * MEGABYTES_20),
            "bracket-run": lambda: _mermaid(b"A" + b"[" * 200_000 + b" --> B"),
            "arrow-run": lambda: _mermaid(b"A " + b"--> " * 100_000),
            "ampersand-run": lambda: _mermaid(b"A" + b" &" * 100_000 + b" --> B"),
            "ampersand-fan-3000-by-3000": lambda: _mermaid(
                " & ".join(f"N{i}" for i in range(3000)).encode()
                + b" --> "
                + " & ".join(f"M{i}" for i in range(3000)).encode()
            ),
            "label-of-a-megabyte": lambda: _mermaid(b'A["' + b"x" * 1024 * 1024 + b'"] --> B'),
            "subgraphs-5000-deep": lambda: _mermaid(
                b"".join(b"subgraph S%d\n" % i for i in range(5000))
                + b"A --> B\n"
                + b"end\n" * 5000
            ),
            "quotes-run": lambda: _mermaid(b'A["' + b'"' * 200_000 + b" --> B"),
        },
        "avro": {
            "twenty-megabytes-unterminated": unterminated,
            "nested-10000-deep": deep_json,
            "objects-10000-deep": deep_objects,
            "recursive-type-in-a-loop": lambda: (
                b'{"type": "record", "name": "A", "fields": [{"name": "b", "type": {"type": '
                b'"record", "name": "B", "fields": [{"name": "a", "type": ["null", "A", "B"]}]}}, '
                b'{"name": "bad", "type": "Missing"}]}'
            ),
        },
        "metaflow": {
            "twenty-megabytes-unterminated": unterminated,
            "nested-10000-deep": deep_json,
            "objects-10000-deep": deep_objects,
        },
    }


def _mermaid(line: bytes) -> bytes:
    return b"# Made\n\n```mermaid\nflowchart LR\n  " + line + b"\n```\n"


@dataclass(frozen=True)
class Case:
    importer: str
    name: str
    path: Path | None = None
    make: Callable[[], bytes] | None = None

    def write(self, folder: Path) -> Path:
        if self.path is not None:
            return self.path
        assert self.make is not None
        target = folder / f"{self.name}{SUFFIX[self.importer]}"
        target.write_bytes(self.make())
        return target


def _cases() -> list[Case]:
    kept = [
        Case(folder.name, path.stem, path=path)
        for folder in sorted(CORPUS.iterdir())
        if folder.is_dir() and folder.name in GOOD
        for path in sorted(folder.iterdir())
    ]
    made = [
        Case(kind, name, make=make)
        for kind, cases in _made().items()
        for name, make in cases.items()
    ]
    return kept + made


CASES = _cases()


def _command(case: Case, bad: Path, *, strict: bool) -> list[str]:
    flags = ["--strict"] if strict else []
    if case.importer == "metaflow":
        return [
            "import",
            "metaflow",
            *flags,
            "--export",
            str(GOOD["metaflow"]),
            "--export",
            str(bad),
        ]
    return ["import", case.importer, *flags, str(GOOD[case.importer]), str(bad)]


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _lineage(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LINEAGE, "--db", str(db), *args],
        capture_output=True, text=True, timeout=TIME_CAP, preexec_fn=_capped, check=False,
        cwd=db.parent,
    )  # fmt: skip


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the example spec: what every case must leave exactly as it was."""
    db = tmp_path_factory.mktemp("loaded") / "lineage.db"
    done = _lineage(db, "import", "yaml", str(EXAMPLES / "platform.lineage.yaml"))
    assert done.returncode == 0, done.stderr
    return db


def _state(db: Path) -> str:
    """The store's bytes: its file, and a write-ahead log if one was left beside it."""
    files = sorted(db.parent.glob(db.name + "*"))
    return hashlib.sha256(
        b"".join(path.name.encode() + path.read_bytes() for path in files)
    ).hexdigest()


def _copy(store: Path, folder: Path) -> Path:
    db = folder / "store" / "lineage.db"
    db.parent.mkdir()
    shutil.copy(store, db)
    return db


@dataclass(frozen=True)
class Outcome:
    returncode: int
    output: str
    """Standard output and error together."""
    store_unchanged: bool


def _import_bad(case: Case, loaded_store: Path, folder: Path, *, strict: bool) -> Outcome:
    """Import ``case`` beside a good file into a copy of the loaded store."""
    bad = case.write(folder)
    db = _copy(loaded_store, folder)
    before = _state(db)
    done = _lineage(db, *_command(case, bad, strict=strict))
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert bad.name in output
    return Outcome(done.returncode, output, _state(db) == before)


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.importer}-{case.name}")
def test_strict_refuses_every_bad_input_and_leaves_the_store_as_it_was(
    case: Case, loaded_store: Path, tmp_path: Path
) -> None:
    outcome = _import_bad(case, loaded_store, tmp_path, strict=True)
    assert outcome.returncode == 2, outcome.output[-2000:]
    assert outcome.store_unchanged


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.importer}-{case.name}")
def test_without_strict_a_bad_input_is_an_error_or_a_warning_never_a_traceback(
    case: Case, loaded_store: Path, tmp_path: Path
) -> None:
    outcome = _import_bad(case, loaded_store, tmp_path, strict=False)
    assert outcome.returncode in (0, 2), outcome.output[-2000:]
    if outcome.returncode == 2:
        assert outcome.store_unchanged
    else:
        assert "warning:" in outcome.output


def test_the_corpus_covers_every_importer() -> None:
    assert {case.importer for case in CASES} == set(GOOD)
    assert all(len([c for c in CASES if c.importer == kind]) >= 10 for kind in GOOD)


CONFIGS = sorted((CORPUS / "config").iterdir())


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: path.stem)
def test_a_bad_configuration_is_refused_before_any_job_runs(
    config: Path, loaded_store: Path, tmp_path: Path
) -> None:
    """``lineage.yaml``: read before anything runs; its jobs would import ``spec.yaml``."""
    shutil.copy(config, tmp_path / config.name)
    shutil.copy(GOOD["yaml"], tmp_path / "spec.yaml")
    db = _copy(loaded_store, tmp_path)
    before = _state(db)
    done = _lineage(db, "--config", str(tmp_path / config.name), "jobs", "run", "--all")
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert done.returncode == 2, output[-2000:]
    assert config.name in output
    assert _state(db) == before


@pytest.mark.parametrize("importer", ["yaml", "c4", "avro"])
def test_a_folder_whose_links_loop_is_read_once_each_file(
    importer: str, loaded_store: Path, tmp_path: Path
) -> None:
    """Links to the folder itself, to its parent and in a cycle between two folders: the
    walk ends, and the graph is the one the same folder without the links gives."""
    summaries = []
    for looped in (False, True):
        folder = tmp_path / f"docs-{looped}"
        (folder / "a" / "b").mkdir(parents=True)
        shutil.copy(GOOD[importer], folder / "a" / GOOD[importer].name)
        if looped:
            (folder / "self").symlink_to(".")
            (folder / "a" / "up").symlink_to("..")
            (folder / "a" / "b" / "back").symlink_to("../../a")
        (tmp_path / f"store-{looped}").mkdir()
        db = _copy(loaded_store, tmp_path / f"store-{looped}")
        done = _lineage(db, "import", importer, str(folder))
        output = done.stdout + done.stderr
        assert "Traceback" not in output
        assert done.returncode == 0, output[-2000:]
        with EmbeddedStore(db) as store:  # a file read twice would be two origins
            origins = sorted((o.nodes, o.edges) for o in store.origins())
        summaries.append((_lineage(db, "summary", "--json").stdout, origins))
    plain, looped_summary = summaries
    assert plain[0] and looped_summary == plain
