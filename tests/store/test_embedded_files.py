"""The embedded store's file against what happens to files: several processes creating it at
once, rows and pages damaged, a full disk, a file this user may not write.

Every case runs the ``lineage`` command (in a process of its own where processes, users or
limits matter, else in this one) or forked processes opening the store, on a real SQLite
file, damaged with plain ``sqlite3`` or by writing bytes into it, on a real small filesystem
(a tmpfs) or under a real limit on file size. What each proves: the command exits with its
error code and one line saying what is wrong with the file (never a traceback, never a
message pointing somewhere else), and the store holds what it held before.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import multiprocessing
import os
import pwd
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import EXAMPLES
from support.cli import Cli

from lineage.config import Backend, StoreSettings
from lineage.store.embedded import EmbeddedStore

pytestmark = pytest.mark.slow

LINEAGE = str(Path(sys.executable).parent / "lineage")
PLATFORM = EXAMPLES / "platform.lineage.yaml"
SPEC = "p.lineage.yaml"
"""The name the platform example is imported under, relative to the folder of its store."""
READS = (("summary",), ("show", "DS1"), ("nodes",), ("downstream", "DS1"), ("export", "yaml"))
"""Commands that read the store, each a different way (whole graph, one node, index, list)."""
READS_TO_COMPARE = (*((*command, "--json") for command in READS[:4]), ("export", "yaml"))
"""The same with an output that does not depend on the terminal."""
AT_ONCE = 8
STARTER = """
import sys, time
import lineage.service, lineage.store.embedded  # loaded before the start: all open together
from lineage.cli import main
start, sys.argv = float(sys.argv[1]), ["lineage", *sys.argv[2:]]
time.sleep(max(0.0, start - time.time()))
main()
"""
"""``lineage`` itself, started at a given moment: the processes of a race open the store at
the same time instead of one Python start-up apart."""


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def lineage(
    db: Path,
    *args: str,
    cwd: Path | None = None,
    user: str | None = None,
    file_size_limit: int | None = None,
) -> Run:
    """``lineage --db db ARGS`` in a process of its own, as ``user`` when given, with a limit
    on the size of the files it writes when given."""
    command = [LINEAGE, "--store", "embedded", "--db", str(db), *args]
    if user is not None:
        account = pwd.getpwnam(user)
        ids = [f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups"]
        command = ["setpriv", *ids, *command]
    limited = None if file_size_limit is None else _file_size_limited(file_size_limit)
    done = subprocess.run(
        command, cwd=cwd, env=_env(), capture_output=True, text=True, preexec_fn=limited
    )
    return Run(done.returncode, done.stdout, done.stderr)


def here(db: Path, *args: str, cwd: Path | None = None) -> Run:
    """``lineage --db db ARGS`` in this process (click's runner; an exception the CLI does not
    turn into its one-line error fails the test), from ``cwd``."""
    with contextlib.chdir(cwd or Path.cwd()):
        result = Cli(StoreSettings(backend=Backend.EMBEDDED, db_path=db))(*args)
    return Run(result.exit_code, result.stdout, result.stderr)


def _env() -> dict[str, str]:
    """This environment without the store settings of the run around the tests."""
    return {key: value for key, value in os.environ.items() if not key.startswith("LINEAGE_")}


def _file_size_limited(limit: int) -> Callable[[], None]:
    def limited() -> None:  # Python ignores SIGXFSZ: a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def assert_one_line_error(run: Run, *fragments: str) -> str:
    """``run`` failed as the store's errors do: exit 3, one line on stderr holding each of
    ``fragments``, no traceback. Returns the line."""
    assert "Traceback" not in run.err, run.err
    lines = run.err.strip().splitlines()
    assert run.code == 3, run
    assert len(lines) == 1 and lines[0].startswith("error: "), run.err
    for fragment in fragments:
        assert fragment in lines[0]
    assert "permissions" not in lines[0] and "cannot rollback" not in lines[0]
    return lines[0]


def assert_ok(run: Run) -> None:
    assert run.code == 0 and "Traceback" not in run.err and "error" not in run.err, run


def _platform_store(folder: Path, name: str = "lineage.db") -> Path:
    """A store in ``folder`` holding the platform example, imported as ``p.lineage.yaml``."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / SPEC).exists():
        shutil.copy(PLATFORM, folder / SPEC)
    db = folder / name
    assert_ok(here(db, "import", "yaml", SPEC, cwd=folder))
    return db


