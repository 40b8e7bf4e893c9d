"""Text the CLI writes to a terminal never carries a control character from imported names:
escape sequences print as visible escapes, in tables, details and error messages alike."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import Cli

from lineage.terminal import visible

SPEC = """\
version: 1
nodes:
  - {id: "dataset:evil", name: "Title\\e]0;pwned\\a then \\e[2J cleared\\x9b"}
  - {id: job:reader, name: "Reader"}
edges:
  - {from: dataset:evil, to: job:reader, label: "reads \\e[31mred"}
"""


def test_names_with_escape_sequences_print_as_visible_escapes(cli: Cli, tmp_path: Path) -> None:
    spec = tmp_path / "evil.yaml"
    spec.write_text(SPEC)
    assert cli("import", "yaml", spec).exit_code == 0
    for args in (("nodes",), ("show", "dataset:evil"), ("downstream", "dataset:evil")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
        assert "\x9b" not in result.stdout, args
    shown = cli("show", "dataset:evil").stdout
    assert "\\x1b]0;pwned" in shown and "\\x1b[2J" in shown  # rich drops the bell itself
    missing = cli("show", "no\x1b[2Jsuch")
    assert missing.exit_code == 2 and "\x1b" not in missing.stderr
    assert "no\\x1b[2Jsuch" in missing.stderr
    as_json = cli("show", "dataset:evil", "--json").stdout
    assert "\x1b" not in as_json and "\\u001b" in as_json  # JSON keeps the data, escaped
    assert json.loads(as_json)["node"]["name"].startswith("Title\x1b]0;pwned")


def test_visible_keeps_line_breaks_and_tabs_and_escapes_the_rest() -> None:
    assert visible("a\tb\nc\x00\x7f\x9b") == "a\tb\nc\\x00\\x7f\\x9b"
