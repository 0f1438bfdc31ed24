"""The "My facility" page's components: private workspace, uploader, mapping step,
validation summary, dataset list and the comparisons.

All logic and SQL live in :mod:`factorycore.userdata` and the charts in
:mod:`factorycore.views.site`; this module holds widgets and caching only. What each
kind of file holds, and which views it gets, is its spec (``factorycore.userdata.kinds``).
User text (file names, headers, values, dataset names) is shown through
``st.text``/``ui.tables.safe_table``/``st.code`` or as widget
labels' *values*, never as Markdown or HTML; where an element renders Markdown (a
metric's value) it goes through ``plain_md`` first.
"""

from __future__ import annotations

import collections
import datetime as dt
import functools
import io
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from factorycore import db, ownership
from factorycore.charts import theme
from factorycore.safe_csv import to_safe_csv
from factorycore.schema import LATEST_YEAR
from factorycore.userdata import catalog, formats, ingest, kinds, locales, profiles, rack_power
from factorycore.userdata.detect import FILE_TYPES, ROLE_UNITS, Detection
from factorycore.userdata.kinds import KINDS
from factorycore.userdata.kinds.spec import ROLE_FEED_CAPACITY, ROLE_HOST_RACK_MAP
from factorycore.views import NothingToDraw
from factorycore.views.site import SITE_VIEWS, density_profiles, on_request, site_view
from ui import live_sources, signin
from ui.chart_block import chart_block
from ui.data import connection, reference
from ui.tables import safe_table
from ui.text import plain_md

SAMPLES_DIR = db.DATA_DIR / "samples"
TOKEN_KEY = "facility-token"
RESULT_KEY = "facility-last-result"
SELECTED_KEY = "facility-selected"
# Set while an upload waits for its mapping or a date/number question: no dataset's charts are drawn meanwhile.
PENDING_KEY = "facility-pending"
DATE_ORDER_LABELS = {None: "decide from the file", **locales.ORDER_WORDS}
DECIMAL_LABELS = {None: "decide from the file", "point": "point (1,070.5)", "comma": "comma (1.070,5)"}
# The picker keeps its choice by label, so after a rename or a save (a new label) it is chosen again.
RESELECT_KEY = "facility-reselect"
ASKED_KEY = "facility-views-asked"  # (dataset id, view id) pairs a person asked to compute
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
        catalog.purge_private(connection())  # unsaved uploads of sessions gone for a day
    return catalog.session_workspace(st.session_state[TOKEN_KEY])


def visible() -> list[str]:
    """Workspaces this session can see: its own private one and the shared one."""
    return [workspace(), catalog.SHARED]


def _free_name(base: str) -> str:
    taken = set(catalog.list_datasets(connection(), visible())["name"].str.lower())
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
    suffix = "." + filename.lower().rsplit(".", 1)[-1] if "." in filename else ".csv"
    data.seek(0)
    with tempfile.NamedTemporaryFile(prefix=ingest.UPLOAD_TEMP_PREFIX, suffix=suffix, delete=False) as handle:
        shutil.copyfileobj(data, handle, 1 << 20)
        return Path(handle.name)


def _ask_key(file_id: str) -> str:
    return f"facility-ask-{file_id}"


def _ingest_file(
    path: Path,
    filename: str,
    *,
    kind: str = "auto",
    mapping: dict[str, Any] | None = None,
    detection: Detection | None = None,
    conversion: formats.Conversion | None = None,
    choices: ingest.ReadChoices | None = None,
    file_id: str | None = None,
    save_profile: str = "",
) -> bool:
    """Store ``path`` as a dataset of this session and remember the outcome for the summary.

    False when the file raised a question (day/month order, decimal mark) that the mapping
    step of ``file_id`` now asks; nothing was stored then.
    """
    try:
        name = _free_name(catalog.name_from_file(filename))
        result = ingest.ingest(
            connection(),
            path,
            kind=kind,
            name=name,
            workspace=workspace(),
            mapping=mapping,
            source_file=filename,
            detection=detection,
            conversion=conversion,
            owner=signin.user(),
            choices=choices,
        )
        st.session_state[RESULT_KEY] = {"ok": True, "result": result}
        st.session_state[SELECTED_KEY] = result.dataset_id
        if save_profile.strip():
            decimal = choices.decimal if choices else None
            saved = profiles.save(connection(), profiles.from_result(save_profile.strip(), result, decimal))
            st.session_state[RESULT_KEY]["profile"] = saved.name
    except ingest.NeedsChoice as question:
        if file_id is None:
            st.session_state[RESULT_KEY] = {"ok": False, "file": filename, "message": str(question)}
            return True
        st.session_state[_ask_key(file_id)] = {
            "option": question.option,
            "guess": question.guess,
            "message": question.reason,
        }
        return False
    except (ingest.UnreadableFile, catalog.DatasetError) as exc:
        st.session_state[RESULT_KEY] = {"ok": False, "file": filename, "message": str(exc)}
    return True


