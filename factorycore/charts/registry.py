"""The article's charts by id: build any of them from the database with one call.

The CLI ``chart`` command, the HTML report and the presentation view all need "the
rack-density chart, as the app shows it by default". :func:`build_chart` is that one
place: it reads the reference tables through ``factorycore.datasets``, calls the
chart's builder, and returns the figure with the rows behind it (for the caption
and the data download) and the chart's title.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from factorycore import datasets
from factorycore.charts import electricity, maturity, power_distribution, rack_density, stack

ARTICLE_CHART_IDS: tuple[str, ...] = ("rack_density", "power_distribution", "stack", "maturity", "electricity")


@dataclass(frozen=True)
class ChartResult:
    """A built chart: the figure, the reference rows it draws, and its title."""

    fig: go.Figure
    rows: pd.DataFrame
    title: str


def _title(fig: go.Figure) -> str:
    return str(fig.layout.title.text or "")


def _rack_density(con: duckdb.DuckDBPyConnection, *, include_modelled: bool = True,
                  segments: list[str] | None = None, log_y: bool = True, show_systems: bool = True,
                  large: bool = False) -> ChartResult:
    density = datasets.rack_density(con, include_modelled=include_modelled)
    hardware = datasets.hardware(con, kind="system") if show_systems else None
    fig = rack_density.rack_density_figure(density, hardware, segments=segments, log_y=log_y,
                                           include_modelled=include_modelled, sources=datasets.sources(con),
                                           large=large)
    rows = rack_density.rack_density_rows(density, hardware, segments=segments, include_modelled=include_modelled)
    return ChartResult(fig, rows, _title(fig))


def _power_distribution(con: duckdb.DuckDBPyConnection, *, year: int | None = None,
                        profiles: list[str] | None = None, layout: str = "grouped",
                        large: bool = False) -> ChartResult:
    dist = datasets.power_distribution(con)
    fig = power_distribution.power_distribution_figure(dist, year=year, profiles=profiles, layout=layout,
                                                       sources=datasets.sources(con), large=large)
    rows = power_distribution.power_distribution_rows(dist, year=year, profiles=profiles)
    return ChartResult(fig, rows, _title(fig))


def _stack(con: duckdb.DuckDBPyConnection, *, kind: str = "treemap", selected_layer: str | None = None,
           large: bool = False) -> ChartResult:
    rows = datasets.stack(con)
    fig = stack.stack_figure(rows, kind=kind, selected_layer=selected_layer, sources=datasets.sources(con),
                             large=large)
    return ChartResult(fig, rows, _title(fig))


def _maturity(con: duckdb.DuckDBPyConnection, *, year: int | None = None, segments: list[str] | None = None,
              kind: str = "heatmap", large: bool = False) -> ChartResult:
    data = datasets.maturity(con)
    fig = maturity.maturity_figure(data, year=year, segments=segments, kind=kind,
                                   sources=datasets.sources(con), large=large)
    rows = maturity.maturity_rows(data, year=year, segments=segments)
    return ChartResult(fig, rows, _title(fig))


def _electricity(con: duckdb.DuckDBPyConnection, *, regions: list[str] | None = None,
                 scenarios: list[str] | None = None, show_ranges: bool = True, large: bool = False) -> ChartResult:
    data = datasets.electricity(con)
    regions = list(regions) if regions is not None else list(electricity.DEFAULT_REGIONS)
    fig = electricity.electricity_figure(data, regions=regions, scenarios=scenarios, show_ranges=show_ranges,
                                         sources=datasets.sources(con), large=large)
    rows = electricity.electricity_rows(data, regions=regions, scenarios=scenarios)
    return ChartResult(fig, rows, _title(fig))


_BUILDERS: dict[str, Callable[..., ChartResult]] = {
    "rack_density": _rack_density,
    "power_distribution": _power_distribution,
    "stack": _stack,
    "maturity": _maturity,
    "electricity": _electricity,
}


def build_chart(con: duckdb.DuckDBPyConnection, chart_id: str, **options: Any) -> ChartResult:
    """Build one of :data:`ARTICLE_CHART_IDS` from the reference tables (options as on its page).

    Options per chart (all optional; ``large=True`` sizes type for a projector):
    rack_density: include_modelled, segments, log_y, show_systems;
    power_distribution: year, profiles, layout ('grouped' or 'stacked');
    stack: kind ('treemap', 'icicle' or 'sankey'), selected_layer;
    maturity: year, segments, kind ('heatmap' or 'radar');
    electricity: regions, scenarios, show_ranges.
    An unknown id raises ``ValueError`` naming the valid ones; an unknown option, ``TypeError``.
    """
    builder = _BUILDERS.get(chart_id)
    if builder is None:
        raise ValueError(f"unknown chart {chart_id!r}; valid charts: {', '.join(ARTICLE_CHART_IDS)}")
    return builder(con, **options)
