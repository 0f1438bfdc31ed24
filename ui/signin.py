"""Sign-in where it is configured: the gate before any page, and who this session's user is.

Sign-in is on when the secrets hold an ``[auth]`` section (Streamlit's ``st.login``
with an OpenID Connect provider; docs/team-store.md, "Sign-in and owners"). Then every
page needs a signed-in user, and what the user stores is owned by them
(:mod:`factorycore.ownership`).
Without it the app is single-user as before and :func:`user` is ``None``.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError


def configured() -> bool:
    """Whether the secrets configure ``st.login`` (an ``[auth]`` section)."""
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return False


def user() -> str | None:
    """The signed-in user as owners are recorded (the e-mail claim, else the subject); ``None`` without sign-in."""
    if not configured() or not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or st.user.get("sub"))


def gate() -> None:
    """With sign-in configured: stop here with a sign-in button until the user has signed in."""
    if not configured():
        return
    if not st.user.is_logged_in:
        st.title("AI Factory Dashboard")
        st.write("Sign in to see the team's datasets and scenarios.")
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    with st.sidebar:
        st.caption("Signed in as")
        st.text(user())
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")