def _ingest_upload(data: BinaryIO, filename: str, **options: Any) -> bool:
    path = _to_temp(data, filename)
    try:
        return _ingest_file(path, filename, **options)
    finally:
        path.unlink(missing_ok=True)


def samples_section() -> None:
    """Download links for the sample files, and one click to try one."""
    st.subheader("Try it with a sample")
    load, downloads = st.columns([1, 1], gap="large")
    with load:
        kind = st.selectbox(
            "Load a sample into your workspace", list(KINDS), format_func=_kind_label, key="sample-kind"
        )
        if st.button("Load sample", key="sample-load", icon=":material/play_arrow:"):
            path = SAMPLES_DIR / KINDS[kind].sample_file
            _ingest_file(path, path.name)
    with downloads:
        st.caption("Or download one to see the expected format:")
        for kind, spec in KINDS.items():
            path = SAMPLES_DIR / spec.sample_file
            if path.exists():
                st.download_button(
                    f"{spec.label} sample",
                    data=path.read_bytes,
                    file_name=spec.sample_file,
                    mime="text/csv",
                    key=f"sample-dl-{kind}",
                    on_click="ignore",
                    icon=":material/download:",
                )


def upload_section() -> None:
    """The uploader, and the column-mapping step when detection is unsure."""
    st.session_state[PENDING_KEY] = False
    st.subheader("Upload your data")
    st.caption(
        "; ".join(f"{spec.label} ({', '.join(spec.required)})" for spec in KINDS.values())
        + ". Comma, semicolon or tab separated; units such as W, kW, MW, "
        "°C and °F may ride in the headers; .gz accepted. Also Excel (.xlsx, .xlsm), Parquet, NetBox exports "
        "and NVIDIA DCGM GPU power (a Prometheus scrape or query_range JSON). Up to 200 MB per file "
        f"(server.maxUploadSize), file names up to {ingest.FILE_NAME_MAX_CHARS} characters. Uploads stay private "
        "to this browser session until you save them to the shared workspace."
    )
    file_name_guard()
    uploaded = st.file_uploader("Facility file", type=[*FILE_TYPES, *formats.FILE_TYPES], key="facility-upload")
    if uploaded is None:
        return
    released = f"facility-released-{uploaded.file_id}"
    if st.session_state.get(released):
        return  # stored or refused, and its bytes released from the server: nothing left to read
    path = _to_temp(uploaded, uploaded.name)  # streamed to disk once: sniffed, converted and stored from there
    workdir = Path(tempfile.mkdtemp(prefix="facility-convert-"))
    marker = ""
    options: dict[str, Any] | None = None
    try:
        options = _format_options(path, uploaded.file_id)
        if options is None:
            return
        chosen = ",".join(f"{k}={getattr(v, 'dataset_id', v)}" for k, v in sorted(options.items()))
        marker = f"facility-done-{uploaded.file_id}-{chosen}"
        if st.session_state.get(marker):
            return
        conversion = formats.to_csv(connection(), path, workdir, **options)
        det = ingest.sniff(conversion.path, conversion.kind or "auto", allow_unknown=True)
        asked = _ask_key(uploaded.file_id) in st.session_state
        if det.confident and not asked:
            stored = _ingest_file(
                conversion.path, uploaded.name, detection=det, conversion=conversion, file_id=uploaded.file_id
            )
            if stored:
                st.session_state[marker] = st.session_state[released] = True
                _release_upload(uploaded.file_id)
                return
        csv_data = io.BytesIO(conversion.path.read_bytes())
    except (ingest.UnreadableFile, catalog.DatasetError) as exc:
        st.session_state[RESULT_KEY] = {"ok": False, "file": uploaded.name, "message": str(exc)}
        if options and options.get("host_racks") is not None:
            return  # the map may be the wrong one: the file stays, to be stored with another map or none
        st.session_state[released] = True  # read once: a rerun does not convert the same failing file again
        _release_upload(uploaded.file_id)
        return
    finally:
        path.unlink(missing_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)
    _mapping_step(det, csv_data, uploaded.name, marker, uploaded.file_id)


