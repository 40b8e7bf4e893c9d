"""Schema resolution under every mode: a table of changes, each rule of the Avro
specification's schema resolution, with the verdict readers and writers expect.

``backward`` is whether the new schema reads data written with the old one (consumers
upgrade first), ``forward`` whether the old schema reads data written with the new one
(producers first); FULL is both, NONE always passes, and the transitive modes check every
earlier version.
"""

from __future__ import annotations

from typing import Any

import pytest

from lineage.avro.compatibility import Direction, Mode, check
from lineage.avro.schemas import parse


def rec(*fields: Any, name: str = "V", **more: Any) -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": "t", "fields": list(fields), **more}


def f(name: str, type_: Any, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **more}


def enum(*symbols: str, **more: Any) -> dict[str, Any]:
    return {"type": "enum", "name": "E", "symbols": list(symbols), **more}


def fixed(size: int) -> dict[str, Any]:
    return {"type": "fixed", "name": "F", "size": size}


def inner(*fields: Any) -> dict[str, Any]:
    return {"type": "record", "name": "Inner", "fields": list(fields)}


ID = f("id", "long")
# (rule, old, new, backward, forward)
CHANGES = [
    ("identical", rec(ID), rec(ID), True, True),
    ("doc only", rec(f("id", "long", doc="a")), rec(f("id", "long", doc="b")), True, True),
    ("fields reordered", rec(ID, f("x", "int")), rec(f("x", "int"), ID), True, True),
    (
        "default added to a field",
        rec(ID, f("x", "int")),
        rec(ID, f("x", "int", default=0)),
        True,
        True,
    ),
    ("field added with a default", rec(ID), rec(ID, f("x", "int", default=0)), True, True),
    ("field added without a default", rec(ID), rec(ID, f("x", "int")), False, True),
    ("field removed that had a default", rec(ID, f("x", "int", default=0)), rec(ID), True, True),
    ("field removed without a default", rec(ID, f("x", "int")), rec(ID), True, False),
    ("int to long", rec(f("x", "int")), rec(f("x", "long")), True, False),
    ("int to float", rec(f("x", "int")), rec(f("x", "float")), True, False),
    ("int to double", rec(f("x", "int")), rec(f("x", "double")), True, False),
    ("long to float", rec(f("x", "long")), rec(f("x", "float")), True, False),
    ("long to double", rec(f("x", "long")), rec(f("x", "double")), True, False),
    ("float to double", rec(f("x", "float")), rec(f("x", "double")), True, False),
    ("long to int", rec(f("x", "long")), rec(f("x", "int")), False, True),
    ("double to float", rec(f("x", "double")), rec(f("x", "float")), False, True),
    ("string to bytes", rec(f("x", "string")), rec(f("x", "bytes")), True, True),
    ("bytes to string", rec(f("x", "bytes")), rec(f("x", "string")), True, True),
    ("string to int", rec(f("x", "string")), rec(f("x", "int")), False, False),
    ("boolean to int", rec(f("x", "boolean")), rec(f("x", "int")), False, False),
    ("enum symbol added", rec(f("e", enum("A"))), rec(f("e", enum("A", "B"))), True, False),
    ("enum symbol removed", rec(f("e", enum("A", "B"))), rec(f("e", enum("A"))), False, True),
    (
        "enum symbol removed, new has a default",
        rec(f("e", enum("A", "B"))),
        rec(f("e", enum("A", default="A"))),
        True,
        True,
    ),
    (
        "enum symbol added, old has a default",
        rec(f("e", enum("A", default="A"))),
        rec(f("e", enum("A", "B", default="A"))),
        True,
        True,
    ),
    (
        "union widened from a type",
        rec(f("x", "string")),
        rec(f("x", ["null", "string"], default=None)),
        True,
        False,
    ),
    (
        "union narrowed to a type",
        rec(f("x", ["null", "string"], default=None)),
        rec(f("x", "string")),
        False,
        True,
    ),
    (
        "union branch added",
        rec(f("x", ["null", "string"], default=None)),
        rec(f("x", ["null", "string", "int"], default=None)),
        True,
        False,
    ),
    (
        "union branch removed",
        rec(f("x", ["null", "string", "int"], default=None)),
        rec(f("x", ["null", "string"], default=None)),
        False,
        True,
    ),
    (
        "type into a union with promotion",
        rec(f("x", "int")),
        rec(f("x", ["null", "long"], default=None)),
        True,
        False,
    ),
    (
        "null into a union",
        rec(f("x", "null")),
        rec(f("x", ["null", "string"], default=None)),
        True,
        False,
    ),
    (
        "nested field added without a default",
        rec(f("n", inner(ID))),
        rec(f("n", inner(ID, f("x", "int")))),
        False,
        True,
    ),
    (
        "nested field added with a default",
        rec(f("n", inner(ID))),
        rec(f("n", inner(ID, f("x", "int", default=1)))),
        True,
        True,
    ),
    (
        "nested field promoted",
        rec(f("n", inner(f("x", "int")))),
        rec(f("n", inner(f("x", "long")))),
        True,
        False,
    ),
    (
        "field renamed with an alias",
        rec(f("a", "int")),
        rec(f("b", "int", aliases=["a"])),
        True,
        False,
    ),
    ("field renamed without an alias", rec(f("a", "int")), rec(f("b", "int")), False, False),
    (
        "record renamed with an alias",
        rec(ID, name="V"),
        rec(ID, name="W", aliases=["t.V"]),
        True,
        False,
    ),
    ("record renamed without an alias", rec(ID, name="V"), rec(ID, name="W"), False, False),
    (
        "record moved to another namespace (names match unqualified)",
        rec(ID),
        {**rec(ID), "namespace": "u"},
        True,
        True,
    ),
    ("fixed size changed", rec(f("x", fixed(4))), rec(f("x", fixed(8))), False, False),
    ("fixed size kept", rec(f("x", fixed(4))), rec(f("x", fixed(4))), True, True),
    (
        "array items promoted",
        rec(f("x", {"type": "array", "items": "int"})),
        rec(f("x", {"type": "array", "items": "long"})),
        True,
        False,
    ),
    (
        "array items changed",
        rec(f("x", {"type": "array", "items": "string"})),
        rec(f("x", {"type": "array", "items": "int"})),
        False,
        False,
    ),
    (
        "map values promoted",
        rec(f("x", {"type": "map", "values": "int"})),
        rec(f("x", {"type": "map", "values": "long"})),
        True,
        False,
    ),
    (
        "map values narrowed",
        rec(f("x", {"type": "map", "values": "long"})),
        rec(f("x", {"type": "map", "values": "int"})),
        False,
        True,
    ),
    (
        "array of records, field added without a default",
        rec(f("x", {"type": "array", "items": inner(ID)})),
        rec(f("x", {"type": "array", "items": inner(ID, f("y", "int"))})),
        False,
        True,
    ),
    ("record replaced by an enum", rec(f("x", inner(ID))), rec(f("x", enum("A"))), False, False),
]


