"""Plant figures: installed vs critical electrical capacity, the liquid loop's water classes,
the runway fan, and MLPerf output per MW.

Plain data in (rows from :mod:`factorycore.electrical`, :mod:`factorycore.liquid_loop`,
:mod:`factorycore.runway` and :mod:`factorycore.throughput`), ``go.Figure`` out, in the
planner charts' house look; no engine calls here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from factorycore.charts import theme
from factorycore.charts._common import fmt_number, plain_label
from factorycore.charts.planner import _empty, _figure

CRITICAL_COLOUR = theme.OKABE_ITO[0]
INSTALLED_COLOUR = theme.OKABE_ITO[8]
FEASIBLE_COLOUR = theme.OKABE_ITO[2]
INFEASIBLE_COLOUR = theme.OKABE_ITO[5]
FAN_COLOUR = theme.OKABE_ITO[5]
CONSTRAINT_COLOURS = (theme.INK, theme.OKABE_ITO[1], theme.OKABE_ITO[3], theme.OKABE_ITO[6])


def electrical_capacity(rows: pd.DataFrame, *, title: str | None = None, large: bool = False) -> go.Figure:
    """Per plant (UPS, generators): the critical load beside the capacity installed for redundancy."""
    plants = rows["plant"].astype(str).tolist()
    labels = [f"{p} ({r})" for p, r in zip(plants, rows["redundancy"].astype(str))]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": rows["critical_kw"].astype(float).tolist(),
            "name": "Critical load",
            "marker": {"color": CRITICAL_COLOUR},
            "text": [f"{fmt_number(v, 0)} kW" for v in rows["critical_kw"]],
            "textposition": "auto",
            "hovertemplate": "%{y}: critical load %{x:,.0f} kW<extra></extra>",
        },
        {
            "type": "bar",
            "orientation": "h",
            "y": labels,
            "x": rows["installed_kw"].astype(float).tolist(),
            "name": "Installed",
            "marker": {"color": INSTALLED_COLOUR},
            "text": [f"{int(u)} x {fmt_number(k, 0)} kW" for u, k in zip(rows["units"], rows["unit_kw"])],
            "textposition": "auto",
            "hovertemplate": "%{y}: installed %{x:,.0f} kW (%{text})<extra></extra>",
        },
    ]
    ratio = rows["installed_kw"].sum() / rows["critical_kw"].sum() if rows["critical_kw"].sum() > 0 else 0
    return _figure(
        title or f"Installed vs critical capacity: {ratio:.1f} kW bought per kW carried",
        data,
        large=large,
        barmode="group",
        height=320,
        xaxis={"title": {"text": "kW"}},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.3},
        margin={"l": 160, "r": 30, "t": 70, "b": 60},
    )


def liquid_loop_classes(
    classes: pd.DataFrame,
    *,
    tcs_supply_c: float | None,
    min_approach_k: float,
    chosen: str,
    technology: str,
    title: str | None = None,
    large: bool = False,
) -> go.Figure:
    """Facility supply temperature of each ASHRAE class against the warmest water the technology can use."""
    title = title or f"Facility water classes for {technology} cooling"
    if tcs_supply_c is None:
        return _empty(title, "No liquid loop: all heat leaves in air", large=large, height=340)
    limit_c = tcs_supply_c - min_approach_k
    names = classes["facility_class"].astype(str).tolist()
    temps = classes["facility_supply_c"].astype(float).tolist()
    ok = [t <= limit_c for t in temps]
    data = [
        {
            "type": "bar",
            "x": names,
            "y": temps,
            "name": "Facility supply, C",
            "marker": {
                "color": [FEASIBLE_COLOUR if good else INFEASIBLE_COLOUR for good in ok],
                "line": {"color": [theme.INK if n == chosen else "rgba(0,0,0,0)" for n in names], "width": 3},
            },
            "text": [f"{t:g} C{' (chosen)' if n == chosen else ''}" for n, t in zip(names, temps)],
            "textposition": "outside",
            "showlegend": False,
            "hovertemplate": "%{x}: facility water up to %{y:g} C<extra></extra>",
        }
    ]
    shapes = [
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": limit_c,
            "y1": limit_c,
            "line": {"color": theme.INK, "dash": "dash"},
        }
    ]
    annotations = [
        {
            "xref": "paper",
            "x": 0,
            "y": limit_c,
            "yanchor": "bottom",
            "xanchor": "left",
            "showarrow": False,
            "text": f"warmest usable: {limit_c:g} C ({tcs_supply_c:g} C coolant - {min_approach_k:g} K approach)",
        }
    ]
    return _figure(
        title,
        data,
        large=large,
        shapes=shapes,
        annotations=annotations,
        height=360,
        xaxis={"title": {"text": "ASHRAE liquid-cooling class"}},
        yaxis={"title": {"text": "Facility supply, C"}, "rangemode": "tozero"},
    )


def runway_fan(
    fan: pd.DataFrame, constraints: pd.DataFrame, *, runs: int, title: str | None = None, large: bool = False
) -> go.Figure:
    """Facility load P10-P90 band and median by year, with each capacity as a line (facility MW)."""
    years = [int(y) for y in fan["year"]]
    data = [
        {
            "type": "scatter",
            "x": years,
            "y": fan["p90_mw"].astype(float).tolist(),
            "mode": "lines",
            "line": {"width": 0, "color": FAN_COLOUR},
            "name": "P90",
            "showlegend": False,
            "hovertemplate": "%{x}: P90 %{y:,.2f} MW<extra></extra>",
        },
        {
            "type": "scatter",
            "x": years,
            "y": fan["p10_mw"].astype(float).tolist(),
            "mode": "lines",
            "line": {"width": 0, "color": FAN_COLOUR},
            "fill": "tonexty",
            "fillcolor": "rgba(213,94,0,0.22)",
            "name": "P10-P90 of runs",
            "hovertemplate": "%{x}: P10 %{y:,.2f} MW<extra></extra>",
        },
        {
            "type": "scatter",
            "x": years,
            "y": fan["p50_mw"].astype(float).tolist(),
            "mode": "lines+markers",
            "line": {"width": 3, "color": FAN_COLOUR},
            "name": "Median facility load",
            "hovertemplate": "%{x}: median %{y:,.2f} MW<extra></extra>",
        },
    ]
    for i, row in enumerate(constraints.itertuples()):
        year = "not within the horizon" if pd.isna(row.p50_year) else f"P50 {int(row.p50_year)}"
        data.append(
            {
                "type": "scatter",
                "x": years,
                "y": [float(row.facility_mw)] * len(years),
                "mode": "lines",
                "line": {"color": CONSTRAINT_COLOURS[i % len(CONSTRAINT_COLOURS)], "dash": "dash"},
                "name": f"{plain_label(row.label)} ({year})",
                "hovertemplate": f"{plain_label(row.label)}: {row.facility_mw:,.2f} MW facility<extra></extra>",
            }
        )
    return _figure(
        title or f"Runway under uncertainty ({runs:,} runs)",
        data,
        large=large,
        height=400,
        xaxis={"title": {"text": "Year"}, "dtick": 1},
        yaxis={"title": {"text": "Facility MW"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
    )


def output_ranking(
    ranked: pd.DataFrame,
    *,
    benchmark: str,
    scenario: str,
    highlight: str | None = None,
    missing: Sequence[str] = (),
    title: str | None = None,
    large: bool = False,
) -> go.Figure:
    """Catalog systems ranked by MLPerf tokens/s per MW of facility power (submitted results only)."""
    title = title or f"MLPerf {benchmark} ({scenario}): tokens/s per MW of facility power"
    if ranked.empty:
        return _empty(title, f"No MLPerf submission on {benchmark} {scenario} in the table", large=large, height=320)
    rows = ranked.iloc[::-1]  # best on top
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "y": [plain_label(n) for n in rows["name"]],
            "x": rows["tokens_per_s_per_mw"].astype(float).tolist(),
            "marker": {"color": [theme.OKABE_ITO[5] if s == highlight else theme.OKABE_ITO[0] for s in rows["system"]]},
            "text": [
                f"{fmt_number(v, 0)} tokens/s/MW ({r})"
                for v, r in zip(rows["tokens_per_s_per_mw"], rows["mlperf_round"])
            ],
            "textposition": "auto",
            "showlegend": False,
            "hovertemplate": "%{y}: %{x:,.0f} tokens/s per MW<extra></extra>",
        }
    ]
    annotations = []
    if missing:
        annotations.append(
            {
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.32,
                "showarrow": False,
                "xanchor": "left",
                "text": "No submission read (not estimated): " + ", ".join(missing),
            }
        )
    return _figure(
        title,
        data,
        large=large,
        height=max(280, 90 + 55 * len(rows)),
        annotations=annotations,
        xaxis={"title": {"text": "tokens/s per MW"}},
        margin={"l": 200, "r": 30, "t": 70, "b": 90},
    )
