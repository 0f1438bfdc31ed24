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

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import duckdb
import pandas as pd
import streamlit as st

from factorycore import db
from factorycore import reference as reference_tables
from factorycore.views import View, article_view
from ui.text import plain_md

REFERENCE_HASH_TTL_S = 2.0


def connection() -> duckdb.DuckDBPyConnection:
    """The connection the current run holds (``app.py`` runs each page inside ``db.hold``, and
    :func:`with_store` each callback that reads or writes the store).

    Outside a held run (a page run on its own, as AppTest does; a callback nobody wrapped)
    the run's thread holds the file until it ends (``db.hold_for_thread``): nothing keeps a
    connection for the life of the process, so the command line gets the file once the
    app is idle. A file that cannot be opened (damaged, busy) stops the page with the
    reason in one line instead of a traceback.
    """
    try:
        return db.held() or db.hold_for_thread()
    except db.DatabaseError as exc:
        st.error(plain_md(f"The database cannot be used: {exc}"), icon=":material/error:")
        st.stop()


P = ParamSpec("P")
R = TypeVar("R")


def with_store(callback: Callable[P, R]) -> Callable[P, R | None]:
    """``callback`` run inside ``db.hold``, as a page run is: for widget callbacks.

    Streamlit runs a widget's ``on_click`` / ``on_change`` before the script, so before
    ``app.py`` enters its hold. Wrapped, a callback that saves a scenario or loads a
    site's measurements opens the file, shares it with the run that follows, and lets it
    go with that run. A store that cannot be used (busy, damaged) is said in one line.
    """

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            with db.hold():
                return callback(*args, **kwargs)
        except Exception as exc:
            problem = db.unusable(exc)
            if problem is None:
                raise
            st.error(plain_md(f"The database cannot be used: {problem}"), icon=":material/error:")
            return None

    return run


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
