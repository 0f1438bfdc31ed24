"""The store's own errors: what callers catch, whichever engine holds the data.

No DuckDB or psycopg exception class leaves :mod:`factorycore.store`; each backend
turns its engine's errors into these (once, in its own module), keeping the engine's
words in the message. Every message is for a person.
"""

from __future__ import annotations

DISK_FULL_MESSAGE = (
    "the disk holding the database is full (no space left on device), so nothing was stored; "
    "free some space and try again (no restart needed)"
)


class StoreError(RuntimeError):
    """Anything the store could not do; the message says why, for a human."""


class StoreUnusable(StoreError):
    """The store cannot be used at all: not opened, not reached, not built, set wrong (``db.DatabaseError``).

    Pages and commands catch this one to say so in a line; the errors of one statement
    (below) are their callers' to word.
    """


class StoreBusy(StoreUnusable):
    """Another process kept the store (the file, or every pooled connection) for longer than we wait."""


class StoreUnavailable(StoreUnusable):
    """The team store's server does not answer; the message says where, and that it is safe to retry."""


class StoreDamaged(StoreUnusable):
    """The database file is not a readable database (damaged, or not a database at all)."""


class DiskFull(StoreError):
    """The disk holding the store is full: nothing was stored."""


class WriteConflict(StoreError):
    """A concurrent write to the same rows won: run the write again (its checks then see the winner's rows)."""


class NameTaken(WriteConflict):
    """A unique key (a dataset name in its workspace, a scenario name) is already used."""


class MissingObject(StoreError):
    """A table or schema the statement names does not exist (a store never written to)."""


class MissingColumn(StoreError):
    """A column the statement names does not exist."""


class QueryFailed(StoreError):
    """Any other error of the engine, in its own words."""


class BadValue(QueryFailed):
    """A value the statement cannot compute or convert (out of range, not a number, a bad date): the data's
    shape, not the store's health."""


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error says the file system holding the store is full (ENOSPC)."""
    import errno  # noqa: PLC0415 - tiny, but only needed here

    return (
        isinstance(exc, DiskFull)
        or getattr(exc, "errno", None) == errno.ENOSPC
        or "no space left on device" in str(exc).lower()
    )
