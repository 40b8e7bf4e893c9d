"""The distribution works on its own: a wheel built from the repository, installed into a fresh
virtualenv, runs imports and queries with its console script on both stores, away from the
checkout. Also: the runtime dependencies are exactly the distributions the code imports.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest
from support import CYPHER, EXAMPLES, ROOT

from lineage.config import Backend, StoreSettings

pytestmark = pytest.mark.slow

PACKAGE_FOLDERS = {
    "lineage": "lineage",
    "importers": "lineage/importers",
    "cypher": "lineage/cypher",
}
"""Repository folder -> where the wheel puts it."""


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path

    @property
    def lineage(self) -> Path:
        return self.venv / "bin" / "lineage"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """The wheel built from the checkout, installed with its dependencies into a new venv."""
    work = tmp_path_factory.mktemp("distribution")
    source = _copy_of_the_sources(work / "source")
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", work, source, cwd=work)
    (wheel,) = work.glob("lineage-*.whl")
    venv = work / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=work)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, cwd=work)
    yield Installed(wheel, venv)


def _copy_of_the_sources(target: Path) -> Path:
    """What a clean clone holds (no ``build/`` left by an earlier build, no caches)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    for name in ("pyproject.toml", "README.md"):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    for folder in PACKAGE_FOLDERS:
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    return target


def _clean_env(settings: StoreSettings) -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH pointing into the checkout."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["LINEAGE_STORE"] = settings.backend.value
    env["LINEAGE_DB"] = str(settings.db_path)
    if settings.backend is Backend.NEO4J:
        env["NEO4J_URI"] = settings.neo4j_uri
    return env


def test_the_wheel_holds_every_module_and_query_file_under_one_package(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    expected = {
        f"{target}/{path.relative_to(ROOT / folder).as_posix()}"
        for folder, target in PACKAGE_FOLDERS.items()
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".cypher") and "__pycache__" not in path.parts
    }
    assert expected <= names, sorted(expected - names)
    assert {name.split("/")[0] for name in names} == {"lineage", _dist_info(names)}
    assert len([n for n in names if n.endswith(".cypher")]) == len(list(CYPHER.glob("*.cypher")))


def _dist_info(names: set[str]) -> str:
    return next(name.split("/")[0] for name in names if ".dist-info/" in name)


def test_the_installed_package_is_the_venv_copy_not_the_checkout(
    installed: Installed, tmp_path: Path
) -> None:
    code = "import lineage, lineage.importers, lineage.cypher; print(lineage.__file__)"
    where = Path(_run(installed.python, "-c", code, cwd=tmp_path).strip())
    assert where.is_relative_to(installed.venv)


def test_the_installed_console_script_imports_and_answers_on_each_store(
    installed: Installed, store_settings: StoreSettings, tmp_path: Path
) -> None:
    env = _clean_env(store_settings)
    spec = tmp_path / "platform.lineage.yaml"
    spec.write_text((EXAMPLES / "platform.lineage.yaml").read_text(encoding="utf-8"))
    if store_settings.backend is Backend.NEO4J:
        _run(installed.lineage, "neo4j", "init", cwd=tmp_path, env=env)
    imported = _run(installed.lineage, "import", "yaml", spec.name, cwd=tmp_path, env=env)
    assert "31 nodes, 38 edges" in imported
    answer = json.loads(
        _run(installed.lineage, "downstream", "DS1", "--kind", "model", "--json", cwd=tmp_path,
             env=env)
    )  # fmt: skip
    assert answer["root"] == "source:DS-001"
    assert {node["id"] for node in answer["nodes"]} == {
        "model:personalization",
        "model:recommendation",
        "model:search-ranking",
        "model:content-quality",
    }


# -- dependencies ---------------------------------------------------------------------------


INTEGRATIONS = ROOT / "lineage" / "integrations"
"""Code users put in their own programs (a Metaflow step decorator): what it imports comes
from the extra named after it (``lineage[metaflow]``), not from the service's dependencies."""


ACCELERATORS = {"neo4j-rust-ext": "neo4j._rust"}
"""Distributions the code never imports by name: a dependency loads them when they are there
(the driver's packstream in Rust), so the declared module must import."""


def _imported_top_names(paths: list[Path] | None = None) -> set[str]:
    """Top-level names imported by the package's modules (``lineage/`` and ``importers/``,
    the integrations aside), or by the given files."""
    if paths is None:
        paths = [
            path
            for folder in ("lineage", "importers")
            for path in (ROOT / folder).rglob("*.py")
            if INTEGRATIONS not in path.parents
        ]
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _declared(requirements: list[str]) -> set[str]:
    return {_canonical(req.split(";")[0].split("[")[0]) for req in requirements}


def _canonical(requirement: str) -> str:
    for stop in "<>=!~ ":
        requirement = requirement.split(stop)[0]
    return requirement.lower().replace("_", "-")


def test_runtime_dependencies_are_exactly_the_distributions_the_code_imports() -> None:
    distributions = metadata.packages_distributions()
    third_party = _imported_top_names() - set(sys.stdlib_module_names) - {"lineage"}
    assert third_party <= distributions.keys(), "imported, yet no installed distribution has it"
    needed = {_canonical(dist) for name in third_party for dist in distributions[name]}
    declared = _declared(metadata.requires("lineage") or [])
    runtime = _declared(
        [req for req in metadata.requires("lineage") or [] if "extra ==" not in req]
    )
    imported = runtime - ACCELERATORS.keys()
    assert needed == imported, (
        f"declared but unused: {imported - needed}; missing: {needed - imported}"
    )
    assert declared >= {"pytest", "hypothesis"}, "test tools are an extra"
    assert not runtime & {"pytest", "hypothesis", "ruff", "pytest-xdist"}


def test_each_accelerator_is_declared_and_loaded() -> None:
    runtime = _declared(
        [req for req in metadata.requires("lineage") or [] if "extra ==" not in req]
    )
    for distribution, module in ACCELERATORS.items():
        assert distribution in runtime, f"{distribution} is not a runtime dependency"
        importlib.import_module(module)  # the dependency that loads it finds it


def test_each_integration_imports_only_what_its_extra_declares() -> None:
    distributions = metadata.packages_distributions()
    requirements = metadata.requires("lineage") or []
    for module in sorted(INTEGRATIONS.glob("*.py")):
        if module.name == "__init__.py":
            continue
        imported = _imported_top_names([module]) - set(sys.stdlib_module_names) - {"lineage"}
        needed = {_canonical(dist) for name in imported for dist in distributions[name]}
        extra = _declared([r for r in requirements if f'extra == "{module.stem}"' in r])
        assert needed <= extra, f"{module.name} needs {needed - extra} in the {module.stem} extra"
        assert extra, f"no {module.stem} extra for {module.name}"
