"""Power distribution: the share of racks in each density band, per facility profile.

The article's second chart says most facilities still run below 10 kW per rack
while AI pushes into high-density zones. Side-by-side bars per profile make the gap
between an enterprise hall and an AI factory visible; modelled shares are hatched.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from factorycore.charts import theme
from factorycore.charts._common import empty_message, source_names
from factorycore.schema import DENSITY_PROFILES

TITLE = "Share of racks by power density band, {year} profiles"
PROFILE_ORDER: tuple[str, ...] = DENSITY_PROFILES
LAYOUTS: tuple[str, ...] = ("grouped", "stacked")


def available_years(dist: pd.DataFrame) -> list[int]:
    """Years the distribution data covers, oldest first."""
    return sorted(int(y) for y in dist["year"].dropna().unique())


def power_distribution_rows(
    dist: pd.DataFrame, *, year: int | None = None, profiles: Sequence[str] | None = None
) -> pd.DataFrame:
    """The rows the chart draws: one year (the latest when None), the chosen profiles."""
    if dist.empty:
        return dist
    year = year if year is not None else max(available_years(dist))
    rows = dist[dist["year"] == year]
    if profiles is not None:
        rows = rows[rows["profile"].isin(list(profiles))]
    return rows.sort_values(["profile", "band_order"]).reset_index(drop=True)


def _profile_order(rows: pd.DataFrame) -> list[str]:
    present = set(rows["profile"])
    return [p for p in PROFILE_ORDER if p in present] + sorted(present - set(PROFILE_ORDER))


def _bands(rows: pd.DataFrame) -> list[str]:
    return list(rows.sort_values("band_order").drop_duplicates("band")["band"])


def power_distribution_figure(
    dist: pd.DataFrame,
    *,
    year: int | None = None,
    profiles: Sequence[str] | None = None,
    layout: str = "grouped",
    sources: pd.DataFrame | None = None,
    title: str | None = None,
    large: bool = False,
) -> go.Figure:
    """Bars of share per density band for each profile; ``layout`` 'grouped' or 'stacked' (100 %).

    ``dist`` is ``reference.power_distribution``; ``year`` defaults to the latest.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    rows = power_distribution_rows(dist, year=year, profiles=profiles)
    shown_year = int(rows["year"].iloc[0]) if not rows.empty else year
    fig = go.Figure()
    bands = _bands(rows) if not rows.empty else []
    profiles_in_order = _profile_order(rows) if not rows.empty else []
    rows = rows.assign(_source=source_names(rows, sources)) if not rows.empty else rows
    hover = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]} kW per rack: %{customdata[2]:.1f}% of racks"
        "<br>%{customdata[3]} · source: %{customdata[4]}<extra></extra>"
    )

    def custom(part: pd.DataFrame) -> list[tuple]:
        return [
            (theme.segment_label(p), b.replace(" kW", ""), s, st, src)
            for p, b, s, st, src in zip(
                part["profile"], part["band"], part["share_pct"], part["status"], part["_source"]
            )
        ]

    if layout == "grouped":
        for profile in profiles_in_order:
            part = rows[rows["profile"] == profile].sort_values("band_order")
            colour = theme.segment_colour(profile)
            fig.add_trace(
                go.Bar(
                    x=part["band"],
                    y=part["share_pct"],
                    name=theme.segment_label(profile),
                    marker={
                        "color": colour,
                        "line": {"color": colour, "width": 1.5},
                        "pattern": {
                            "shape": ["/" if s == "modelled" else "" for s in part["status"]],
                            "fillmode": "overlay",
                            "solidity": 0.35,
                            "fgcolor": "white",
                        },
                    },
                    customdata=custom(part),
                    hovertemplate=hover,
                )
            )
        fig.update_layout(barmode="group", legend={"title": {"text": "Profile"}})
        fig.update_xaxes(
            title_text="Rack power density band, kW per rack  (hatched = modelled)",
            categoryorder="array",
            categoryarray=bands,
        )
        fig.update_yaxes(title_text="Share of racks, %", ticksuffix="%", rangemode="tozero")
    else:
        colours = sample_colorscale("Viridis", [i / max(len(bands) - 1, 1) for i in range(len(bands))])
        labels = [theme.segment_label(p) for p in profiles_in_order]
        for band, colour in zip(bands, colours):
            part = (
                rows[rows["band"] == band]
                .set_index("profile")
                .reindex(profiles_in_order)
                .dropna(subset=["share_pct"])
                .reset_index()
            )
            fig.add_trace(
                go.Bar(
                    y=[theme.segment_label(p) for p in part["profile"]],
                    x=part["share_pct"],
                    name=band,
                    orientation="h",
                    marker={
                        "color": colour,
                        "pattern": {
                            "shape": ["/" if s == "modelled" else "" for s in part["status"]],
                            "fillmode": "overlay",
                            "solidity": 0.3,
                            "fgcolor": "white",
                        },
                    },
                    customdata=custom(part),
                    hovertemplate=hover,
                )
            )
        fig.update_layout(barmode="stack", legend={"title": {"text": "kW per rack"}, "traceorder": "normal"})
        fig.update_xaxes(title_text="Share of racks, %  (hatched = modelled)", ticksuffix="%", range=[0, 100])
        fig.update_yaxes(title_text="Profile", categoryorder="array", categoryarray=labels[::-1])
    if not fig.data:
        empty_message(fig, "No power-distribution data for this selection")
    theme.apply(fig, title=title or TITLE.format(year=shown_year if shown_year is not None else ""), large=large)
    return fig