def _format_options(path: Path, file_id: str) -> dict[str, Any] | None:
    """The sheet of a workbook, the host-to-rack mapping of DCGM telemetry: asked before storing.

    None until the user has chosen (a workbook with several sheets waits for its sheet).
    """
    fmt = formats.source_format(path)
    if fmt == "xlsx":
        sheets = formats.sheet_names(path)
        if len(sheets) == 1:
            return {"sheet": sheets[0]}
        choice = st.selectbox(
            "Sheet",
            [None, *sheets],
            key=f"sheet-{file_id}",
            format_func=lambda s: "(choose the sheet to read)" if s is None else s,
        )
        return None if choice is None else {"sheet": choice}
    if fmt in ("prometheus_text", "prometheus_json"):
        frame = catalog.list_datasets(connection(), visible())
        frame = frame[frame["kind"].map(lambda k: kinds.get(k).has_role(ROLE_HOST_RACK_MAP)).astype(bool)]
        ids = [None, *frame["dataset_id"].astype(int)]
        names = {int(r.dataset_id): f"{r.kind}: {r.name}" for r in frame.itertuples()}
        picked = st.selectbox(
            "Hosts to racks",
            ids,
            key=f"hosts-{file_id}",
            format_func=lambda d: (
                "no map: power per node (or per rack label, where every series has one)" if d is None else names[d]
            ),
        )
        go = st.button("Store the GPU telemetry", key=f"dcgm-go-{file_id}", type="primary")
        if not go:
            return None
        return {
            "host_racks": None
            if picked is None
            else catalog.get_dataset(connection(), dataset_id=int(picked), workspaces=visible())
        }
    return {}


# The browser stops a file whose name is too long before it is sent: Streamlit's upload of one
# (10,000 characters) ends in "AxiosError: Request failed with status code 400", so the page says
# why itself. Our own constant script, no user text in it; it reads names, writes ``textContent``.
_NAME_GUARD_JS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  if (doc.__factoryNameGuard) return;
  doc.__factoryNameGuard = true;
  const limit = LIMIT;
  const tell = (target, name) => {
    const zone = (target.closest && target.closest('[data-testid="stFileUploader"]')) || doc.body;
    let note = zone.querySelector('[data-factory-name-guard]');
    if (!note) {
      note = doc.createElement('div');
      note.setAttribute('data-factory-name-guard', '');
      note.setAttribute('role', 'alert');
      note.style.cssText = 'color:#B00020;margin-top:0.4rem;font-size:0.9rem';
      zone.appendChild(note);
    }
    note.textContent = `This file name is ${name.length.toLocaleString()} characters long; at most ${limit} are `
      + 'accepted. Rename the file (shorter name) and choose it again. Nothing was uploaded.';
  };
  const tooLong = (files) => Array.from(files || []).find((f) => f.name.length > limit);
  const stop = (event, files, target) => {
    const bad = tooLong(files);
    if (!bad) return;
    event.stopImmediatePropagation();
    event.stopPropagation();
    event.preventDefault();
    if (target.value !== undefined && target.type === 'file') target.value = '';
    tell(target, bad.name);
  };
  doc.addEventListener('change', (e) => { if (e.target.type === 'file') stop(e, e.target.files, e.target); }, true);
  doc.addEventListener('drop', (e) => stop(e, e.dataTransfer && e.dataTransfer.files, e.target), true);
})();
</script>
"""


def file_name_guard() -> None:
    """Refuse, in the browser and before the upload starts, a file whose name is longer than
    ``ingest.FILE_NAME_MAX_CHARS``, with the product's own message (once per page)."""
    st.html(
        _NAME_GUARD_JS.replace("LIMIT", str(int(ingest.FILE_NAME_MAX_CHARS))),
        unsafe_allow_javascript=True,
        width="content",
    )


PULLED_KEY = "prom-pulled"


def _fetch_prometheus(url: str, hours: float) -> None:
    """The button's callback: the network part of a pull, run before the script and so outside the
    run's hold on the store (a slow server never holds the database); storing follows in the run."""
    from factorycore.userdata import prometheus  # noqa: PLC0415

    if signin.configured() and signin.user() is None:
        st.session_state[RESULT_KEY] = {"ok": False, "file": url.strip()[:200], "message": "sign in to pull"}
        return
    end = dt.datetime.now(dt.UTC)
    try:
        pulled = prometheus.fetch(url, end - dt.timedelta(hours=float(hours)), end)
    except prometheus.PrometheusError as exc:
        st.session_state[RESULT_KEY] = {"ok": False, "file": url.strip()[:200], "message": str(exc)}
        return
    st.session_state[PULLED_KEY] = (pulled, end, url.strip()[:200])


