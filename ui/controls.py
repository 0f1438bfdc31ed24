"""Widgets and small display pieces the pages share.

Each article page is a few controls, one chart and its provenance; the controls that
recur (segment pickers, year choice, the "show modelled" switch, the page intro, a
source's display name, tabs that draw only the open one) live here once so every page
behaves the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

from factorycore import provenance
from factorycore.charts import theme
from ui.data import reference


def open_tab_only(tabs: Mapping[str, Callable[[], None]], *, key: str) -> None:
    """Lay out ``tabs`` (label -> what draws it) and draw only the open one; switching tabs reruns the page."""
    for tab, draw in zip(st.tabs(list(tabs), key=key, on_change="rerun"), tabs.values()):
        if tab.open:
            with tab:
                draw()


def page_intro(title: str, text: str) -> None:
    """Page title and one short paragraph saying what the chart answers."""
    st.title(title)
    st.markdown(text)


def segment_picker(
    container: Any, label: str, options: Sequence[str], *, key: str, default: Sequence[str] | None = None
) -> list[str]:
    """Multiselect over segment keys, shown with their house labels, in a stable order."""
    ordered = [s for s in theme.SEGMENT_COLOURS if s in options] + sorted(set(options) - set(theme.SEGMENT_COLOURS))
    return container.multiselect(
        label,
        ordered,
        default=list(default) if default is not None else ordered,
        format_func=theme.segment_label,
        key=key,
    )


def year_picker(container: Any, label: str, years: Sequence[int], *, key: str) -> int | None:
    """Select a year (latest by default); with one year only, say so instead of a control."""
    years = sorted(int(y) for y in years)
    if not years:
        return None
    if len(years) == 1:
        container.caption(f"{label}: {years[0]} (the only year with data)")
        return years[0]
    return int(container.select_slider(label, options=years, value=years[-1], key=key))


def modelled_toggle(container: Any, *, key: str) -> bool:
    """The 'show modelled estimates' switch; off shows reported and derived rows only."""
    return bool(
        container.toggle(
            "Show modelled estimates",
            value=True,
            key=key,
            help="Modelled rows are this project's estimates (method in data/README.md); "
            "switch off to see reported and derived figures only.",
        )
    )


def source_label(source_ids: str) -> str:
    """'Publisher, Title (year)' for one source_id or several joined with '; '."""
    return provenance.cite(source_ids, reference("sources"))


def pick_from_selection(key: str, choice_key: str, picked: str | None) -> None:
    """Let a chart click drive a selectbox: a newly clicked value becomes the box's choice.

    Called before the selectbox is drawn. Only a click that differs from the last one
    handled changes the box, so choosing in the box afterwards is not overridden by an
    old click that is still in the chart's selection state.
    """
    last_key = f"{key}-last-click"
    if picked is not None and picked != st.session_state.get(last_key):
        st.session_state[choice_key] = picked
    st.session_state[last_key] = picked