def test_the_table_covers_every_rule_with_at_least_forty_pairs() -> None:
    assert len(CHANGES) >= 40
    assert len({rule for rule, *_ in CHANGES}) == len(CHANGES)


@pytest.mark.parametrize(
    ("old", "new", "backward", "forward"),
    [pytest.param(old, new, b, fw, id=rule) for rule, old, new, b, fw in CHANGES],
)
@pytest.mark.parametrize("mode", list(Mode))
def test_the_verdict_under_every_mode(
    old: Any, new: Any, backward: bool, forward: bool, mode: Mode
) -> None:
    problems = check(parse(new), [(1, parse(old))], mode)
    expected = {
        "BACKWARD": backward,
        "FORWARD": forward,
        "FULL": backward and forward,
        "NONE": True,
    }[mode.value.removesuffix("_TRANSITIVE")]
    assert (not problems) == expected
    directions = {problem.direction for problem in problems}
    assert directions <= set(mode.directions)
    if not backward and Direction.NEW_READS_OLD in mode.directions:
        assert Direction.NEW_READS_OLD in directions
    if not forward and Direction.OLD_READS_NEW in mode.directions:
        assert Direction.OLD_READS_NEW in directions


def test_a_plain_mode_checks_the_latest_version_a_transitive_one_every_version() -> None:
    v1 = parse(rec(ID, f("x", "int")))
    v2 = parse(rec(ID, f("x", "int"), f("y", "int", default=0)))  # x has no default
    v3 = parse(rec(ID, f("y", "int", default=0)))  # drops x: old readers of v1 and v2 need it
    proposed = parse(rec(ID, f("y", "int", default=0), f("z", "int", default=0)))
    earlier = [(1, v1), (2, v2), (3, v3)]
    assert check(proposed, earlier, Mode.FORWARD) == []
    problems = check(proposed, earlier, Mode.FORWARD_TRANSITIVE)
    assert {problem.version for problem in problems} == {1, 2}


def test_a_message_names_the_field_and_why() -> None:
    (problem,) = check(
        parse(rec(ID, f("customer", "string"))), [(4, parse(rec(ID)))], Mode.BACKWARD
    )
    assert problem.field == "customer"
    assert problem.message == (
        "field 'customer' has no default: readers of the new schema cannot read old data, "
        "which lacks it"
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        (
            rec(f("x", "long")),
            rec(f("x", "int")),
            "x",
            "is int for readers of the new schema, long",
        ),
        (rec(f("e", enum("A", "B"))), rec(f("e", enum("A"))), "e", "lacks symbols"),
        (rec(f("x", fixed(4))), rec(f("x", fixed(8))), "x", "changed size"),
        (rec(ID, name="V"), rec(ID, name="W"), "", "now named 't.W'"),
        (rec(f("x", ["null", "string"], default=None)), rec(f("x", "string")), "x", "field 'x'"),
        (rec(f("n", inner(ID))), rec(f("n", inner(ID, f("q", "int")))), "n.q", "field 'n.q'"),
        (
            rec(f("x", {"type": "array", "items": "string"})),
            rec(f("x", {"type": "array", "items": "int"})),
            "x[]",
            "field 'x[]'",
        ),
    ],
)
def test_each_kind_of_problem_is_said_of_its_field(
    old: Any, new: Any, field: str, words: str
) -> None:
    problems = check(parse(new), [(1, parse(old))], Mode.BACKWARD)
    assert problems
    assert any(p.field == field and words in p.message for p in problems), problems