def prometheus_section() -> None:
    """DCGM GPU power for the last hours from a Prometheus server: a live source (the server's sums, refreshable)
    or a copy of every series, as a telemetry dataset."""
    from factorycore.userdata import prometheus  # noqa: PLC0415

    with st.expander("GPU power from Prometheus (NVIDIA DCGM exporter)", icon=":material/cloud_download:"):
        url = st.text_input("Prometheus URL", placeholder="http://prometheus:9090", key="prom-url", max_chars=300)
        left, right = st.columns(2)
        hours = left.number_input(
            "Hours back from now", min_value=0.25, max_value=24.0 * 366, value=24.0, step=1.0, key="prom-hours"
        )
        frame = catalog.list_datasets(connection(), visible())
        frame = frame[frame["kind"].map(lambda k: kinds.get(k).has_role(ROLE_HOST_RACK_MAP)).astype(bool)]
        names = {int(r.dataset_id): f"{r.kind}: {r.name}" for r in frame.itertuples()}
        frame_names = {int(r.dataset_id): r.name for r in frame.itertuples()}
        frame_names = {int(r.dataset_id): r.name for r in frame.itertuples()}
        picked = right.selectbox(
            "Hosts to racks",
            [None, *names],
            key="prom-hosts",
            format_func=lambda d: (
                "no map: power per node (or per rack label, where every series has one)" if d is None else names[d]
            ),
        )
        st.caption(
            f"Reads {formats.DCGM_POWER_METRIC} (W per GPU). **Add as a live source**: the server sums the GPUs "
            "per rack (or host) and bucket and only those sums are stored; refresh the dataset from the server "
            f"any time. **Pull from Prometheus**: a copy of every GPU series, with a step that keeps each at or "
            f"below {prometheus.MAX_POINTS_PER_SERIES:,} points, at most {prometheus.MAX_SERIES:,} series, within "
            f"{prometheus.DEADLINE_S:g} s. The URL is the server's base address (scheme, host, port); the servers "
            f"this installation may reach, and their credentials, are set by its operator ({prometheus.HOSTS_ENV}, "
            "the secrets file)."
        )
        live_col, copy_col = st.columns(2)
        with live_col:
            live_sources.add_button(
                url, hours, None if picked is None else str(frame_names[picked]), disabled=not url.strip()
            )
        copy_col.button(
            "Pull from Prometheus",
            key="prom-go",
            disabled=not url.strip(),
            on_click=_fetch_prometheus,
            args=(url, hours),
        )
        now = dt.datetime.now(dt.UTC)
        stored_id = live_sources.store_waiting(
            _free_name(f"prometheus live {now:%Y-%m-%d %H%M}"), workspace(), visible()
        )
        if stored_id is not None:
            st.session_state[SELECTED_KEY] = stored_id
            _cached_view.clear()
        waiting = st.session_state.pop(PULLED_KEY, None)
        if waiting is None:
            return
        pulled, end, shown_url = waiting
        bar = st.progress(0.5, text="Storing what Prometheus answered…")
        try:
            host_racks = (
                None
                if picked is None
                else catalog.get_dataset(connection(), dataset_id=int(picked), workspaces=visible())
            )
            result = prometheus.store_pulled(
                connection(),
                pulled,
                name=_free_name(f"prometheus {end:%Y-%m-%d %H%M}"),
                workspace=workspace(),
                host_racks=host_racks,
                owner=signin.user(),
            )
        except (prometheus.PrometheusError, ingest.UnreadableFile, catalog.DatasetError) as exc:
            pulled.discard()
            bar.empty()
            st.session_state[RESULT_KEY] = {"ok": False, "file": shown_url, "message": str(exc)}
            return
        bar.progress(1.0, text="Stored.")
        st.session_state[RESULT_KEY] = {"ok": True, "result": result}
        st.session_state[SELECTED_KEY] = result.dataset_id


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


def _kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else kind


ROLE_WORDS = {"text": "text", "timestamp": "date and time", "count": "whole number"}


def _field_caption(spec: kinds.KindSpec, fld: str) -> str:
    """'design_kw: power, stored in kW' - what a field is, for the mapping form."""
    f = spec.field(fld)
    what = ROLE_WORDS.get(f.role, f.role)
    stored = kinds.spec.DEFAULT_UNITS
    unit = f", stored in {stored[f.role]}" if f.role in stored else ""
    how = " (computed from other columns where the file has none)" if any(d.field == fld for d in spec.derived) else ""
    return f"{fld}: {what}{unit}{how}"


