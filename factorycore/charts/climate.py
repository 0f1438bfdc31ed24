"""Climate figures: hourly PUE as a month x hour heat map, chiller-free hours per W-class, architectures side by side.

Plain data in (from :mod:`factorycore.climate`), ``go.Figure`` out, in the planner charts' house look.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from factorycore.charts import theme
from factorycore.charts.planner import _empty, _figure

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ANNUAL_COLOUR = theme.OKABE_ITO[0]
DESIGN_COLOUR = theme.OKABE_ITO[5]
CLASS_COLOUR = theme.OKABE_ITO[2]
CHOSEN_COLOUR = theme.OKABE_ITO[1]


def pue_heatmap(grid: np.ndarray, *, title: str, large: bool = False) -> go.Figure:
    """Mean hourly PUE by month (rows) and hour of day (columns)."""
    if not np.isfinite(grid).any():
        return _empty(title, "No hours to draw", large=large)
    z = [[None if not np.isfinite(v) else round(float(v), 4) for v in row] for row in grid]
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": list(range(24)),
            "y": list(MONTHS),
            "colorscale": "YlOrRd",
            "colorbar": {"title": {"text": "PUE"}},
            "hovertemplate": "%{y}, %{x}:00: PUE %{z:.3f}<extra></extra>",
        }
    ]
    return _figure(
        title,
        data,
        large=large,
        xaxis={"title": {"text": "Hour of day (local standard time)"}, "dtick": 3},
        yaxis={"autorange": "reversed"},
    )


def class_hours(hours: Mapping[str, int], *, chosen: str, title: str, large: bool = False) -> go.Figure:
    """Chiller-free hours of a direct-liquid loop at each W-class, the plan's class marked."""
    names = list(hours)
    data = [
        {
            "type": "bar",
            "x": names,
            "y": [int(hours[n]) for n in names],
            "marker": {"color": [CHOSEN_COLOUR if n == chosen else CLASS_COLOUR for n in names]},
            "text": [f"{int(hours[n]):,} h" for n in names],
            "textposition": "auto",
            "hovertemplate": "%{x}: %{y:,} chiller-free hours<extra></extra>",
        }
    ]
    return _figure(
        title,
        data,
        large=large,
        showlegend=False,
        yaxis={"title": {"text": "Hours a year without a chiller"}, "range": [0, 8760]},
        xaxis={"title": {"text": "ASHRAE facility-water class"}},
    )


def architecture_comparison(rows: pd.DataFrame, *, title: str, large: bool = False) -> go.Figure:
    """Annual (energy-weighted) and design-hour PUE of each architecture on the same weather."""
    ok = rows[rows["error"].astype(str) == ""] if "error" in rows else rows
    if ok.empty:
        return _empty(title, "No architecture could run on this weather", large=large)
    labels = ok["architecture"].astype(str).tolist()
    data = [
        {
            "type": "bar",
            "name": "Annual PUE",
            "x": labels,
            "y": ok["annual_pue"].astype(float).round(4).tolist(),
            "marker": {"color": ANNUAL_COLOUR},
            "hovertemplate": "%{x}: annual PUE %{y:.3f}<extra></extra>",
        },
        {
            "type": "bar",
            "name": "Design-hour PUE (0.4 %)",
            "x": labels,
            "y": ok["design_pue"].astype(float).round(4).tolist(),
            "marker": {"color": DESIGN_COLOUR},
            "text": [f"WUE {w:.2f} L/kWh" for w in ok["wue_l_per_kwh"].astype(float)],
            "textposition": "outside",
            "hovertemplate": "%{x}: design PUE %{y:.3f} (%{text})<extra></extra>",
        },
    ]
    low = max(1.0, float(ok["annual_pue"].min()) - 0.05)
    high = float(ok["design_pue"].max()) + 0.08
    return _figure(title, data, large=large, barmode="group", yaxis={"title": {"text": "PUE"}, "range": [low, high]})
