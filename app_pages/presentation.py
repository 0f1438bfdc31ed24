"""Presentation: one article chart per slide, projector-sized, with next and previous.

The slide number lives in the URL (``?slide=3``), so a presenter can bookmark or send a
link to one slide, and the browser's back button steps back through the slides.
``?scenario=NAME`` adds a saved planner scenario's charts (planner and plant sections)
after the article's. The sidebar starts collapsed; charts are built with ``large=True``
(projector type sizes).
"Download as PowerPoint" takes the same slides away as an editable deck (key figures and
sources included), built when clicked.
"""

from __future__ import annotations

import functools

import streamlit as st

from factorycore import db, planner, reference, scenarios
from factorycore.export import deck, report
from factorycore.views import ARTICLE_VIEW_IDS, View
from factorycore.views.planner import all_plan_views
from ui.chart_block import drawable
from ui.data import article_chart, connection

SLIDES: tuple[str, ...] = ARTICLE_VIEW_IDS
SLIDE_HEIGHT_PX = 540  # the slide with its controls fits a 1280x720 projector

st.set_page_config(layout="wide", initial_sidebar_state="collapsed")


def scenario_slides(name: str | None, saved: list[str]) -> list[View]:
    """A saved scenario's charts, re-planned now; none for no name or one not in ``saved``."""
    if not name or name not in saved:
        return []
    try:
        _, _, result = planner.saved_plan(connection(), name)
    except ValueError:
        return []
    return all_plan_views(result, reference.sources(connection()), large=True)


def slide_number(value: str | None, total: int = len(SLIDES)) -> int:
    """1-based slide from the URL: a number or a chart id; anything else is slide 1."""
    if value in SLIDES:
        return SLIDES.index(value) + 1
    try:
        number = int(str(value))
    except ValueError:
        return 1
    return min(max(number, 1), total)


def _deck(scenario: str | None) -> bytes:
    """These slides as a PowerPoint deck, with the key figures first and the sources last (built
    on click, outside a script run, so it holds the database itself)."""
    with db.hold() as con:
        sections = report.build_report(con, charts=SLIDES, include_headlines=True, scenario=scenario)
    return deck.deck_bytes(sections)


def _step(delta: int, total: int) -> None:
    current = slide_number(st.query_params.get("slide"), total)
    st.query_params["slide"] = str(min(max(current + delta, 1), total))


saved = scenarios.names(connection())
scenario = st.query_params.get("scenario")
extra = scenario_slides(scenario, saved)
scenario = scenario if extra else None
total = len(SLIDES) + len(extra)
number = slide_number(st.query_params.get("slide"), total)
if st.query_params.get("slide") != str(number):
    st.query_params["slide"] = str(number)
chart_id = SLIDES[number - 1] if number <= len(SLIDES) else f"scenario-{number - len(SLIDES)}"

result = article_chart(chart_id, large=True) if number <= len(SLIDES) else extra[number - len(SLIDES) - 1]

back, counter, forward = st.columns([2, 5, 2], vertical_alignment="center")
# PageUp / PageDown: what a presenter's remote clicker sends.
back.button(
    "Previous",
    key="slide-previous",
    icon=":material/arrow_back:",
    on_click=_step,
    args=(-1, total),
    disabled=number == 1,
    width="stretch",
    shortcut="PageUp",
)
counter.markdown(f"**Slide {number} / {total}**", text_alignment="center")
forward.button(
    "Next",
    key="slide-next",
    icon=":material/arrow_forward:",
    on_click=_step,
    args=(1, total),
    disabled=number == total,
    width="stretch",
    shortcut="PageDown",
)

st.plotly_chart(
    drawable(result.fig),
    key=f"slide-{chart_id}",
    height=SLIDE_HEIGHT_PX,
    config={"displaylogo": False, "displayModeBar": False},
)
st.caption(result.caption)
st.download_button(
    "Download as PowerPoint",
    data=functools.partial(_deck, scenario),
    file_name="ai-factory-slides.pptx",
    mime=deck.PPTX_MIME,
    key="slides-deck",
    on_click="ignore",
    icon=":material/slideshow:",
    help="Every slide as an editable deck (native charts where PowerPoint has one), with the key figures and sources.",
)

if saved:
    choice = st.selectbox(
        "Add a saved planner scenario's slides",
        ["(none)", *saved],
        index=saved.index(scenario) + 1 if scenario in saved else 0,
        key="slides-scenario",
    )
    wanted = None if choice == "(none)" else choice
    if wanted != scenario:
        st.query_params["scenario"] = wanted or ""
        st.rerun()
