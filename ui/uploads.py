"""The "My facility" page's components: private workspace, uploader, mapping step,
validation summary, dataset list and the comparisons.

All logic and SQL live in :mod:`factorycore.ingest` and :mod:`factorycore.facility`;
this module holds widgets and caching only. User text (file names, headers, values,
dataset names) is shown through ``st.text``/``ui.tables.safe_table``/``st.code`` or as widget
labels' *values*, never as Markdown or HTML; where an element renders Markdown (a
metric's value) it goes through ``plain_md`` first.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from factorycore import db, facility, ingest
from factorycore.charts import facility as charts
from factorycore.charts import theme
from factorycore.ingest_detect import KINDS
from factorycore.safe_csv import to_safe_csv
from ui.chart_block import chart_block
from ui.data import connection, reference
from ui.tables import safe_table
from ui.text import plain_md

SAMPLES_DIR = db.DATA_DIR / "samples"
SAMPLES = {"racks": "racks_sample.csv", "telemetry": "telemetry_sample.csv", "meter": "meter_sample.csv"}
KIND_LABELS = {"racks": "Rack inventory", "telemetry": "Power telemetry", "meter": "Facility meter"}
UPLOAD_TYPES = ["csv", "tsv", "txt", "gz"]
TOKEN_KEY = "facility-token"
RESULT_KEY = "facility-last-result"
SELECTED_KEY = "facility-selected"
REJECTS_SHOWN = 1_000
REJECTS_DOWNLOADED = 100_000
# What one session may keep in the server's upload store: one file at the 200 MB
# server.maxUploadSize, with room for a small second one.
SESSION_UPLOAD_LIMIT_BYTES = 256 * 1024**2


# --- workspace -------------------------------------------------------------------


def workspace() -> str:
    """This browser session's private workspace (a random token kept in session state)."""
    if TOKEN_KEY not in st.session_state:
        st.session_state[TOKEN_KEY] = uuid.uuid4().hex
        facility.purge_private(connection())  # unsaved uploads of sessions gone for a day
    return facility.session_workspace(st.session_state[TOKEN_KEY])


def visible() -> list[str]:
    """Workspaces this session can see: its own private one and the shared one."""
    return [workspace(), facility.SHARED]


def _free_name(base: str) -> str:
    taken = set(facility.list_datasets(connection(), visible())["name"].str.lower())
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"-{n}"
        name, n = base[: 64 - len(suffix)] + suffix, n + 1
    return name


# --- upload ----------------------------------------------------------------------


def cap_session_uploads(limit_bytes: int = SESSION_UPLOAD_LIMIT_BYTES) -> None:
    """Bound what one browser session may hold in the server's upload store (call once per run; idempotent).

    Streamlit keeps every file sent to its upload endpoint in memory until the session
    ends, whether or not a widget ever asks for it, so a client posting files straight
    to the endpoint could pin any amount. The store's ``add_file`` is wrapped: after each
    file, the session's oldest files are dropped until it holds at most ``limit_bytes``
    (the newest file is always kept: it is the one the uploader is about to read).
    """
    if not runtime.exists():  # AppTest and bare `python` runs have no server and no upload store
        return
    limit_uploads(runtime.get_instance().uploaded_file_mgr, limit_bytes)


def limit_uploads(manager: Any, limit_bytes: int) -> None:
    """Wrap ``manager.add_file`` (Streamlit's in-memory upload store) so no session exceeds ``limit_bytes``."""
    storage = getattr(manager, "file_storage", None)
    if storage is None:  # another kind of store: nothing we can bound from here
        return
    if getattr(manager, "_session_limit_bytes", None) is None:
        original = manager.add_file

        def add_file(session_id: str, file: Any) -> None:
            original(session_id, file)
            files = manager.file_storage.get(session_id, {})
            total = sum(len(f.data) for f in files.values())
            for file_id in [i for i in list(files) if i != file.file_id]:  # oldest first
                if total <= manager._session_limit_bytes:
                    break
                total -= len(files[file_id].data)
                manager.remove_file(session_id, file_id)

        manager.add_file = add_file
    manager._session_limit_bytes = limit_bytes


