"""A linear flow that lands viewing events in the lake."""

from metaflow import FlowSpec, Parameter, step

from lineage.integrations.metaflow import lineage


class IngestFlow(FlowSpec):
    """Copies a day of viewing events from Kafka into the lake."""

    day = Parameter("day", default="2026-12-01")

    @step
    def start(self):
        self.next(self.land)

    @lineage(reads=["kafka://views.raw"], writes=["s3://lake/views/"])
    @step
    def land(self):
        self.lineage_writes.append(f"s3://lake/views/dt={self.day}/")
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    IngestFlow()
