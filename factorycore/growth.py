"""Load growth, the year a site runs out of capacity, and rack-density trajectories.

Load: load in year y = load x (1 + growth)^(y - start); the exhausted year is the
first year whose load is strictly greater than capacity (docs/command-line.md).

Density trend (method): per segment, average the ``rack_density`` rows of one
statistic (default ``average``) per year across sources, then fit
ln(kw) = a + b x (year - first year) by ordinary least squares over 2020-2026.
The compound annual growth rate is exp(b) - 1; fitted values are exp(a + b x t).

Scenarios 2026-2030 (method): each segment's density grows from its fitted 2026
value at its fitted CAGR times a multiplier. The multipliers come from the IEA's
"Energy and AI" (April 2025) cases for global data-center electricity, read from the
``electricity`` reference table (2024 historical to each case's 2030 value): each
case's 2024-2030 CAGR divided by the Base CAGR. The Headwinds and Lift-Off 2030 values
are ``unverified`` in that table (found in no document read), so the conservative and
aggressive scenarios inherit that label.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from factorycore.schema import LATEST_YEAR, REFERENCE_YEARS

DEFAULT_START_YEAR = LATEST_YEAR
DEFAULT_END_YEAR = 2035
SCENARIO_START_YEAR = LATEST_YEAR
SCENARIO_END_YEAR = 2030

# Growth scenario -> the IEA Energy and AI (2025) case of the electricity table it follows.
IEA_CASES: dict[str, str] = {"conservative": "headwinds", "base": "base", "aggressive": "lift_off"}
IEA_SOURCE_PREFIX = "iea_energy_ai_2025"  # the 2025 report's rows, not the 2026 update's
IEA_FROM_YEAR, IEA_TO_YEAR = 2024, 2030


def _iea_twh(electricity: pd.DataFrame, year: int, scenario: str) -> float:
    rows = electricity[
        (electricity["region"] == "global")
        & (electricity["year"] == year)
        & (electricity["scenario"] == scenario)
        & electricity["source_id"].astype(str).str.startswith(IEA_SOURCE_PREFIX)
    ]
    if len(rows) != 1:
        raise ValueError(
            f"the electricity table needs one IEA 2025 global {scenario} row for {year}, found {len(rows)}"
        )
    return float(rows["twh"].iloc[0])


def iea_case_cagrs(electricity: pd.DataFrame) -> dict[str, float]:
    """2024-2030 compound growth of global data-center electricity in each IEA case, per growth scenario."""
    start = _iea_twh(electricity, IEA_FROM_YEAR, "historical")
    years = IEA_TO_YEAR - IEA_FROM_YEAR
    return {
        name: (_iea_twh(electricity, IEA_TO_YEAR, case) / start) ** (1 / years) - 1 for name, case in IEA_CASES.items()
    }


def scenario_multipliers(electricity: pd.DataFrame) -> dict[str, float]:
    """Each growth scenario's IEA growth rate relative to the Base case (base = 1)."""
    cagrs = iea_case_cagrs(electricity)
    return {name: rate / cagrs["base"] for name, rate in cagrs.items()}


@dataclass(frozen=True)
class YearLoad:
    """Projected load in one year."""

    year: int
    load_mw: float


@dataclass(frozen=True)
class GrowthResult:
    """A load trajectory and the first year it exceeds capacity (None within the horizon)."""

    trajectory: tuple[YearLoad, ...]
    capacity_exhausted_year: int | None

    def as_dict(self) -> dict[str, object]:
        """The JSON object of the ``growth`` command (keys exactly as in the contract)."""
        return {
            "trajectory": [{"year": p.year, "load_mw": p.load_mw} for p in self.trajectory],
            "capacity_exhausted_year": self.capacity_exhausted_year,
        }


