"""Rack density evolution, 2020–2026: segments over time, with AI systems on the same scale.

The article's first chart claims traditional racks run at 5–15 kW and AI racks at
50–100+ kW. This chart shows both bands, each segment's average (with its low–high
range where the data has one), and where real AI systems (DGX A100 to GB300 NVL72 and
announced racks) land on the same kW-per-rack axis, so the claim can be checked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from factorycore.charts import theme
from factorycore.charts._common import empty_message, fmt_number, marker_symbol, source_names
from factorycore.schema import LATEST_YEAR

TITLE = "Average rack power density, kW per rack (2020–2026)"
# The two ranges the article states in its text (DCPulse, May 2026).
TRADITIONAL_BAND_KW: tuple[float, float] = (5.0, 15.0)
AI_BAND_KW: tuple[float, float] = (50.0, 100.0)
SYSTEM_COLOUR = theme.INK
LOG_TICKS_KW: tuple[float, ...] = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def _hex_to_rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def selected_density(density: pd.DataFrame, segments: Sequence[str] | None = None) -> pd.DataFrame:
    """The density rows for the chosen segments (all segments when None)."""
    rows = density if segments is None else density[density["segment"].isin(list(segments))]
    return rows.reset_index(drop=True)


def systems_on_scale(hardware: pd.DataFrame | None, *, include_modelled: bool = True) -> pd.DataFrame:
    """AI systems with the rack power they are deployed at (kW per rack), oldest first.

    A system's rack power is its ``default_rack_kw`` (a whole NVL72 rack, or four
    DGX boxes in one rack); where that is missing, the system's own power.
    """
    if hardware is None or hardware.empty:
        return pd.DataFrame(columns=["id", "name", "year", "rack_kw"])
    systems = hardware[hardware["kind"] == "system"].copy() if "kind" in hardware else hardware.copy()
    if not include_modelled:
        systems = systems[systems["status"] != "modelled"]
    rack = systems.get("default_rack_kw", pd.Series(float("nan"), index=systems.index))
    systems["rack_kw"] = rack.fillna(systems["power_kw"])
    systems = systems.dropna(subset=["rack_kw", "year"])
    return systems.sort_values(["year", "rack_kw"]).reset_index(drop=True)


def is_announced(systems: pd.DataFrame, last_year: int) -> pd.Series:
    """Systems not shipping within the density data's years (announced racks)."""
    note = systems.get("note", pd.Series("", index=systems.index)).fillna("").astype(str)
    availability = systems.get("availability", pd.Series("", index=systems.index)).fillna("").astype(str)
    return (systems["year"] > last_year) | note.str.contains("announced", case=False) | (availability == "announced")


def rack_density_rows(
    density: pd.DataFrame,
    hardware: pd.DataFrame | None = None,
    *,
    segments: Sequence[str] | None = None,
    include_modelled: bool = True,
) -> pd.DataFrame:
    """Every row the chart draws: density rows, then the AI systems placed on the scale."""
    density = density if include_modelled else density[density["status"] != "modelled"]
    parts = [selected_density(density, segments).assign(dataset="rack_density")]
    systems = systems_on_scale(hardware, include_modelled=include_modelled)
    if not systems.empty:
        keep = [
            c
            for c in (
                "year",
                "id",
                "name",
                "accelerators",
                "power_kw",
                "power_basis",
                "rack_kw",
                "source_id",
                "status",
                "note",
            )
            if c in systems
        ]
        parts.append(systems[keep].rename(columns={"rack_kw": "kw_per_rack"}).assign(dataset="hardware"))
    return pd.concat(parts, ignore_index=True, sort=False)


def _segment_traces(fig: go.Figure, seg_rows: pd.DataFrame, segment: str, sources: pd.DataFrame | None) -> None:
    colour = theme.segment_colour(segment)
    label = theme.segment_label(segment)
    avg = seg_rows[seg_rows["statistic"] == "average"].sort_values("year")
    low = seg_rows[seg_rows["statistic"] == "low"].groupby("year")["kw_per_rack"].mean()
    high = seg_rows[seg_rows["statistic"] == "high"].groupby("year")["kw_per_rack"].mean()
    years = sorted(set(low.index) & set(high.index))
    if years:
        fig.add_trace(
            go.Scatter(
                x=years,
                y=[high[y] for y in years],
                mode="lines",
                line={"width": 0},
                legendgroup=segment,
                showlegend=False,
                hoverinfo="skip",
                name=f"{label} high",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=years,
                y=[low[y] for y in years],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_hex_to_rgba(colour, 0.10),
                legendgroup=segment,
                showlegend=False,
                hoverinfo="skip",
                name=f"{label} low–high range",
            )
        )
    if avg.empty:
        return
    ranges = {y: f"model range {fmt_number(low[y])}–{fmt_number(high[y])} kW" for y in years}
    # Survey figures (reported / derived) and modelled estimates get their own line, so a
    # model never continues a survey series; markers show every row with its source.
    for modelled, part in ((False, avg[avg["status"] != "modelled"]), (True, avg[avg["status"] == "modelled"])):
        if part.empty:
            continue
        suffix = " · modelled" if modelled else (" · surveys" if segment == "industry_average" else "")
        line = _line_values(part)
        fig.add_trace(
            go.Scatter(
                x=line.index,
                y=line.values,
                mode="lines",
                name=label + suffix,
                legendgroup=segment,
                line={"color": colour, "width": 3, "dash": "dash" if modelled else "solid"},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["kw_per_rack"],
                mode="markers",
                name=label + suffix,
                legendgroup=segment,
                marker={
                    "color": colour,
                    "size": 11,
                    "line": {"width": 2, "color": colour},
                    "symbol": [marker_symbol(s) for s in part["status"]],
                },
                customdata=list(
                    zip(part["status"], source_names(part, sources), [ranges.get(y, "") for y in part["year"]])
                ),
                hovertemplate=(
                    f"<b>{label}</b><br>%{{x}}: %{{y:,.1f}} kW per rack (average)"
                    "<br>%{customdata[2]}<br>%{customdata[0]} · source: %{customdata[1]}<extra></extra>"
                ),
            )
        )