def _changed_platform(folder: Path) -> None:
    """Change the platform example in ``folder``: one node renamed, one edge moved."""
    spec = folder / SPEC
    text = spec.read_text(encoding="utf-8")
    assert "name: Member Viewing Events," in text and "{from: DS1, to: topic:views.raw," in text
    text = text.replace("name: Member Viewing Events,", "name: Member Viewing Events v2,")
    text = text.replace("{from: DS1, to: topic:views.raw,", "{from: DS2, to: topic:views.raw,")
    spec.write_text(text, encoding="utf-8")


def _export(db: Path) -> str:
    exported = here(db, "export", "yaml")
    assert_ok(exported)
    return exported.out


def _dump(db: Path) -> list[str]:
    """Every row of the file as SQL, read by plain SQLite (nothing of the store decodes it)."""
    with closing(sqlite3.connect(db)) as plain:
        return list(plain.iterdump())


def _sql(db: Path, statement: str, params: Sequence[object] = ()) -> None:
    with closing(sqlite3.connect(db)) as plain, plain:
        plain.execute(statement, params)


def _spec(path: Path, names: Sequence[str]) -> Path:
    """A lineage spec of datasets ``names`` in a chain."""
    nodes = [f"  - {{id: 'dataset:{name}', name: 'Dataset {name}'}}" for name in names]
    edges = [
        f"  - {{from: 'dataset:{a}', to: 'dataset:{b}'}}" for a, b in itertools.pairwise(names)
    ]
    path.write_text("\n".join(["version: 1", "nodes:", *nodes, "edges:", *edges, ""]), "utf-8")
    return path


# -- several processes creating one new store --------------------------------------------


def test_lineage_commands_creating_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """Eight ``lineage`` processes, four reading and four importing, open the same store path
    (its folder does not exist yet either) at the same moment, three times over: every one
    succeeds, and the store holds every import."""
    teams = [
        _spec(tmp_path / f"team-{t}.lineage.yaml", [f"t{t}-{i}" for i in range(5)])
        for t in range(4)
    ]
    for round_number in range(3):
        db = tmp_path / f"round-{round_number}" / "new" / "lineage.db"
        start = time.time() + 2.5  # after every process has loaded the CLI
        commands = [["summary"]] * 4 + [["import", "yaml", team.name] for team in teams]
        running = [
            subprocess.Popen(
                [sys.executable, "-c", STARTER, str(start), "--db", str(db), *command],
                cwd=tmp_path,
                env=_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for command in commands
        ]
        for child in running:
            out, err = child.communicate(timeout=120)
            assert_ok(Run(child.returncode, out, err))
        listed = json.loads(here(db, "nodes", "--json").out)["nodes"]
        assert len({node["id"] for node in listed}) == 4 * 5


def _open_and_read(path: Path, barrier: Any, answers: Any) -> None:
    """In a forked process: open the store at ``path`` when every process is ready, read it."""
    barrier.wait()
    try:
        with EmbeddedStore(path) as store:
            store.count_nodes()
        answers.put("ok")
    except Exception as exc:  # reported to the parent, which fails the test with it
        answers.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork to start quickly"
)
def test_processes_opening_a_new_store_at_once_never_fail(tmp_path: Path) -> None:
    """Forty times, eight processes open one new store path at the same moment. Before the
    open retried the switch to write-ahead logging (SQLite does not wait the busy timeout
    for it) and read the file's format in one transaction, about one open in fifty failed:
    "database is locked", reported as a path or permission problem, or the new file taken
    for another application's because its tables appeared between two reads."""
    context = multiprocessing.get_context("fork")
    failures: list[str] = []
    for round_number in range(40):
        path = tmp_path / f"round-{round_number}" / "lineage.db"
        barrier, answers = context.Barrier(AT_ONCE), context.Queue()
        children = [
            context.Process(target=_open_and_read, args=(path, barrier, answers))
            for _ in range(AT_ONCE)
        ]
        for child in children:
            child.start()
        failures += [answer for _ in children if (answer := answers.get(timeout=60)) != "ok"]
        for child in children:
            child.join(timeout=60)
    assert failures == []


