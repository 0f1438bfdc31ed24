"""Compliance: a year's PUE, WUE, ERF and REF from your meter datasets, label classes, EnEfG verdicts, field sheet."""

from datetime import date

import streamlit as st

from factorycore.compliance import REGIMES, ComplianceError, assess, present, sheet
from factorycore.compliance.assess import typed_fields
from factorycore.userdata import catalog, energy
from ui.controls import page_intro
from ui.data import connection
from ui.tables import safe_table
from ui.text import plain_md
from ui.uploads import visible, workspace

page_intro(
    "Compliance",
    "The figures EU data centres of 500 kW IT or more report each year (Delegated Regulation (EU) 2024/1364) and "
    "Germany's EnEfG targets, computed from your facility meter datasets: energies summed over the year, missing "
    "intervals counted and never filled in. Upload meter data on My facility (or energy registers with "
    "`python -m factorycore ingest-energy`).",
)

con = connection()
with st.expander("Store energy registers (kWh exports, e.g. a Com'X CSV) as a meter dataset"):
    st.caption(
        "Interval or cumulative kWh, one export per register; metadata rows above the header are skipped. "
        "Counter resets and gaps are reported, never filled in."
    )
    fac_file = st.file_uploader("Facility energy export", type=["csv", "txt"], key="comp-reg-facility")
    it_file = st.file_uploader("IT energy export (optional)", type=["csv", "txt"], key="comp-reg-it")
    reg_name = st.text_input("Dataset name", key="comp-reg-name")
    reg_site = st.text_input("Site name (optional)", key="comp-reg-site")
    if st.button("Store as meter dataset", key="comp-reg-store", disabled=fac_file is None or not reg_name.strip()):
        files = [("facility", fac_file.name, fac_file.getvalue(), None)]
        if it_file is not None:
            files.append(("it", it_file.name, it_file.getvalue(), None))
        try:
            stored, found = energy.ingest_registers(
                con, files, name=reg_name.strip(), workspace=workspace(), site=reg_site.strip() or None
            )
        except ValueError as exc:
            st.error(plain_md(str(exc)), icon=":material/error:")
        else:
            st.success(
                plain_md(
                    f"Stored {stored.dataset}: {stored.rows_accepted:,} intervals, {stored.rows_rejected:,} rejected."
                ),
                icon=":material/check_circle:",
            )
            for reg in found:
                st.caption(
                    plain_md(
                        f"{reg['channel']} ({reg['column']}, {reg['register']}): {reg['intervals']:,} intervals, "
                        f"{reg['missing_intervals']:,} missing, {len(reg['resets'])} counter reset(s), "
                        f"{len(reg['bridged'])} bridged stretch(es)."
                    )
                )
frame = catalog.list_datasets(con, visible())
meters = frame[frame["kind"] == "meter"]["name"].tolist() if not frame.empty else []
if not meters:
    st.info("No meter dataset yet: upload a facility meter file on My facility.", icon=":material/info:")
    st.stop()

left, middle, right = st.columns([3, 1, 2])
chosen = left.multiselect("Meter datasets", meters, default=meters[:1], key="comp-datasets")
year = middle.number_input("Year", min_value=2000, max_value=2100, value=date.today().year - 1, key="comp-year")
regime = right.radio("Regime", tuple(REGIMES), format_func=REGIMES.get, key="comp-regime")
site = left.text_input("Site (when the datasets hold several)", key="comp-site").strip() or None
commissioned = None
if regime == "de-enefg" and middle.checkbox("Began operating on or after 1 July 2026", key="comp-new"):
    commissioned = right.date_input("Commissioned", value=date(2026, 7, 1), key="comp-commissioned")
with st.expander("Fields to type (floor area, set points, traffic...)"):
    typed = {
        key: st.text_input(f"{name} ({unit})" if unit else name, key=f"comp-f-{key}")
        for key, name, unit in typed_fields(con)
    }

if not chosen:
    st.stop()
try:
    infos = [catalog.get_dataset(con, name=name, workspaces=visible()) for name in chosen]
    result = assess(con, infos, int(year), regime, site=site, commissioned=commissioned, typed=typed)
except (ComplianceError, catalog.DatasetError) as exc:
    st.warning(plain_md(str(exc)), icon=":material/warning:")
    st.stop()

cols = st.columns(5)
for col, (label, value) in zip(
    cols,
    (
        ("PUE", result.kpis.pue),
        ("WUE (L/kWh)", result.kpis.wue_l_per_kwh),
        ("ERF", result.kpis.erf),
        ("REF", result.kpis.ref),
        ("Year covered (%)", result.kpis.coverage_pct),
    ),
):
    col.metric(label, "—" if value is None else f"{value:,.3f}")
for line in present.paragraphs(result):
    st.caption(plain_md(line))
st.subheader("Indicators and label classes")
safe_table(present.kpi_frame(result), hide_index=True)
if result.targets:
    st.subheader("EnEfG targets")
    safe_table(present.targets_frame(result), hide_index=True)
st.subheader("Field sheet")
safe_table(sheet.frame(result).astype({"value": str}), hide_index=True)
a, b = st.columns(2)
a.download_button("Field sheet (CSV)", sheet.to_csv(result), f"field_sheet_{year}.csv", "text/csv", key="comp-csv")
b.download_button(
    "Field sheet (XLSX)",
    sheet.to_xlsx(result),
    f"field_sheet_{year}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="comp-xlsx",
)
