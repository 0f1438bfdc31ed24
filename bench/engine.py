"""Engine: 10,000 planner scenarios through the vectorised sweep, against the scalar loop."""

from __future__ import annotations

import numpy as np

from bench.harness import Measurement, median_seconds
from factorycore.power import power_projection
from factorycore.runway import runway
from factorycore.sensitivity import evaluate_many

SCENARIOS = 10_000
TARGET_MS = 200.0
RUNWAY_RUNS = 10_000
RUNWAY_YEARS = 15


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


def _runway_measurement() -> Measurement:
    """10,000 Monte Carlo runs over 15 years, every spread on, four constraints; against one deterministic path."""
    kwargs = dict(
        constraints={"ups": 4.0, "cooling": 4.5, "floor": 4.2},
        pue=1.3,
        pue_sd=0.05,
        utilization=0.8,
        utilization_sd=0.1,
        density_growth=0.05,
        density_sd=0.03,
        start_year=2026,
        end_year=2026 + RUNWAY_YEARS - 1,
    )
    mc_s = median_seconds(lambda: runway(3.0, 6.0, 0.15, 0.05, runs=RUNWAY_RUNS, seed=1, **kwargs), repeat=7)
    one_s = median_seconds(lambda: runway(3.0, 6.0, 0.15, 0.0, runs=1, seed=1, **kwargs), repeat=7)
    mc_ms = mc_s * 1000
    return Measurement(
        name=f"engine: runway, {RUNWAY_RUNS:,} runs x {RUNWAY_YEARS} years, 4 constraints",
        figure=mc_ms,
        unit="ms",
        baseline=one_s * 1000,
        baseline_label="one run",
        target=f"< {TARGET_MS:.0f} ms",
        met=mc_ms < TARGET_MS,
    )


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
        ),
        _runway_measurement(),
    ]
