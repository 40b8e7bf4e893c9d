"""``lineage serve`` in a subprocess on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from support import ROOT

HOST = "127.0.0.1"
STARTUP_SECONDS = 30
LINEAGE = Path(sys.executable).with_name("lineage")
"""The console script installed next to the interpreter running the tests."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def served(db: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """The base URL of a ``lineage serve`` on ``db`` (an embedded store), and its process."""
    port = free_port()
    environment = {**os.environ, "LINEAGE_DB": str(db), **env}
    environment.pop("LINEAGE_STORE", None)
    process = subprocess.Popen(
        [str(LINEAGE), "serve", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_ready(base, process)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_ready(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"lineage serve exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"lineage serve did not become ready within {STARTUP_SECONDS}s")
