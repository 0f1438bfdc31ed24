"""What a session may cost the server before it has signed in, and what any session may hold in uploads.

Streamlit accepts an upload for any live session (``PUT /_stcore/upload_file/<session>/<file>``)
and keeps it in memory until the session ends, and any websocket may send ``clear_cache``,
which clears every user's caches. With sign-in configured, a session that has not signed in
(or whose sign-in has ended, ``factorycore.identity``) gets neither: its upload is refused
before its body is read (Streamlit's handler asks ``Runtime.is_active_session`` first, and
answers 400), and its ``clear_cache`` is ignored. Uploads held in memory are also bounded,
per user (per session without sign-in) and in total (:data:`PER_USER_ENV`, :data:`TOTAL_ENV`);
they are released when a session ends (``server.disconnectedSessionTTL`` in ``.streamlit/config.toml``).

:func:`install` patches the two Streamlit methods; ``ui.launch`` calls it before the server starts.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from factorycore import db, identity, ownership

PER_USER_ENV = "FACTORY_UPLOADS_PER_USER_MB"
TOTAL_ENV = "FACTORY_UPLOADS_TOTAL_MB"
PER_USER_DEFAULT_MB = 400
TOTAL_DEFAULT_MB = 2048
_LOG = logging.getLogger("factory.server_limits")
_installed = False


def _mb(env: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(env, default))) * 1024 * 1024
    except ValueError:
        return default * 1024 * 1024


def signin_configured() -> bool:
    """Whether the secrets hold an ``[auth]`` section (read outside a script run)."""
    from streamlit.runtime.secrets import secrets_singleton  # noqa: PLC0415

    try:
        return "auth" in secrets_singleton
    except Exception:  # noqa: BLE001 - no secrets file: sign-in is not configured
        return False


def signed_in_key(user_info: dict[str, Any] | None) -> str | None:
    """The owner key of a session's sign-in cookie, or ``None`` (not signed in, or signed out since)."""
    if not user_info or not user_info.get("is_logged_in"):
        return None
    issuer, subject = user_info.get("iss"), user_info.get("sub")
    if not issuer or not subject:
        return None
    key = ownership.key_for(str(issuer), str(subject))
    issued = user_info.get("iat")
    with db.hold() as con:
        if identity.revoked(con, key, float(issued) if isinstance(issued, (int, float)) else None):
            return None
    return key


def _user_info(runtime: Any, session_id: str) -> dict[str, Any] | None:
    info = runtime._session_mgr.get_session_info(session_id)
    return getattr(info.session, "_user_info", None) if info is not None else None


def _held_bytes(runtime: Any) -> dict[str, int]:
    """Bytes of uploads held in memory, per session id."""
    storage = getattr(runtime.uploaded_file_mgr, "file_storage", {})
    return {sid: sum(len(rec.data) for rec in files.values()) for sid, files in list(storage.items())}


def may_upload(runtime: Any, session_id: str) -> bool:
    """Whether an upload for ``session_id`` may be read: a signed-in session (with sign-in configured)
    whose user, and the server, hold less than their bounds."""
    held = _held_bytes(runtime)
    if sum(held.values()) >= _mb(TOTAL_ENV, TOTAL_DEFAULT_MB):
        _LOG.warning("upload refused: uploads held in memory are at the server's bound (%s)", TOTAL_ENV)
        return False
    per_user = _mb(PER_USER_ENV, PER_USER_DEFAULT_MB)
    if not signin_configured():
        mine = held.get(session_id, 0)
    else:
        key = signed_in_key(_user_info(runtime, session_id))
        if key is None:
            _LOG.warning("upload refused: the session has not signed in")
            return False
        mine = sum(n for sid, n in held.items() if sid == session_id or _key_quiet(runtime, sid) == key)
    if mine >= per_user:
        _LOG.warning("upload refused: the user's uploads held in memory are at their bound (%s)", PER_USER_ENV)
        return False
    return True


def _key_quiet(runtime: Any, session_id: str) -> str | None:
    info = _user_info(runtime, session_id) or {}
    if not info.get("is_logged_in") or not info.get("iss") or not info.get("sub"):
        return None
    return ownership.key_for(str(info["iss"]), str(info["sub"]))


def install() -> None:
    """Patch Streamlit's upload check and cache-clearing request (once per process)."""
    global _installed
    if _installed:
        return
    from streamlit.runtime import Runtime  # noqa: PLC0415
    from streamlit.runtime.app_session import AppSession  # noqa: PLC0415

    active = Runtime.is_active_session
    clear = AppSession._handle_clear_cache_request

    def is_active_session(self: Any, session_id: str) -> bool:
        # Streamlit's upload route is its only caller: a False answers the PUT with 400, unread.
        return active(self, session_id) and may_upload(self, session_id)

    def handle_clear_cache_request(self: Any) -> None:
        if signin_configured() and signed_in_key(getattr(self, "_user_info", None)) is None:
            _LOG.warning("clear_cache ignored: the session has not signed in")
            return
        clear(self)

    Runtime.is_active_session = is_active_session  # type: ignore[method-assign]
    AppSession._handle_clear_cache_request = handle_clear_cache_request  # type: ignore[method-assign]
    _installed = True
