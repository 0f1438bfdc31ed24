"""The article's charts as views: each reads the reference tables and returns a :class:`View`.

The article pages, the overview, the report, the presentation and the CLI's ``chart``
command all draw "the rack-density chart with these options" through these
functions; the rows behind each figure and its source caption come with it.
Options are the page's controls; ``large=True`` sizes type for a projector.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import plotly.graph_objects as go

from factorycore import provenance, reference
from factorycore.charts import electricity, maturity, power_distribution, rack_density, stack
from factorycore.views.base import View, title_of

RACK_DENSITY_NOTE = (
    "Stars place AI systems at the rack power they are deployed at (a whole NVL72 rack, or "
    "several DGX systems per rack); hollow stars are announced, not shipping."
)
POWER_DISTRIBUTION_NOTE = (
    "Every bar is a modelled share of racks (hatched). Surveys report shares of sites (Uptime: "
    "by a site's most common or densest rack); the models are fitted to those as shares of "
    "sites (data/README.md, density_anchors), never used as shares of racks."
)
STACK_NOTE = (
    "A modelled split of one reference rack's facility power (IT load times PUE); the "
    "method of each share is in the data table. Software itself draws no power: the "
    "orchestration layer's share is the management servers it runs on."
)
MATURITY_NOTE = (
    "'≈' (heatmap) and dashed outlines (radar) mark modelled scores; plain values are "
    "reported survey figures. The industry-average row holds only what surveys report "
    "(liquid-cooling adoption); no public survey scores the other dimensions, so those "
    "cells stay empty rather than invented. Each row's method is in the data table below."
)
ELECTRICITY_NOTE = (
    "Dashed lines are projections. Derived points are interpolated between published years (method in each row's note)."
)


def _view(fig: go.Figure, rows: pd.DataFrame, sources: pd.DataFrame, note: str) -> View:
    return View(fig, rows, title_of(fig), provenance.caption(rows, sources), note=note)


def rack_density_view(
    con: duckdb.DuckDBPyConnection,
    *,
    include_modelled: bool = True,
    segments: list[str] | None = None,
    log_y: bool = True,
    show_systems: bool = True,
    large: bool = False,
    title: str | None = None,
) -> View:
    """kW per rack by segment, 2020-2026, with the AI systems on the same scale (``title`` replaces the chart's)."""
    sources = reference.sources(con)
    density = reference.rack_density(con, include_modelled=include_modelled)
    hardware = reference.hardware(con, kind="system") if show_systems else None
    fig = rack_density.rack_density_figure(
        density,
        hardware,
        segments=segments,
        log_y=log_y,
        include_modelled=include_modelled,
        sources=sources,
        large=large,
    )
    if title:
        fig.update_layout(title_text=title)
    rows = rack_density.rack_density_rows(density, hardware, segments=segments, include_modelled=include_modelled)
    return _view(fig, rows, sources, RACK_DENSITY_NOTE)


def power_distribution_view(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    profiles: list[str] | None = None,
    layout: str = "grouped",
    large: bool = False,
) -> View:
    """Share of racks per density band and profile ('grouped' or 'stacked' bars)."""
    sources = reference.sources(con)
    dist = reference.power_distribution(con)
    fig = power_distribution.power_distribution_figure(
        dist, year=year, profiles=profiles, layout=layout, sources=sources, large=large
    )
    rows = power_distribution.power_distribution_rows(dist, year=year, profiles=profiles)
    return _view(fig, rows, sources, POWER_DISTRIBUTION_NOTE)


def stack_view(
    con: duckdb.DuckDBPyConnection, *, kind: str = "treemap", selected_layer: str | None = None, large: bool = False
) -> View:
    """The six layers of the AI factory stack ('treemap', 'icicle' or 'sankey')."""
    sources = reference.sources(con)
    rows = reference.stack(con)
    fig = stack.stack_figure(rows, kind=kind, selected_layer=selected_layer, sources=sources, large=large)
    return _view(fig, rows, sources, STACK_NOTE)


def maturity_view(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    segments: list[str] | None = None,
    kind: str = "heatmap",
    large: bool = False,
) -> View:
    """Maturity by segment and dimension ('heatmap' or 'radar')."""
    sources = reference.sources(con)
    data = reference.maturity(con)
    fig = maturity.maturity_figure(data, year=year, segments=segments, kind=kind, sources=sources, large=large)
    rows = maturity.maturity_rows(data, year=year, segments=segments)
    return _view(fig, rows, sources, MATURITY_NOTE)


def electricity_view(
    con: duckdb.DuckDBPyConnection,
    *,
    regions: list[str] | None = None,
    scenarios: list[str] | None = None,
    show_ranges: bool = True,
    large: bool = False,
) -> View:
    """Data-center electricity by region and scenario, with the scenario ranges shaded."""
    sources = reference.sources(con)
    data = reference.electricity(con)
    regions = list(regions) if regions is not None else list(electricity.DEFAULT_REGIONS)
    fig = electricity.electricity_figure(
        data, regions=regions, scenarios=scenarios, show_ranges=show_ranges, sources=sources, large=large
    )
    rows = electricity.electricity_rows(data, regions=regions, scenarios=scenarios)
    return _view(fig, rows, sources, ELECTRICITY_NOTE)
