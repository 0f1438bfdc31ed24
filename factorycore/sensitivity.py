"""Which inputs move facility power and annual cost most: one-at-a-time sweeps.

``evaluate_many`` is the vectorised twin of :func:`factorycore.power.power_projection`:
the same formulas on NumPy arrays, so thousands of planner scenarios run in well
under a second. ``tornado`` varies each input alone between a low and a high value
(default +-20 %, clipped to the physical range: PUE >= 1, utilization <= 1) and
reports the swing of one metric, largest first, ready for a tornado chart.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from factorycore.power import (
    DEFAULT_GRID_KG_CO2E_PER_KWH,
    DEFAULT_PRICE_USD_PER_KWH,
    DEFAULT_PUE,
    DEFAULT_UTILIZATION,
    DEFAULT_WUE_L_PER_KWH,
)
from factorycore.units import HOURS_PER_YEAR, KG_PER_TONNE, KWH_PER_MWH, LITRES_PER_M3, MIN_PUE, pue_error

INPUTS: tuple[str, ...] = (
    "it_kw",
    "pue",
    "utilization",
    "price_usd_per_kwh",
    "grid_kg_co2e_per_kwh",
    "wue_l_per_kwh",
)
METRICS: tuple[str, ...] = (
    "it_kw",
    "facility_kw",
    "annual_it_mwh",
    "annual_facility_mwh",
    "annual_cost_usd",
    "annual_co2e_t",
    "annual_water_m3",
)
DEFAULT_SPREAD = 0.2


def _check_arrays(arrays: dict[str, np.ndarray]) -> None:
    for name, values in arrays.items():
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} holds a value that is not a finite number")
    if np.any(arrays["it_kw"] < 0):
        raise ValueError("IT load must not be negative")
    if np.any(arrays["pue"] < MIN_PUE):
        raise ValueError(pue_error(float(arrays["pue"].min())))
    if np.any((arrays["utilization"] <= 0) | (arrays["utilization"] > 1)):
        raise ValueError("utilization must be in (0, 1]")
    for name in ("price_usd_per_kwh", "grid_kg_co2e_per_kwh", "wue_l_per_kwh"):
        if np.any(arrays[name] < 0):
            raise ValueError(f"{name} must not be negative")


def evaluate_many(
    it_kw: np.ndarray | float,
    pue: np.ndarray | float = DEFAULT_PUE,
    utilization: np.ndarray | float = DEFAULT_UTILIZATION,
    price_usd_per_kwh: np.ndarray | float = DEFAULT_PRICE_USD_PER_KWH,
    grid_kg_co2e_per_kwh: np.ndarray | float = DEFAULT_GRID_KG_CO2E_PER_KWH,
    wue_l_per_kwh: np.ndarray | float = DEFAULT_WUE_L_PER_KWH,
) -> dict[str, np.ndarray]:
    """Power results for N scenarios at once (inputs broadcast); keys as ``power``'s JSON."""
    arrays = dict(
        zip(
            INPUTS,
            np.broadcast_arrays(
                *(
                    np.asarray(v, dtype=float)
                    for v in (it_kw, pue, utilization, price_usd_per_kwh, grid_kg_co2e_per_kwh, wue_l_per_kwh)
                )
            ),
        )
    )
    _check_arrays(arrays)
    facility_kw = arrays["it_kw"] * arrays["pue"]
    annual_it_kwh = arrays["it_kw"] * HOURS_PER_YEAR * arrays["utilization"]
    annual_facility_kwh = facility_kw * HOURS_PER_YEAR * arrays["utilization"]
    return {
        "it_kw": arrays["it_kw"].copy(),
        "facility_kw": facility_kw,
        "annual_it_mwh": annual_it_kwh / KWH_PER_MWH,
        "annual_facility_mwh": annual_facility_kwh / KWH_PER_MWH,
        "annual_cost_usd": annual_facility_kwh * arrays["price_usd_per_kwh"],
        "annual_co2e_t": annual_facility_kwh * arrays["grid_kg_co2e_per_kwh"] / KG_PER_TONNE,
        "annual_water_m3": annual_it_kwh * arrays["wue_l_per_kwh"] / LITRES_PER_M3,
    }


def _clip(name: str, value: float) -> float:
    if name == "pue":
        return max(value, MIN_PUE)
    if name == "utilization":
        return min(value, 1.0)
    return value


def tornado(
    base: Mapping[str, float],
    metric: str = "annual_cost_usd",
    spread: float = DEFAULT_SPREAD,
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sweep of every input; rows sorted by the swing of ``metric``.

    ``base`` needs ``it_kw`` and may set any other input (defaults as the ``power``
    command). Each input goes to base x (1 - spread) and base x (1 + spread), clipped
    to its physical range, unless ``ranges`` gives its (low, high) explicitly.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(METRICS)}")
    if not 0 < spread < 1:
        raise ValueError(f"spread must be in (0, 1), got {spread}")
    unknown = set(base) - set(INPUTS)
    if unknown:
        raise ValueError(f"unknown input(s) {', '.join(sorted(unknown))}; choose from {', '.join(INPUTS)}")
    if "it_kw" not in base:
        raise ValueError("base inputs need it_kw")
    defaults = dict(
        zip(
            INPUTS[1:],
            (
                DEFAULT_PUE,
                DEFAULT_UTILIZATION,
                DEFAULT_PRICE_USD_PER_KWH,
                DEFAULT_GRID_KG_CO2E_PER_KWH,
                DEFAULT_WUE_L_PER_KWH,
            ),
        )
    )
    point = {**defaults, **{k: float(v) for k, v in base.items()}}
    bounds = {
        name: (ranges or {}).get(name)
        or (_clip(name, point[name] * (1 - spread)), _clip(name, point[name] * (1 + spread)))
        for name in INPUTS
    }
    # Row 2i is input i at its low value, row 2i + 1 at its high value; one vectorised call.
    grid = {name: np.full(2 * len(INPUTS), point[name]) for name in INPUTS}
    for i, name in enumerate(INPUTS):
        grid[name][2 * i], grid[name][2 * i + 1] = bounds[name]
    values = evaluate_many(**grid)[metric]
    frame = pd.DataFrame(
        {
            "input": INPUTS,
            "low_value": [bounds[n][0] for n in INPUTS],
            "high_value": [bounds[n][1] for n in INPUTS],
            "metric_low": values[0::2],
            "metric_high": values[1::2],
        }
    )
    frame["swing"] = (frame["metric_high"] - frame["metric_low"]).abs()
    return frame.sort_values(["swing", "input"], ascending=[False, True], kind="stable").reset_index(drop=True)
