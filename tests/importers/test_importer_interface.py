"""The importer interface: what the service calls, what an importer refuses, and the templates
of docs/importers/README.md, which must run as written."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest
from support import DOCS, EXAMPLES

from lineage.errors import InputError, ParseError
from lineage.importers import ImportRequest, formats, get_importer, parse_document, run_import
from lineage.importers.base import Importer, TextImporter, line_warnings
from lineage.importers.c4 import C4Importer
from lineage.importers.problems import LineProblem
from lineage.importers.yaml_spec import YamlSpecImporter
from lineage.model import EdgeType, ImportWarning

README = DOCS / "importers" / "README.md"


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)


def module_of(code: str, name: str, monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """``code`` run as the module ``name`` (dataclasses look their module up by name)."""
    module = types.ModuleType(name)
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(code, f"{README}:{name}", "exec"), module.__dict__)
    return module


@pytest.mark.parametrize(("name", "cls"), [("c4", C4Importer), ("yaml", YamlSpecImporter)])
def test_every_format_is_an_importer_with_a_stable_name(name: str, cls: type) -> None:
    importer = get_importer(name)
    assert isinstance(importer, cls) and isinstance(importer, Importer)
    assert importer.format == name and name in formats()


def test_an_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(InputError, match="known: avro, c4, metaflow, yaml"):
        get_importer("protobuf")


def test_run_import_reads_what_the_user_typed() -> None:
    request = ImportRequest.of_paths([EXAMPLES / "platform.lineage.yaml"])
    (batch,) = run_import("yaml", request)
    assert batch.origin == f"yaml:{(EXAMPLES / 'platform.lineage.yaml').resolve().as_posix()}"
    assert list(get_importer("yaml").extract([EXAMPLES / "platform.lineage.yaml"])) == [batch]


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (ImportRequest(("http://registry:8081",)), "reads files, not URLs"),
        (ImportRequest(("docs/",), {"subject": "x"}), "unknown option"),
    ],
)
def test_a_file_format_refuses_urls_and_options(request_: ImportRequest, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(run_import("c4", request_))


def test_parse_document_reads_one_document_given_as_text() -> None:
    batch = parse_document("c4", "graph LR\n  A[Kafka Topics] --> B[Spark: ETL]\n", source="x.mmd")
    assert batch.origin == "c4:x.mmd"
    assert {(e.source, e.target) for e in batch.edges} == {("topic:kafka-topics", "job:spark-etl")}


def test_line_warnings_name_the_file_and_line() -> None:
    assert line_warnings("docs/a.md", [LineProblem(7, "arrow leads nowhere")]) == (
        ImportWarning("docs/a.md:7", "arrow leads nowhere"),
    )


# -- the templates of docs/importers/README.md ------------------------------------------------


def test_the_file_format_template_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = module_of(python_blocks(README)[0], "csv_edges", monkeypatch)
    importer = template.CsvEdgesImporter()
    assert isinstance(importer, TextImporter) and importer.format == "csv-edges"
    data = tmp_path / "edges.csv"
    data.write_text(
        "source,target,label\n"
        "source:DS-001,job:sessionize,raw views\n"
        "job:sessionize,dataset:sessions,\n"
        "oops\n"
        "source:DS-001,job:sessionize,again\n",
        encoding="utf-8",
    )
    (batch,) = importer.extract(importer.configure(ImportRequest.of_paths([tmp_path])))
    assert {node.id for node in batch.nodes} == {
        "source:DS-001",
        "job:sessionize",
        "dataset:sessions",
    }
    assert [(e.source, e.target, e.type, e.label) for e in batch.edges] == [
        ("source:DS-001", "job:sessionize", EdgeType.FEEDS, "raw views"),
        ("job:sessionize", "dataset:sessions", EdgeType.FEEDS, None),
    ]  # the repeated edge is folded into its first listing
    (warning,) = batch.warnings
    assert warning.location.endswith("edges.csv:4")
    with pytest.raises(ParseError, match=r"bad\.csv:1: the first row"):
        importer.parse("a,b\n", source="bad.csv")


def test_the_service_format_template_configures_from_a_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template = module_of(python_blocks(README)[1], "avro_registry", monkeypatch)
    importer = template.SchemaRegistryImporter()
    config = importer.configure(
        ImportRequest(("http://registry:8081",), {"subjects": "views-value,clicks-value"})
    )
    assert config == template.RegistryConfig(
        "http://registry:8081", ("views-value", "clicks-value"), 10.0
    )
    assert list(importer.run(ImportRequest(("http://registry:8081",)))) == []
    for bad in (ImportRequest(("schemas/",)), ImportRequest(("http://r",), {"tls": "no"})):
        with pytest.raises(InputError):
            importer.configure(bad)
