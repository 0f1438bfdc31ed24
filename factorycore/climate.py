"""Climate outputs of the hourly plant: annual, monthly and design PUE, WUE, chiller-free hours, design conditions.

Definitions, stated once:

- **Annual PUE** is energy-weighted (ISO/IEC 30134-2): total facility energy over total
  IT energy across the hours given, never a mean of hourly ratios. Monthly PUE the same
  within each month (None for a month with no hours).
- **Design PUE** is the hourly PUE exceeded in 0.4 % of the hours (the 99.6th percentile,
  35 hours of a year), the same frequency as ASHRAE's 0.4 % cooling design condition;
  **worst-hour PUE** is the highest hour. The design-hour facility power (IT x design
  PUE) is what the utility feed and the generators are sized on; the worst hour is shown
  beside it.
- **Site WUE**: litres of water consumed on site (tower evaporation, blowdown and drift, or
  adiabatic evaporation) per kWh of IT energy (The Green Grid's WUE).
- **Chiller-free hours**: hours with no compressor running and the loop at or below its
  class's supply temperature; **mechanical-cooling hours**: hours with any compressor load.
- **Design conditions**: the 0.4 % dry bulb (exceeded in 0.4 % of hours) with its mean
  coincident wet bulb (mean wet bulb of the hours within 0.5 K of that dry bulb), and the
  0.4 % wet bulb -- ASHRAE's annual cooling design definitions, computed on the file's hours.
- **Year-to-year spread**: with several calendar years, the annual PUE of each year; its
  standard deviation is what the planner's runway draws PUE from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from factorycore.cooling_plant import (
    ARCHITECTURES,
    DEFAULT_W_CLASS,
    W_CLASSES,
    W_PER_BTU_H,
    HourlyPlant,
    PlantAssumptions,
    case_assumptions,
    rated_cop,
    simulate,
)
from factorycore.weather import Weather

DESIGN_PERCENTILE = 99.6  # the 0.4 % hour
COINCIDENT_BAND_K = 0.5


@dataclass(frozen=True)
class DesignConditions:
    """ASHRAE-style annual cooling design conditions of one weather."""

    dry_bulb_c: float
    coincident_wet_bulb_c: float | None
    wet_bulb_c: float | None

    def as_dict(self) -> dict[str, float | None]:
        """The CLI's ``design_conditions``."""
        return {
            "dry_bulb_c": self.dry_bulb_c,
            "coincident_wet_bulb_c": self.coincident_wet_bulb_c,
            "wet_bulb_c": self.wet_bulb_c,
        }


def design_conditions(weather: Weather) -> DesignConditions:
    """0.4 % dry bulb with its mean coincident wet bulb, and 0.4 % wet bulb."""
    dry = float(np.percentile(weather.dry_bulb_c, DESIGN_PERCENTILE))
    if not weather.humidity_known:
        return DesignConditions(round(dry, 2), None, None)
    band = np.abs(weather.dry_bulb_c - dry) <= COINCIDENT_BAND_K
    if not band.any():
        band = np.argsort(np.abs(weather.dry_bulb_c - dry))[:10]
    mcwb = float(np.mean(weather.wet_bulb_c[band]))
    wet = float(np.percentile(weather.wet_bulb_c, DESIGN_PERCENTILE))
    return DesignConditions(round(dry, 2), round(mcwb, 2), round(wet, 2))


def _energy_pue(plant: HourlyPlant, mask: np.ndarray | None = None) -> float | None:
    facility = plant.facility_kw if mask is None else plant.facility_kw[mask]
    if facility.size == 0:
        return None
    return float(facility.sum() / (plant.it_kw * facility.size))


def chiller_free(plant: HourlyPlant) -> np.ndarray:
    """Per hour: no compressor running and the loop within its class."""
    return (plant.mechanical_load_kw <= 1e-9) & ~plant.exceedance