def _line_values(part: pd.DataFrame) -> pd.Series:
    """One value per year for a connecting line: reported beats derived; ties are averaged."""
    rank = part["status"].map({"reported": 0, "derived": 1, "modelled": 2}).fillna(3)
    best = part[rank == rank.groupby(part["year"]).transform("min")]
    return best.groupby("year")["kw_per_rack"].mean().sort_index()


def _system_traces(fig: go.Figure, systems: pd.DataFrame, last_year: int, sources: pd.DataFrame | None) -> None:
    if systems.empty:
        return
    announced = is_announced(systems, last_year)
    for flag, name in ((False, "AI systems (rack power)"), (True, "Announced AI racks")):
        part = systems[announced == flag]
        if part.empty:
            continue
        accel = part.get("accelerators", pd.Series(pd.NA, index=part.index))
        system_kw = part.get("power_kw", pd.Series(float("nan"), index=part.index))
        basis = part.get("power_basis", pd.Series("", index=part.index)).fillna("")
        custom = list(
            zip(
                part["status"],
                source_names(part, sources),
                [fmt_number(v) for v in system_kw],
                ["n/a" if pd.isna(a) else str(int(a)) for a in accel],
                [f" ({b} basis)" if b else "" for b in basis],
            )
        )
        symbols = ["star-open" if flag or s == "modelled" else "star" for s in part["status"]]
        positions = ["middle left" if flag or i % 2 else "middle right" for i in range(len(part))]
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=part["rack_kw"],
                mode="markers+text",
                name=name,
                text=part["name"],
                textposition=positions,
                textfont={"size": 11},
                marker={"color": SYSTEM_COLOUR, "size": 13, "symbol": symbols, "line": {"width": 1.5}},
                customdata=custom,
                hovertemplate=(
                    "<b>%{text}</b> (%{x})<br>%{y:,.1f} kW per rack"
                    "<br>system: %{customdata[2]} kW%{customdata[4]}, %{customdata[3]} accelerators"
                    "<br>%{customdata[0]} · source: %{customdata[1]}<extra></extra>"
                ),
            )
        )


def rack_density_figure(
    density: pd.DataFrame,
    hardware: pd.DataFrame | None = None,
    *,
    segments: Sequence[str] | None = None,
    include_modelled: bool = True,
    log_y: bool = True,
    show_bands: bool = True,
    sources: pd.DataFrame | None = None,
    title: str = TITLE,
    large: bool = False,
) -> go.Figure:
    """Segments' average kW per rack by year, their low–high range, the article's bands and AI systems.

    ``density`` is ``reference.rack_density``; ``include_modelled=False`` drops modelled
    rows (density and systems) to show reported and derived data only; ``hardware`` is
    ``reference.hardware`` (systems are placed at their rack power). Modelled points are
    hollow, modelled lines dashed. The default log axis keeps 5 kW and 600 kW racks
    readable on one chart.
    """
    fig = go.Figure()
    if not include_modelled:
        density = density[density["status"] != "modelled"]
    rows = selected_density(density, segments)
    order = [s for s in theme.SEGMENT_COLOURS if s in set(rows["segment"])]
    order += sorted(set(rows["segment"]) - set(order))
    for segment in order:
        _segment_traces(fig, rows[rows["segment"] == segment], segment, sources)
    last_year = int(density["year"].max()) if not density.empty else LATEST_YEAR
    systems = systems_on_scale(hardware, include_modelled=include_modelled)
    _system_traces(fig, systems, last_year, sources)

    if show_bands:
        for (y0, y1), text, colour in (
            (TRADITIONAL_BAND_KW, "Traditional racks, 5–15 kW", "#56B4E9"),
            (AI_BAND_KW, "AI racks, 50–100+ kW", "#D55E00"),
        ):
            # Shapes take data values on a log axis, annotations take log10 values.
            fig.add_hrect(y0=y0, y1=y1, fillcolor=colour, opacity=0.12, line_width=0, layer="below")
            fig.add_annotation(
                text=text,
                xref="paper",
                x=0.0,
                xanchor="left",
                yanchor="bottom",
                y=math.log10(y1) if log_y else y1,
                showarrow=False,
                font={"size": 12, "color": theme.INK},
            )
    if not fig.data:
        empty_message(fig, "No rack-density data for this selection")
    theme.apply(fig, title=title, large=large)
    fig.update_xaxes(title_text="Year  (hollow markers, dashed lines = modelled estimates)", dtick=1, tickformat="d")
    if log_y:
        fig.update_yaxes(title_text="kW per rack (log scale)", type="log", tickvals=LOG_TICKS_KW)
    else:
        fig.update_yaxes(title_text="kW per rack", type="linear", rangemode="tozero")
    fig.update_layout(legend={"title": {"text": "Segment"}}, hovermode="closest", height=560)
    return fig
