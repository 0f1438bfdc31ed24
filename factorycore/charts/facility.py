"""Figures comparing a user's facility with the industry: plain frames in, go.Figure out.

Time-series builders expect frames already aggregated by :mod:`factorycore.userdata.aggregate`
(at most a few thousand buckets), so no figure carries more than
:data:`MAX_TRACE_POINTS` points per trace.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from factorycore.charts import theme
from factorycore.charts._common import plain_label
from factorycore.schema import LATEST_YEAR

MAX_TRACE_POINTS = 5000
SITE_COLOUR = "#E69F00"  # orange: "your site" on every facility chart


def _label(values: pd.Series) -> pd.Series:
    """Rack ids made inert for Plotly's tick labels and hover text."""
    return values.map(plain_label)


def _capped(frame: pd.DataFrame) -> pd.DataFrame:
    """A guard: never hand the browser more than MAX_TRACE_POINTS rows per trace."""
    return frame if len(frame) <= MAX_TRACE_POINTS else frame.iloc[:: -(-len(frame) // MAX_TRACE_POINTS)]


def density_comparison(
    site: pd.DataFrame,
    industry: pd.DataFrame,
    *,
    profile: str,
    year: int = LATEST_YEAR,
    site_label: str = "Your site",
    percentile_text: str | None = None,
    average_kw: float | None = None,
) -> go.Figure:
    """Share of racks per density band: the site next to an industry profile in ``year``.

    ``percentile_text`` is the site average's ordinal percentile ('22nd'), already worded.
    """
    fig = go.Figure()
    if not industry.empty:
        rows = industry.sort_values("band_order")
        fig.add_bar(
            x=rows["band"],
            y=rows["share_pct"],
            name=f"{theme.segment_label(profile)} ({year})",
            marker_color=theme.segment_colour(profile),
            hovertemplate="%{x}: %{y:.1f}% of racks<extra>%{fullData.name}</extra>",
        )
    order = site.sort_values("band_order")
    fig.add_bar(
        x=order["band"],
        y=order["share_pct"],
        name=plain_label(site_label),
        marker_color=SITE_COLOUR,
        customdata=order["racks"],
        hovertemplate="%{x}: %{y:.1f}% (%{customdata} racks)<extra>%{fullData.name}</extra>",
    )
    fig.update_layout(
        barmode="group", xaxis_title="kW per rack", yaxis_title="Share of racks (%)", legend_title_text=""
    )
    if percentile_text is not None and average_kw is not None:
        fig.add_annotation(
            text=(
                f"Average {average_kw:.1f} kW/rack: {percentile_text} percentile of "
                f"{theme.segment_label(profile).lower()} racks"
            ),
            xref="paper",
            yref="paper",
            x=0,
            y=1.08,
            showarrow=False,
            xanchor="left",
        )
    return theme.apply(fig, title="Rack density: your site against the industry")


def measured_vs_design(frame: pd.DataFrame) -> go.Figure:
    """Each rack's measured kW against its design kW; the diagonal is 100% of design."""
    rows = _capped(frame)
    fig = go.Figure()
    top = float(max(rows["design_kw"].max(), rows["measured_kw"].max())) if not rows.empty else 1.0
    fig.add_scatter(
        x=[0, top],
        y=[0, top],
        mode="lines",
        name="100% of design",
        line={"color": "#999999", "dash": "dash"},
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=rows["design_kw"],
        y=rows["measured_kw"],
        mode="markers",
        name="Racks",
        marker={"color": SITE_COLOUR, "size": 8, "opacity": 0.7},
        text=_label(rows["rack_id"]),
        hovertemplate="%{text}: %{y:.1f} of %{x:.1f} kW<extra></extra>",
    )
    fig.update_layout(xaxis_title="Design kW per rack", yaxis_title="Measured kW per rack")
    return theme.apply(fig, title="Measured against design power per rack")


def pue_over_time(frame: pd.DataFrame) -> go.Figure:
    """Energy-weighted PUE per time bucket."""
    rows = _capped(frame)
    fig = go.Figure()
    fig.add_scatter(x=rows["bucket"], y=rows["pue"], mode="lines", name="PUE", line={"color": SITE_COLOUR})
    size = rows["bucket_size"].iloc[0] if not rows.empty else ""
    fig.update_layout(xaxis_title=f"Time ({size} buckets)", yaxis_title="PUE (facility / IT energy)")
    return theme.apply(fig, title="PUE over time")


def telemetry_power(frame: pd.DataFrame) -> go.Figure:
    """Site power over time (sum of racks' mean power per bucket); from a rollup, the band of the finer
    site sums' minimum and maximum in each bucket."""
    rows = _capped(frame)
    fig = go.Figure()
    if "site_max_kw" in rows:  # read from a rollup: the range of the finer site sums in each bucket
        fig.add_scatter(x=rows["bucket"], y=rows["site_max_kw"], mode="lines", line={"width": 0}, showlegend=False)
        fig.add_scatter(
            x=rows["bucket"],
            y=rows["site_min_kw"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(0, 0, 0, 0.12)",
            name="Site kW, min to max in the bucket",
        )
    fig.add_scatter(
        x=rows["bucket"], y=rows["site_kw"], mode="lines", name="Site IT power (kW)", line={"color": SITE_COLOUR}
    )
    fig.add_scatter(
        x=rows["bucket"],
        y=rows["max_rack_kw"],
        mode="lines",
        name="Busiest rack (kW)",
        line={"color": "#0072B2"},
        yaxis="y2",
    )
    size = rows["bucket_size"].iloc[0] if not rows.empty else ""
    fig.update_layout(
        xaxis_title=f"Time ({size} buckets)",
        yaxis_title="Site kW",
        yaxis2={"title": "Busiest rack kW", "overlaying": "y", "side": "right", "showgrid": False},
    )
    return theme.apply(fig, title="Power over time")


def rack_power_bars(frame: pd.DataFrame, unit: str, title: str) -> go.Figure:
    """Each rack's (or node's) p95 and peak kW as horizontal bars, busiest on top (``rack_id, p95_kw, peak_kw``);
    with one instant only, ``kw`` alone. ``unit`` is 'rack' or 'node'."""
    rows = frame.iloc[::-1]
    names = _label(rows["rack_id"])
    fig = go.Figure()
    if "p95_kw" in rows:
        fig.add_bar(x=rows["p95_kw"], y=names, orientation="h", name="p95 kW", marker_color=SITE_COLOUR)
        fig.add_bar(x=rows["peak_kw"], y=names, orientation="h", name="Peak kW", marker_color="#0072B2")
    else:
        fig.add_bar(x=rows["kw"], y=names, orientation="h", name="kW", marker_color=SITE_COLOUR)
    fig.update_layout(barmode="group", xaxis_title=f"kW per {unit} (its sources summed)", yaxis={"type": "category"})
    return theme.apply(fig, title=title)


def power_chain(frame: pd.DataFrame) -> go.Figure:
    """Per rack: feed capacity (``feed_capacity_kw``) and, where measured, the p95 drawn (``measured_p95_kw``)."""
    names = _label(frame["rack_id"])
    fig = go.Figure()
    fig.add_bar(x=names, y=frame["feed_capacity_kw"], name="Feed capacity kW (A+B once)", marker_color="#999999")
    if "measured_p95_kw" in frame and frame["measured_p95_kw"].notna().any():
        fig.add_bar(x=names, y=frame["measured_p95_kw"], name="Measured p95 kW", marker_color=SITE_COLOUR)
    fig.update_layout(barmode="group", xaxis={"type": "category", "title": "Rack"}, yaxis_title="kW")
    return theme.apply(fig, title="Power chain per rack")


def hottest_racks(frame: pd.DataFrame) -> go.Figure:
    """The racks with the highest inlet temperature (95th percentile), hottest on top."""
    rows = frame.iloc[::-1]
    racks = _label(rows["rack_id"])
    has_temp = rows["inlet_p95_c"].notna().any()
    fig = go.Figure()
    if has_temp:
        fig.add_bar(
            x=rows["inlet_p95_c"],
            y=racks,
            orientation="h",
            name="Inlet p95 (°C)",
            marker_color="#D55E00",
            hovertemplate="%{y}: %{x:.1f} °C<extra></extra>",
        )
        fig.update_layout(xaxis_title="Inlet temperature, 95th percentile (°C)")
        title = "Hottest racks"
    else:
        fig.add_bar(
            x=rows["avg_kw"],
            y=racks,
            orientation="h",
            name="Mean kW",
            marker_color=SITE_COLOUR,
            hovertemplate="%{y}: %{x:.1f} kW<extra></extra>",
        )
        fig.update_layout(xaxis_title="Mean power (kW)")
        unit = str(frame["level"].iloc[0]) if "level" in frame and len(frame) else "rack"
        title = f"Busiest {unit}s (no temperatures in this dataset)"
    fig.update_layout(yaxis={"type": "category"}, showlegend=False)
    return theme.apply(fig, title=title)


def stranded_capacity(halls: pd.DataFrame, histogram: pd.DataFrame) -> go.Figure:
    """Left: allocated against measured (p95, peak) kW per hall; right: racks per utilisation bin.

    Hall names are the operator's text, made inert for Plotly labels.
    """
    from plotly.subplots import make_subplots  # noqa: PLC0415 - only this figure needs subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.55, 0.45],
        horizontal_spacing=0.12,
        subplot_titles=("Allocated against measured, by hall", "Racks by utilisation (p95 / allocated)"),
    )
    names = _label((halls["site"].astype(str) + " " + halls["hall"].astype(str)).str.strip().replace("", "(no hall)"))
    for column, label, colour in (
        ("allocated_kw", "Allocated (design) kW", "#999999"),
        ("measured_p95_kw", "Measured p95 kW", SITE_COLOUR),
        ("measured_peak_kw", "Measured peak kW", "#D55E00"),
    ):
        fig.add_bar(
            x=names,
            y=halls[column],
            name=label,
            marker_color=colour,
            row=1,
            col=1,
            hovertemplate="%{x}: %{y:,.1f} kW<extra>%{fullData.name}</extra>",
        )
    over = histogram["low_pct"] >= 100
    fig.add_bar(
        x=histogram["bin"],
        y=histogram["racks"],
        name="Racks",
        showlegend=False,
        row=1,
        col=2,
        marker_color=["#D55E00" if o else "#0072B2" for o in over],
        hovertemplate="%{x}: %{y} racks<extra></extra>",
    )
    fig.update_layout(barmode="group", legend_title_text="")
    fig.update_yaxes(title_text="kW", row=1, col=1)
    fig.update_yaxes(title_text="Racks", row=1, col=2)
    fig.update_xaxes(type="category", row=1, col=1)
    fig.update_xaxes(type="category", title_text="Utilisation (red: at or over allocation)", row=1, col=2)
    return theme.apply(fig, title="Stranded capacity: allocated against measured power")