def _release_upload(file_id: str) -> None:
    """Drop a stored upload's bytes from the server's upload store: the dataset is in the database now."""
    ctx = get_script_run_ctx()
    if ctx is not None and runtime.exists():
        runtime.get_instance().uploaded_file_mgr.remove_file(ctx.session_id, file_id)


def _to_temp(data: BinaryIO, filename: str) -> Path:
    """Copy an upload to a temporary file (streamed: no second copy of its bytes in memory)."""
    suffix = ".gz" if filename.lower().endswith(".gz") else ".csv"
    data.seek(0)
    with tempfile.NamedTemporaryFile(prefix=ingest.UPLOAD_TEMP_PREFIX, suffix=suffix, delete=False) as handle:
        shutil.copyfileobj(data, handle, 1 << 20)
        return Path(handle.name)


def _ingest_file(path: Path, filename: str, *, kind: str = "auto", mapping: dict[str, Any] | None = None) -> None:
    """Store ``path`` as a dataset of this session and remember the outcome for the summary."""
    try:
        name = _free_name(facility.name_from_file(filename))
        result = ingest.ingest(connection(), path, kind=kind, name=name, workspace=workspace(),
                               mapping=mapping, source_file=filename)
        st.session_state[RESULT_KEY] = {"ok": True, "result": result}
        st.session_state[SELECTED_KEY] = result.dataset_id
    except (ingest.UnreadableFile, facility.DatasetError) as exc:
        st.session_state[RESULT_KEY] = {"ok": False, "file": filename, "message": str(exc)}


def _ingest_upload(data: BinaryIO, filename: str, **options: Any) -> None:
    path = _to_temp(data, filename)
    try:
        _ingest_file(path, filename, **options)
    finally:
        path.unlink(missing_ok=True)


def samples_section() -> None:
    """Download links for the sample files, and one click to try one."""
    st.subheader("Try it with a sample")
    load, downloads = st.columns([1, 1], gap="large")
    with load:
        kind = st.selectbox("Load a sample into your workspace", list(SAMPLES), format_func=KIND_LABELS.get,
                            key="sample-kind")
        if st.button("Load sample", key="sample-load", icon=":material/play_arrow:"):
            path = SAMPLES_DIR / SAMPLES[kind]
            _ingest_file(path, path.name)
    with downloads:
        st.caption("Or download one to see the expected format:")
        for kind, fname in SAMPLES.items():
            path = SAMPLES_DIR / fname
            if path.exists():
                st.download_button(f"{KIND_LABELS[kind]} sample", data=path.read_bytes, file_name=fname,
                                   mime="text/csv", key=f"sample-dl-{kind}", on_click="ignore",
                                   icon=":material/download:")


def upload_section() -> None:
    """The uploader, and the column-mapping step when detection is unsure."""
    st.subheader("Upload your data")
    st.caption(
        "Rack inventory (rack_id, design_kw), power telemetry (timestamp, rack_id, power_kw) or facility "
        "meter (timestamp, it_kw, facility_kw). Comma, semicolon or tab separated; units such as W, kW, MW, "
        "°C and °F may ride in the headers; .gz accepted. Up to 200 MB per file (server.maxUploadSize), "
        f"file names up to {ingest.FILE_NAME_MAX_CHARS} characters. "
        "Uploads stay private to this browser session until you save them to the shared workspace."
    )
    uploaded = st.file_uploader("Facility CSV", type=UPLOAD_TYPES, key="facility-upload")
    if uploaded is None:
        return
    marker = f"facility-done-{uploaded.file_id}"
    if st.session_state.get(marker):
        return
    path = _to_temp(uploaded, uploaded.name)  # written once: sniffed, then stored from the same file
    try:
        det = ingest.sniff(path, allow_unknown=True)
        if det.confident:
            _ingest_file(path, uploaded.name)
    except ingest.UnreadableFile as exc:
        st.session_state[RESULT_KEY] = {"ok": False, "file": uploaded.name, "message": str(exc)}
        st.session_state[marker] = True
        _release_upload(uploaded.file_id)
        return
    finally:
        path.unlink(missing_ok=True)
    if det.confident:
        st.session_state[marker] = True
        _release_upload(uploaded.file_id)
        return
    _mapping_step(det, uploaded, uploaded.name, marker, uploaded.file_id)


