"""Diagram views of the example platform from the CLI, GET /diagram and GraphQL, on both
stores: around a node, one loop, a schema change's impact, the stale set."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support import EXAMPLES
from support.api import serve
from support.cli import Cli

from lineage.api import ServiceSettings
from lineage.config import StoreSettings
from lineage.importers import ImportRequest, get_importer
from lineage.service import import_files, open_store

SVG = "{http://www.w3.org/2000/svg}"


def _platform(settings: StoreSettings) -> None:
    store = open_store(settings)
    try:
        import_files(store, "yaml", [EXAMPLES / "platform.lineage.yaml"])
        import_files(store, "c4", [EXAMPLES / "docs"])
        import_files(store, "avro", [EXAMPLES / "avro"])
    finally:
        store.close()


def test_a_view_around_a_node_imports_back_to_the_nodes_it_drew(
    cli: Cli, store_settings: StoreSettings, tmp_path: Path
) -> None:
    _platform(store_settings)
    result = cli("diagram", "MDL-REC", "--direction", "up", "--depth", "2")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "view.mmd"
    path.write_text(result.stdout)
    (batch,) = get_importer("c4").run(ImportRequest((str(path),)))
    drawn = {node.id for node in batch.nodes}
    upstream = json.loads(cli("upstream", "MDL-REC", "--depth", "2", "--json").stdout)
    assert drawn == {"model:recommendation", *(n["id"] for n in upstream["nodes"])}
    overlay = cli("diagram", "--root", "MDL-REC", "--format", "c4", "-o", tmp_path / "v.md")
    assert overlay.exit_code == 0 and (tmp_path / "v.md").read_text().startswith("# Lineage")


def test_a_loop_view_highlights_the_loop_edges(cli: Cli, store_settings: StoreSettings) -> None:
    _platform(store_settings)
    loops = json.loads(cli("loops", "--json").stdout)["loops"]
    result = cli("diagram", "--loop", "1", "--format", "dot")
    assert result.exit_code == 0
    assert "#9467bd" in result.stdout  # the loop colour on its edges
    for node_id in loops[0]["nodes"]:
        assert f'"{node_id}" [' in result.stdout
    missing = cli("diagram", "--loop", str(len(loops) + 1))
    assert missing.exit_code == 2 and "there is no loop" in missing.stderr


def test_the_stale_view_draws_the_stale_nodes_and_their_causes(
    cli: Cli, store_settings: StoreSettings
) -> None:
    _platform(store_settings)
    cli("observe", "feature:offline-store", "--at", "2026-01-01T00:00:00Z")
    result = cli("diagram", "--stale", "--format", "dot")
    assert result.exit_code == 0
    assert '"feature:offline-store" [' in result.stdout
    assert '"model:content-quality" [' in result.stdout
    assert "#d62728" in result.stdout


def test_an_impact_view_draws_the_consumers_a_schema_change_hits(
    cli: Cli, store_settings: StoreSettings, tmp_path: Path
) -> None:
    _platform(store_settings)
    latest = json.loads((EXAMPLES / "avro" / "views.raw-value" / "v3.avsc").read_text())
    latest["fields"].append({"name": "customer", "type": "string"})
    proposed = tmp_path / "next.avsc"
    proposed.write_text(json.dumps(latest))
    result = cli("diagram", "--impact", "views.raw-value", proposed, "--format", "dot")
    assert result.exit_code == 0, result.stderr
    impact = json.loads(
        cli("schema-impact", "views.raw-value", proposed, "--format", "json").stdout
    )
    hit = [c["id"] for c in impact["consumers"] if c["hit"]]
    assert hit and all(f'"{node_id}" [' in result.stdout for node_id in hit)


@pytest.mark.anyio
async def test_get_diagram_serves_svg_png_and_mermaid(store_settings: StoreSettings) -> None:
    _platform(store_settings)
    async with serve(ServiceSettings(store=store_settings)) as api:
        svg = await api.client.get(
            "/diagram", params={"root": "DS1", "direction": "downstream", "depth": "2"}
        )
        png = await api.client.get("/diagram", params={"root": "DS1", "format": "png"})
        mermaid = await api.client.get("/diagram", params={"root": "DS1", "format": "mermaid"})
        missing = await api.client.get("/diagram", params={"root": "nope"})
        bad = await api.client.get("/diagram", params={"root": "DS1", "format": "gif"})
        answer = await api.data(
            '{ diagram(root: "DS1", format: MERMAID, depth: 1) { mediaType content nodes } }'
        )
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg.content).iter(f"{SVG}text")]
    assert "Member Viewing Events" in texts
    assert png.content[:4] == b"\x89PNG"
    assert mermaid.text.startswith("---\n") and "flowchart LR" in mermaid.text
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "BAD_INPUT"
    assert answer["diagram"]["content"].startswith("---\n") and answer["diagram"]["nodes"] > 1


@pytest.mark.anyio
async def test_get_diagram_needs_the_token_when_reads_do(store_settings: StoreSettings) -> None:
    settings = ServiceSettings(store=store_settings, api_token="t", require_token_for_reads=True)
    async with serve(settings) as api:
        refused = await api.client.get("/diagram", params={"format": "mermaid"})
        allowed = await api.client.get(
            "/diagram", params={"format": "mermaid"}, headers={"Authorization": "Bearer t"}
        )
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "UNAUTHENTICATED"
    assert allowed.status_code == 200
