"""Named planner scenarios, kept in the database so they survive reloads and restarts.

One table, ``facility.scenarios`` (user data: created if missing, never dropped):
the scenario name (primary key), its inputs as JSON, when it was created and last
updated, and its owner when sign-in is configured (everyone signed in loads every
scenario; who may overwrite or delete one is :func:`factorycore.ownership.check`).
Names are validated here and only ever travel as bound values; each write runs in its
own transaction, so a failed write leaves the table as it was.

The store does not interpret the inputs: it keeps any JSON-able mapping (the planner
stores :meth:`factorycore.planner.PlanInputs.as_dict`) and gives it back as a dict;
the planner's ``from_dict`` re-validates it on the way in.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from factorycore import ownership, store

if TYPE_CHECKING:
    import duckdb
from factorycore.names import mixed_script_problem, skeleton

TABLE = "facility.scenarios"
NAME_MAX_CHARS = 64
MAX_SCENARIOS = 500
_JSON_MAX_CHARS = 20_000
T = TypeVar("T")


class ScenarioError(ValueError):
    """A scenario operation cannot be done; the message says why, for a human."""


@dataclass(frozen=True)
class ScenarioInfo:
    """One saved scenario, without its inputs."""

    name: str
    created: datetime
    updated: datetime
    owner: str | None = None


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the scenarios table up to date (:mod:`factorycore.store.migrations`, area 'scenarios'); safe to race."""
    store.facility(con).migrate("scenarios")


def claim_owner(con: duckdb.DuckDBPyConnection, email: str, key: str) -> int:
    """Give the scenarios owned by the e-mail ``email`` (``email:<address>`` or the bare address) to
    ``key``; how many. Only for an address the provider says is verified (``factorycore.identity``)."""
    ensure_table(con)
    address = email.strip().lower()
    with store.facility(con).cursor() as cur, store.transaction(cur):
        return len(
            cur.execute(
                f"UPDATE {TABLE} SET owner = ? WHERE lower(owner) = ? OR lower(owner) = ? RETURNING name",
                [key, "email:" + address, address],
            ).fetchall()
        )


