"""The service's errors: one base, a shallow tree, each mapped to a CLI exit code and a
GraphQL error code at the outer layers.

    LineageError
    ├── InputError                 bad input: exit 2, BAD_INPUT
    │   └── ParseError             ... at a known file and line
    ├── StoreError
    │   └── StoreUnavailable       backend down: exit 3, UNAVAILABLE
    └── LookupFailed
        ├── NodeNotFound           exit 2, NOT_FOUND
        └── AmbiguousNode          exit 2, AMBIGUOUS (lists the candidates)
"""

from __future__ import annotations


class LineageError(Exception):
    """Base of every error the service expects and reports without a traceback."""

    exit_code = 2
    code = "BAD_INPUT"


class InputError(LineageError):
    """Input the service cannot accept (a file, an argument, a mutation's content)."""


class ParseError(InputError):
    """Input that is wrong at a known place. ``str()`` reads ``file:line: message``."""

    def __init__(self, message: str, *, source: str, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class StoreError(LineageError):
    code = "STORE_ERROR"
    exit_code = 3


class StoreUnavailable(StoreError):
    """The backend cannot be reached; the message says which and what to do."""

    code = "UNAVAILABLE"


class ChangeTooLarge(StoreError):
    """The store refused a change too large for one of its transactions; nothing changed.
    The message names the store's settings to raise."""

    code = "TOO_LARGE"


class LookupFailed(LineageError):
    pass


class NodeNotFound(LookupFailed):
    code = "NOT_FOUND"

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no node is known as {ref!r}")


class AmbiguousNode(LookupFailed):
    code = "AMBIGUOUS"

    def __init__(self, ref: str, candidates: list[str]) -> None:
        self.ref = ref
        self.candidates = candidates
        super().__init__(f"{ref!r} names several nodes: {', '.join(candidates)}")
