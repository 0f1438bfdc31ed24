"""Sign-in where it is configured: the gate before any page, and who this session's user is.

Sign-in is on when the secrets hold an ``[auth]`` section (Streamlit's ``st.login``
with an OpenID Connect provider; docs/team-store.md, "Sign-in and owners", and
docs/security.md). Then every page needs a signed-in user, and what the user stores is
owned by them (:mod:`factorycore.ownership`).
Without it the app is single-user as before and :func:`user` is ``None``.

Who the user is comes from the ID token's verified claims: the owner key is the issuer
and subject (``ownership.key_for``); the ``email`` claim is shown (marked when the
provider has not verified it) and claims items owned by that address only when
``email_verified`` is true. A sign-out is recorded in the store (``factorycore.identity``),
so every tab, and every copy of an earlier cookie, stops acting as the user.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from factorycore import db, identity, ownership

CLAIMED_KEY = "signin-claimed"


@dataclass(frozen=True)
class Identity:
    """The signed-in user as the ID token says: key (issuer + subject), e-mail and whether it is verified."""

    key: str
    email: str | None
    email_verified: bool
    issued_at_s: float | None

    @property
    def shown(self) -> str:
        """How the user is named on the page."""
        if not self.email:
            return ownership.label(self.key)
        return self.email if self.email_verified else f"{self.email} (e-mail not verified)"


def configured() -> bool:
    """Whether the secrets configure ``st.login`` (an ``[auth]`` section)."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


def _claims() -> Identity | None:
    """The identity in the sign-in cookie, or ``None`` (not signed in, or no issuer and subject)."""
    if not st.user.is_logged_in:
        return None
    issuer, subject = st.user.get("iss"), st.user.get("sub")
    if not issuer or not subject:
        return None
    issued = st.user.get("iat")
    return Identity(
        key=ownership.key_for(str(issuer), str(subject)),
        email=str(st.user.get("email")) if st.user.get("email") else None,
        # Some providers (Cognito) send the claim as the string "true".
        email_verified=st.user.get("email_verified") in (True, "true"),
        issued_at_s=float(issued) if isinstance(issued, (int, float)) else None,
    )


def _connection():  # noqa: ANN202 - the run's held connection, or the process's own outside a run
    from ui.data import connection  # noqa: PLC0415 - ui.data draws on failure; import it when needed

    return connection()


def current() -> Identity | None:
    """The signed-in user, unless they have signed out since this cookie was issued (in any tab).

    Once per session the store learns the e-mail to show with the key, and a verified
    address claims the items owned by it (``identity.claim_legacy``).
    """
    found = _claims()
    if found is None:
        return None
    con = _connection()
    if identity.revoked(con, found.key, found.issued_at_s):
        return None
    if st.session_state.get(CLAIMED_KEY) != found.key:
        identity.remember(con, found.key, found.email, found.email_verified)
        identity.claim_legacy(con, found.key, found.email, found.email_verified)
        st.session_state[CLAIMED_KEY] = found.key
    return found


def user() -> str | None:
    """The owner key engine writes take: ``None`` without sign-in configured (single user), the user's
    issuer+subject key when signed in, else :data:`ownership.NOBODY` (may change nothing)."""
    if not configured():
        return None
    found = current()
    return found.key if found is not None else ownership.NOBODY


def owner_label(owner: str | None) -> str:
    """An owner key as people read it (the e-mail last seen with it)."""
    return identity.label(_connection(), owner)


def _sign_out() -> None:
    """Record the sign-out in the store (every tab, every earlier cookie), then end this browser's cookie."""
    found = _claims()
    if found is not None:
        with db.hold() as con:
            identity.sign_out(con, found.key, time.time())
    st.session_state.pop(CLAIMED_KEY, None)
    st.logout()


def gate() -> None:
    """With sign-in configured: stop here with a sign-in button until the user has signed in."""
    if not configured():
        return
    if not st.user.is_logged_in:
        st.title("AI Factory Dashboard")
        st.write("Sign in to see the team's datasets and scenarios.")
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    found = current()
    if found is None:
        st.title("AI Factory Dashboard")
        st.write(
            "This sign-in has ended (you signed out, here or in another tab), or the provider did not say "
            "who you are (no issuer and subject). Sign in again to continue."
        )
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    with st.sidebar:
        st.caption("Signed in as")
        st.text(found.shown)
        st.button("Sign out", on_click=_sign_out, icon=":material/logout:")