def _mapping_step(det: Detection, data: BinaryIO, filename: str, marker: str, file_id: str) -> None:
    """Ask what the file's columns are, their units, and what the file itself cannot say (date order,
    decimal mark); store with those choices, optionally saving them as a profile for the next such file."""
    st.session_state[PENDING_KEY] = True
    question = st.session_state.get(_ask_key(file_id))
    if question:
        st.warning("This file needs one more answer before it can be stored.", icon=":material/help:")
        st.text(question["message"])
    else:
        st.warning(
            "The columns were not all recognised. Choose what each field is, then store the file.",
            icon=":material/rule:",
        )
    st.text("Columns found: " + ", ".join(det.headers)[:2000])
    for note in det.notes:  # what the headers said (a percentage column is not a power): the mapping's why
        st.text("- " + note)
    saved = profiles.names(connection())
    profile = None
    if saved:
        picked = st.selectbox(
            "Read it as a saved profile",
            [None, *saved],
            key=f"map-profile-{marker}",
            format_func=lambda p: "(no profile: choose below)" if p is None else p,
        )
        profile = profiles.load(connection(), picked) if picked else None
    names = list(KINDS)
    default_kind = profile.kind if profile else det.kind
    kind = st.selectbox(
        "This file holds",
        names,
        index=names.index(default_kind) if default_kind in names else 0,
        format_func=_kind_label,
        key=f"map-kind-{marker}-{profile.name if profile else ''}",
    )
    spec = kinds.get(kind)
    guessed, guessed_units = ingest.detect_mapping(det, kind)
    if profile:
        by_header = {h: i for i, h in enumerate(det.headers)}
        guessed = {f: by_header[h] for f, h in profile.mapping.items() if h in by_header}
        guessed_units = {**guessed_units, **profile.units}
    options = ["(none)", *_option_labels(det.headers)]
    chosen: dict[str, Any] = {}
    units: dict[str, str] = {}
    suffix = f"{marker}-{kind}-{profile.name if profile else ''}"
    cols = st.columns(3)
    for i, fld in enumerate(spec.field_names):
        required = fld in spec.required
        default = guessed.get(fld)
        index = default + 1 if default is not None else 0
        col = cols[i % 3]
        choice = col.selectbox(
            f"{fld}{' (required)' if required else ''}",
            range(len(options)),
            index=index,
            format_func=lambda j: options[j],
            key=f"map-{suffix}-{fld}",
            help=_field_caption(spec, fld),
        )
        col.caption(_field_caption(spec, fld))
        allowed = sorted(ROLE_UNITS.get(spec.field(fld).role, ()))
        if choice and allowed:
            current = guessed_units.get(fld) or spec.field(fld).default_unit
            units[fld] = col.selectbox(
                f"unit of {fld}",
                allowed,
                index=allowed.index(current) if current in allowed else 0,
                key=f"map-unit-{suffix}-{fld}",
            )
        if choice:
            chosen[fld] = choice - 1
    date_order, decimal = _locale_questions(marker, question, profile, "timestamp" in chosen)
    missing = [
        f
        for f in spec.required
        if f not in chosen and not any(d.field == f and d.applies(chosen) for d in spec.derived)
    ]
    if missing:
        st.info("Still needed: " + ", ".join(missing))
    save_as = st.text_input(
        "Save these choices as a profile (optional)",
        value=profile.name if profile else "",
        max_chars=64,
        key=f"map-save-{marker}",
        help="A later file of the same export is then read the same way (the command line: --profile NAME).",
    )
    if st.button("Store with this mapping", key=f"map-go-{marker}", disabled=bool(missing), type="primary"):
        choices = ingest.ReadChoices(
            units=units, date_order=date_order, decimal=decimal, profile=profile.name if profile else None
        )
        stored = _ingest_upload(
            data,
            filename,
            kind=kind,
            mapping=chosen,
            detection=det,
            choices=choices,
            file_id=file_id,
            save_profile=save_as,
        )
        if stored:
            st.session_state.pop(_ask_key(file_id), None)
            st.session_state[marker] = st.session_state[f"facility-released-{file_id}"] = True
            st.session_state[PENDING_KEY] = False
            _release_upload(file_id)
        st.rerun()


def _locale_questions(
    marker: str, question: dict[str, Any] | None, profile: profiles.Profile | None, has_dates: bool
) -> tuple[str | None, str | None]:
    """The day/month order and decimal mark choices (the question's guess preselected, never applied unasked)."""
    left, right = st.columns(2)
    date_default = profile.date_order if profile else None
    decimal_default = profile.decimal if profile else None
    if question and question["option"] == "date_order":
        date_default = question["guess"]
    if question and question["option"] == "decimal":
        decimal_default = question["guess"]
    date_order = None
    if has_dates or (question and question["option"] == "date_order"):
        orders = list(DATE_ORDER_LABELS)
        date_order = left.selectbox(
            "Dates such as 03/06/2025 are",
            orders,
            index=orders.index(date_default),
            format_func=DATE_ORDER_LABELS.get,
            key=f"map-date-order-{marker}-{date_default}",
        )
    marks = list(DECIMAL_LABELS)
    decimal = right.selectbox(
        "Decimal mark of numbers",
        marks,
        index=marks.index(decimal_default),
        format_func=DECIMAL_LABELS.get,
        key=f"map-decimal-{marker}-{decimal_default}",
    )
    return date_order, decimal


