"""The team store under its first name (kept for callers written before :mod:`factorycore.store`;
new code imports ``factorycore.store.postgres``)."""

from __future__ import annotations

from factorycore.store.errors import StoreUnavailable
from factorycore.store.postgres import (
    POOL_MAX,
    PgCursor,
    PgStore,
    close_all,
    copy_table,
    shared,
    translate_error,
    unavailable_message,
)

__all__ = [
    "POOL_MAX",
    "PgCursor",
    "PgStore",
    "StoreUnavailable",
    "close_all",
    "copy_table",
    "shared",
    "translate_error",
    "unavailable_message",
]
