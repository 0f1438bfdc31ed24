"""Point in-process AppTest runs at a database file, and put everything back afterwards.

AppTest runs the pages in this process, so the connection and query caches of one
database must be dropped before the pages look at another.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from factorycore import db


def use_database(path: Path) -> None:
    """Make the app's next run open ``path``: drop cached connections and results."""
    st.cache_data.clear()
    st.cache_resource.clear()
    db.close_shared()
    os.environ["FACTORY_DB"] = str(path)


@contextmanager
def app_database_restored() -> Iterator[None]:
    """On exit, drop caches and connections and restore ``FACTORY_DB`` as it was."""
    previous = os.environ.get("FACTORY_DB")
    try:
        yield
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
        db.close_shared()
        if previous is None:
            os.environ.pop("FACTORY_DB", None)
        else:
            os.environ["FACTORY_DB"] = previous
