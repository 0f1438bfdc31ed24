"""The planner's projection and its views, kept per inputs for every session of the process.

A rerun that comes back to inputs seen before (a toggle flipped back, a colleague's
link, a saved scenario compared again) reuses the plan and its figures instead of
running the 10,000-run runway and rebuilding eight Plotly figures. Both are held with
``st.cache_resource``: one shared object, never copied (unpickling a figure costs more
than building it), so nothing here or in the pages mutates a cached result or view.
The key is the inputs' ``repr`` (a frozen dataclass of plain values: every field,
exactly; hashing the dataclass itself through Streamlit's hasher costs more than the
lookup saves) and the reference build's hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from factorycore import hardware, planner
from factorycore.views import NothingToDraw, View
from ui.data import reference_hash

PLANS_KEPT = 64
VIEWS_KEPT = 64 * 10


@st.cache_resource(show_spinner=False, max_entries=PLANS_KEPT)
def _plan(
    inputs_key: str,
    reference_hash: str,
    _inputs: planner.PlanInputs,
    _items: Mapping[str, hardware.Hardware],
    _throughput: pd.DataFrame,
) -> planner.PlanResult:
    return planner.plan(_inputs, _items, _throughput)


def plan(
    inputs: planner.PlanInputs, items: Mapping[str, hardware.Hardware], throughput: pd.DataFrame
) -> planner.PlanResult:
    """``planner.plan(...)``, shared per inputs: ``items`` and ``throughput`` must be the current build's
    (the catalog and MLPerf rows that ``reference_hash`` names), so they are not part of the key."""
    return _plan(repr(inputs), reference_hash(), inputs, items, throughput)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _view(key: str, inputs_key: str, reference_hash: str, _build: Callable[[], View]) -> View | NothingToDraw:
    try:
        return _build()
    except NothingToDraw as reason:
        return reason


def view(key: str, build: Callable[[planner.PlanResult], View], result: planner.PlanResult) -> View:
    """``build(result)`` for the chart ``key``, shared per the result's inputs; raises NothingToDraw like ``build``."""
    made = _view(key, repr(result.inputs), reference_hash(), lambda: build(result))
    if isinstance(made, NothingToDraw):
        raise made
    return made