def _option_labels(headers: list[str]) -> list[str]:
    """One distinct label per column: a selectbox keeps its choice by label, so blank or
    repeated headers ("kW", "kW") would otherwise all select the last such column."""
    counts: dict[str, int] = {}
    for h in headers:
        counts[h.strip()] = counts.get(h.strip(), 0) + 1
    labels: list[str] = []
    taken = {"(none)"}
    for j, header in enumerate(headers, start=1):
        text = header.strip()
        label = text if text and counts[text] == 1 and text not in taken else f"{text or '(blank)'} (column {j})"
        while label in taken:
            label += " "
        taken.add(label)
        labels.append(label)
    return labels


def _mapping_step(det, data: BinaryIO, filename: str, marker: str, file_id: str) -> None:
    st.warning("The columns were not all recognised. Choose what each field is, then store the file.",
               icon=":material/rule:")
    st.text("Columns found: " + ", ".join(det.headers)[:2000])
    kinds = list(KINDS)
    kind = st.selectbox("This file holds", kinds, index=kinds.index(det.kind) if det.kind in kinds else 0,
                        format_func=KIND_LABELS.get, key=f"map-kind-{marker}")
    guessed, _ = ingest.detect_mapping(det, kind)
    options = ["(none)", *_option_labels(det.headers)]
    chosen: dict[str, Any] = {}
    fields = list(KINDS[kind]["required"]) + list(KINDS[kind]["optional"])
    cols = st.columns(3)
    for i, fld in enumerate(fields):
        required = fld in KINDS[kind]["required"]
        default = guessed.get(fld)
        index = default + 1 if default is not None else 0
        choice = cols[i % 3].selectbox(f"{fld}{' (required)' if required else ''}", range(len(options)),
                                       index=index, format_func=lambda j: options[j], key=f"map-{marker}-{kind}-{fld}")
        if choice:
            chosen[fld] = choice - 1
    missing = [f for f in KINDS[kind]["required"] if f not in chosen]
    if missing:
        st.info("Still needed: " + ", ".join(missing))
    if st.button("Store with this mapping", key=f"map-go-{marker}", disabled=bool(missing), type="primary"):
        _ingest_upload(data, filename, kind=kind, mapping=chosen)
        st.session_state[marker] = True
        _release_upload(file_id)
        st.rerun()


def result_section() -> None:
    """Validation summary of the last upload: counts, problems, rejected rows to download."""
    state = st.session_state.get(RESULT_KEY)
    if not state:
        return
    if not state["ok"]:
        st.error("This file could not be stored; nothing was changed.", icon=":material/error:")
        shown = state["file"] if len(state["file"]) <= 80 else state["file"][:77] + "..."
        st.text(f"{shown}: {state['message']}")
        return
    result: ingest.IngestResult = state["result"]
    st.success(f"Stored {result.rows_accepted:,} rows as a {KIND_LABELS[result.kind].lower()} dataset "
               "in your private workspace.", icon=":material/check_circle:")
    cols = st.columns(3)
    cols[0].metric("Rows accepted", f"{result.rows_accepted:,}")
    cols[1].metric("Rows rejected", f"{result.rows_rejected:,}")
    cols[2].metric("Dataset", plain_md(result.dataset))  # a metric's value is Markdown: "www.x.example" would link
    with st.expander("How the file was read"):
        det = result.detection
        safe_table(
            pd.DataFrame([{"field": f, "column in file": h, "unit": det.get("units", {}).get(f, "")}
                          for f, h in det.get("mapping", {}).items()]),
            hide_index=True,
        )
        st.text(f"encoding {det.get('encoding')}, delimiter {det.get('delimiter')!r}, "
                f"decimal comma {det.get('decimal_comma')}, compression {det.get('compression')}, "
                f"timestamps {det.get('timestamp_format') or '-'}")
    if result.rows_rejected:
        st.warning(f"{result.rows_rejected:,} rows were kept aside. Fix them and upload again.", icon=":material/warning:")
        info = facility.get_dataset(connection(), dataset_id=result.dataset_id, workspaces=visible())
        safe_table(facility.rejects_frame(connection(), info, limit=REJECTS_SHOWN), hide_index=True)
        st.download_button("Download rejected rows (CSV)", data=functools.partial(_rejects_csv, info),
                           file_name=f"{info.table_name}_rejected.csv", mime="text/csv",
                           key="rejects-dl", on_click="ignore", icon=":material/download:")


