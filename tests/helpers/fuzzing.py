"""Hypothesis settings shared by the fuzz tests: short and fixed in `make test`, long in `make fuzz`.

`make test` runs a derandomized pass (the same examples every run, so CI stays stable); `make fuzz`
sets HYPOTHESIS_PROFILE=fuzz for a long randomized one, `scale` times as many examples, whose
failures are saved in .hypothesis/ and replayed first next time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

LONG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"

settings.register_profile("fuzz", deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
if LONG_RUN:
    settings.load_profile("fuzz")


def fuzz_settings(examples: int, scale: int = 25) -> settings:
    """`examples` in `make test`, `examples * scale` in the long run."""
    return settings(
        max_examples=examples * (scale if LONG_RUN else 1),
        deadline=None,
        derandomize=not LONG_RUN,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )
