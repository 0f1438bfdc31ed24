"""Overview: the headline figures from the reference data, each with its source, and the way in."""

import streamlit as st

from factorycore import provenance
from factorycore.headlines import READING_NOTE, compute_headlines
from ui.chart_block import chart_block
from ui.controls import page_intro, source_label
from ui.data import article_chart, reference, reference_hash
from ui.metrics import Card, metric_cards
from ui.navigation import ARTICLE_PAGES

CONTRAST_SEGMENTS = ["enterprise", "ai_factory"]

page_intro(
    "AI factories in numbers",
    "Are AI factories a new class of data center, or the next phase of hyperscale? The figures "
    "below come from surveys, vendor documents and energy outlooks; each names its source, and "
    "estimates are marked as modelled. Open a chart to compare segments, years and scenarios.",
)



@st.cache_resource(show_spinner=False, max_entries=4)
def headline_cards(reference_hash: str) -> tuple[Card, ...]:
    """The headline cards of one reference build, made once and shared (they change only with the data)."""
    figures = compute_headlines(reference("rack_density"), reference("power_distribution"), reference("electricity"))
    sources = reference("sources")
    return tuple(
        Card(f.label, f.formatted(), help=" ".join(p for p in (f.panel + ".", f"“{f.quote}”" if f.quote else "",
                                                                 f.detail) if p) or None,
             caption=f"{f.status.capitalize()} · {source_label(f.source_id)}",
             link=provenance.evidence_link(f.source_id, f.seen_at, sources)) for f in figures)


metric_cards(headline_cards(reference_hash()), border=True)
st.caption(READING_NOTE)

st.subheader("Traditional versus AI racks")
contrast = article_chart("rack_density", segments=CONTRAST_SEGMENTS,
                         title="Enterprise and AI factory racks, kW per rack (2020–2026)")
chart_block(contrast, key="overview_density")

st.subheader("The charts")
for page in ARTICLE_PAGES.values():
    st.page_link(page.path, label=page.link_label, icon=page.icon)
