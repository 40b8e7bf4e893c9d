"""Trains the recommendation model when the features are fresh; fails when told to."""

from metaflow import FlowSpec, Parameter, step, trigger, trigger_on_finish

from lineage.integrations.metaflow import lineage


@trigger_on_finish(flows=["FeatureFlow"])
@trigger(event="catalog_updated")
class TrainFlow(FlowSpec):
    """Trains the recommendation model."""

    fail = Parameter("fail", default=False, type=bool)

    @step
    def start(self):
        self.next(self.train)

    @lineage(
        reads=["feature://member-sessions", "feature://member-scores"],
        writes=["model://recommendation"],
    )
    @step
    def train(self):
        import os

        fixed = os.path.join(os.environ.get("LINEAGE_EXAMPLE_MARKERS", "/tmp"), "train-fixed")
        if self.fail and not os.path.exists(fixed):  # `resume` runs it again once it is fixed
            raise RuntimeError("training diverged")
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    TrainFlow()
