"""Headline numbers as cards that wrap to the screen's width.

Fixed four-column grids cut figures off on a laptop or a narrow window ("2,11…");
cards of a fixed width in a wrapping row keep every number whole at any width.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st

CARD_WIDTH_PX = 250


@dataclass(frozen=True)
class Card:
    """One headline: label, formatted value, optional hover help, a line below it and an evidence link."""

    label: str
    value: str
    help: str | None = None
    caption: str | None = None
    link: str | None = None


def metric_cards(cards: Iterable[Card], *, border: bool = False, width_px: int = CARD_WIDTH_PX) -> None:
    """Draw the cards in one wrapping row."""
    with st.container(horizontal=True, wrap=True, gap="small"):
        for card in cards:
            with st.container(border=border, width=width_px):
                st.metric(card.label, card.value, help=card.help)
                if card.caption:
                    st.caption(card.caption)
                if card.link:
                    st.link_button("Evidence", card.link, type="tertiary", icon=":material/open_in_new:")
