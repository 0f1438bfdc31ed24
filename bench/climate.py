"""Climate: the hourly plant on a weather year, and a runway whose PUE spread comes from the weather.

Timed from the call to its return, in process, the weather already read (a station is read once
per process): (1) ``cooling_plant.simulate`` for all six architectures on 8,760 hours of Greensboro,
against one architecture; (2) ``climate.evaluate`` of the default hybrid plant on ten weather years
(Greensboro's typical year shifted -1 to +1 K and 0.9 to 1.1 x humidity, 87,600 hours) giving the
year-to-year PUE spread, then ``runway`` with 10,000 runs drawing PUE from that spread, against the
same runway at a typed PUE with no spread. Median of 7.
"""

from __future__ import annotations

import numpy as np

from bench.harness import Measurement, median_seconds
from factorycore import climate, cooling_plant
from factorycore import weather as wx
from factorycore.runway import runway

PLANT_TARGET_MS = 50.0
RUNWAY_TARGET_MS = 200.0
RUNS = 10_000
YEARS = 10


def ten_years() -> wx.Weather:
    """Ten synthetic calendar years around the Greensboro typical year (deterministic)."""
    base = wx.load_station("greensboro_nc")
    parts = [base.shifted(dk, hf) for dk, hf in zip(np.linspace(-1, 1, YEARS), np.linspace(0.9, 1.1, YEARS))]
    return wx.Weather(
        "greensboro_spread",
        "Greensboro, ten shifted years",
        base.source_id,
        np.concatenate([p.month for p in parts]),
        np.concatenate([p.hour for p in parts]),
        np.repeat(np.arange(2000, 2000 + YEARS), base.hours),
        np.concatenate([p.dry_bulb_c for p in parts]),
        np.concatenate([p.humidity_ratio for p in parts]),
        np.concatenate([p.pressure_pa for p in parts]),
    )


def _runway_with_weather(weather: wx.Weather) -> None:
    result = climate.evaluate(weather, "hybrid", 2000.0, "W32", 0.8, by_class=False)
    runway(2.5, 5.0, 0.15, 0.05, {"ups": 4.0}, pue=result.annual_pue, pue_sd=result.pue_sd, runs=RUNS, seed=1)


def run() -> list[Measurement]:
    """Time the six plants on one year, and the weather-spread runway."""
    year = wx.load_station("greensboro_nc")
    names = tuple(cooling_plant.ARCHITECTURES)
    six = median_seconds(lambda: [cooling_plant.simulate(year, a, 2000.0) for a in names], repeat=7) * 1000
    one = median_seconds(lambda: cooling_plant.simulate(year, "hybrid", 2000.0), repeat=7) * 1000
    spread = ten_years()
    with_weather = median_seconds(lambda: _runway_with_weather(spread), repeat=7) * 1000
    typed = median_seconds(lambda: runway(2.5, 5.0, 0.15, 0.05, {"ups": 4.0}, pue=1.2, runs=RUNS, seed=1), repeat=7)
    return [
        Measurement(
            name="climate: 8,760 h x 6 architectures (cooling_plant.simulate)",
            figure=six,
            unit="ms",
            baseline=one,
            baseline_label="one architecture",
            target=f"< {PLANT_TARGET_MS:.0f} ms",
            met=six < PLANT_TARGET_MS,
        ),
        Measurement(
            name=f"climate: {YEARS} weather years -> PUE spread -> runway, {RUNS:,} runs",
            figure=with_weather,
            unit="ms",
            baseline=typed * 1000,
            baseline_label="runway at a typed PUE",
            target=f"< {RUNWAY_TARGET_MS:.0f} ms",
            met=with_weather < RUNWAY_TARGET_MS,
        ),
    ]
