"""Report: choose what goes in, download one self-contained file for a board or a customer.

The page only collects choices; ``factorycore.export.report`` builds the document (and
``factorycore.export.deck`` the PowerPoint deck). The file is built when the download
button is clicked (a callable ``data``), so changing a checkbox never waits for a
report to be written. An uploaded deck template is checked when it arrives, so a bad
one gets a message here rather than a failed download.
"""

from __future__ import annotations

import functools

import streamlit as st

from factorycore import db, scenarios
from factorycore.export import deck, report
from factorycore.export.figures import chromium_path
from factorycore.userdata import catalog
from factorycore.views import ARTICLE_VIEW_IDS
from ui.controls import page_intro
from ui.data import connection
from ui.navigation import chart_label
from ui.text import plain_md
from ui.uploads import file_name_guard
from ui.uploads import visible as visible_workspaces

NO_DATASET = "(none)"
NO_SCENARIO = "(none)"
FORMAT_LABELS = {
    "html": "HTML: interactive charts, opens offline in any browser",
    "pdf": "PDF: static pages for print and e-mail",
    "pptx": "PowerPoint (.pptx): a deck with editable charts, optionally in your own template",
}
MIME = {**report.REPORT_FORMATS, "pptx": deck.PPTX_MIME}
TEMPLATE_CHECK_KEY = "report-template-checked"


def _report_file(
    fmt: str,
    title: str,
    charts: list[str],
    include_sources: bool,
    include_headlines: bool,
    dataset_id: int | None,
    workspaces: list[str],
    scenario: str | None,
    compare: list[str],
    template: object | None,
) -> bytes:
    """Build the chosen report; runs when the download button is clicked (outside a script
    run, so it holds the database itself).

    Another session may have deleted the chosen dataset or scenario since this page
    was drawn. A failed build would make the button do nothing, without a word, so the
    report is built without it and says so in its first section.
    """
    missing: list[str] = []
    with db.hold() as con:
        while True:
            try:
                sections = report.build_report(
                    con,
                    charts=charts,
                    include_sources=include_sources,
                    include_headlines=include_headlines,
                    dataset=dataset_id,
                    dataset_workspaces=workspaces,
                    scenario=scenario,
                    compare=compare,
                )
                break
            except catalog.DatasetError as exc:
                missing.append(
                    f"The facility dataset you chose is not included: {exc} (another session may have "
                    "deleted it after you chose it). Reload the Report page and choose again."
                )
                dataset_id = None
            except scenarios.ScenarioError as exc:
                saved = set(scenarios.names(con))
                gone = [n for n in (scenario, *compare) if n is not None and n not in saved]
                if not gone:
                    raise
                missing.append(
                    f"The planner scenario you chose is not included: {exc} (another session may have "
                    "deleted it after you chose it). Reload the Report page and choose again."
                )
                scenario = scenario if scenario in saved else None
                compare = [n for n in compare if n in saved]
    if missing:
        sections.insert(0, report.ReportSection(key="missing", title="Not in this report", paragraphs=missing))
    if fmt == "pptx":
        data = template.getvalue() if template is not None else None  # the upload's bytes, read on click only
        return deck.deck_bytes(sections, title=title or report.REPORT_TITLE, template=data)
    return report.report_bytes(sections, fmt, title=title or report.REPORT_TITLE)


page_intro(
    "Report",
    "Put the findings in front of a board or a customer: choose the charts and sections, then "
    "download one file. The HTML report carries Plotly inside it, so it opens offline and every "
    "chart stays interactive; the PDF is the same content as static pages; the PowerPoint deck has "
    "charts you can restyle and edit in PowerPoint, in your own template if you upload one.",
)

con = connection()
title = st.text_input("Report title", value=report.REPORT_TITLE, max_chars=120, key="report-title")

left, right = st.columns(2)
with left:
    st.subheader("Article charts")
    charts = [
        chart_id
        for chart_id in ARTICLE_VIEW_IDS
        if st.checkbox(chart_label(chart_id), value=True, key=f"report-chart-{chart_id}")
    ]
