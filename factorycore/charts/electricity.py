"""Data-center electricity outlook: history and scenario ranges to 2030, per region.

Rack density matters because it adds up to grid demand. US figures come from LBNL's
2024 report (a low–high range to 2028) and the IEA; global, Chinese and European ones
from the IEA's Energy and AI (base case with Lift-Off and Headwinds cases). Each
region gets its own panel because the scales differ by a factor of two or more.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from factorycore.charts import theme
from factorycore.charts._common import empty_message, marker_symbol, source_names

TITLE = "Data-center electricity use, TWh per year, history and scenarios to 2030"
REGION_LABELS: dict[str, str] = {"us": "United States", "global": "World", "china": "China", "europe": "Europe"}
REGION_ORDER: tuple[str, ...] = ("us", "global", "china", "europe")
DEFAULT_REGIONS: tuple[str, ...] = ("us", "global")
SCENARIO_LABELS: dict[str, str] = {
    "historical": "Historical",
    "base": "Base case",
    "low": "Low scenario",
    "high": "High scenario",
    "lift_off": "Lift-Off case",
    "headwinds": "Headwinds case",
    "base_2026_update": "Base case, IEA 2026 update",
}
SCENARIO_COLOURS: dict[str, str] = {
    "historical": theme.INK,
    "base": "#0072B2",
    "low": "#009E73",
    "high": "#E69F00",
    "lift_off": "#D55E00",
    "headwinds": "#56B4E9",
    "base_2026_update": "#CC79A7",
}
# Pairs of scenarios drawn as a shaded range (lower bound, upper bound).
RANGE_PAIRS: tuple[tuple[str, str], ...] = (("low", "high"), ("headwinds", "lift_off"))


def region_label(region: str) -> str:
    """Display name of a region key."""
    return REGION_LABELS.get(region, region.title())


def scenario_label(scenario: str, statuses: Sequence[str] = ()) -> str:
    """Display name of a scenario key; '(unverified)' when every row drawn for it is unverified."""
    label = SCENARIO_LABELS.get(scenario, scenario.replace("_", " ").capitalize())
    seen = set(statuses)
    return f"{label} (unverified)" if seen == {"unverified"} else label


def electricity_rows(
    electricity: pd.DataFrame,
    *,
    regions: Sequence[str] | None = DEFAULT_REGIONS,
    scenarios: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The rows drawn: chosen regions (US and world by default) and scenarios (all when None)."""
    rows = electricity
    if regions is not None:
        rows = rows[rows["region"].isin(list(regions))]
    if scenarios is not None:
        rows = rows[rows["scenario"].isin(list(scenarios))]
    return rows.sort_values(["region", "scenario", "year"]).reset_index(drop=True)


def _line(rows: pd.DataFrame) -> pd.DataFrame:
    """One value per year (mean where sources overlap), for the connecting line."""
    return rows.groupby("year", as_index=False)["twh"].mean().sort_values("year")


def electricity_figure(
    electricity: pd.DataFrame,
    *,
    regions: Sequence[str] | None = DEFAULT_REGIONS,
    scenarios: Sequence[str] | None = None,
    show_ranges: bool = True,
    sources: pd.DataFrame | None = None,
    title: str = TITLE,
    large: bool = False,
) -> go.Figure:
    """One panel per region: historical line, scenario lines, shaded scenario ranges.

    ``electricity`` is ``reference.electricity``. Historical is solid, projections are
    dashed; modelled points (if any) are hollow.
    """
    rows = electricity_rows(electricity, regions=regions, scenarios=scenarios)
    present = set(rows["region"])
    panel_regions = [r for r in REGION_ORDER if r in present] + sorted(present - set(REGION_ORDER))
    if not panel_regions:
        fig = go.Figure()
        empty_message(fig, "No electricity data for this selection")
        theme.apply(fig, title=title, large=large)
        return fig
    rows = rows.assign(_source=source_names(rows, sources))
    fig = make_subplots(
        rows=1,
        cols=len(panel_regions),
        subplot_titles=[region_label(r) for r in panel_regions],
        horizontal_spacing=0.08,
    )
    legend_seen: set[str] = set()
    for col, region in enumerate(panel_regions, start=1):
        reg = rows[rows["region"] == region]
        scenarios_here = list(dict.fromkeys(reg["scenario"]))
        if show_ranges:
            for lower, upper in RANGE_PAIRS:
                if lower in scenarios_here and upper in scenarios_here:
                    lo, hi = _line(reg[reg["scenario"] == lower]), _line(reg[reg["scenario"] == upper])
                    years = sorted(set(lo["year"]) & set(hi["year"]))
                    lo, hi = lo.set_index("year").loc[years], hi.set_index("year").loc[years]
                    name = (
                        f"{scenario_label(lower, reg.loc[reg['scenario'] == lower, 'status'])} – "
                        f"{scenario_label(upper, reg.loc[reg['scenario'] == upper, 'status'])} range"
                    )
                    fig.add_trace(
                        go.Scatter(
                            x=years,
                            y=hi["twh"],
                            mode="lines",
                            line={"width": 0},
                            hoverinfo="skip",
                            showlegend=False,
                            legendgroup=name,
                        ),
                        row=1,
                        col=col,
                    )
                    fig.add_trace(
                        go.Scatter(
                            x=years,
                            y=lo["twh"],
                            mode="lines",
                            line={"width": 0},
                            fill="tonexty",
                            fillcolor="rgba(230,159,0,0.18)",
                            hoverinfo="skip",
                            name=name,
                            legendgroup=name,
                            showlegend=name not in legend_seen,
                        ),
                        row=1,
                        col=col,
                    )
                    legend_seen.add(name)
        for scenario in sorted(
            scenarios_here, key=lambda s: list(SCENARIO_COLOURS).index(s) if s in SCENARIO_COLOURS else 99
        ):
            part = reg[reg["scenario"] == scenario].sort_values("year")
            label = scenario_label(scenario, part["status"])
            colour = SCENARIO_COLOURS.get(scenario, theme.OKABE_ITO[sum(scenario.encode()) % 9])
            projection = scenario != "historical"
            line = _line(part)
            fig.add_trace(
                go.Scatter(
                    x=line["year"],
                    y=line["twh"],
                    mode="lines",
                    name=label,
                    legendgroup=label,
                    line={
                        "color": colour,
                        "width": 3 if not projection else 2.5,
                        "dash": "dash" if projection else "solid",
                    },
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=1,
                col=col,
            )
            fig.add_trace(
                go.Scatter(
                    x=part["year"],
                    y=part["twh"],
                    mode="markers",
                    name=label,
                    legendgroup=label,
                    showlegend=label not in legend_seen,
                    marker={
                        "color": colour,
                        "size": 8,
                        "line": {"width": 1.5, "color": colour},
                        "symbol": [marker_symbol(s) for s in part["status"]],
                    },
                    customdata=list(zip([region_label(region)] * len(part), part["status"], part["_source"])),
                    hovertemplate=(
                        f"<b>%{{customdata[0]}}, {label}</b><br>%{{x}}: %{{y:,.0f}} TWh per year"
                        "<br>%{customdata[1]} · source: %{customdata[2]}<extra></extra>"
                    ),
                ),
                row=1,
                col=col,
            )
            legend_seen.add(label)
    theme.apply(fig, title=title, large=large)
    fig.update_xaxes(title_text="Year", tickformat="d")
    fig.update_yaxes(title_text="TWh per year", rangemode="tozero")
    fig.update_layout(hovermode="closest", legend={"title": {"text": "Series"}})
    return fig
