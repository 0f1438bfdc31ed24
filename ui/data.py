"""Cached access to the database for the pages.

One DuckDB connection per process (``db.shared_connection``); every query runs on its
own cursor, so concurrent sessions never share one. Reference queries are cached
with ``st.cache_data``; the cache key includes the reference hash, so a rebuild
from changed CSVs is picked up without a restart.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from factorycore import datasets, db
from factorycore.charts.registry import ChartResult, build_chart
from ui.text import plain_md


def connection() -> duckdb.DuckDBPyConnection:
    """The process's shared connection (the `ref` schema is built on first open).

    ``db.shared_connection`` keeps it per process and reopens it if DuckDB invalidated
    it (a full disk), so this is not cached here. A file that cannot be opened (damaged,
    locked) stops the page with DuckDB's reason in one line instead of a traceback.
    """
    try:
        return db.shared_connection()
    except db.DatabaseError as exc:
        st.error(plain_md(f"The database cannot be used: {exc}"), icon=":material/error:")
        st.stop()


@st.cache_data(show_spinner=False)
def _cached(name: str, reference_hash: str, **kwargs: object) -> pd.DataFrame:
    return getattr(datasets, name)(connection(), **kwargs)


def reference_hash() -> str:
    """The current reference build's hash: the cache key of anything derived from `ref`."""
    with connection().cursor() as cur:
        return db.stored_reference_hash(cur) or ""


def reference(name: str, **kwargs: object) -> pd.DataFrame:
    """A reference table through ``factorycore.datasets.<name>``, cached per reference build."""
    return _cached(name, reference_hash(), **kwargs)


@st.cache_data(show_spinner=False)
def _chart(chart_id: str, reference_hash: str, **options: object) -> ChartResult:
    return build_chart(connection(), chart_id, **options)


def article_chart(chart_id: str, **options: object) -> ChartResult:
    """``build_chart(chart_id, **options)``, built once per reference build (a copy each call)."""
    return _chart(chart_id, reference_hash(), **options)
