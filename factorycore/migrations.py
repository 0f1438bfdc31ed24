"""The migrations of stored user data under their first module name (kept for callers written before
:mod:`factorycore.store.migrations`, which holds them all, named and ordered, with the owner-key ones).

``owner_email_keys_v1`` (one record per table, ``:catalog`` and ``:scenarios``): owners were recorded
as the sign-in ``email`` claim; an owner that is a bare e-mail address becomes ``email:<address>``
until its user signs in with that address verified and claims it.
"""

from __future__ import annotations

from typing import Any

from factorycore import store
from factorycore.store import migrations as _store_migrations
from factorycore.store.migrations import OWNER_EMAIL_KEYS, TABLE, owner_email_sql


def applied(con: Any) -> list[str]:
    """The names of the migrations the store of ``con`` has recorded."""
    return _store_migrations.applied(store.facility(con))


__all__ = ["OWNER_EMAIL_KEYS", "TABLE", "applied", "owner_email_sql"]
