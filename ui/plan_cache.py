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
from typing import Any

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
    _weather: Any = None,
) -> planner.PlanResult:
    return planner.plan(_inputs, _items, _throughput, weather=_weather)


def _key(inputs: planner.PlanInputs, weather: Any) -> str:
    """The inputs' repr, plus an uploaded weather's fingerprint (its hours are not in the inputs)."""
    return repr(inputs) + (f"|weather={weather.fingerprint}" if weather is not None else "")


def plan(
    inputs: planner.PlanInputs, items: Mapping[str, hardware.Hardware], throughput: pd.DataFrame, weather: Any = None
) -> planner.PlanResult:
    """``planner.plan(...)``, shared per inputs: ``items`` and ``throughput`` must be the current build's
    (the catalog and MLPerf rows that ``reference_hash`` names), so they are not part of the key; an
    uploaded ``weather`` is, by its fingerprint."""
    return _plan(_key(inputs, weather), reference_hash(), inputs, items, throughput, weather)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _view(key: str, inputs_key: str, reference_hash: str, _build: Callable[[], View]) -> View | NothingToDraw:
    try:
        return _build()
    except NothingToDraw as reason:
        return reason


def view(key: str, build: Callable[[planner.PlanResult], View], result: planner.PlanResult) -> View:
    """``build(result)`` for the chart ``key``, shared per the result's inputs; raises NothingToDraw like ``build``."""
    weather = result.climate.weather if getattr(result, "climate", None) is not None else None
    made = _view(key, _key(result.inputs, weather), reference_hash(), lambda: build(result))
    if isinstance(made, NothingToDraw):
        raise made
    return made
