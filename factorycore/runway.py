"""The runway under uncertainty: when each capacity runs out, as P10 / P50 / P90 years.

A Monte Carlo over load growth, PUE, utilisation and rack density, vectorised with
numpy (``runs`` x years arrays, no Python loop over runs) and seedable. The model,
stated once:

- ``load_mw`` is the facility load in the start year at the central PUE and
  utilisation. Each run r draws a growth rate for every year, g[r, y] ~ Normal(growth,
  growth_sd), so load compounds as load x prod(1 + g) (a random walk in log load);
  1 + g is floored at 0.01 so a load never turns negative.
- Each run draws one PUE ~ Normal(pue, pue_sd), floored at 1, and one utilisation ~
  Normal(utilization, utilization_sd), clipped to [0.01, 1]; the drawn load scales
  with utilisation / central utilisation, and the facility load with PUE / central PUE.
- Each run draws one annual rack-density growth d ~ Normal(density_growth,
  density_sd): the floor (rack positions) holds capacity x (1 + d)^(y - start) MW,
  as denser racks fit more MW into the same positions.
- Constraints and the load each one carries: ``utility`` (the capacity_mw of the
  command) carries the facility load; ``ups`` and ``cooling`` carry the IT load (all
  IT power is critical and becomes heat); ``floor`` carries the IT load against its
  density-scaled capacity.
- A run exhausts a constraint in the first year its load is strictly greater than
  the capacity (as :func:`factorycore.growth.load_growth`). The Pq year is the
  first year by which at least q of the runs have run out ("P10: the year by which
  10 % of runs have run out"); None when that share is not reached within the horizon.
- The site runs out when its first constraint does; the binding constraint is the one
  that runs out first in the most runs (ties go to the order utility, ups, cooling,
  floor).

With every spread at zero each run is the deterministic trajectory: the load is
computed as load x (1 + growth)^t x prod((1 + g) / (1 + growth)), whose last factor is
exactly 1, so the utility constraint reproduces ``growth`` to the last digit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR
from factorycore.power import DEFAULT_PUE, DEFAULT_UTILIZATION
from factorycore.units import MIN_PUE, check_pue

# Which load each constraint carries: the facility load, or the IT load.
CONSTRAINT_LOADS: dict[str, str] = {"utility": "facility", "ups": "it", "cooling": "it", "floor": "it"}
DENSITY_SCALED = ("floor",)
DEFAULT_RUNS = 10_000
PERCENTILES: tuple[float, ...] = (0.10, 0.50, 0.90)
MAX_RUNS = 200_000
MIN_GROWTH_FACTOR = 0.01


@dataclass(frozen=True)
class ConstraintRunway:
    """When one capacity runs out across the runs."""

    name: str
    capacity_mw: float
    carries: str
    p10_year: int | None
    p50_year: int | None
    p90_year: int | None
    exhausted_share: float
    binding_share: float

    def as_dict(self) -> dict[str, Any]:
        """One item of the ``constraints`` list (contract keys first)."""
        return {
            "name": self.name,
            "capacity_mw": self.capacity_mw,
            "p10_year": self.p10_year,
            "p50_year": self.p50_year,
            "p90_year": self.p90_year,
            "carries": self.carries,
            "exhausted_share": self.exhausted_share,
            "binding_share": self.binding_share,
        }


@dataclass(frozen=True)
class RunwayResult:
    """The site's P10 / P50 / P90 exhaustion years, the binding constraint, and the load fan."""

    p10_year: int | None
    p50_year: int | None
    p90_year: int | None
    binding: str | None
    constraints: tuple[ConstraintRunway, ...]
    years: tuple[int, ...]
    fan_mw: dict[str, tuple[float, ...]]  # "p10" / "p50" / "p90" facility load by year
    runs: int
    seed: int | None

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the ``runway`` command (contract keys first)."""
        return {
            "p10_year": self.p10_year,
            "p50_year": self.p50_year,
            "p90_year": self.p90_year,
            "binding": self.binding,
            "constraints": [c.as_dict() for c in self.constraints],
            "runs": self.runs,
            "seed": self.seed,
            "fan": [
                {"year": year, **{name: values[i] for name, values in self.fan_mw.items()}}
                for i, year in enumerate(self.years)
            ],
        }

    def fan_rows(self) -> list[dict[str, Any]]:
        """Facility load percentiles by year, for the fan chart."""
        return self.as_dict()["fan"]


def _finite(name: str, value: float, low: float | None = None) -> float:
    value = float(value)
    if not math.isfinite(value) or (low is not None and value < low):
        bound = "" if low is None else f" of at least {low:g}"
        raise ValueError(f"{name} must be a finite number{bound}, got {value}")
    return value


def percentile_year(years: np.ndarray, share: float) -> int | None:
    """The first year by which ``share`` of the runs have run out (``inf`` = never); None past the horizon."""
    ordered = np.sort(years)
    value = ordered[max(0, math.ceil(share * len(ordered) - 1e-9) - 1)]
    return None if not math.isfinite(value) else int(value)


def _first_year_over(load: np.ndarray, capacity: np.ndarray | float, years: np.ndarray) -> np.ndarray:
    over = load > capacity
    return np.where(over.any(axis=1), years[over.argmax(axis=1)], np.inf)


def runway(
    load_mw: float,
    capacity_mw: float,
    growth: float,
    growth_sd: float = 0.0,
    constraints: Mapping[str, float] | None = None,
    *,
    pue: float = DEFAULT_PUE,
    pue_sd: float = 0.0,
    utilization: float = DEFAULT_UTILIZATION,
    utilization_sd: float = 0.0,
    density_growth: float = 0.0,
    density_sd: float = 0.0,
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
    start_year: int = DEFAULT_START_YEAR,
    end_year: int = DEFAULT_END_YEAR,
) -> RunwayResult:
    """Draw ``runs`` futures and say when each capacity, and the site, runs out."""
    _finite("load (MW)", load_mw, 0.0)
    if not _finite("capacity (MW)", capacity_mw) > 0:
        raise ValueError(f"capacity must be above 0 MW, got {capacity_mw}")
    if not _finite("annual growth", growth) > -1:
        raise ValueError(f"annual growth must be a fraction above -1 (0.2 = 20 %), got {growth}")
    for name, value in (
        ("growth spread", growth_sd),
        ("PUE spread", pue_sd),
        ("utilisation spread", utilization_sd),
        ("rack-density spread", density_sd),
    ):
        _finite(name, value, 0.0)
    check_pue(pue)
    if not 0 < _finite("utilisation", utilization) <= 1:
        raise ValueError(f"utilisation must be in (0, 1], got {utilization}")
    if not _finite("rack-density growth", density_growth) > -1:
        raise ValueError(f"rack-density growth must be a fraction above -1, got {density_growth}")
    if not (isinstance(runs, int) and 1 <= runs <= MAX_RUNS):
        raise ValueError(f"runs must be a whole number in [1, {MAX_RUNS:,}], got {runs}")
    if end_year < start_year:
        raise ValueError(f"end year {end_year} is before start year {start_year}")
    capacities = {"utility": float(capacity_mw)}
    for name, value in (constraints or {}).items():
        if name not in CONSTRAINT_LOADS or name == "utility":
            valid = ", ".join(n for n in CONSTRAINT_LOADS if n != "utility")
            raise ValueError(
                f"unknown constraint {name!r} (the utility capacity is --capacity-mw); choose from {valid}"
            )
        if not _finite(f"{name} capacity (MW)", value) > 0:
            raise ValueError(f"{name} capacity must be above 0 MW, got {value}")
        capacities[name] = float(value)

    years = np.arange(start_year, end_year + 1)
    steps = years - start_year
    rng = np.random.default_rng(seed)
    # Growth: the deterministic path times the drawn deviation from it (exactly 1 at zero spread).
    drawn = np.maximum(1.0 + growth + growth_sd * rng.standard_normal((runs, len(years) - 1)), MIN_GROWTH_FACTOR)
    deviation = np.ones((runs, len(years)))
    np.cumprod(drawn / (1.0 + growth), axis=1, out=deviation[:, 1:])
    # Python's float ** int, year by year, as growth computes it (numpy's power rounds differently).
    try:
        path = np.array([load_mw * (1 + growth) ** int(t) for t in steps])
    except OverflowError:  # float ** int raises instead of returning inf
        path = np.array([math.inf])
    with np.errstate(over="ignore", invalid="ignore"):
        facility = path[None, :] * deviation
    run_pue = np.maximum(pue + pue_sd * rng.standard_normal(runs), MIN_PUE)
    run_util = np.clip(utilization + utilization_sd * rng.standard_normal(runs), 0.01, 1.0)
    facility *= ((run_util / utilization) * (run_pue / pue))[:, None]
    if not np.isfinite(facility).all():
        raise ValueError(
            f"a load of {load_mw:g} MW growing {growth:g} a year overflows by {end_year}; "
            "the growth is a fraction (0.2 means 20 %)"
        )
    it = facility / run_pue[:, None]
    density = 1.0 + np.maximum(density_growth + density_sd * rng.standard_normal(runs), MIN_GROWTH_FACTOR - 1)
    loads = {"facility": facility, "it": it}

    exhausted: dict[str, np.ndarray] = {}
    for name, capacity in capacities.items():
        cap = capacity * density[:, None] ** steps[None, :] if name in DENSITY_SCALED else capacity
        exhausted[name] = _first_year_over(loads[CONSTRAINT_LOADS[name]], cap, years)
    stacked = np.vstack(list(exhausted.values()))  # constraints x runs
    site = stacked.min(axis=0)
    first = np.where(np.isfinite(site), stacked.argmin(axis=0), -1)
    shares = np.array([(first == i).mean() for i in range(len(capacities))])
    binding = list(capacities)[int(shares.argmax())] if shares.max() > 0 else None

    def years_at(values: np.ndarray) -> tuple[int | None, ...]:
        return tuple(percentile_year(values, q) for q in PERCENTILES)

    items = tuple(
        ConstraintRunway(
            name,
            capacity,
            CONSTRAINT_LOADS[name],
            *years_at(exhausted[name]),
            exhausted_share=float(np.isfinite(exhausted[name]).mean()),
            binding_share=float(shares[i]),
        )
        for i, (name, capacity) in enumerate(capacities.items())
    )
    fan = np.quantile(facility, PERCENTILES, axis=0)
    return RunwayResult(
        *years_at(site),
        binding=binding,
        constraints=items,
        years=tuple(int(y) for y in years),
        fan_mw={f"p{round(q * 100)}_mw": tuple(float(v) for v in row) for q, row in zip(PERCENTILES, fan)},
        runs=runs,
        seed=seed,
    )