def load_growth(
    load_mw: float,
    capacity_mw: float,
    growth: float,
    start_year: int = DEFAULT_START_YEAR,
    end_year: int = DEFAULT_END_YEAR,
) -> GrowthResult:
    """Compound the load year by year and say when it outgrows the site."""
    if not (math.isfinite(load_mw) and load_mw >= 0):
        raise ValueError(f"load must be a finite number of MW, not negative; got {load_mw}")
    if not (math.isfinite(capacity_mw) and capacity_mw > 0):
        raise ValueError(f"capacity must be a finite number of MW above 0, got {capacity_mw}")
    if not (math.isfinite(growth) and growth > -1):
        raise ValueError(f"annual growth must be a finite fraction above -1 (e.g. 0.2 for 20 %), got {growth}")
    if end_year < start_year:
        raise ValueError(f"end year {end_year} is before start year {start_year}")
    years = range(start_year, end_year + 1)
    try:
        loads_mw = [load_mw * (1 + growth) ** (year - start_year) for year in years]
    except OverflowError:  # float ** int raises instead of returning inf
        loads_mw = [math.inf]
    if not all(math.isfinite(value) for value in loads_mw):
        raise ValueError(
            f"a load of {load_mw:g} MW growing {growth:g} a year overflows by {end_year}; "
            "the growth is a fraction (0.2 means 20 %)"
        )
    trajectory = tuple(YearLoad(year, value) for year, value in zip(years, loads_mw))
    exhausted = next((p.year for p in trajectory if p.load_mw > capacity_mw), None)
    return GrowthResult(trajectory, exhausted)


@dataclass(frozen=True)
class DensityTrend:
    """An exponential fit to one segment's rack density."""

    segment: str
    cagr: float
    intercept_ln_kw: float
    first_year: int
    fitted: pd.DataFrame  # year, observed_kw (mean of sources), fitted_kw

    def value(self, year: int | float) -> float:
        """The fitted kW per rack in ``year`` (also beyond the data, as an extrapolation)."""
        return math.exp(self.intercept_ln_kw + math.log1p(self.cagr) * (year - self.first_year))


def fit_density_trend(
    rack_density: pd.DataFrame,
    segment: str,
    statistic: str = "average",
    years: tuple[int, ...] = REFERENCE_YEARS,
) -> DensityTrend:
    """Least squares on ln(kW per rack) against year for one segment (see module docstring)."""
    rows = rack_density[
        (rack_density["segment"] == segment)
        & (rack_density["statistic"] == statistic)
        & rack_density["year"].isin(years)
        & (rack_density["kw_per_rack"] > 0)
    ]
    observed = rows.groupby("year", as_index=False)["kw_per_rack"].mean().rename(columns={"kw_per_rack": "observed_kw"})
    if len(observed) < 2:
        raise ValueError(f"segment {segment!r} has {len(observed)} year(s) of {statistic!r} data; a trend needs 2")
    first_year = int(observed["year"].min())
    t = observed["year"].to_numpy(dtype=float) - first_year
    slope, intercept = np.polyfit(t, np.log(observed["observed_kw"].to_numpy(dtype=float)), 1)
    fitted = observed.assign(fitted_kw=np.exp(intercept + slope * t))
    return DensityTrend(segment, math.expm1(slope), float(intercept), first_year, fitted.reset_index(drop=True))


def density_trends(rack_density: pd.DataFrame, statistic: str = "average") -> pd.DataFrame:
    """CAGR and fitted first/last values for every segment with enough data."""
    records = []
    for segment in sorted(rack_density["segment"].unique()):
        trend = fit_density_trend(rack_density, segment, statistic)
        last_year = int(trend.fitted["year"].max())
        records.append(
            {
                "segment": segment,
                "cagr": trend.cagr,
                "first_year": trend.first_year,
                "fitted_first_kw": trend.value(trend.first_year),
                "last_year": last_year,
                "fitted_last_kw": trend.value(last_year),
                "method": "OLS on ln(kW/rack) vs year; CAGR = exp(slope) - 1",
            }
        )
    return pd.DataFrame.from_records(records)


def density_scenarios(
    rack_density: pd.DataFrame,
    multipliers: Mapping[str, float],
    statistic: str = "average",
    start_year: int = SCENARIO_START_YEAR,
    end_year: int = SCENARIO_END_YEAR,
) -> pd.DataFrame:
    """Conservative / base / aggressive kW per rack by segment and year (see module docstring).

    ``multipliers`` is :func:`scenario_multipliers` of the electricity table (scenario -> factor).
    """
    if end_year < start_year:
        raise ValueError(f"end year {end_year} is before start year {start_year}")
    records = []
    for segment in sorted(rack_density["segment"].unique()):
        trend = fit_density_trend(rack_density, segment, statistic)
        start_kw = trend.value(start_year)
        for scenario, multiplier in multipliers.items():
            rate = trend.cagr * multiplier
            for year in range(start_year, end_year + 1):
                records.append(
                    {
                        "segment": segment,
                        "scenario": scenario,
                        "year": year,
                        "cagr": rate,
                        "kw_per_rack": start_kw * (1 + rate) ** (year - start_year),
                    }
                )
    return pd.DataFrame.from_records(records)
