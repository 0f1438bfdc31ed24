"""The Planner's plant sections: their inputs (widgets <-> PlanInputs fields) and what they show.

Every section registered in :data:`factorycore.planner.SECTIONS` (electrical plant, liquid
loop, runway under uncertainty, MLPerf output, ...) gets its widgets here, drawn from its
input table, and one tab with its reading, its charts and any table under them. The
widget keys join :data:`ui.planner_inputs.KEYS`, so the URL, saved scenarios and "Load
into planner" carry these inputs like every other.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from factorycore import numbers, planner
from factorycore import reference as reference_tables
from factorycore.planner.spec import Input, Section, SectionView
from factorycore.views import NothingToDraw
from ui import plan_cache
from ui.chart_block import chart_block
from ui.controls import open_tab_only
from ui.data import connection, reference, reference_hash
from ui.tables import safe_table
from ui.text import plain_md


def _keys(section_inputs: tuple[Input, ...]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for inp in section_inputs:
        keys[inp.name] = inp.key
        if inp.toggle:
            keys[f"{inp.name}_on"] = inp.toggle_key
    return keys


PLANT_INPUTS: tuple[Input, ...] = tuple(i for s in planner.SECTIONS for i in s.inputs)
KEYS: dict[str, str] = _keys(PLANT_INPUTS)
SECTIONS = tuple(s.title for s in planner.SECTIONS if not s.block)  # the plant tabs
TAB_KEY = "pl_plant_tab"  # which section is open: the view's state, not an input (not in the link)


@st.cache_resource(show_spinner=False, max_entries=4)
def _throughput(reference_hash: str) -> pd.DataFrame:
    return reference_tables.throughput(connection())


def throughput() -> pd.DataFrame:
    """The MLPerf rows, one frame per reference build shared by every session (never mutate it)."""
    return _throughput(reference_hash())


def page_data() -> dict[str, Any]:
    """The reference data an input's choices may come from (``Input.options``)."""
    return {"throughput": throughput()}


def widget_value(inp: Input, value: Any) -> dict[str, Any]:
    """The widget value(s) that show ``value`` of one input (an optional number also sets its checkbox)."""
    if inp.toggle:
        return {inp.toggle_key: value is not None, inp.key: value if value is not None else inp.fallback}
    if inp.optional and inp.kind in ("choice", "text"):
        return {inp.key: value or ""}
    if inp.kind == "number":
        return {inp.key: numbers.to_widget(value, inp.scale)}
    return {inp.key: value}


def value_from_state(inp: Input, state: Mapping[str, Any]) -> Any:
    """The input's value as its widget(s) say it."""
    if inp.toggle and not state[inp.toggle_key]:
        return None
    raw = state[inp.key]
    if inp.kind in ("choice", "text"):
        return (raw or None) if inp.optional else raw
    if inp.kind == "whole":
        return int(raw)
    return numbers.from_widget(raw, inp.scale)


def widget_values(inputs: Any) -> dict[str, Any]:
    """Each plant widget's value for ``inputs``."""
    values: dict[str, Any] = {}
    for inp in PLANT_INPUTS:
        values.update(widget_value(inp, getattr(inputs, inp.name)))
    return values


def inputs_from_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """The PlanInputs fields the plant widgets describe."""
    return {inp.name: value_from_state(inp, state) for inp in PLANT_INPUTS}


