"""The overview's headline cards and first chart: made here so the page and ``ui.launch`` share them.

The overview is the page a first visitor lands on. ``ui.launch`` calls :func:`warm` as
the server starts, so after a restart that visitor's page finds its reference queries,
headline figures and first figure already made and only draws (a cold first chart
1.2-1.3x the bare app's before, ``python -m bench first_paint``).
"""

from __future__ import annotations

import streamlit as st

from factorycore import db, provenance
from factorycore.headlines import compute_headlines
from factorycore.views import View
from ui.controls import source_label
from ui.data import article_chart, reference, reference_hash
from ui.metrics import Card

CONTRAST_SEGMENTS = ["enterprise", "ai_factory"]
CONTRAST_TITLE = "Enterprise and AI factory racks, kW per rack (2020–2026)"


@st.cache_resource(show_spinner=False, max_entries=4)
def _headline_cards(reference_hash: str) -> tuple[Card, ...]:
    figures = compute_headlines(reference("rack_density"), reference("power_distribution"), reference("electricity"))
    sources = reference("sources")
    return tuple(
        Card(
            f.label,
            f.formatted(),
            help=" ".join(p for p in (f.panel + ".", f"“{f.quote}”" if f.quote else "", f.detail) if p) or None,
            caption=f"{f.status.capitalize()} · {source_label(f.source_id)}",
            link=provenance.evidence_link(f.source_id, f.seen_at, sources),
        )
        for f in figures
    )


def headline_cards() -> tuple[Card, ...]:
    """The headline cards of the current reference build, made once and shared (they change only with the data)."""
    return _headline_cards(reference_hash())


def contrast_chart() -> View:
    """The overview's first chart: enterprise against AI factory racks."""
    return article_chart("rack_density", segments=CONTRAST_SEGMENTS, title=CONTRAST_TITLE)


def warm() -> None:
    """Make the overview's cards and first chart now (outside any page run), holding the database meanwhile."""
    with db.hold():
        headline_cards()
        contrast_chart()
