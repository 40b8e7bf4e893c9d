"""``@lineage``: declare what a Metaflow step reads and writes.

.. code-block:: python

    from metaflow import FlowSpec, step
    from lineage.integrations.metaflow import lineage

    class TrainFlow(FlowSpec):
        @lineage(reads=["kafka://views.raw"], writes=["model://recommendation"])
        @step
        def train(self):
            self.lineage_reads.append(f"s3://lake/views/dt={self.day}/")  # known only now
            ...

The arguments are recorded by Metaflow in every run's DAG (``_graph_info``), failed runs
included, so ``lineage import metaflow`` reads them without running anything. What a step adds
to ``self.lineage_reads`` / ``self.lineage_writes`` while it runs is stored in a ``_lineage``
artifact of that task. Refs are node ids (``topic:views.raw``) or URIs that say their kind:
``kafka://``, ``s3://``, ``gs://``, ``hive://``, ``file://`` (datasets), ``feature://``,
``model://``, ``metaflow://<Flow>``. Needs Metaflow 2.16 or later (user step decorators).

Decorate join steps that call ``merge_artifacts`` too (or exclude ``_lineage``,
``lineage_reads`` and ``lineage_writes`` from the merge): each task sets its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metaflow import current, user_step_decorator


@user_step_decorator  # type: ignore[misc]
def lineage(
    step_name: str, flow: Any, inputs: Any = None, attributes: dict[str, Any] | None = None
) -> Iterator[None]:
    attributes = attributes or {}
    flow._lineage = None  # set before the step: a decorated join's merge leaves it alone
    flow.lineage_reads, flow.lineage_writes = [], []
    yield
    flow._lineage = {
        "v": 1,
        "task": current.pathspec,
        "reads": [str(ref) for ref in flow.lineage_reads],
        "writes": [str(ref) for ref in flow.lineage_writes],
    }
