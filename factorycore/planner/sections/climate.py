"""Plant section: the site's climate, the cooling plant run hour by hour on its weather.

A site (``site``, a bundled station, or an uploaded file's or a meter's weather passed to
:func:`factorycore.planner.plan` as ``weather=``) with no typed PUE runs the hourly plant
(:mod:`factorycore.climate`) before power is computed: energy, cost, carbon and water use
its annual PUE and WUE, the electrical plant its design-hour PUE, the runway its
year-to-year PUE spread. Without a site the section does nothing and the page shows no
block for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from factorycore.cooling import technology_limits
from factorycore.planner.spec import Context, Input, PlanResult, Section, SectionView

if TYPE_CHECKING:
    from factorycore.views.base import View

PARTIAL_YEAR_HOURS = 8000  # fewer hours than this is not a whole year (a leap year has 8,784)

# The plant a site runs when the plan names none: what each cooling technology is built with.
ARCHITECTURE_OF_TECHNOLOGY: dict[str, str] = {
    "air": "air-cooled-chiller",
    "rear-door": "air-cooled-chiller",
    "direct-liquid": "hybrid",
    "immersion": "dlc-trim-chiller",
}
# How a cooling technology cools the rack (as factorycore.planner.inputs states it); here only
# liquid or not matters, for the hybrid plant's liquid share.
_LIQUID_TECHNOLOGIES = ("direct-liquid", "immersion")


def _stations() -> tuple[str, ...]:
    from factorycore import weather  # noqa: PLC0415 - read when a link or a widget needs the list

    return tuple(weather.stations())


def _architectures() -> tuple[str, ...]:
    from factorycore import cooling_plant  # noqa: PLC0415

    return tuple(cooling_plant.ARCHITECTURES)


INPUTS = (
    # A bundled station id: a link never names a file on the server.
    Input("site", None, "site", "choice", choices=_stations, optional=True, label="Site climate", widget_key="pl_site"),
    Input(
        "architecture",
        None,
        "arch",
        "choice",
        choices=_architectures,
        optional=True,
        label="Cooling plant",
        widget_key="pl_arch",
    ),
)


def site_climate(inputs: Any, site_weather: Any, it_kw: float) -> Any:
    """The hourly plant of a plan at its site: its architecture (or the technology's), its W-class, and the
    platform's liquid share (the technology's capture) for the hybrid; IT at the plan's utilisation."""
    from factorycore import climate  # noqa: PLC0415

    architecture = inputs.architecture or ARCHITECTURE_OF_TECHNOLOGY[inputs.technology]
    capture = technology_limits(inputs.technology).default_capture if inputs.capture is None else inputs.capture
    share = capture if inputs.technology in _LIQUID_TECHNOLOGIES else 0.0
    return climate.evaluate(
        site_weather, architecture, max(it_kw * inputs.utilization, 1e-6), inputs.facility_class, share
    )


def prepare(ctx: Context) -> None:
    """With a site and no typed PUE: the plant's annual PUE, design-hour PUE, WUE and PUE spread replace
    the derived ones, and the fleet is sized again at the annual PUE."""
    i = ctx.inputs
    site_weather = ctx.data.get("weather")
    if site_weather is None and i.site is not None:
        from factorycore.weather import load_station  # noqa: PLC0415

        site_weather = load_station(i.site)
    if site_weather is None or i.pue is not None:
        return
    result = site_climate(i, site_weather, ctx.fleet.it_kw)
    ctx.pue, ctx.design_pue = result.annual_pue, max(result.design_pue, result.annual_pue)
    ctx.wue_l_per_kwh = result.wue_l_per_kwh
    ctx.pue_sd = i.pue_sd if i.pue_sd > 0 else result.pue_sd
    ctx.pue_basis = (
        f"hourly plant model: {result.architecture} at {result.station_name} "
        f"({result.hours:,} h), annual PUE {ctx.pue:.3f} energy-weighted, design-hour {ctx.design_pue:.3f}"
    )
    ctx.size_fleet()
    ctx.parts["climate"] = result
    if result.hours < PARTIAL_YEAR_HOURS:
        months = sum(v is not None for v in result.monthly_pue)
        ctx.warnings.append(
            f"The weather covers {result.hours:,} h in {months} month(s), not a whole year: the annual PUE, "
            "energy and water assume the rest of the year is like those hours."
        )
    if result.exceedance_hours:
        ctx.warnings.append(
            f"The dry cooler cannot hold {result.w_class} for {result.exceedance_hours:,} h of the "
            f"year at {result.station_name}: the loop runs warmer; choose a warmer class or a trim chiller."
        )


def compute(ctx: Context) -> dict[str, Any]:
    """Nothing after the core plan: the climate was run in :func:`prepare`."""
    return {}


def _view(name: str) -> Any:
    def build(result: PlanResult, sources: pd.DataFrame | None = None, *, large: bool = False) -> View:
        from factorycore.views import climate as views  # noqa: PLC0415
        from factorycore.views.base import NothingToDraw  # noqa: PLC0415

        if result.climate is None:
            raise NothingToDraw("No site climate: choose a site, or give a weather file or a meter.")
        return getattr(views, name)(result.climate, large=large)

    return build


def table(result: PlanResult) -> list[tuple[str, str]]:
    """The report's rows."""
    c = result.climate
    if c is None:
        return []
    return [
        ("Site", f"{c.station_name} ({c.hours:,} h, {c.source_id})"),
        ("Cooling plant", f"{c.architecture}, {c.w_class}"),
        ("PUE annual / design hour / worst", f"{c.annual_pue:.3f} / {c.design_pue:.3f} / {c.worst_hour_pue:.3f}"),
        ("Design-hour facility", f"{result.fleet.it_kw * (result.design_pue or result.pue):,.0f} kW"),
        ("Site WUE", f"{c.wue_l_per_kwh:.2f} L/kWh"),
        ("Chiller-free hours", f"{c.chiller_free_hours:,} h"),
    ]


SECTION = Section(
    name="climate",
    title="Site climate",
    short="site climate",
    inputs=INPUTS,
    compute=compute,
    prepare=prepare,
    empty={"climate": None},
    views=(
        SectionView("climate-heatmap", _view("heatmap_view"), "Hourly PUE"),
        SectionView("climate-classes", _view("class_hours_view"), "W-class hours"),
        SectionView("climate-compare", _view("comparison_view"), "Architectures"),
    ),
    table=table,
    shown=lambda result: result.climate is not None,
    place="custom",
    block=True,
)
