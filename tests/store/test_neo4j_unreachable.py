"""A Neo4j URI that points at something that is not Neo4j fails within seconds with a clear
message: a port that accepts connections but never answers the Bolt handshake, and one that
speaks HTTP. (Served from a local socket on 127.0.0.1; no Neo4j is involved.)"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from lineage.config import Backend, StoreSettings
from lineage.errors import StoreUnavailable
from lineage.store.neo4j import CONNECT_SECONDS, Neo4jStore


@contextmanager
def listening(answer: Callable[[socket.socket], None]) -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            held.append(connection)
            answer(connection)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for connection in held:
            connection.close()


def silent(connection: socket.socket) -> None:
    """Accept, read nothing, say nothing."""


def http(connection: socket.socket) -> None:
    connection.recv(64)
    connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def _connect(port: int) -> None:
    settings = StoreSettings(backend=Backend.NEO4J, neo4j_uri=f"bolt://127.0.0.1:{port}")
    Neo4jStore.connect(settings).close()


def test_a_port_that_never_answers_the_handshake_fails_at_the_connect_bound() -> None:
    with listening(silent) as port, pytest.raises(StoreUnavailable) as raised:
        _connect(port)
    message = str(raised.value)
    assert "handshake" in message and f"timeout={CONNECT_SECONDS}" in message
    assert f"bolt://127.0.0.1:{port}" in message
    assert CONNECT_SECONDS <= 5


def test_a_port_that_speaks_http_fails_at_once_saying_so() -> None:
    with listening(http) as port, pytest.raises(StoreUnavailable, match="looks like HTTP"):
        _connect(port)