def result_section() -> None:
    """Validation summary of the last upload: counts, problems, rejected rows to download."""
    state = st.session_state.get(RESULT_KEY)
    if not state or st.session_state.get(PENDING_KEY):
        return  # an upload waiting for its answers: an earlier upload's outcome would read as this one's
    if not state["ok"]:
        st.error("This could not be stored; nothing was changed.", icon=":material/error:")
        shown = state["file"] if len(state["file"]) <= 80 else state["file"][:77] + "..."
        st.text(f"{shown}: {state['message']}")
        return
    result: ingest.IngestResult = state["result"]
    st.success(
        f"Stored {result.rows_accepted:,} rows as a {_kind_label(result.kind).lower()} dataset "
        "in your private workspace." + (f" Saved the profile {state['profile']!r}." if state.get("profile") else ""),
        icon=":material/check_circle:",
    )
    cols = st.columns(3)
    cols[0].metric("Rows accepted", f"{result.rows_accepted:,}")
    cols[1].metric("Rows rejected", f"{result.rows_rejected:,}")
    cols[2].metric("Dataset", plain_md(result.dataset))  # a metric's value is Markdown: "www.x.example" would link
    with st.expander("How the file was read"):
        det = result.detection
        safe_table(
            pd.DataFrame(
                [
                    {"field": f, "column in file": h, "unit": det.get("units", {}).get(f, "")}
                    for f, h in det.get("mapping", {}).items()
                ]
            ),
            hide_index=True,
        )
        marks = ", ".join(f"{f} {m}" for f, m in (det.get("decimals") or {}).items()) or "-"
        st.text(
            f"encoding {det.get('encoding')}, delimiter {det.get('delimiter')!r}, decimal marks: {marks}, "
            f"compression {det.get('compression')}, timestamps {det.get('timestamp_format') or '-'}, "
            f"date order {locales.ORDER_WORDS.get(det.get('date_order') or '', '-')}"
            + (f", profile {det['profile']!r}" if det.get("profile") else "")
        )
        for note in det.get("notes") or []:
            st.text("- " + note)
        conversion = det.get("conversion")
        if conversion:
            where = (
                f", sheet {conversion['sheet']!r} (header row {conversion['header_row']})"
                if "sheet" in conversion
                else ""
            )
            st.text(f"Converted from {conversion['source_format']}{where}.")
            for note in conversion.get("notes", []):
                st.text("- " + note)
    if result.rows_rejected:
        st.warning(
            f"{result.rows_rejected:,} rows were kept aside. Fix them and upload again.", icon=":material/warning:"
        )
        info = catalog.get_dataset(connection(), dataset_id=result.dataset_id, workspaces=visible())
        safe_table(catalog.rejects_frame(connection(), info, limit=REJECTS_SHOWN), hide_index=True)
        st.download_button(
            "Download rejected rows (CSV)",
            data=functools.partial(_rejects_csv, info),
            file_name=f"{info.table_name}_rejected.csv",
            mime="text/csv",
            key="rejects-dl",
            on_click="ignore",
            icon=":material/download:",
        )


def _rejects_csv(info: catalog.DatasetInfo) -> bytes:
    """Every rejected row as a formula-safe CSV, built only when the button is clicked (outside
    a script run, so it holds the database itself)."""
    with db.hold() as con:
        return to_safe_csv(catalog.rejects_frame(con, info, limit=REJECTS_DOWNLOADED))


# --- datasets --------------------------------------------------------------------


def datasets_section() -> catalog.DatasetInfo | None:
    """The datasets this session can see, with rename / save / delete; returns the chosen one."""
    con = connection()
    frame = catalog.list_datasets(con, visible())
    st.subheader("Your datasets")
    if frame.empty:
        st.info("No datasets yet: upload a file or load a sample above.", icon=":material/info:")
        return None
    own = workspace()
    columns = ["name", "kind", "where", "rows_accepted", "rows_rejected", "source_file", "created"]
    shown = frame.assign(
        where=frame["workspace"].map(lambda w: "private (this session)" if w == own else "shared"),
        kind=frame["kind"].map(_kind_label),
        owner=frame["owner"].map(lambda o: "(no owner)" if o is None or o != o else signin.owner_label(o)),
    )[[*columns, "owner"] if signin.configured() else columns]
    safe_table(shown, hide_index=True)
    ids = frame["dataset_id"].astype(int).tolist()
    labels = _picker_labels(frame, own)
    reselect = st.session_state.pop(RESELECT_KEY, None)
    if reselect in ids:
        st.session_state[SELECTED_KEY] = reselect
    elif st.session_state.get(SELECTED_KEY) not in ids:
        st.session_state[SELECTED_KEY] = ids[0]
    chosen = st.selectbox("Dataset to compare", ids, format_func=labels.get, key=SELECTED_KEY)
    info = catalog.get_dataset(con, dataset_id=chosen, workspaces=visible())
    live_sources.status(info)
    _dataset_actions(info)
    return info


