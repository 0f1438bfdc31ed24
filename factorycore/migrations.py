"""Named, recorded, idempotent changes to stored user data, run when a store is opened.

A migration is a name and a few SQL statements that both stores accept. :func:`run_once`
runs them in one transaction and records the name in ``facility.migrations`` in the same
transaction, so a store migrates once: a later open (any process, either store) finds the
name and does nothing, and each connection checks only once. The statements must be safe
to run twice anyway (sessions opening a fresh store at once may both run them before
either records the name; the second record is then ignored).

The migrations:

``owner_email_keys_v1``
    Owners were recorded as the sign-in ``email`` claim, which any provider user can set
    to anything. Owner keys are now issuer and subject (``factorycore.ownership``); an
    owner that is a bare e-mail address becomes ``email:<address>``, which no signed-in
    key equals, until its user signs in with that address verified and claims it.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import duckdb

from factorycore import db

TABLE = "facility.migrations"
OWNER_EMAIL_KEYS = "owner_email_keys_v1"
_done: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def owner_email_sql(table: str) -> str:
    """The ``owner_email_keys_v1`` statement for one table with an ``owner`` column (our own names only)."""
    assert table.replace(".", "").replace("_", "").isalnum()
    return (
        f"UPDATE {table} SET owner = 'email:' || lower(trim(owner)) WHERE owner LIKE '%@%' "
        "AND owner NOT LIKE 'email:%' AND owner NOT LIKE 'oidc:%' AND owner NOT LIKE '% %'"
    )


def applied(con: Any) -> list[str]:
    """The names of the migrations this store has recorded."""
    cur = con.cursor()
    try:
        return [r[0] for r in cur.execute(f"SELECT name FROM {TABLE} ORDER BY name").fetchall()]
    except duckdb.CatalogException:
        return []
    finally:
        cur.close()


def run_once(con: Any, name: str, statements: Sequence[str]) -> bool:
    """Run ``statements`` and record ``name`` unless the store has it; whether they ran now.

    ``con`` is the facility store's connection (``store.facility``).
    """
    memo = _done.setdefault(con, set())
    if name in memo:
        return False
    db.ensure_objects(
        con,
        [
            "CREATE SCHEMA IF NOT EXISTS facility",
            f"CREATE TABLE IF NOT EXISTS {TABLE} (name VARCHAR PRIMARY KEY, applied TIMESTAMP NOT NULL)",
        ],
    )
    ran = False
    for attempt in range(3):
        cur = con.cursor()
        try:
            with db.transaction(cur):
                if cur.execute(f"SELECT 1 FROM {TABLE} WHERE name = ?", [name]).fetchall():
                    break
                for sql in statements:
                    cur.execute(sql)
                cur.execute(
                    f"INSERT INTO {TABLE} (name, applied) VALUES (?, CURRENT_TIMESTAMP) ON CONFLICT DO NOTHING",
                    [name],
                )
                ran = True
            break
        except (duckdb.TransactionException, duckdb.ConstraintException):
            if attempt == 2:
                raise
        finally:
            cur.close()
    memo.add(name)
    return ran


__all__ = ["OWNER_EMAIL_KEYS", "applied", "owner_email_sql", "run_once"]
