"""Report: choose what goes in, download one self-contained file for a board or a customer.

The page only collects choices; ``factorycore.report`` builds the document. The file
is built when the download button is clicked (a callable ``data``), so changing a
checkbox never waits for a report to be written.
"""

from __future__ import annotations

import functools

import streamlit as st

from factorycore import facility, report, scenarios
from factorycore.charts.registry import ARTICLE_CHART_IDS
from ui.controls import ARTICLE_PAGES, page_intro
from ui.data import connection
from ui.text import plain_md
from ui.uploads import visible as visible_workspaces

NO_DATASET = "(none)"
NO_SCENARIO = "(none)"
FORMAT_LABELS = {
    "html": "HTML: interactive charts, opens offline in any browser",
    "pdf": "PDF: static pages for print and e-mail",
}


def _report_file(con, fmt: str, title: str, charts: list[str], include_sources: bool,  # noqa: ANN001
                 include_headlines: bool, dataset_id: int | None, workspaces: list[str],
                 scenario: str | None) -> bytes:
    """Build the chosen report; runs when the download button is clicked.

    Another session may have deleted the chosen dataset or scenario since this page
    was drawn. A failed build would make the button do nothing, without a word, so the
    report is built without it and says so in its first section.
    """
    missing: list[str] = []
    while True:
        try:
            sections = report.build_report(con, charts=charts, include_sources=include_sources,
                                           include_headlines=include_headlines, dataset=dataset_id,
                                           dataset_workspaces=workspaces, scenario=scenario)
            break
        except facility.DatasetError as exc:
            missing.append(f"The facility dataset you chose is not included: {exc} (another session may have "
                           "deleted it after you chose it). Reload the Report page and choose again.")
            dataset_id = None
        except scenarios.ScenarioError as exc:
            missing.append(f"The planner scenario you chose is not included: {exc} (another session may have "
                           "deleted it after you chose it). Reload the Report page and choose again.")
            scenario = None
    if missing:
        sections.insert(0, report.ReportSection(key="missing", title="Not in this report", paragraphs=missing))
    return report.report_bytes(sections, fmt, title=title or report.REPORT_TITLE)


page_intro(
    "Report",
    "Put the findings in front of a board or a customer: choose the charts and sections, then "
    "download one file. The HTML report carries Plotly inside it, so it opens offline and every "
    "chart stays interactive; the PDF is the same content as static pages.",
)

con = connection()
title = st.text_input("Report title", value=report.REPORT_TITLE, max_chars=120, key="report-title")

left, right = st.columns(2)
with left:
    st.subheader("Article charts")
    charts = [
        chart_id for chart_id in ARTICLE_CHART_IDS
        if st.checkbox(ARTICLE_PAGES.get(chart_id, (None, chart_id))[1], value=True, key=f"report-chart-{chart_id}")
    ]
with right:
    st.subheader("More sections")
    include_headlines = st.checkbox("Key figures (the overview's headlines with their sources)", value=True,
                                    key="report-headlines")
    include_sources = st.checkbox("Sources table (every publication cited)", value=True, key="report-sources")
    workspaces = visible_workspaces()
    stored = facility.list_datasets(con, workspaces)
    labels = {NO_DATASET: NO_DATASET}
    for row in stored.itertuples():
        where = "shared" if row.workspace == facility.SHARED else "private to this session"
        labels[int(row.dataset_id)] = f"{row.name} ({row.kind}, {where})"
    dataset_id = st.selectbox(
        "Uploaded facility dataset", list(labels), format_func=labels.get, key="report-dataset",
        help="Your datasets from the My facility page: its comparison charts and headline numbers.",
    )
    dataset_id = None if dataset_id == NO_DATASET else dataset_id
    scenario = st.selectbox(
        "Saved planner scenario", [NO_SCENARIO, *scenarios.names(con)], key="report-scenario",
        help="Scenarios saved on the Planner page, re-planned with today's reference data.",
    )
    scenario = None if scenario == NO_SCENARIO else scenario

formats = ["html", "pdf"] if report.chromium_path() is not None else ["html"]
fmt = st.radio("Format", formats, format_func=FORMAT_LABELS.get, key="report-format")
if len(formats) == 1:
    st.caption("PDF needs Chromium on the server (apt-get install chromium); HTML prints well from any browser.")

chosen = ["Key figures"] if include_headlines else []
chosen += [ARTICLE_PAGES.get(c, (None, c))[1] for c in charts]
if dataset_id is not None:
    # Dataset and scenario names are user text: every markup character is escaped.
    chosen.append(f"Your facility: {plain_md(stored.set_index('dataset_id').loc[dataset_id, 'name'])}")
if scenario:
    chosen.append(f"Planner scenario: {plain_md(scenario)}")
if include_sources:
    chosen.append("Sources")

if not chosen:
    st.info("Choose at least one section to build a report.")
else:
    st.markdown("**Contents**\n\n" + "\n".join(f"{i}. {name}" for i, name in enumerate(chosen, start=1)))

st.download_button(
    f"Download report ({fmt.upper()})",
    data=functools.partial(_report_file, con, fmt, title, charts, include_sources, include_headlines, dataset_id,
                           workspaces, scenario),
    file_name=f"ai-factory-report.{fmt}",
    mime=report.REPORT_FORMATS[fmt],
    key="report-download",
    on_click="ignore",
    type="primary",
    icon=":material/download:",
    disabled=not chosen,
)
