"""Cached access to the database for the pages.

The app's script runs hold the database (``app.py`` runs each page inside
``factorycore.db.hold``), which keeps one connection per process while runs are
active and lets the file go between bursts, so the command line can use it while the
app serves. Every query runs on its own cursor, so concurrent sessions never share one.
Reference queries are cached with ``st.cache_data`` (each caller gets its own copy of
the frame); article views with ``st.cache_resource``: one shared, immutable ``View`` per
process, because copying a Plotly figure out of a pickle costs more than the page's
whole rerun. So a page never changes a cached view's figure: it asks for the variant it
needs through the view's options (``title=``) or ``st.plotly_chart``'s own (``height=``).
Both keys include the reference hash, so a rebuild from changed CSVs is picked up
without a restart.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from factorycore import db
from factorycore import reference as reference_tables
from factorycore.views import View, article_view
from ui.text import plain_md

REFERENCE_HASH_TTL_S = 2.0


def connection() -> duckdb.DuckDBPyConnection:
    """The connection the current run holds; outside a held run (a page run on its own, as
    AppTest does) the process's persistent one.

    ``db.shared_connection`` reopens a connection DuckDB invalidated (a full disk), so it
    is not cached here. A file that cannot be opened (damaged, busy) stops the page with
    the reason in one line instead of a traceback.
    """
    try:
        return db.held() or db.shared_connection()
    except db.DatabaseError as exc:
        st.error(plain_md(f"The database cannot be used: {exc}"), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False)
def _cached(name: str, reference_hash: str, **kwargs: object) -> pd.DataFrame:
    return getattr(reference_tables, name)(connection(), **kwargs)


@st.cache_data(show_spinner=False, ttl=REFERENCE_HASH_TTL_S)
def _reference_hash(db_file: str) -> str:
    with connection().cursor() as cur:
        return db.stored_reference_hash(cur) or ""


def reference_hash() -> str:
    """The current reference build's hash: the cache key of anything derived from `ref`.

    Read from the store at most every ``REFERENCE_HASH_TTL_S`` (a page asks a dozen times
    per rerun), so a rebuild by the command line shows within that time.
    """
    return _reference_hash(str(db.db_path()))


def reference(name: str, **kwargs: object) -> pd.DataFrame:
    """A reference table through ``factorycore.reference.<name>``, cached per reference build."""
    return _cached(name, reference_hash(), **kwargs)


@st.cache_resource(show_spinner=False, max_entries=256)
def _article(view_id: str, reference_hash: str, **options: object) -> View:
    return article_view(connection(), view_id, **options)


def article_chart(view_id: str, **options: object) -> View:
    """``article_view(view_id, **options)``, built once per reference build and shared: never mutate it."""
    return _article(view_id, reference_hash(), **options)