def _picker_labels(frame: pd.DataFrame, own: str) -> dict[int, str]:
    """'name · kind' per dataset id, unique: the picker keeps its choice by label, so where a
    private dataset and a shared one read the same, each also says where it lives."""
    plain = {int(r.dataset_id): f"{r.name} · {_kind_label(r.kind)}" for r in frame.itertuples()}
    repeated = {label for label, n in collections.Counter(plain.values()).items() if n > 1}
    where = {int(r.dataset_id): "private" if r.workspace == own else "shared" for r in frame.itertuples()}
    return {i: f"{label} · {where[i]}" if label in repeated else label for i, label in plain.items()}


def _dataset_actions(info: catalog.DatasetInfo) -> None:
    private = info.workspace != catalog.SHARED
    user = signin.user()
    locked = not ownership.may_change(info.owner, user)
    with st.expander("Rename, save or delete this dataset"):
        if locked:
            st.caption("You can read and compare this dataset; only its owner can rename or delete it. Owner:")
            st.text(
                signin.owner_label(info.owner) if info.owner else "none (stored before sign-in or by the command line)"
            )
        left, right = st.columns(2)
        new_name = left.text_input(
            "New name", value=info.name, max_chars=64, key=f"rename-{info.dataset_id}", disabled=locked
        )
        if left.button("Rename", key=f"rename-go-{info.dataset_id}", disabled=locked):
            _act(
                lambda: catalog.rename_dataset(connection(), info.dataset_id, new_name, visible(), user=user),
                reselect=info.dataset_id,
            )
        if private:
            right.caption("Private: only this browser session sees it until you save it.")
            if right.button(
                "Save to shared workspace", key=f"share-{info.dataset_id}", type="primary", disabled=locked
            ):
                _act(
                    lambda: catalog.save_to_shared(connection(), info.dataset_id, workspace(), user=user),
                    reselect=info.dataset_id,
                )
        else:
            right.caption("Shared: every session and the command line see it.")
        confirm = right.checkbox(
            "Yes, delete this dataset and its rejected rows", key=f"del-ok-{info.dataset_id}", disabled=locked
        )
        if right.button(
            "Delete", key=f"del-{info.dataset_id}", disabled=locked or not confirm, icon=":material/delete:"
        ):
            _act(lambda: catalog.delete_dataset(connection(), info.dataset_id, visible(), user=user))


def _act(action, reselect: int | None = None) -> None:
    """Run a rename/save/delete, keep its error for :func:`action_error`, and rerun; ``reselect``
    chooses that dataset in the picker again (its label changed)."""
    try:
        action()
        if reselect is not None:
            st.session_state[RESELECT_KEY] = reselect
    except catalog.DatasetError as exc:
        st.session_state["facility-action-error"] = str(exc)
    _cached_view.clear()
    st.rerun()


def action_error() -> None:
    """Show (once) the error of the last rename/save/delete."""
    message = st.session_state.pop("facility-action-error", None)
    if message:
        st.error("That did not work:", icon=":material/error:")
        st.text(message)


# --- comparisons -----------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=128)
def _cached_view(view_id: str, db_file: str, dataset_id: int, created: str, workspace_name: str, **options: Any) -> Any:
    """A site view of one (immutable) dataset, cached by id and creation time.

    Shared, not copied (``st.cache_resource``, as ``ui.data`` explains): never mutate it.
    """
    con = connection()
    info = catalog.get_dataset(con, dataset_id=dataset_id, workspaces=[workspace_name])
    try:
        return site_view(con, view_id, info, **options)
    except NothingToDraw as reason:
        return reason


def _view(view_id: str, info: catalog.DatasetInfo, **options: Any) -> Any:
    return _cached_view(view_id, str(db.db_path()), info.dataset_id, str(info.created), info.workspace, **options)