@dataclass(frozen=True)
class ClimateResult:
    """One plant on one weather: the hourly result and its summaries."""

    station: str
    station_name: str
    source_id: str
    architecture: str
    w_class: str
    it_kw: float
    liquid_share: float
    hours: int
    annual_pue: float
    design_pue: float
    worst_hour_pue: float
    monthly_pue: tuple[float | None, ...]
    wue_l_per_kwh: float
    annual_water_m3: float
    chiller_free_hours: int
    mechanical_cooling_hours: int
    exceedance_hours: int
    chiller_free_hours_by_class: dict[str, int]
    design: DesignConditions
    yearly_pue: dict[int, float]
    assumptions: PlantAssumptions
    plant: HourlyPlant = field(repr=False, compare=False)
    weather: Weather = field(repr=False, compare=False)
    platform_liquid_share: float | None = None  # the share asked for (the hybrid's, in a comparison)

    @property
    def design_facility_kw(self) -> float:
        """Facility power at the design (0.4 %) hour: IT x design PUE."""
        return self.it_kw * self.design_pue

    @property
    def worst_facility_kw(self) -> float:
        """Facility power at the worst hour."""
        return float(self.plant.facility_kw.max())

    @property
    def annual_facility_mwh(self) -> float:
        """Facility energy over the hours given, scaled to a year of 8,760 h."""
        return float(self.plant.facility_kw.sum()) / 1000.0 * 8760.0 / self.hours

    @property
    def pue_sd(self) -> float:
        """Standard deviation of the annual PUE across calendar years (0 for a single or typical year)."""
        values = list(self.yearly_pue.values())
        return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The ``climate`` command's JSON object."""
        return {
            "station": self.station,
            "station_name": self.station_name,
            "source_id": self.source_id,
            "architecture": self.architecture,
            "facility_class": self.w_class,
            "it_kw": self.it_kw,
            "liquid_share": self.liquid_share,
            "hours": self.hours,
            "annual_pue": round(self.annual_pue, 4),
            "design_pue": round(self.design_pue, 4),
            "worst_hour_pue": round(self.worst_hour_pue, 4),
            "monthly_pue": [None if v is None else round(v, 4) for v in self.monthly_pue],
            "wue_l_per_kwh": round(self.wue_l_per_kwh, 4),
            "annual_water_m3": round(self.annual_water_m3, 1),
            "chiller_free_hours": self.chiller_free_hours,
            "mechanical_cooling_hours": self.mechanical_cooling_hours,
            "exceedance_hours": self.exceedance_hours,
            "chiller_free_hours_by_class": self.chiller_free_hours_by_class,
            "design_facility_kw": round(self.design_facility_kw, 1),
            "worst_hour_facility_kw": round(self.worst_facility_kw, 1),
            "annual_facility_mwh": round(self.annual_facility_mwh, 1),
            "design_conditions": self.design.as_dict(),
            "yearly_pue": (
                {"typical": round(self.annual_pue, 4)}
                if self.weather.typical_year
                else {str(y): round(v, 4) for y, v in self.yearly_pue.items()}
            ),
            "pue_sd": round(self.pue_sd, 4),
            "assumptions": self.assumptions.as_dict(),
        }


def class_free_hours(weather: Weather, assumptions: PlantAssumptions | None = None) -> dict[str, int]:
    """Chiller-free hours of a direct-liquid loop (dry cooler, trim chiller) at each W-class."""
    return {
        name: int(chiller_free(simulate(weather, "dlc-trim-chiller", 1000.0, name, 1.0, assumptions)).sum())
        for name in W_CLASSES
    }


def evaluate(
    weather: Weather,
    architecture: str,
    it_kw: float = 1000.0,
    w_class: str = DEFAULT_W_CLASS,
    liquid_share: float | None = None,
    assumptions: PlantAssumptions | None = None,
    *,
    by_class: bool = True,
) -> ClimateResult:
    """Simulate one plant on a weather and summarise it (see the module's definitions)."""
    a = assumptions or PlantAssumptions()
    plant = simulate(weather, architecture, it_kw, w_class, liquid_share, a)
    pue = plant.pue
    monthly = tuple(_energy_pue(plant, weather.month == m) for m in range(1, 13))
    yearly = {y: _energy_pue(plant, weather.year == y) or 0.0 for y in weather.years}
    it_kwh = it_kw * weather.hours
    water_l = float(plant.water_l.sum())
    return ClimateResult(
        station=weather.station,
        station_name=weather.name,
        source_id=weather.source_id,
        architecture=architecture,
        w_class=w_class,
        it_kw=float(it_kw),
        liquid_share=plant.liquid_share,
        hours=weather.hours,
        annual_pue=float(plant.facility_kw.sum() / it_kwh),
        design_pue=float(np.percentile(pue, DESIGN_PERCENTILE)),
        worst_hour_pue=float(pue.max()),
        monthly_pue=monthly,
        wue_l_per_kwh=water_l / it_kwh,
        annual_water_m3=water_l / 1000.0 * 8760.0 / weather.hours,
        chiller_free_hours=int(chiller_free(plant).sum()),
        mechanical_cooling_hours=int((plant.mechanical_load_kw > 1e-9).sum()),
        exceedance_hours=int(plant.exceedance.sum()),
        chiller_free_hours_by_class=class_free_hours(weather, a) if by_class else {},
        design=design_conditions(weather),
        yearly_pue=yearly,
        assumptions=a,
        plant=plant,
        weather=weather,
        platform_liquid_share=liquid_share,
    )


def compare(
    weather: Weather,
    it_kw: float = 1000.0,
    w_class: str = DEFAULT_W_CLASS,
    liquid_share: float | None = None,
    assumptions: PlantAssumptions | None = None,
) -> list[dict[str, Any]]:
    """Every architecture on one weather, side by side (a plant that needs a wet bulb the weather lacks is skipped,
    with the reason). ``liquid_share`` is the platform's, so it applies to the hybrid only; the direct-liquid
    plants keep their own (all heat on the loop)."""
    rows = []
    for name, arch in ARCHITECTURES.items():
        try:
            share = liquid_share if name == "hybrid" else None
            r = evaluate(weather, name, it_kw, w_class, share, assumptions, by_class=False)
        except ValueError as exc:
            rows.append({"architecture": name, "label": arch.label, "error": str(exc)})
            continue
        rows.append(
            {
                "architecture": name,
                "label": arch.label,
                "annual_pue": r.annual_pue,
                "design_pue": r.design_pue,
                "worst_hour_pue": r.worst_hour_pue,
                "wue_l_per_kwh": r.wue_l_per_kwh,
                "chiller_free_hours": r.chiller_free_hours,
                "mechanical_cooling_hours": r.mechanical_cooling_hours,
                "exceedance_hours": r.exceedance_hours,
                "error": "",
            }
        )
    return rows


