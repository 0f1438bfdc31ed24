"""One look for every chart: template, projector-sized type, colour-blind-safe colours.

Colours come from the Okabe-Ito palette (safe for the common colour-vision
deficiencies). A segment keeps one colour on every chart, so "hyperscale" is the
same blue on the density, distribution and maturity views.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from factorycore.schema import SEGMENTS

OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
    "#999999",  # grey
)

SEGMENT_COLOURS: dict[str, str] = {
    "industry_average": "#999999",
    "enterprise": "#56B4E9",
    "colocation": "#009E73",
    "hyperscale": "#0072B2",
    "ai_native_cloud": "#CC79A7",
    "ai_factory": "#D55E00",
}

# Neutral ink for reference marks (history, capacity, systems): readable on the light
# and the dark theme alike (4.5:1 on white, 4.1:1 on Streamlit's dark background), where
# black vanishes on dark.
INK = "#767676"

TEMPLATE_NAME = "factory"
BASE_FONT_SIZE_PX = 15


def segment_label(key: str) -> str:
    """Human label for a canonical segment key (unknown keys pass through)."""
    return SEGMENTS.get(key, key)


def segment_colour(key: str) -> str:
    """The one colour a segment has on every chart."""
    return SEGMENT_COLOURS.get(key, OKABE_ITO[sum(key.encode()) % len(OKABE_ITO)])


def _template() -> go.layout.Template:
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(
        font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": BASE_FONT_SIZE_PX},
        title={"font": {"size": BASE_FONT_SIZE_PX + 5}, "x": 0.015, "xanchor": "left"},
        colorway=list(OKABE_ITO),
        hoverlabel={"font": {"size": BASE_FONT_SIZE_PX}},
        legend={"font": {"size": BASE_FONT_SIZE_PX - 1}},
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
    )
    return template


pio.templates[TEMPLATE_NAME] = _template()


# Projector sizes: read from the back of a meeting room (about 22 px body, 30 px title).
LARGE_FONT_SIZE_PX = BASE_FONT_SIZE_PX + 7
LARGE_TITLE_SIZE_PX = BASE_FONT_SIZE_PX + 15


def apply(fig: go.Figure, *, title: str, large: bool = False) -> go.Figure:
    """Give a figure the house template and title; ``large`` scales type for a projector.

    Large type is set on the figure's own layout (not only the template), so it survives
    Streamlit's theming and any export; legend and hover text grow with the body text.
    """
    fig.update_layout(template=TEMPLATE_NAME, title={"text": title})
    if large:
        fig.update_layout(
            font={"size": LARGE_FONT_SIZE_PX},
            title={"font": {"size": LARGE_TITLE_SIZE_PX}},
            legend={"font": {"size": LARGE_FONT_SIZE_PX - 2}},
            hoverlabel={"font": {"size": LARGE_FONT_SIZE_PX - 2}},
        )
        fig.update_layout(legend={"title": {"font": {"size": LARGE_FONT_SIZE_PX - 2}}})
        # Axis fonts explicitly too: Streamlit's chart theme sets small axis fonts of its own.
        axis = {"tickfont": {"size": LARGE_FONT_SIZE_PX - 3}, "title": {"font": {"size": LARGE_FONT_SIZE_PX}}}
        fig.update_xaxes(**axis)
        fig.update_yaxes(**axis)
    return fig
