"""AI Factory Dashboard: the Streamlit entry point.

It only sets the page up and routes; each page lives in ``app_pages/`` and is thin
(widgets in, factorycore call, view out). The page list is ``ui.navigation.PAGES``.
"""

import streamlit as st

from factorycore import db
from ui import signin
from ui.navigation import PAGES
from ui.uploads import cap_session_uploads

st.set_page_config(page_title="AI Factory Dashboard", page_icon=":material/factory:", layout="wide")
cap_session_uploads()  # bound what any session can pin in the server's upload store, from its first visit
signin.gate()  # where sign-in is configured, nothing below runs until the user has signed in

sections: dict[str, list] = {}
for page in PAGES:
    sections.setdefault(page.section, []).append(
        st.Page(page.path, title=page.title, icon=page.icon, default=page.default)
    )

# `?present=1` (set by the presentation page) hides the navigation for a projector.
presenting = st.query_params.get("present") == "1"
page = st.navigation(sections, position="hidden" if presenting else "sidebar")
# The run holds the database only while it runs (see factorycore.db.hold): the command
# line can ingest while the app serves, and the app sees its writes on the next rerun.
# A damaged file often opens and fails on a later read (DuckDB reads a block when a query
# needs it): any read of the run that finds damage says so as the opening path does.
try:
    with db.hold():
        page.run()
except Exception as exc:
    problem = db.unusable(exc)
    if problem is None:
        raise
    st.error("The data store cannot be used right now.", icon=":material/database:")
    st.text(str(problem))
