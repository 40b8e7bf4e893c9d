"""Parsed and validated documents, kept by query text, so a query a client sends again is
neither parsed nor validated again.

Validation is most of a small query's cost: graphql-core's rules, the depth, alias and cost
limits walk the whole document (2 ms for the lineage query of ``bench/loadtest.py``, more than
the lineage walk itself). Its outcome depends on the document and the schema's rules only,
never on the variables (``cost.py`` counts a variable as the default size), so a document that
validated once is valid for every request that sends the same text to the same schema.

Only documents that validated without an error are kept: an invalid one is checked (and
refused with its errors) each time, as before. Strawberry's ``ParserCache`` and
``ValidationCache`` do not fit here: the validation cache keys on the rule classes, and the
limit extensions build new ones per request, so it would never hit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

MAX_DOCUMENTS = 256
MAX_QUERY_CHARS = 20_000
"""Longer query texts are not kept, so the cache holds at most a few megabytes."""


class DocumentCache:
    """Valid documents by query text; past ``size`` the least recently used is dropped."""

    def __init__(self, size: int = MAX_DOCUMENTS, max_chars: int = MAX_QUERY_CHARS) -> None:
        self.size = size
        self.max_chars = max_chars
        self._documents: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, query: str) -> DocumentNode | None:
        document = self._documents.get(query)
        if document is not None:
            self._documents.move_to_end(query)
        return document

    def put(self, query: str, document: DocumentNode) -> None:
        if len(query) > self.max_chars:
            return
        self._documents[query] = document
        self._documents.move_to_end(query)
        while len(self._documents) > self.size:
            self._documents.popitem(last=False)

    def __len__(self) -> int:
        return len(self._documents)


class CachedDocuments(SchemaExtension):
    """Skips parsing and validation for a query text that validated before on this schema.

    Build one per request around the schema's one ``DocumentCache`` (strawberry wants a
    factory: an extension instance holds the request's execution context)."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self.hit = False

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            document = self.cache.get(context.query)
            if document is not None:
                context.graphql_document = document  # strawberry then does not parse
                self.hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.hit:
            context.pre_execution_errors = []  # strawberry then does not validate
        yield
        valid = context.pre_execution_errors == []
        if not self.hit and valid and context.query and context.graphql_document is not None:
            self.cache.put(context.query, context.graphql_document)