# -- damaged rows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Damage:
    statement: str
    holds: str
    """What every failing command's message says the damaged row holds."""
    named: str
    """What the message of ``export yaml`` (which reads every row) names as damaged."""


DAMAGED_ROWS = {
    "node detail not JSON": Damage(
        "UPDATE node SET detail = '{not json' WHERE id = 'source:DS-001'",
        "holds text that is not JSON",
        "node 'source:DS-001'",
    ),
    "node mode unknown": Damage(
        "UPDATE node SET mode = 'sometimes' WHERE id = 'source:DS-001'",
        "holds the unknown value 'sometimes'",
        "node 'source:DS-001'",
    ),
    "node kind a number": Damage(
        "UPDATE node SET kind = 7 WHERE id = 'source:DS-001'",
        "holds the unknown value '7'",
        "node 'source:DS-001'",
    ),
    "node origins not JSON": Damage(
        "UPDATE node SET origins = 'somewhere' WHERE id = 'source:DS-001'",
        "holds text that is not JSON",
        "node 'source:DS-001'",
    ),
    "node detail of the wrong shape": Damage(
        """UPDATE node SET detail = '{"freshness": 5}' WHERE id = 'source:DS-001'""",
        "holds a value this store never writes",
        "node 'source:DS-001'",
    ),
    "edge type text in an integer column": Damage(
        "UPDATE edge_assertion SET type = 'feeds'",
        "holds a value this store never writes",
        "the edge '",
    ),
    "edge mode code out of range": Damage(
        "UPDATE edge_assertion SET mode = 99",
        "holds a value this store never writes",
        "the edge '",
    ),
    "edge detail not JSON": Damage(
        "UPDATE edge_assertion SET detail = '[1, 2' WHERE detail IS NOT NULL",
        "holds text that is not JSON",
        "the edge '",
    ),
}


@pytest.mark.parametrize("damage", DAMAGED_ROWS.values(), ids=DAMAGED_ROWS.keys())
def test_a_damaged_row_is_a_one_line_store_error_naming_it(tmp_path: Path, damage: Damage) -> None:
    """Every read either answers or fails with one line naming the store file and the
    damaged row; the whole-graph reads always fail, in this process and in a ``lineage``
    process of its own. An import over the damage then either applies (it rewrote the row)
    or fails the same way, leaving the file as it was."""
    db = _platform_store(tmp_path)
    _sql(db, damage.statement)
    prefix = f"error: the embedded store at {db} is damaged: "
    for command in READS:
        run = here(db, *command)
        if run.code or command in (("summary",), ("export", "yaml")):
            assert_one_line_error(run, prefix, damage.holds)
    alone = assert_one_line_error(lineage(db, "export", "yaml"), prefix, damage.holds)
    assert damage.named in alone
    before = _dump(db)
    _changed_platform(tmp_path)
    applied = here(db, "import", "yaml", SPEC, cwd=tmp_path)
    if applied.code:
        assert_one_line_error(applied, prefix)
        assert _dump(db) == before


def test_an_import_over_a_damaged_assertion_of_another_origin_changes_nothing(
    tmp_path: Path,
) -> None:
    """Two files assert one dataset; the first file's assertion of it is damaged. Importing
    the second file again, changed, has to merge the two: it fails naming the node, and the
    store is as it was."""
    _spec(tmp_path / "a.lineage.yaml", ["shared", "a"])
    second = _spec(tmp_path / "b.lineage.yaml", ["shared", "b"])
    db = tmp_path / "lineage.db"
    for name in ("a.lineage.yaml", "b.lineage.yaml"):
        assert_ok(here(db, "import", "yaml", name, cwd=tmp_path))
    _sql(
        db,
        "UPDATE node_assertion SET detail = '{oops'"
        " WHERE origin = (SELECT num FROM origin WHERE name LIKE '%a.lineage.yaml')"
        " AND node = (SELECT num FROM node WHERE id = 'dataset:shared')",
    )
    before = _dump(db)
    second.write_text(second.read_text("utf-8").replace("Dataset shared", "Shared"), "utf-8")
    run = here(db, "import", "yaml", "b.lineage.yaml", cwd=tmp_path)
    assert_one_line_error(
        run, f"the embedded store at {db} is damaged: an assertion of node 'dataset:shared'"
    )
    assert _dump(db) == before