def _read(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run a read on its own cursor; a store never written to reads as empty (a read creates nothing).

    A table from before owners existed is migrated (once per store) before it is read.
    """
    facility = store.facility(con)
    if not facility.migrate_if_present("scenarios", TABLE):
        return []
    with facility.cursor() as cur:
        return cur.execute(sql, params).fetchall()


def validate_name(name: Any) -> str:
    """The name, trimmed, if it is usable: 1-64 characters, no control characters."""
    if not isinstance(name, str):
        raise ScenarioError("a scenario name must be text")
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise ScenarioError("give the scenario a name")
    if len(name) > NAME_MAX_CHARS:
        raise ScenarioError(f"a scenario name has at most {NAME_MAX_CHARS} characters (this one has {len(name)})")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ScenarioError("a scenario name cannot contain control or invisible formatting characters")
    mixed = mixed_script_problem(name)
    if mixed:
        raise ScenarioError(f"the scenario name {name!r} {mixed}")
    return name


def _inputs_json(inputs: Mapping[str, Any] | Any) -> str:
    values = inputs.as_dict() if hasattr(inputs, "as_dict") else inputs
    if not isinstance(values, Mapping):
        raise ScenarioError("scenario inputs must be a mapping of input name to value")
    try:
        text = json.dumps(dict(values), allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ScenarioError(f"scenario inputs cannot be stored as JSON: {exc}") from None
    if len(text) > _JSON_MAX_CHARS:
        raise ScenarioError("scenario inputs are too large to store")
    return text


def _write(con: duckdb.DuckDBPyConnection, work: Callable[[store.Cursor], T]) -> T:
    """Run ``work(cursor)`` in one transaction (:meth:`factorycore.store.FacilityStore.write_retrying`).

    Two sessions saving the same new name race: the loser's INSERT hits the primary key
    (or its COMMIT a write-write conflict); run again, it sees the winner's row and updates
    it (or refuses, without overwrite), as if the saves had been in turn.
    """
    facility = store.facility(con)
    try:
        ensure_table(facility)
        return facility.write_retrying(work)
    except store.DiskFull:
        raise ScenarioError(store.DISK_FULL_MESSAGE) from None
    except store.WriteConflict:
        raise ScenarioError(
            "the scenario store is busy (other sessions are writing at the same moment); try again"
        ) from None


def _stored(cur: duckdb.DuckDBPyConnection, name: str) -> tuple[bool, str | None]:
    """Whether a scenario ``name`` is stored, and its owner."""
    found = cur.execute(f"SELECT owner FROM {TABLE} WHERE name = ?", [name]).fetchall()
    return bool(found), found[0][0] if found else None


def _check_owner(name: str, owner: str | None, user: str | None) -> None:
    ownership.check(owner, user, f"the scenario {name!r}", ScenarioError)


def save(
    con: duckdb.DuckDBPyConnection,
    name: str,
    inputs: Mapping[str, Any] | Any,
    *,
    overwrite: bool = True,
    user: str | None = None,
) -> bool:
    """Store ``inputs`` under ``name``; True if the scenario is new, False if it replaced one.

    With ``overwrite=False`` an existing name is an error instead; replacing one needs
    ``user`` to be allowed to change it, and a new one is owned by ``user``.
    """
    name = validate_name(name)
    text = _inputs_json(inputs)
    owner = ownership.owner_of(user)

    def work(cur: duckdb.DuckDBPyConnection) -> bool:
        exists, stored_owner = _stored(cur, name)
        if not exists:
            wanted = skeleton(name)
            alike = [
                other for (other,) in cur.execute(f"SELECT name FROM {TABLE}").fetchall() if skeleton(other) == wanted
            ]
            if alike:
                raise ScenarioError(
                    f"the name {name!r} looks the same as the saved scenario {alike[0]!r}; "
                    "choose another name, or that one to replace it"
                )
        if exists and not overwrite:
            raise ScenarioError(f"a scenario called {name!r} exists already")
        if exists:
            _check_owner(name, stored_owner, user)
            cur.execute(f"UPDATE {TABLE} SET inputs_json = ?, updated = localtimestamp WHERE name = ?", [text, name])
        else:
            if cur.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] >= MAX_SCENARIOS:
                raise ScenarioError(f"the store holds its maximum of {MAX_SCENARIOS} scenarios; delete some first")
            cur.execute(
                f"INSERT INTO {TABLE} (name, inputs_json, created, updated, owner) "
                "VALUES (?, ?, localtimestamp, localtimestamp, ?)",
                [name, text, owner],
            )
        return not exists

    return _write(con, work)


def list_scenarios(con: duckdb.DuckDBPyConnection) -> list[ScenarioInfo]:
    """Every saved scenario, most recently updated first."""
    rows = _read(con, f"SELECT name, created, updated, owner FROM {TABLE} ORDER BY updated DESC, name", [])
    return [ScenarioInfo(*row) for row in rows]


def names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The saved scenario names, most recently updated first."""
    return [info.name for info in list_scenarios(con)]


def load(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    """The inputs saved under ``name`` (ScenarioError if there is none)."""
    name = validate_name(name)
    rows = _read(con, f"SELECT inputs_json FROM {TABLE} WHERE name = ?", [name])
    if not rows:
        raise ScenarioError(f"no scenario called {name!r}")
    try:
        values = json.loads(rows[0][0])
    except json.JSONDecodeError:
        raise ScenarioError(f"scenario {name!r} is stored damaged and cannot be read") from None
    if not isinstance(values, dict):
        raise ScenarioError(f"scenario {name!r} is stored damaged and cannot be read")
    return values


def delete(con: duckdb.DuckDBPyConnection, name: str, user: str | None = None) -> bool:
    """Remove the scenario called ``name`` if ``user`` may; True if there was one."""
    name = validate_name(name)

    def work(cur: duckdb.DuckDBPyConnection) -> bool:
        exists, stored_owner = _stored(cur, name)
        if not exists:
            return False
        _check_owner(name, stored_owner, user)
        cur.execute(f"DELETE FROM {TABLE} WHERE name = ?", [name])
        return True

    return _write(con, work)


def set_owner(con: duckdb.DuckDBPyConnection, name: str, owner: str | None) -> None:
    """Give the scenario ``name`` to ``owner`` (``None``: no owner); the operator's command, no check."""
    name = validate_name(name)
    owner = ownership.owner_of(owner)

    def work(cur: duckdb.DuckDBPyConnection) -> None:
        if not cur.execute(f"UPDATE {TABLE} SET owner = ? WHERE name = ? RETURNING name", [owner, name]).fetchall():
            raise ScenarioError(f"no scenario called {name!r}")

    _write(con, work)
