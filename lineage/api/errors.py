"""GraphQL errors with a machine-readable ``extensions.code`` and never a stack trace.

    LineageError raised by a resolver   -> its ``code`` (NOT_FOUND, AMBIGUOUS + candidates,
                                           BAD_INPUT) and its message
    StoreUnavailable                    -> UNAVAILABLE, "the graph store is unavailable"
    ChangeTooLarge                      -> TOO_LARGE, "too large for one transaction of the
                                           graph store; nothing was changed"
    any other StoreError                -> UNAVAILABLE too (the CLI's exit 3, "a backend
                                           unavailable"), with a generic message
    a permission refusal                -> UNAUTHENTICATED (set by the permission class)
    a syntax or validation error        -> BAD_INPUT (depth, token and alias limits included)
    anything else                       -> INTERNAL, "internal error"; the original is logged

``ErrorCodes`` rewrites the response's errors after the operation (the way strawberry's
``MaskErrors`` does); ``log_errors`` is what the schema's ``process_errors`` runs first, on the
original errors, so the log keeps every traceback the response leaves out.

A store's message names its backend (the Neo4j URI, the embedded file's path, the server's own
words and operator hints): useful in the server log, none of the client's business. The
response carries only the generic message; the log line has the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from lineage.errors import (
    AmbiguousNode,
    ChangeTooLarge,
    LineageError,
    NodeNotFound,
    StoreError,
    StoreUnavailable,
)

INTERNAL = "INTERNAL"
BAD_INPUT = "BAD_INPUT"
UNAVAILABLE = "UNAVAILABLE"
INTERNAL_MESSAGE = "internal error; the server log has the details"
UNAVAILABLE_MESSAGE = "the graph store is unavailable"
STORE_FAILED_MESSAGE = "the graph store failed to answer; the server log has the details"
TOO_LARGE_MESSAGE = (
    "the change is too large for one transaction of the graph store; nothing was changed. "
    "Import it in smaller parts, or have the store's transaction memory raised"
)

log = logging.getLogger(__name__)


def coded(error: GraphQLError) -> GraphQLError:
    """``error`` as the client sees it: with ``extensions.code``, without internals."""
    original = error.original_error
    if isinstance(original, StoreUnavailable):
        return _replace(error, UNAVAILABLE_MESSAGE, {"code": UNAVAILABLE})
    if isinstance(original, ChangeTooLarge):
        return _replace(error, TOO_LARGE_MESSAGE, {"code": ChangeTooLarge.code})
    if isinstance(original, StoreError):
        return _replace(error, STORE_FAILED_MESSAGE, {"code": UNAVAILABLE})
    if isinstance(original, LineageError):
        return _replace(error, str(original), _extensions(original))
    if error.extensions and "code" in error.extensions:
        return error
    if original is None or isinstance(original, GraphQLError):
        return _replace(error, error.message, {**(error.extensions or {}), "code": BAD_INPUT})
    return _replace(error, INTERNAL_MESSAGE, {"code": INTERNAL})


def is_expected(error: GraphQLError) -> bool:
    """True for errors the client caused or the service reports by design (a store failure
    is neither: the operator needs its details)."""
    original = error.original_error
    if isinstance(original, StoreError):
        return False
    return original is None or isinstance(original, LineageError | GraphQLError)


def log_errors(errors: list[GraphQLError], execution_context: ExecutionContext | None) -> None:
    """One line for an expected error; the store's own message for an unavailable store; the
    traceback for a failing store and for anything unexpected."""
    for error in errors:
        if isinstance(error.original_error, StoreUnavailable):
            log.warning("graphql error: %s", error.original_error)
        elif is_expected(error):
            log.info("graphql error: %s", error.message)
        else:
            StrawberryLogger.error(error, execution_context)


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [coded(error) for error in result.errors]
        metrics = getattr(self.execution_context.context, "metrics", None)
        if metrics is not None:
            for error in result.errors:
                metrics.graphql_errors.labels(error.extensions["code"]).inc()


def _extensions(error: LineageError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": error.code}
    if isinstance(error, AmbiguousNode):
        extensions["candidates"] = list(error.candidates)
    if isinstance(error, NodeNotFound | AmbiguousNode):
        extensions["ref"] = error.ref
    return extensions


def _replace(error: GraphQLError, message: str, extensions: dict[str, Any]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )
