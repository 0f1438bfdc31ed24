"""My facility: upload your own racks, telemetry or meter CSV and compare it with the industry."""

import streamlit as st

from factorycore.schema import LATEST_YEAR
from ui.controls import page_intro
from ui.live_sources import outcome as live_outcome
from ui.uploads import (
    action_error,
    comparisons,
    datasets_section,
    prometheus_section,
    result_section,
    samples_section,
    upload_section,
)

page_intro(
    "My facility",
    "Bring your own site: upload a rack inventory, power telemetry or facility meter export "
    f"(DCIM, BMS or spreadsheet) and see it against the {LATEST_YEAR} industry benchmarks. Bad rows are "
    "kept aside with a reason; nothing stored before is ever changed by an upload.",
)

upload_section()
prometheus_section()
samples_section()
result_section()
live_outcome()
action_error()
st.divider()
chosen = datasets_section()
if chosen is not None:
    comparisons(chosen)
