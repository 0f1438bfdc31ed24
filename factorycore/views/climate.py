"""Climate views: the hourly PUE heat map, chiller-free hours per W-class, and architectures compared.

Each takes a :class:`factorycore.climate.ClimateResult` (or the comparison rows) and
returns a :class:`View` whose rows carry ``source_id`` (the weather's station row, or
``model_climate_plant`` for the plant) and ``status`` (the weather is reported, the
plant modelled), so the caption says what is measured and what is modelled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from factorycore import climate
from factorycore.charts import climate as charts
from factorycore.views.base import Metric, View

PLANT_SOURCE = "model_climate_plant"


def _caption(result: climate.ClimateResult) -> str:
    return (
        f"Weather: {result.station_name} ({result.hours:,} h; source {result.source_id}). Plant: the project's hourly "
        f"model of {result.architecture} (modelled; coefficients and ranges in data/README.md, climate plant)."
    )


def _metrics(result: climate.ClimateResult) -> tuple[Metric, ...]:
    d = result.design
    return (
        Metric("Annual PUE", f"{result.annual_pue:.3f}", "energy-weighted over the hours given (ISO/IEC 30134-2)"),
        Metric("Design PUE", f"{result.design_pue:.3f}", "exceeded in 0.4 % of hours"),
        Metric("Worst hour", f"{result.worst_hour_pue:.3f}"),
        Metric("WUE", f"{result.wue_l_per_kwh:.2f} L/kWh", "site water per IT kWh"),
        Metric("Chiller-free", f"{result.chiller_free_hours:,} h"),
        Metric("0.4 % dry bulb", f"{d.dry_bulb_c:.1f} C"),
    )


def heatmap_view(result: climate.ClimateResult, *, large: bool = False) -> View:
    """Hourly PUE by month and hour of day."""
    grid = climate.heatmap(result)
    months, hours = np.nonzero(np.isfinite(grid))
    rows = pd.DataFrame(
        {
            "month": months + 1,
            "hour": hours,
            "pue": grid[months, hours],
            "source_id": PLANT_SOURCE,
            "status": "modelled",
        }
    )
    title = f"Hourly PUE, {result.architecture}, {result.station_name}: annual {result.annual_pue:.3f}"
    return View(
        charts.pue_heatmap(grid, title=title, large=large),
        rows,
        "Hourly PUE",
        _caption(result),
        note="Each cell: mean PUE of that month's hours at that hour of day. Annual PUE is energy-weighted; "
        f"design PUE {result.design_pue:.3f} (0.4 % hour), worst hour {result.worst_hour_pue:.3f}.",
        metrics=_metrics(result),
    )


def class_hours_view(result: climate.ClimateResult, *, large: bool = False) -> View:
    """Chiller-free hours of a direct-liquid loop at each W-class."""
    hours = result.chiller_free_hours_by_class or climate.class_free_hours(result.weather, result.assumptions)
    rows = pd.DataFrame(
        {
            "facility_class": list(hours),
            "chiller_free_hours": list(hours.values()),
            "source_id": PLANT_SOURCE,
            "status": "modelled",
        }
    )
    title = f"Chiller-free hours by facility-water class, {result.station_name}"
    return View(
        charts.class_hours(hours, chosen=result.w_class, title=title, large=large),
        rows,
        "Chiller-free hours by W-class",
        _caption(result),
        note=f"A dry cooler delivers dry bulb + {result.assumptions.dry_cooler_approach_k:g} K; an hour is "
        "chiller-free when that is at or below the class's supply temperature.",
    )


def comparison_view(result: climate.ClimateResult, *, large: bool = False) -> View:
    """Every architecture on the same weather, IT load and class."""
    rows = pd.DataFrame(
        climate.compare(result.weather, result.it_kw, result.w_class, result.platform_liquid_share, result.assumptions)
    ).assign(source_id=PLANT_SOURCE, status="modelled")
    title = f"Architectures compared, {result.station_name} ({result.w_class})"
    skipped = rows[rows["error"].astype(str) != ""]
    note = "Annual and design-hour PUE of each plant on the same hours; WUE above the design bar."
    if not skipped.empty:
        note += " Not run: " + "; ".join(f"{r.architecture} ({r.error})" for r in skipped.itertuples()) + "."
    return View(
        charts.architecture_comparison(rows, title=title, large=large),
        rows,
        "Architectures",
        _caption(result),
        note=note,
    )


CLIMATE_VIEWS = {
    "climate-heatmap": heatmap_view,
    "climate-classes": class_hours_view,
    "climate-compare": comparison_view,
}


def plan_climate_views(plan: object, *, large: bool = False) -> list[View]:
    """The climate views of a plan that has a site (none when it has no hourly plant): page, report, deck."""
    result = getattr(plan, "climate", None)
    return [] if result is None else [build(result, large=large) for build in CLIMATE_VIEWS.values()]
