"""AI Factory Dashboard: the Streamlit entry point.

It only sets the page up and routes; each page lives in ``app_pages/`` and is thin
(widgets in, factorycore call, figure out).
"""

import streamlit as st

from ui.uploads import cap_session_uploads

st.set_page_config(page_title="AI Factory Dashboard", page_icon=":material/factory:", layout="wide")
cap_session_uploads()  # bound what any session can pin in the server's upload store, from its first visit

PAGES = {
    "Industry": [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("app_pages/rack_density.py", title="Rack density", icon=":material/trending_up:"),
        st.Page("app_pages/power_distribution.py", title="Power distribution", icon=":material/bar_chart:"),
        st.Page("app_pages/stack.py", title="AI factory stack", icon=":material/layers:"),
        st.Page("app_pages/maturity.py", title="Maturity", icon=":material/grid_view:"),
        st.Page("app_pages/electricity.py", title="Electricity outlook", icon=":material/bolt:"),
    ],
    "Plan": [
        st.Page("app_pages/planner.py", title="Planner", icon=":material/calculate:"),
    ],
    "Your site": [
        st.Page("app_pages/my_facility.py", title="My facility", icon=":material/upload_file:"),
    ],
    "Present": [
        st.Page("app_pages/report.py", title="Report", icon=":material/description:"),
        st.Page("app_pages/presentation.py", title="Presentation", icon=":material/slideshow:"),
    ],
}

# `?present=1` (set by the presentation page) hides the navigation for a projector.
presenting = st.query_params.get("present") == "1"
st.navigation(PAGES, position="hidden" if presenting else "sidebar").run()
