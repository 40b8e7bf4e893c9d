"""The answer to ``importDocument``: what the import changed and what it could not read."""

from __future__ import annotations

import strawberry

from lineage import model
from lineage.service import ImportReport


@strawberry.type(description="A line the importer could not read.")
class ImportWarning:
    location: str = strawberry.field(description="file:line")
    message: str

    @classmethod
    def from_domain(cls, warning: model.ImportWarning) -> ImportWarning:
        return cls(location=warning.location, message=warning.message)


@strawberry.type(description="What an import asserted and removed, counted per origin.")
class ImportResult:
    origins: list[str]
    nodes: int
    edges: int
    nodes_removed: int
    edges_removed: int
    warnings: list[ImportWarning]

    @classmethod
    def from_domain(cls, report: ImportReport) -> ImportResult:
        return cls(
            origins=[result.origin for result in report.results],
            nodes=report.nodes,
            edges=report.edges,
            nodes_removed=sum(result.nodes_removed for result in report.results),
            edges_removed=sum(result.edges_removed for result in report.results),
            warnings=[ImportWarning.from_domain(w) for w in report.warnings],
        )
