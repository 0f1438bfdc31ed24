"""Engine: 10,000 planner scenarios through the vectorised sweep, against the scalar loop."""

from __future__ import annotations

import numpy as np

from bench.harness import Measurement, median_seconds
from factorycore.power import power_projection
from factorycore.sensitivity import evaluate_many

SCENARIOS = 10_000
TARGET_MS = 200.0


def _inputs(n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(2026)
    return {
        "it_kw": rng.uniform(100, 100_000, n),
        "pue": rng.uniform(1.05, 1.8, n),
        "utilization": rng.uniform(0.3, 1.0, n),
        "price_usd_per_kwh": rng.uniform(0.03, 0.25, n),
        "grid_kg_co2e_per_kwh": rng.uniform(0.0, 0.8, n),
        "wue_l_per_kwh": rng.uniform(0.0, 2.0, n),
    }


def run() -> list[Measurement]:
    """Time the vectorised sweep and the per-scenario Python loop on the same inputs."""
    inputs = _inputs(SCENARIOS)
    vector_s = median_seconds(lambda: evaluate_many(**inputs), repeat=7)
    rows = [dict(zip(inputs, values)) for values in zip(*inputs.values())]
    loop_s = median_seconds(lambda: [power_projection(**row) for row in rows], repeat=3)
    vector_ms = vector_s * 1000
    return [
        Measurement(
            name=f"engine: {SCENARIOS:,} scenarios, vectorised",
            figure=vector_ms,
            unit="ms",
            baseline=loop_s * 1000,
            baseline_label="scalar loop",
            target=f"< {TARGET_MS:.0f} ms",
            met=vector_ms < TARGET_MS,
        )
    ]