def _options(view_id: str, info: catalog.DatasetInfo) -> dict[str, Any]:
    """The widgets a view offers (``SiteView.options``), drawn above its chart."""
    wanted = SITE_VIEWS[view_id].options
    chosen: dict[str, Any] = {}
    if not wanted:
        return chosen
    left, right = st.columns(2)
    if "profile" in wanted:
        profiles = density_profiles(reference("power_distribution", year=LATEST_YEAR))  # cached per reference build
        chosen["profile"] = left.selectbox("Compare with", profiles, format_func=theme.segment_label, key="fac-profile")
    if "basis" in wanted:
        bases = info.spec.density_bases
        if len(bases) > 1:
            chosen["basis"] = right.radio(
                "Rack power", list(bases), horizontal=True, key="fac-basis", format_func=lambda b: bases[b].label
            )
        elif bases:
            right.caption(next(iter(bases.values())).label + ".")
    maps = pd.DataFrame()
    if "host_map" in wanted and rack_power.level_of(info) == rack_power.LEVEL_NODE:
        maps = catalog.list_datasets(connection(), visible())
        maps = maps[maps["kind"].map(lambda k: kinds.get(k).has_role(ROLE_HOST_RACK_MAP)).astype(bool)]
    if not maps.empty:  # node readings, and a map to roll them up by
        choices = [None, *maps["dataset_id"].astype(int)]
        names = {int(r.dataset_id): f"{r.kind}: {r.name}" for r in maps.itertuples()}
        key = f"fac-hostmap-{info.dataset_id}"
        # One choice for all of the dataset's views: drawn above the first that takes it.
        first = next(v for v in info.spec.views if "host_map" in SITE_VIEWS[v].options)
        if view_id == first:
            picked = right.selectbox(
                "Nodes to racks",
                choices,
                key=key,
                format_func=lambda d: "no host-to-rack map (figures per node)" if d is None else names[d],
                help="A dataset with a host and a rack column (e.g. a NetBox devices export) rolls nodes up to racks.",
            )
        else:
            picked = st.session_state.get(key)
        if picked is not None and picked in names:
            chosen["host_map_id"] = int(picked)
            chosen["host_map_workspace"] = str(maps.loc[maps["dataset_id"] == picked, "workspace"].iloc[0])
    if "feeds" in wanted:
        feeds = catalog.list_datasets(connection(), visible())
        feeds = feeds[feeds["kind"].map(lambda k: kinds.get(k).has_role(ROLE_FEED_CAPACITY)).astype(bool)]
        if not feeds.empty:
            names = {int(r.dataset_id): f"{r.kind}: {r.name}" for r in feeds.itertuples()}
            picked = right.selectbox(
                "Racks without a design kW",
                [None, *names],
                key=f"fac-feeds-{info.dataset_id}",
                format_func=lambda d: "left unallocated" if d is None else f"allocated by {names[d]}",
                help="Power feeds give a rack without a design kW its feed capacity (A+B counted once).",
            )
            if picked is not None:
                chosen["feeds_id"] = int(picked)
                chosen["feeds_workspace"] = str(feeds.loc[feeds["dataset_id"] == picked, "workspace"].iloc[0])
    if "telemetry" in wanted:
        frame = catalog.list_datasets(connection(), visible())
        frame = frame[frame["kind"] == "telemetry"]
        choices = [None, *frame["dataset_id"].astype(int)]
        names = {int(r.dataset_id): f"telemetry: {r.name}" for r in frame.itertuples()}
        picked = left.selectbox(
            "Measured by",
            choices,
            key=f"fac-telemetry-{info.dataset_id}",
            format_func=lambda d: "the inventory's measured_kw column" if d is None else names[d],
        )
        if picked is not None:
            chosen["telemetry_id"] = int(picked)
            chosen["telemetry_workspace"] = str(frame.loc[frame["dataset_id"] == picked, "workspace"].iloc[0])
    return chosen


def comparisons(info: catalog.DatasetInfo) -> None:
    """The views the dataset's kind gets, in the spec's order, each with its metrics."""
    if st.session_state.get(PENDING_KEY):
        st.info(
            "An upload above is waiting for its mapping: its charts appear here once it is stored. "
            "Earlier datasets' charts are not shown meanwhile.",
            icon=":material/hourglass_empty:",
        )
        return
    if info.rows_accepted == 0:
        st.info("This dataset has no accepted rows to compare.", icon=":material/info:")
        return
    asked: set = st.session_state.setdefault(ASKED_KEY, set())
    for view_id in info.spec.views:
        wait = None if (info.dataset_id, view_id) in asked else on_request(connection(), info, view_id)
        if wait is not None:
            st.info(wait, icon=":material/hourglass_empty:")
            if st.button("Compute this view", key=f"ask-{info.dataset_id}-{view_id}"):
                asked.add((info.dataset_id, view_id))
                st.rerun()
            continue
        heading = st.container()  # the view's title goes above its options once the view is built
        options = _options(view_id, info)
        view = _view(view_id, info, **options)
        if isinstance(view, NothingToDraw):
            st.info(str(view), icon=":material/info:")
            continue
        heading.subheader(view.title)
        if view.metrics:
            cols = st.columns(len(view.metrics))
            for col, metric in zip(cols, view.metrics):
                col.metric(metric.label, metric.value, help=metric.help or None)
        chart_block(view, key=f"facility_{SITE_VIEWS[view_id].key}")
