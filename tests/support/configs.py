"""A ``lineage.yaml`` in a test's folder: one YAML-spec import job over ``docs/`` and a roll-up."""

from __future__ import annotations

from pathlib import Path


def write_config(
    folder: Path,
    spec: str,
    *,
    schedule: str = "1h",
    rollup: str = "1h",
    extra: str = "",
    jobs: str = "",
    roots: str = "./",
) -> Path:
    """``docs/spec.yaml`` holding ``spec``, and the configuration that imports it as the job
    ``spec`` on ``schedule``; ``extra`` adds top-level keys, ``jobs`` more job lines."""
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "spec.yaml").write_text(spec)
    path = folder / "lineage.yaml"
    path.write_text(
        f"roots: [{roots}]\n"
        f"{extra}"
        "imports:\n"
        f"  - {{name: spec, importer: yaml, paths: [docs/], schedule: {schedule}}}\n"
        f"{jobs}"
        f"rollup: {{schedule: {rollup}}}\n"
    )
    return path