def test_a_damaged_origin_row_stops_an_import_and_changes_nothing(tmp_path: Path) -> None:
    db = _platform_store(tmp_path)
    _sql(db, "UPDATE origin SET nodes = 'many'")
    before = _dump(db)
    _changed_platform(tmp_path)
    run = here(db, "import", "yaml", SPEC, cwd=tmp_path)
    assert_one_line_error(run, f"{db} is damaged: the origin table holds", "'many'")
    assert _dump(db) == before


def _overwrite_keys(edges: bytes) -> bytes:
    """The kept edge table with its first two keys overwritten: same length, bad content."""
    header = 13  # edge_table._HEADER: mark, row count, key width
    return edges[:header] + b"\xff" * 24 + edges[header + 24 :]


EDGE_TABLE_DAMAGES: dict[str, Callable[[bytes], object]] = {
    "truncated": lambda edges: edges[:100],
    "keys overwritten": _overwrite_keys,
    "text instead of bytes": lambda edges: "not an edge table " * 50,
}


@pytest.mark.parametrize("damage", EDGE_TABLE_DAMAGES.values(), ids=EDGE_TABLE_DAMAGES.keys())
def test_a_damaged_edge_table_is_rebuilt_from_the_rows(
    tmp_path: Path, damage: Callable[[bytes], object]
) -> None:
    """The edge table kept beside an origin's rows (``origin_edges``) is derived from them:
    damaged, it is not used, and the next import of the origin diffs against the rows
    instead, ending exactly where an import into a new store ends."""
    db = _platform_store(tmp_path)
    with closing(sqlite3.connect(db)) as plain, plain:
        ((origin, edges),) = plain.execute("SELECT origin, edges FROM origin_edges").fetchall()
        plain.execute("UPDATE origin_edges SET edges = ? WHERE origin = ?", (damage(edges), origin))
    for command in READS:
        assert_ok(here(db, *command))
    _changed_platform(tmp_path)
    assert_ok(here(db, "import", "yaml", SPEC, cwd=tmp_path))
    new = _platform_store(tmp_path, name="new.db")  # the changed file, into a new store
    assert _export(db) == _export(new)


def _root_pages(db: Path, *tables: str) -> list[tuple[int, int]]:
    """Where the first page of each of ``tables`` is in the file, and how long it is."""
    with closing(sqlite3.connect(db)) as plain:
        marks = ", ".join("?" * len(tables))
        found = plain.execute(
            f"SELECT rootpage FROM sqlite_master WHERE name IN ({marks})", tables
        ).fetchall()
        (page_size,) = plain.execute("PRAGMA page_size").fetchone()
    return [((page - 1) * page_size, page_size) for (page,) in found]


@pytest.mark.parametrize(
    ("where", "damage"),
    [
        ("pages in the middle", "database disk image is malformed"),
        ("the header", "file is not a database"),
    ],
)
def test_a_store_file_with_damaged_pages_says_the_file_is_damaged(
    tmp_path: Path, where: str, damage: str
) -> None:
    """Bytes overwritten in the file itself (the first pages of the node and edge tables, or
    the file's header): every command, reading or importing, says the store file is damaged
    and how, in one line."""
    db = _platform_store(tmp_path)
    spans = [(0, 100)] if where == "the header" else _root_pages(db, "node", "edge_assertion")
    noise = random.Random(5)
    with db.open("r+b") as file:
        for offset, size in spans:
            assert offset + size <= db.stat().st_size
            file.seek(offset)
            file.write(noise.randbytes(size))
    _changed_platform(tmp_path)
    for command in (*READS, ("import", "yaml", SPEC)):
        run = here(db, *command, cwd=tmp_path)
        assert_one_line_error(run, f"error: the store file {db} is damaged ({damage})")
    alone = lineage(db, "summary")
    assert_one_line_error(alone, f"error: the store file {db} is damaged ({damage})")


# -- a full disk --------------------------------------------------------------------------


@contextlib.contextmanager
def _small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder``, unmounted after the block."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _big_spec(path: Path) -> Path:
    """A spec whose import needs more than a mebibyte of store file."""
    return _spec(path, [f"big-{i:05d}-with-a-long-name-to-fill-the-disk" for i in range(4000)])


