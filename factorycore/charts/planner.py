"""Planner figures: where facility power goes, the heat split, load against capacity,
the inputs that move annual cost, and saved scenarios side by side.

Plain data in (the ``*_rows`` frames of :class:`factorycore.planner.PlanResult`),
``go.Figure`` out; no engine calls here, so a chart draws exactly the rows shown
beside it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from factorycore.charts import theme
from factorycore.charts._common import empty_message, fmt_number, plain_label

LIQUID_COLOUR = theme.OKABE_ITO[0]
AIR_COLOUR = theme.OKABE_ITO[4]
LOAD_COLOUR = theme.OKABE_ITO[5]
CAPACITY_COLOUR = theme.INK
LOW_COLOUR = theme.OKABE_ITO[2]
HIGH_COLOUR = theme.OKABE_ITO[1]

_NODE_COLOURS: dict[str, str] = {
    "Grid": theme.INK,
    "UPS": theme.OKABE_ITO[8],
    "Distribution": theme.OKABE_ITO[8],
    "IT load": theme.OKABE_ITO[0],
    "Cooling": theme.OKABE_ITO[4],
    "UPS losses": theme.OKABE_ITO[5],
    "Distribution losses": theme.OKABE_ITO[5],
    "Lighting & other": theme.OKABE_ITO[6],
}

INPUT_LABELS: dict[str, tuple[str, str]] = {
    "it_kw": ("IT load", "kW"),
    "pue": ("PUE", ""),
    "utilization": ("Utilisation", ""),
    "price_usd_per_kwh": ("Electricity price", "USD/kWh"),
    "grid_kg_co2e_per_kwh": ("Grid carbon intensity", "kg/kWh"),
    "wue_l_per_kwh": ("WUE", "L/kWh"),
}


def _value_text(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")


@functools.cache
def _house_layout(large: bool) -> dict[str, Any]:
    """The house template and title style, resolved once by :func:`theme.apply`."""
    return theme.apply(go.Figure(), title="", large=large).to_dict()["layout"]


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _figure(title: str, data: list[dict[str, Any]], *, large: bool = False, **layout: Any) -> go.Figure:
    """A figure in the house look from plain trace and layout dicts.

    Plotly validates every property as it is set, which costs tens of milliseconds a
    figure, too slow for a page that redraws on each keystroke. These dicts are built
    here from fixed keys, and the tests validate every figure in full
    (``go.Figure(fig.to_dict())``), so construction skips the per-property check.
    """
    merged = _merge(copy.deepcopy(_house_layout(large)), {"title": {"text": title}, **layout})
    return go.Figure(data=data, layout=merged, _validate=False)


def _empty(title: str, message: str, *, large: bool = False, **layout: Any) -> go.Figure:
    return _figure(
        title,
        [],
        large=large,
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 18},
            }
        ],
        xaxis={"visible": False},
        yaxis={"visible": False},
        **layout,
    )


def power_sankey(
    flows: pd.DataFrame, *, facility_kw: float, title: str | None = None, large: bool = False
) -> go.Figure:
    """Sankey of facility power from the grid through UPS and distribution to IT, cooling and losses."""
    title = title or f"Where {fmt_number(facility_kw, 0)} kW of facility power goes"
    if flows.empty:
        return _empty(title, "No power-flow diagram for these inputs", large=large, height=420)
    nodes = list(dict.fromkeys([*flows["source"], *flows["target"]]))
    index = {name: i for i, name in enumerate(nodes)}
    kw = flows["kw"].astype(float).tolist()
    share = [k / facility_kw * 100 if facility_kw > 0 else 0.0 for k in kw]
    # A node carries the larger of what flows in and out (the grid has no inflow, sinks no outflow).
    through_kw = {
        n: max(flows.loc[flows["target"] == n, "kw"].sum(), flows.loc[flows["source"] == n, "kw"].sum()) for n in nodes
    }
    sankey = {
        "type": "sankey",
        "valueformat": ",.0f",
        "valuesuffix": " kW",
        "textfont": {"size": (theme.BASE_FONT_SIZE_PX + 6) if large else theme.BASE_FONT_SIZE_PX, "shadow": "none"},
        "node": {
            "label": [f"{n} {fmt_number(through_kw[n], 0)} kW" for n in nodes],
            "color": [_NODE_COLOURS.get(n, theme.OKABE_ITO[8]) for n in nodes],
            "pad": 18,
            "thickness": 18,
        },
        "link": {
            "source": [index[s] for s in flows["source"]],
            "target": [index[t] for t in flows["target"]],
            "value": kw,
            "customdata": [f"{p:.1f} % of facility power" for p in share],
            "hovertemplate": "%{source.label} → %{target.label}: %{value}<br>%{customdata}<extra></extra>",
        },
    }
    return _figure(title, [sankey], large=large, height=420)


def heat_split(heat: pd.DataFrame, *, technology: str, title: str | None = None, large: bool = False) -> go.Figure:
    """One stacked bar: the heat carried away by liquid and by air, in kW and share."""
    colours = {"liquid": LIQUID_COLOUR, "air": AIR_COLOUR}
    data = [
        {
            "type": "bar",
            "y": ["Heat to reject"],
            "x": [float(row.kw)],
            "name": f"{row.path.capitalize()} {row.share * 100:.0f} %",
            "orientation": "h",
            "marker": {"color": colours.get(row.path, theme.OKABE_ITO[8])},
            "text": [f"{row.path}: {fmt_number(row.kw, 0)} kW ({row.share * 100:.0f} %)"],
            "textposition": "inside",
            "insidetextanchor": "middle",
            "hovertemplate": f"{row.path}: %{{x:,.0f}} kW<extra></extra>",
        }
        for row in heat.itertuples()
    ]
    return _figure(
        title or f"Heat split, {technology} cooling",
        data,
        large=large,
        barmode="stack",
        height=260,
        xaxis={"title": {"text": "kW"}},
        yaxis={"showticklabels": False},
        legend={"orientation": "h", "y": -0.45},
        margin={"t": 60, "b": 40, "l": 30, "r": 30},
    )


def load_trajectory(
    trajectory: pd.DataFrame,
    *,
    capacity_mw: float,
    exhausted_year: int | None,
    title: str | None = None,
    large: bool = False,
) -> go.Figure:
    """Facility load by year against the site capacity, with the year capacity runs out marked."""
    years = [int(y) for y in trajectory["year"]]
    data = [
        {
            "type": "scatter",
            "x": years,
            "y": trajectory["load_mw"].astype(float).tolist(),
            "mode": "lines+markers",
            "name": "Facility load",
            "line": {"color": LOAD_COLOUR, "width": 3},
            "hovertemplate": "%{x}: %{y:,.2f} MW<extra></extra>",
        },
        {
            "type": "scatter",
            "x": years,
            "y": [float(capacity_mw)] * len(years),
            "mode": "lines",
            "name": "Site capacity",
            "line": {"color": CAPACITY_COLOUR, "dash": "dash"},
            "hovertemplate": f"capacity: {capacity_mw:,.2f} MW<extra></extra>",
        },
    ]
    shapes, annotations = [], []
    if exhausted_year is not None:
        shapes.append(
            {
                "type": "line",
                "x0": exhausted_year,
                "x1": exhausted_year,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "paper",
                "line": {"color": LOAD_COLOUR, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": exhausted_year,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": f"Capacity exceeded in {exhausted_year}",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"color": LOAD_COLOUR},
            }
        )
        verdict = f"exceeded in {exhausted_year}"
    else:
        verdict = f"enough to {max(years)}" if years else "no years"
    return _figure(
        title or f"Facility load vs {fmt_number(capacity_mw)} MW capacity: {verdict}",
        data,
        large=large,
        shapes=shapes,
        annotations=annotations,
        height=380,
        xaxis={"title": {"text": "Year"}, "dtick": 1},
        yaxis={"title": {"text": "MW"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25},
    )


def cost_tornado(
    sweep: pd.DataFrame,
    *,
    base_value: float,
    metric_label: str = "Annual cost, USD",
    title: str | None = None,
    large: bool = False,
) -> go.Figure:
    """Horizontal bars from each input's low to high effect on the metric, largest swing on top."""
    # Inputs that do not move this metric (carbon and water for cost) would be empty rows.
    rows = sweep[sweep["swing"] > 0].iloc[::-1]  # plotly draws the first category at the bottom
    labels = []
    for row in rows.itertuples():
        name, unit = INPUT_LABELS.get(row.input, (row.input, ""))
        suffix = f" {unit}" if unit else ""
        labels.append(f"{name} ({_value_text(row.low_value)}–{_value_text(row.high_value)}{suffix})")
    data = [
        {
            "type": "bar",
            "y": labels,
            "x": (rows[column] - base_value).astype(float).tolist(),
            "base": [float(base_value)] * len(rows),
            "orientation": "h",
            "name": name,
            "marker": {"color": colour},
            "hovertemplate": f"%{{y}}<br>{tag}: %{{customdata:,.0f}}<extra></extra>",
            "customdata": rows[column].astype(float).tolist(),
        }
        for column, name, colour, tag in (
            ("metric_low", "Input at its low value", LOW_COLOUR, "low"),
            ("metric_high", "Input at its high value", HIGH_COLOUR, "high"),
        )
    ]
    shapes = [
        {
            "type": "line",
            "x0": float(base_value),
            "x1": float(base_value),
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "paper",
            "line": {"color": CAPACITY_COLOUR, "width": 1},
        }
    ]
    return _figure(
        title or "What moves annual cost most (each input ±20 %)",
        data,
        large=large,
        shapes=shapes,
        barmode="overlay",
        height=380,
        xaxis={"title": {"text": metric_label}},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 300, "r": 30, "t": 70, "b": 60},
    )


