import os

from hypothesis import HealthCheck, settings

# "ci" keeps the property tests quick and deterministic; "thorough" for a long local run:
#   HYPOTHESIS_PROFILE=thorough pytest
settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
