"""AI Factory Dashboard: the Streamlit entry point.

It only sets the page up and routes; each page lives in ``app_pages/`` and is thin
(widgets in, factorycore call, view out). The page list is ``ui.navigation.PAGES``.
"""

import streamlit as st

from ui.navigation import PAGES

st.set_page_config(page_title="AI Factory Dashboard", page_icon=":material/factory:", layout="wide")

sections: dict[str, list] = {}
for page in PAGES:
    sections.setdefault(page.section, []).append(
        st.Page(page.path, title=page.title, icon=page.icon, default=page.default)
    )

# `?present=1` (set by the presentation page) hides the navigation for a projector.
presenting = st.query_params.get("present") == "1"
st.navigation(sections, position="hidden" if presenting else "sidebar").run()