def draw_input(inp: Input, data: Mapping[str, Any]) -> None:
    """One input's widget, as its table row says: a picker, a number, or a checkbox and a number."""
    state = st.session_state
    help_text = inp.help or None
    if inp.kind in ("choice", "text"):
        choices = list(inp.options(data)) if inp.options else list(inp.valid_choices())
        if inp.optional:
            choices = ["", *choices]
            if state.get(inp.key) not in choices:
                state[inp.key] = ""
        if inp.radio:
            st.radio(inp.label, choices, key=inp.key, horizontal=True, help=help_text)
        elif inp.optional:
            st.selectbox(inp.label, choices, key=inp.key, format_func=lambda c: c or inp.none_label, help=help_text)
        else:
            st.selectbox(inp.label, choices, key=inp.key, help=help_text)
        return
    disabled = False
    if inp.toggle:
        st.checkbox(inp.toggle, key=inp.toggle_key)
        disabled = not state[inp.toggle_key]
    limit = inp.limit
    if inp.kind == "whole":
        st.number_input(
            inp.label,
            min_value=int(limit.low),
            max_value=int(limit.high),
            step=1,
            key=inp.key,
            disabled=disabled,
            help=help_text,
        )
        return
    st.number_input(
        inp.label,
        min_value=limit.low * inp.scale,
        max_value=limit.high * inp.scale,
        step=inp.step,
        format=f"%.{inp.decimals}f",
        key=inp.key,
        disabled=disabled,
        help=help_text,
    )


def _placed(place: str) -> list[Section]:
    return [s for s in planner.SECTIONS if s.place == place]


def input_widgets() -> None:
    """The plant inputs, in an expander of the current container (the sidebar)."""
    data = page_data()
    with st.expander("Plant: " + ", ".join(s.short for s in _placed("plant"))):
        for section in _placed("plant"):
            for inp in section.widget_inputs():
                draw_input(inp, data)


def site_widgets() -> None:
    """The inputs of sections placed with the site (drawn before the PUE, in the current container)."""
    data = page_data()
    for section in _placed("site"):
        for inp in section.widget_inputs():
            draw_input(inp, data)


def show(result: planner.PlanResult) -> None:
    """The plant sections as tabs, each with its reading, its charts and any table under them.

    Only the open tab is drawn (switching tabs reruns the page), so a change of any input
    redraws one section's charts, not all. A section's alert (a liquid loop that cannot
    work) is said above the tabs, whichever is open.
    """
    st.subheader("Plant and output")
    tabbed = [s for s in planner.SECTIONS if not s.block]
    for section in tabbed:
        alert = section.alert(result)
        if alert:
            st.error(plain_md(alert))
    shown = [s for s in tabbed if s.shown(result)]
    open_tab_only({s.title: functools.partial(_draw, s, result) for s in shown}, key=TAB_KEY)
    for section in planner.SECTIONS:
        if section.block and section.shown(result):
            _block(section, result)


def _block(section: Section, result: planner.PlanResult) -> None:
    """A section drawn as its own block: its title, any alert and reading, then one tab per view."""
    st.subheader(section.title)
    alert = section.alert(result)
    if alert:
        st.error(plain_md(alert))
    _reading(section, result)
    sources = reference("sources")
    open_tab_only(
        {chart.label or chart.key: functools.partial(_chart, chart, sources, result) for chart in section.views},
        key=f"pl_{section.name}_tab",
    )


def _chart(chart: SectionView, sources: pd.DataFrame, result: planner.PlanResult) -> None:
    """One chart of a section, or why it has none."""
    try:
        chart_block(plan_cache.view(chart.key, functools.partial(_build, chart.build, sources), result), key=chart.key)
    except NothingToDraw as reason:
        st.info(str(reason))


def _reading(section: Section, result: planner.PlanResult) -> None:
    reading = section.reading(result)
    if reading is not None:
        how, text = reading
        {"markdown": st.markdown, "info": st.info, "error": st.error}[how](plain_md(text))


def _draw(section: Section, result: planner.PlanResult) -> None:
    _reading(section, result)
    sources = reference("sources")
    for chart in section.views:
        build = functools.partial(_build, chart.build, sources)
        chart_block(plan_cache.view(chart.key, build, result), key=chart.key)
    detail = section.detail(result)
    if detail is not None:
        safe_table(detail, hide_index=True)


def _build(build: Any, sources: pd.DataFrame, result: planner.PlanResult) -> Any:
    return build(result, sources)


def compare(results: Mapping[str, planner.PlanResult]) -> None:
    """The plant figures of saved scenarios side by side."""
    frame = planner.comparison_frame(results)
    columns = ["scenario", *planner.plant_columns(next(iter(results.values())))]
    safe_table(frame[columns], hide_index=True)