def test_an_import_onto_a_full_disk_says_so_and_changes_nothing(tmp_path: Path) -> None:
    """A store on a 1 MiB tmpfs holds the platform example; an import that needs more space
    fails saying the disk is full (not "cannot rollback", not a busy store), the store reads
    back as it was, and an import that fits still works after it."""
    big = _big_spec(tmp_path / "big.lineage.yaml")
    with _small_disk(tmp_path / "disk", "1m") as disk:
        db = disk / "lineage.db"
        shutil.copy(PLATFORM, tmp_path / SPEC)
        assert_ok(here(db, "import", "yaml", SPEC, cwd=tmp_path))
        before = _export(db)
        run = lineage(db, "import", "yaml", big.name, cwd=tmp_path)
        assert_one_line_error(run, f"the disk holding the embedded store at {db} is full")
        assert "Nothing was changed" in run.err
        assert _export(db) == before
        _spec(tmp_path / "small.lineage.yaml", ["small-1", "small-2"])
        assert_ok(here(db, "import", "yaml", "small.lineage.yaml", cwd=tmp_path))


def test_an_import_past_the_file_size_limit_says_so_and_changes_nothing(tmp_path: Path) -> None:
    """The same under a 1 MiB limit on file size (``ulimit -f``), which SQLite reports as an
    I/O error: the message says the file reached the limit."""
    db = _platform_store(tmp_path)
    before = _export(db)
    big = _big_spec(tmp_path / "big.lineage.yaml")
    run = lineage(db, "import", "yaml", big.name, cwd=tmp_path, file_size_limit=1 << 20)
    assert_one_line_error(run, f"{db} could not be written", "size limit for files", "full")
    assert "Nothing was changed" in run.err
    assert _export(db) == before


# -- a store this user may not write ------------------------------------------------------

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="runs the reader as another user (root and setpriv)",
)


@contextlib.contextmanager
def _shared_folder() -> Iterator[Path]:
    """A folder another user can reach (pytest's own are private to this one)."""
    folder = Path(tempfile.mkdtemp(prefix="lineage-read-only-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_root
@pytest.mark.parametrize(
    ("file_mode", "folder_mode"),
    [(0o444, 0o555), (0o444, 0o777), (0o666, 0o555)],
    ids=["file and folder read-only", "file read-only", "folder read-only"],
)
def test_a_store_this_user_may_not_write_answers_reads_and_refuses_imports(
    file_mode: int, folder_mode: int
) -> None:
    """As ``nobody``, a store whose file or folder it may not write answers every read as its
    owner would; an import fails saying the store is read-only; the file is unchanged."""
    with _shared_folder() as folder:
        db = _platform_store(folder)
        expected = {command: here(db, *command).out for command in READS_TO_COMPARE}
        _changed_platform(folder)
        (folder / SPEC).chmod(0o644)
        db.chmod(file_mode)
        folder.chmod(folder_mode)
        before = _digest(db)
        for command in READS_TO_COMPARE:
            run = lineage(db, *command, user="nobody")
            assert_ok(run)
            assert run.out == expected[command]
        run = lineage(db, "import", "yaml", SPEC, cwd=folder, user="nobody")
        assert_one_line_error(run, f"the embedded store at {db} is read-only")
        assert _digest(db) == before


WRITER = """
import sys
from lineage.model import ImportBatch, Kind, Node, NodeId
from lineage.store.embedded import EmbeddedStore

store = EmbeddedStore(sys.argv[1])
store.apply(ImportBatch("late", (Node(NodeId("dataset:late"), Kind.DATASET),)))
print("applied", flush=True)
sys.stdin.read()  # stay open, the commit still in the write-ahead log, until told to go
store.close()
"""


@needs_root
def test_a_read_only_reader_sees_what_a_running_writer_committed() -> None:
    """The owner's process has committed an import and still holds the store open, so the
    import is in the write-ahead log beside the file, not in it. A reader that may not write
    the folder opens the file read-only but not immutable, and sees that import."""
    with _shared_folder() as folder:
        db = _platform_store(folder)
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        try:
            assert writer.stdout is not None and writer.stdout.readline() == "applied\n"
            assert db.with_name("lineage.db-wal").stat().st_size > 0
            folder.chmod(0o555)
            run = lineage(db, "show", "dataset:late", "--json", user="nobody")
            assert_ok(run)
            assert json.loads(run.out)["node"]["id"] == "dataset:late"
        finally:
            writer.communicate("", timeout=60)
        assert writer.returncode == 0