with right:
    st.subheader("More sections")
    include_headlines = st.checkbox(
        "Key figures (the overview's headlines with their sources)", value=True, key="report-headlines"
    )
    include_sources = st.checkbox("Sources table (every publication cited)", value=True, key="report-sources")
    workspaces = visible_workspaces()
    stored = catalog.list_datasets(con, workspaces)
    labels = {NO_DATASET: NO_DATASET}
    for row in stored.itertuples():
        where = "shared" if row.workspace == catalog.SHARED else "private to this session"
        labels[int(row.dataset_id)] = f"{row.name} ({row.kind}, {where})"
    dataset_id = st.selectbox(
        "Uploaded facility dataset",
        list(labels),
        format_func=labels.get,
        key="report-dataset",
        help="Your datasets from the My facility page: its comparison charts and headline numbers.",
    )
    dataset_id = None if dataset_id == NO_DATASET else dataset_id
    scenario = st.selectbox(
        "Saved planner scenario",
        [NO_SCENARIO, *scenarios.names(con)],
        key="report-scenario",
        help="Scenarios saved on the Planner page, re-planned with today's reference data.",
    )
    scenario = None if scenario == NO_SCENARIO else scenario
    saved = scenarios.names(con)
    compare = (
        st.multiselect(
            "Compare saved scenarios side by side",
            saved,
            key="report-compare",
            max_selections=4,
            help="Two to four scenarios saved on the Planner page.",
        )
        if len(saved) >= 2
        else []
    )

formats = ["html", "pdf", "pptx"] if chromium_path() is not None else ["html", "pptx"]
fmt = st.radio("Format", formats, format_func=FORMAT_LABELS.get, key="report-format")
if "pdf" not in formats:
    st.caption("PDF needs Chromium on the server (apt-get install chromium); HTML prints well from any browser.")
template, template_ok = None, True
if fmt == "pptx":
    file_name_guard()
    upload = st.file_uploader(
        "Your PowerPoint template (optional)",
        type=["pptx"],
        key="report-template",
        help="The deck uses its slide layouts and theme; its own slides are left out.",
    )
    if upload is not None:
        # Checked once per uploaded file, not on every rerun: the verdict is kept by the upload's id.
        checked = st.session_state.get(TEMPLATE_CHECK_KEY)
        if checked is None or checked[0] != upload.file_id:
            try:
                deck.check_template(upload.getvalue())
                checked = (upload.file_id, None)
            except deck.TemplateError as exc:
                checked = (upload.file_id, str(exc))
            st.session_state[TEMPLATE_CHECK_KEY] = checked
        template = upload
        if checked[1] is not None:
            template_ok = False
            st.error(plain_md(f"This template cannot be used: {checked[1]}"))

chosen = ["Key figures"] if include_headlines else []
chosen += [chart_label(c) for c in charts]
if dataset_id is not None:
    # Dataset and scenario names are user text: every markup character is escaped.
    chosen.append(f"Your facility: {plain_md(stored.set_index('dataset_id').loc[dataset_id, 'name'])}")
if scenario:
    chosen.append(f"Planner scenario: {plain_md(scenario)}")
if len(compare) >= 2:
    chosen.append("Planner scenarios side by side: " + ", ".join(plain_md(name) for name in compare))
if include_sources:
    chosen.append("Sources")

if not chosen:
    st.info("Choose at least one section to build a report.")
else:
    st.markdown("**Contents**\n\n" + "\n".join(f"{i}. {name}" for i, name in enumerate(chosen, start=1)))

st.download_button(
    f"Download report ({fmt.upper()})",
    data=functools.partial(
        _report_file,
        fmt,
        title,
        charts,
        include_sources,
        include_headlines,
        dataset_id,
        workspaces,
        scenario,
        compare if len(compare) >= 2 else [],
        template,
    ),
    file_name=f"ai-factory-report.{fmt}",
    mime=MIME[fmt],
    key="report-download",
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    disabled=not chosen or not template_ok,
)
