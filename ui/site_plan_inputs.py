"""The planner's "Start from my site" block: pick stored datasets, load their measurements
into the planner's inputs, and say afterwards which inputs came from the site.

The measuring is :func:`factorycore.site_plan.site_inputs`; this module holds widgets only.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from factorycore import hardware, planner, site_plan
from factorycore.userdata import catalog
from ui import planner_inputs as pi
from ui.data import connection, with_store
from ui.text import plain_md
from ui.uploads import visible

LOADED_KEY = "pl_site_loaded"
ERROR_KEY = "pl_site_error"
OPEN_KEY = "pl_site_open"
PICK_KEYS = {"meter": "pl_site_meter", "telemetry": "pl_site_telemetry", "racks": "pl_site_racks"}
LABELS = {"meter": "Facility meter", "telemetry": "Power telemetry", "racks": "Rack inventory"}


def _choose(kind: str, frame: pd.DataFrame) -> None:
    rows = frame[frame["kind"] == kind]
    ids = [None, *rows["dataset_id"].astype(int)]
    names = {int(r.dataset_id): str(r.name) for r in rows.itertuples()}
    st.selectbox(LABELS[kind], ids, key=PICK_KEYS[kind], format_func=lambda d: "(none)" if d is None else names[d])


@with_store
def _load(items: Mapping[str, hardware.Hardware]) -> None:
    """Button callback: measure, then write the planner's widgets before they draw."""
    con = connection()
    chosen = {}
    try:
        for kind, key in PICK_KEYS.items():
            picked = st.session_state.get(key)
            chosen[kind] = (
                None if picked is None else catalog.get_dataset(con, dataset_id=int(picked), workspaces=visible())
            )
        current = pi.current_inputs(items)
        found = site_plan.site_inputs(
            con,
            meter=chosen["meter"],
            telemetry=chosen["telemetry"],
            inventory=chosen["racks"],
            current_pue=current.effective_pue,
        )
    except catalog.DatasetError as exc:
        st.session_state[ERROR_KEY] = str(exc)
        return
    st.session_state.pop(ERROR_KEY, None)
    pi.apply_inputs(found.apply(current), items)
    st.session_state[LOADED_KEY] = found


def start_from_site(items: Mapping[str, hardware.Hardware]) -> None:
    """The expander with the dataset pickers and the load button (in the current container).

    The stored datasets are listed only while it is open (opening it reruns the page), so
    the planner's every other rerun does not read the catalog.
    """
    block = st.expander("Start from my site", icon=":material/factory:", key=OPEN_KEY, on_change="rerun")
    if not block.open:
        return
    frame = catalog.list_datasets(connection(), visible())
    with block:
        if frame.empty:
            st.caption("Upload a meter, telemetry or rack inventory on My facility to plan from your own measurements.")
            return
        for kind in PICK_KEYS:
            _choose(kind, frame)
        st.button(
            "Use my site's measurements",
            key="pl_site_go",
            on_click=_load,
            args=(items,),
            help="IT load, PUE and utilisation from a meter or telemetry; capacity from an inventory.",
        )


def provenance(inputs: planner.PlanInputs) -> None:
    """Which inputs came from the site, over which period (those the user has not changed since).

    An input counts as the site's while its widget still shows the value loaded (the
    browser sends back the value as shown, e.g. 39.8 % for 39.81 %). Notes about the
    datasets together (no rack in common) are said whatever the user changed.
    """
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error("Could not read the site's datasets:")
        st.text(error)
    found = loaded()
    if found is None:
        return
    applied = found.apply(inputs)
    kept = [
        m
        for m in found.measured
        if m.field not in planner.LIMITS
        or pi.same_as_shown(m.field, getattr(applied, m.field), getattr(inputs, m.field))
    ]
    if not kept and not found.notes:
        return
    with st.container(border=True):
        st.markdown("**Inputs from your site**")
        for m in kept:
            st.text(m.describe())
        if found.missing:
            st.caption("Not measured, so still the planner's values: " + "; ".join(found.missing) + ".")
        for note in found.notes:
            st.warning(plain_md(note), icon=":material/warning:")


def loaded() -> site_plan.SiteInputs | None:
    """The site measurements last loaded in this session, if any."""
    return st.session_state.get(LOADED_KEY)


def plan_vs_site(result: planner.PlanResult) -> site_plan.PlanVsSite | None:
    """How ``result`` relates to the loaded site (None when no site was loaded)."""
    found = loaded()
    return None if found is None else site_plan.plan_vs_site(found, result)


def show_plan_vs_site(relation: site_plan.PlanVsSite) -> None:
    """The plan beside what the site measured: measured load and capacity, plan size, the ratios."""
    if not relation.statements:
        return
    with st.container(border=True):
        st.markdown("**This plan and your site**")
        for statement in relation.statements:
            st.text(statement)
