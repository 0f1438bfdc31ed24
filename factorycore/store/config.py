"""The store's settings, read from the environment once, where a process chooses its store.

``FACTORY_STORE`` (unset or ``embedded``: the DuckDB file; ``postgresql://...``: the
team store), ``FACTORY_DB`` (the DuckDB file) and ``FACTORY_STORE_WAIT_S`` (how long
to wait for a busy store). The app's ``hold()`` and each CLI command read them with
:meth:`StoreConfig.from_env` and hand the chosen store down; nothing below looks at
the environment again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from factorycore.store.errors import StoreUnusable

EMBEDDED = "embedded"
POSTGRES_PREFIXES = ("postgresql://", "postgres://")
DEFAULT_WAIT_S = 30.0  # how long to wait for another process to release the store
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = REPO_ROOT / "data" / "factory.duckdb"


@dataclass(frozen=True)
class StoreConfig:
    """Where facility data lives and how long to wait for it."""

    url: str = EMBEDDED  # 'embedded' or a postgresql:// URL
    db_path: Path = DEFAULT_DB_PATH  # the DuckDB file (reference data, and facility data when embedded)
    wait_s: float = DEFAULT_WAIT_S

    @property
    def team_url(self) -> str | None:
        """The PostgreSQL URL, or None for the embedded store."""
        return None if self.url == EMBEDDED else self.url

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StoreConfig:
        """The settings of ``environ`` (default: the process's); a bad ``FACTORY_STORE`` is an error."""
        env = os.environ if environ is None else environ
        return cls(url=parse_url(env.get("FACTORY_STORE", "")), db_path=_db_path(env), wait_s=_wait_s(env))


def parse_url(value: str) -> str:
    """``embedded`` or the PostgreSQL URL; anything else is an error that names the fix."""
    value = (value or "").strip()
    if not value or value == EMBEDDED:
        return EMBEDDED
    if value.startswith(POSTGRES_PREFIXES):
        return value
    raise StoreUnusable(
        f"FACTORY_STORE must be 'embedded' or a postgresql://user@host:port/database URL, not {value[:60]!r}"
    )


def _db_path(env: Mapping[str, str]) -> Path:
    override = env.get("FACTORY_DB")
    return Path(override).expanduser() if override else DEFAULT_DB_PATH


def _wait_s(env: Mapping[str, str]) -> float:
    try:
        return max(0.0, float(env.get("FACTORY_STORE_WAIT_S", DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S
