"""Where facility data and scenarios live: the embedded DuckDB file, or PostgreSQL for a team.

One setting decides, ``FACTORY_STORE``: unset (or ``embedded``) keeps everything in the
DuckDB file (``make run``, nothing to install); ``postgresql://user@host:port/db``
keeps uploads, their rejects, the catalog and scenarios in that PostgreSQL database,
so app processes on any number of hosts share them. The reference data stays
embedded either way: with a team store each process builds it in memory, so no
process holds a file another one needs.

The store modules take the app's DuckDB connection and call :func:`facility` for the
connection their tables are on. The few SQL spellings the two engines do not share
are here, once each; everything else is written in SQL both accept.
"""

from __future__ import annotations

import os
from typing import Any

from factorycore.db import DatabaseError

EMBEDDED = "embedded"
_PREFIXES = ("postgresql://", "postgres://")


def team_url() -> str | None:
    """The PostgreSQL URL from ``FACTORY_STORE``, or None for the embedded store; a bad value is an error."""
    value = os.environ.get("FACTORY_STORE", "").strip()
    if not value or value == EMBEDDED:
        return None
    if value.startswith(_PREFIXES):
        return value
    raise DatabaseError(
        f"FACTORY_STORE must be 'embedded' or a postgresql://user@host:port/database URL, not {value[:60]!r}"
    )


def facility(con: Any) -> Any:
    """The connection facility tables are on: the PostgreSQL pool with a team store, else ``con`` itself."""
    if getattr(con, "dialect", None) == "postgres":
        return con
    url = team_url()
    if url is None:
        return con
    from factorycore import pgstore  # noqa: PLC0415 - psycopg only loads for a team store

    return pgstore.shared(url)


def is_postgres(con: Any) -> bool:
    """Whether ``con`` is the team store's PostgreSQL pool."""
    return getattr(con, "dialect", None) == "postgres"


def interval_s(con: Any) -> str:
    """An interval of ``?`` seconds (a bound number, fractions allowed)."""
    if is_postgres(con):
        return "make_interval(secs => ?::DOUBLE PRECISION)"
    return "to_microseconds(CAST(?::DOUBLE * 1000000 AS BIGINT))"


def time_bucket(con: Any, ts: str) -> str:
    """``ts`` floored to a bucket of ``?`` seconds (bound as the first parameter).

    Both engines align their buckets on 2000-01-03, so they cut the same buckets.
    """
    if is_postgres(con):
        return f"date_bin({interval_s(con)}, {ts}, TIMESTAMP '2000-01-03')"
    return f"time_bucket({interval_s(con)}, {ts})"


def distinct_estimate(con: Any, column: str) -> str:
    """A count of distinct values: DuckDB's HyperLogLog estimate, PostgreSQL's exact count."""
    if is_postgres(con):
        return f"count(DISTINCT {column})"
    return f"approx_count_distinct({column})"


def placeholders(values: list[Any]) -> str:
    """``?, ?, ?`` for an ``IN (...)`` list of bound values (at least one)."""
    return ", ".join("?" for _ in values) or "NULL"