def _rejects_csv(info: facility.DatasetInfo) -> bytes:
    """Every rejected row as a formula-safe CSV, built only when the button is clicked."""
    return to_safe_csv(facility.rejects_frame(connection(), info, limit=REJECTS_DOWNLOADED))


# --- datasets --------------------------------------------------------------------


def datasets_section() -> facility.DatasetInfo | None:
    """The datasets this session can see, with rename / save / delete; returns the chosen one."""
    con = connection()
    frame = facility.list_datasets(con, visible())
    st.subheader("Your datasets")
    if frame.empty:
        st.info("No datasets yet: upload a file or load a sample above.", icon=":material/info:")
        return None
    own = workspace()
    shown = frame.assign(
        where=frame["workspace"].map(lambda w: "private (this session)" if w == own else "shared"),
        kind=frame["kind"].map(KIND_LABELS.get),
    )[["name", "kind", "where", "rows_accepted", "rows_rejected", "source_file", "created"]]
    safe_table(shown, hide_index=True)
    ids = frame["dataset_id"].astype(int).tolist()
    labels = {int(r.dataset_id): f"{r.name} · {KIND_LABELS.get(r.kind, r.kind)}" for r in frame.itertuples()}
    if st.session_state.get(SELECTED_KEY) not in ids:
        st.session_state[SELECTED_KEY] = ids[0]
    chosen = st.selectbox("Dataset to compare", ids, format_func=labels.get, key=SELECTED_KEY)
    info = facility.get_dataset(con, dataset_id=chosen, workspaces=visible())
    _dataset_actions(info)
    return info


def _dataset_actions(info: facility.DatasetInfo) -> None:
    private = info.workspace != facility.SHARED
    with st.expander("Rename, save or delete this dataset"):
        left, right = st.columns(2)
        new_name = left.text_input("New name", value=info.name, max_chars=64, key=f"rename-{info.dataset_id}")
        if left.button("Rename", key=f"rename-go-{info.dataset_id}"):
            _act(lambda: facility.rename_dataset(connection(), info.dataset_id, new_name, visible()))
        if private:
            right.caption("Private: only this browser session sees it until you save it.")
            if right.button("Save to shared workspace", key=f"share-{info.dataset_id}", type="primary"):
                _act(lambda: facility.save_to_shared(connection(), info.dataset_id, workspace()))
        else:
            right.caption("Shared: every session and the command line see it.")
        confirm = right.checkbox("Yes, delete this dataset and its rejected rows", key=f"del-ok-{info.dataset_id}")
        if right.button("Delete", key=f"del-{info.dataset_id}", disabled=not confirm, icon=":material/delete:"):
            _act(lambda: facility.delete_dataset(connection(), info.dataset_id, visible()))


def _act(action) -> None:
    try:
        action()
    except facility.DatasetError as exc:
        st.session_state["facility-action-error"] = str(exc)
    _cached.clear()
    st.rerun()


def action_error() -> None:
    """Show (once) the error of the last rename/save/delete."""
    message = st.session_state.pop("facility-action-error", None)
    if message:
        st.error("That did not work:", icon=":material/error:")
        st.text(message)


# --- comparisons -----------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=128)
def _cached(fn: str, db_file: str, dataset_id: int, created: str, **kwargs: Any) -> Any:
    """Aggregations of one (immutable) dataset, cached by id and creation time."""
    con = connection()
    info = facility.get_dataset(con, dataset_id=dataset_id, workspaces=[kwargs.pop("_workspace")])
    return getattr(facility, fn)(con, info, **kwargs)


def _agg(fn: str, info: facility.DatasetInfo, **kwargs: Any) -> Any:
    return _cached(fn, str(db.db_path()), info.dataset_id, str(info.created), _workspace=info.workspace, **kwargs)


def comparisons(info: facility.DatasetInfo) -> None:
    """The charts for the chosen dataset, by kind."""
    if info.rows_accepted == 0:
        st.info("This dataset has no accepted rows to compare.", icon=":material/info:")
        return
    if info.kind in ("racks", "telemetry"):
        _density(info)
    if info.kind == "racks":
        _measured_vs_design(info)
    if info.kind == "telemetry":
        _telemetry(info)
    if info.kind == "meter":
        _meter(info)


