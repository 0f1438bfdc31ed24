"""My facility's live Prometheus sources: add one, see where its figures come from, refresh it.

The network part runs in a button's callback, before the script and so outside the run's hold
on the store (a slow server never holds the database); storing follows in the run.
"""

from __future__ import annotations

import streamlit as st

from factorycore import ownership
from factorycore.userdata import catalog, live_source, prometheus, rack_power
from ui import signin
from ui.data import connection
from ui.tables import safe_table

FETCHED_KEY = "live-fetched"
ERROR_KEY = "live-error"


def _fetch(source: live_source.Source, dataset_id: int | None) -> None:
    """A button's callback: ask the server for the source's sums; the run stores them."""
    if signin.configured() and signin.user() is None:
        st.session_state[ERROR_KEY] = "sign in to add or refresh a live source"
        return
    try:
        fetched = live_source.fetch(source)
    except (prometheus.PrometheusError, catalog.DatasetError) as exc:
        st.session_state[ERROR_KEY] = str(exc)
        return
    st.session_state[FETCHED_KEY] = (fetched, dataset_id)


def add_button(url: str, hours: float, host_map: str | None, disabled: bool) -> None:
    """The button that adds the server as a live dataset (its sums fetched in the callback)."""
    source = live_source.Source(url.strip(), hours=float(hours), host_racks=host_map)
    st.button(
        "Add as a live source",
        key="live-add",
        disabled=disabled,
        type="primary",
        on_click=_fetch,
        args=(source, None),
        help="The server sums the GPUs per rack (or host) and bucket; only those sums are stored, and the "
        "dataset can be refreshed from the server at any time.",
    )


def store_waiting(name: str, workspace: str, visible: list[str]) -> int | None:
    """Store what a callback fetched (a new live dataset, or a refresh); the dataset id, or None."""
    waiting = st.session_state.pop(FETCHED_KEY, None)
    if waiting is None:
        return None
    fetched, dataset_id = waiting
    try:
        with st.spinner("Storing the server's sums…"):
            if dataset_id is None:
                stored = live_source.store_new(
                    connection(), fetched, name=name, workspace=workspace, owner=signin.user()
                )
            else:
                info = catalog.get_dataset(connection(), dataset_id=dataset_id, workspaces=visible)
                stored = live_source.store_refresh(connection(), info, fetched, user=signin.user())
    except (catalog.DatasetError, prometheus.PrometheusError) as exc:
        st.session_state[ERROR_KEY] = str(exc)
        return None
    st.session_state["live-stored"] = stored
    return stored.dataset_id


def outcome() -> None:
    """The last add or refresh: what was stored and how the server summed it, or why nothing was."""
    error = st.session_state.pop(ERROR_KEY, None)
    if error:
        st.error("The live source could not be stored; nothing was changed.", icon=":material/error:")
        st.text(error)
    stored = st.session_state.pop("live-stored", None)
    if stored is None:
        return
    st.success(
        f"Stored {stored.rows:,} per-{stored.level} sums as the live dataset {stored.name!r} "
        f"({rack_power.bucket_label(stored.bucket_s)} buckets).",
        icon=":material/check_circle:",
    )
    with st.expander("How the server summed it"):
        for note in stored.notes:
            st.text("- " + note)


def status(info: catalog.DatasetInfo) -> None:
    """For a live dataset: where its figures come from, and a button to ask the server again."""
    if not live_source.is_live(info):
        return
    st.caption(live_source.status(info))
    locked = not ownership.may_change(info.owner, signin.user())
    st.button(
        "Refresh from Prometheus",
        key=f"live-refresh-{info.dataset_id}",
        icon=":material/refresh:",
        disabled=locked,
        on_click=_fetch,
        args=(live_source.source_of(info), info.dataset_id),
        help="Ask the server again for this source's window; the sums, the rollup and the figures are replaced "
        "together." + (" Only its owner can refresh it." if locked else ""),
    )
    queries = info.details["live"].get("queries") or []
    if queries:
        with st.expander("The queries the server ran"):
            safe_table({"query": queries}, hide_index=True)