def heatmap(result: ClimateResult) -> np.ndarray:
    """Mean hourly PUE by month (rows 1-12) and hour of day (columns 0-23); NaN where no hours."""
    grid = np.full((12, 24), np.nan)
    w, pue = result.weather, result.plant.pue
    sums = np.zeros((12, 24))
    counts = np.zeros((12, 24))
    np.add.at(sums, (w.month - 1, w.hour % 24), pue)
    np.add.at(counts, (w.month - 1, w.hour % 24), 1)
    np.divide(sums, counts, out=grid, where=counts > 0)
    return grid


def model_figure(output: str, station: str, architecture: str, case: str) -> float:
    """What the model gives for one published figure's quantity (data/weather/published_figures.csv)."""
    from factorycore.weather import load_station

    if output == "air_cooled_chiller_eer_at_ahri":
        return rated_cop("air-cooled", case_assumptions(case)) / W_PER_BTU_H  # EER, Btu/h per W
    weather = load_station(station)
    if output.startswith("design_"):
        return float(getattr(design_conditions(weather), output.removeprefix("design_")))
    result = evaluate(weather, architecture, 1000.0, assumptions=case_assumptions(case), by_class=False)
    return float(getattr(result, output))


def published_checks() -> list[dict[str, Any]]:
    """Every published figure beside the model's value and whether it is within its tolerance."""
    import csv

    from factorycore.weather import WEATHER_DIR

    with (WEATHER_DIR / "published_figures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        value = model_figure(row["model_output"], row["station"], row["architecture"], row["case"])
        published, tolerance = float(row["published"]), float(row["tolerance"])
        row.update(model=round(value, 3), difference=round(value - published, 3))
        row["within"] = abs(value - published) <= tolerance
    return rows


COPUE_BENCHMARK = "chilled-water-tower"


def measured_against_model(
    frame: Any,
    architecture: str = COPUE_BENCHMARK,
    w_class: str = DEFAULT_W_CLASS,
    liquid_share: float | None = None,
    assumptions: PlantAssumptions | None = None,
) -> Any:
    """Measured PUE against the PUE the model gives for the same hours' weather, by month (a COPUE-style ratio).

    ``frame`` holds a meter's hours: ``ts``, ``it_kw``, ``facility_kw`` and an outdoor temperature
    (``outdoor_temp_c`` or ``dry_bulb_c``, optionally ``rh_pct``). Readings are averaged to hours;
    the model runs each hour at that hour's measured IT load. Ratio = measured / modelled energy-weighted
    PUE: above 1, the site uses more than the modelled plant would in the same weather. With the default
    plant this is Li et al.'s COPUE (Applied Energy 276, 2020, 115497: measured PUE over the local benchmark
    PUE of water-cooled chillers and cooling towers); a meter without humidity needs a dry plant instead.
    """
    import pandas as pd

    from factorycore.weather import from_meter

    needed = {"ts", "it_kw", "facility_kw"}
    missing = needed - set(frame.columns)
    if missing:
        raise ValueError(f"the meter rows need {', '.join(sorted(missing))} beside the outdoor temperature")
    data = frame.copy()
    data["ts"] = pd.to_datetime(data["ts"]).dt.floor("h")
    hourly = data.groupby("ts", sort=True).mean(numeric_only=True).reset_index()
    hourly = hourly[(hourly["it_kw"] > 0) & (hourly["facility_kw"] >= hourly["it_kw"])]
    if hourly.empty:
        raise ValueError("no hour has an IT load above 0 and facility power at or above it")
    weather = from_meter(hourly)
    it = hourly["it_kw"].to_numpy(dtype=float)
    plant = simulate(weather, architecture, 1000.0, w_class, liquid_share, assumptions)
    modelled_kw = plant.pue * it  # the model is linear in the IT load
    out = pd.DataFrame(
        {"month": weather.month, "it": it, "measured": hourly["facility_kw"].to_numpy(float), "modelled": modelled_kw}
    )
    grouped = out.groupby("month").sum()
    return (
        pd.DataFrame(
            {
                "month": grouped.index.astype(int),
                "hours": out.groupby("month").size().to_numpy(),
                "measured_pue": grouped["measured"] / grouped["it"],
                "modelled_pue": grouped["modelled"] / grouped["it"],
            }
        )
        .assign(ratio=lambda d: d["measured_pue"] / d["modelled_pue"])
        .reset_index(drop=True)
    )