def _density(info: facility.DatasetInfo) -> None:
    st.subheader("Rack density against the industry (2026)")
    dist = reference("power_distribution", year=2026)
    profiles = [p for p in charts_profiles() if p in set(dist["profile"])] or ["industry_average"]
    left, right = st.columns(2)
    profile = left.selectbox("Compare with", profiles, format_func=theme.segment_label, key="fac-profile")
    basis = "design"
    if info.kind == "racks":
        basis = right.radio("Rack power", ["design", "measured"], horizontal=True, key="fac-basis",
                            format_func=lambda b: f"{b.capitalize()} kW")
    else:
        right.caption("Each rack's mean power over the telemetry period.")
    racks = _agg("rack_kw", info, basis=basis)
    if racks.empty:
        st.info(f"No {basis} kW values in this dataset.", icon=":material/info:")
        return
    industry = dist[dist["profile"] == profile]
    bands = facility.bands_from_reference(industry)
    site = facility.site_bands(racks, bands)
    average = float(racks["kw"].mean())
    pct = facility.percentile_in_distribution(average, industry)
    cols = st.columns(3)
    cols[0].metric("Racks", f"{len(racks):,}")
    cols[1].metric("Average kW per rack", f"{average:.1f}")
    cols[2].metric(f"Percentile among {theme.segment_label(profile).lower()} racks",
                   facility.percentile_label(pct),
                   help="Share of the profile's racks at or below your average density; shares are spread "
                        "evenly inside each band.")
    fig = charts.density_comparison(site, industry, profile=profile, percentile=pct, average_kw=average)
    rows = pd.concat(
        [industry[["band", "band_order", "share_pct", "profile", "source_id", "status"]],
         site.assign(profile="your site")[["band", "band_order", "share_pct", "profile", "racks"]]],
        ignore_index=True,
    )
    chart_block(fig, key="facility_density", rows=rows,
                note="Your site's bars are your data; the industry bars are the 2026 reference distribution.")


def charts_profiles() -> list[str]:
    """Industry profiles offered for comparison, in house order."""
    return ["industry_average", "enterprise", "colocation", "hyperscale", "ai_factory"]


def _measured_vs_design(info: facility.DatasetInfo) -> None:
    frame = _agg("measured_vs_design", info)
    if frame.empty:
        return
    st.subheader("Measured against design")
    summary = _agg("rack_summary", info)
    cols = st.columns(3)
    used = (summary["total_measured_kw"] or 0) / summary["total_design_kw"] * 100 if summary["total_design_kw"] else None
    cols[0].metric("Design kW (all racks)", f"{summary['total_design_kw']:,.0f}")
    cols[1].metric("Measured kW", f"{summary['total_measured_kw'] or 0:,.0f}")
    cols[2].metric("Measured share of design", "-" if used is None else f"{used:.0f}%",
                   help="Over racks with a measured value; stranded capacity is the rest.")
    chart_block(charts.measured_vs_design(frame), key="facility_measured_design", rows=frame,
                note="Your data only. Points below the dashed line draw less than their design power.")


def _telemetry(info: facility.DatasetInfo) -> None:
    st.subheader("Power over time")
    series = _agg("telemetry_power_over_time", info)
    chart_block(charts.telemetry_power(series), key="facility_power_time", rows=series,
                note="Your data only, aggregated in the database into time buckets.")
    st.subheader("Hottest racks")
    hot = _agg("hottest_racks", info)
    chart_block(charts.hottest_racks(hot), key="facility_hottest", rows=hot, note="Your data only.")


def _meter(info: facility.DatasetInfo) -> None:
    st.subheader("PUE over time")
    summary = _agg("meter_summary", info)
    cols = st.columns(3)
    cols[0].metric("PUE over the period", "-" if summary["pue"] is None else f"{summary['pue']:.2f}")
    cols[1].metric("Average IT load (kW)", f"{summary['avg_it_kw']:,.0f}")
    cols[2].metric("Meter readings", f"{summary['readings']:,}")
    series = _agg("pue_over_time", info)
    chart_block(charts.pue_over_time(series), key="facility_pue", rows=series,
                note="Your data only. PUE per bucket = facility energy / IT energy.")