COMPARISON_METRICS: tuple[tuple[str, str], ...] = (
    ("facility_kw", "Facility power, kW"),
    ("racks", "Racks"),
    ("annual_cost_usd", "Annual cost, USD"),
    ("annual_co2e_t", "Annual carbon, t CO2e"),
)


def scenario_comparison(
    frame: pd.DataFrame,
    metrics: Sequence[tuple[str, str]] = COMPARISON_METRICS,
    title: str = "Saved scenarios side by side",
    large: bool = False,
) -> go.Figure:
    """One small bar chart per metric, a bar per scenario (each metric on its own scale)."""
    fig = make_subplots(rows=1, cols=len(metrics), subplot_titles=[label for _, label in metrics])
    names = [plain_label(n) for n in frame["scenario"].astype(str)] if "scenario" in frame else []
    colours = [theme.OKABE_ITO[i % len(theme.OKABE_ITO)] for i in range(len(names))]
    for col, (key, label) in enumerate(metrics, start=1):
        fig.add_trace(
            go.Bar(
                x=names,
                y=frame[key].tolist() if key in frame else [],
                marker_color=colours,
                showlegend=False,
                name=label,
                hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
            ),
            row=1,
            col=col,
        )
    theme.apply(fig, title=title, large=large)
    fig.update_layout(height=380)
    fig.update_annotations(font={"size": theme.BASE_FONT_SIZE_PX})
    if not names:
        empty_message(fig, "No scenarios chosen")
    return fig
