"""Features from the landed events: a static split, a foreach, and decorated joins."""

from metaflow import FlowSpec, retry, step, trigger_on_finish

from lineage.integrations.metaflow import lineage


@trigger_on_finish(flow="IngestFlow")
class FeatureFlow(FlowSpec):
    """Computes member features once the day's events have landed."""

    @step
    def start(self):
        self.next(self.sessions, self.titles)

    @lineage(reads=["s3://lake/views/"])
    @step
    def sessions(self):
        self.next(self.merge)

    @step
    def titles(self):
        self.next(self.merge)

    @lineage(writes=["feature://member-sessions"])
    @step
    def merge(self, inputs):
        self.merge_artifacts(inputs)
        self.next(self.fan_out)

    @step
    def fan_out(self):
        self.shards = [0, 1, 2]
        self.next(self.score, foreach="shards")

    @retry(times=1, minutes_between_retries=0)
    @step
    def score(self):
        import os

        folder = os.environ.get("LINEAGE_EXAMPLE_MARKERS", "/tmp")
        marker = os.path.join(folder, f"score-{self.input}")
        if not os.path.exists(marker):  # the first attempt of each shard fails, the retry succeeds
            open(marker, "w").close()
            raise RuntimeError("a flaky first attempt")
        self.next(self.collect)

    @lineage(writes=["feature://member-scores"])
    @step
    def collect(self, inputs):
        self.merge_artifacts(inputs, exclude=["shards"])
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    FeatureFlow()
