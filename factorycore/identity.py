"""Signed-in users as the store knows them: the e-mail to show for an owner key, and sign-outs.

Streamlit's sign-in cookie lasts 30 days and is valid in every tab and on every copy of
it; signing out in one tab deletes it there only. So a sign-out is recorded here, per
owner key (issuer and subject, :func:`factorycore.ownership.key_for`), with its time, and
an identity whose ID token was issued (``iat``) at or before its user's last sign-out is
refused (:func:`revoked`): a sign-out ends the user's rights in every tab and makes
every earlier cookie worthless; signing in again issues a new token.

The table also keeps the e-mail last seen with each key, so an owner is shown by address
(:func:`label`) while ownership stays keyed on issuer and subject; and
:func:`claim_legacy` gives items owned by an e-mail to the user who signs in with that
address verified. It lives with the facility data (``store.facility``), in both stores.
"""

from __future__ import annotations

from typing import Any

from factorycore import ownership, scenarios, store
from factorycore.userdata import catalog

TABLE = "facility.identities"  # made by migration 0007_identities


def ensure_table(con: Any) -> Any:
    """Bring the table up to date (:mod:`factorycore.store.migrations`, area 'identities'); the facility store."""
    team = store.facility(con)
    team.migrate("identities")
    return team


def remember(con: Any, key: str, email: str | None, email_verified: bool) -> None:
    """Note the e-mail the provider gave ``key`` (shown beside the owner's items)."""
    team = ensure_table(con)
    with team.cursor() as cur, store.transaction(cur):
        cur.execute(
            f"INSERT INTO {TABLE} (owner_key, email, email_verified, seen) VALUES (?, ?, ?, CURRENT_TIMESTAMP) "
            "ON CONFLICT (owner_key) DO UPDATE SET email = excluded.email, "
            "email_verified = excluded.email_verified, seen = excluded.seen",
            [key, (email or "")[:320] or None, bool(email_verified)],
        )


def sign_out(con: Any, key: str, at_s: float) -> None:
    """Record that ``key`` signed out at ``at_s`` (Unix seconds): earlier identities are refused."""
    team = ensure_table(con)
    with team.cursor() as cur, store.transaction(cur):
        cur.execute(
            f"INSERT INTO {TABLE} (owner_key, signed_out_s, seen) VALUES (?, ?, CURRENT_TIMESTAMP) "
            f"ON CONFLICT (owner_key) DO UPDATE SET signed_out_s = excluded.signed_out_s",
            [key, float(at_s)],
        )


def revoked(con: Any, key: str, issued_at_s: float | None) -> bool:
    """Whether an identity of ``key`` issued at ``issued_at_s`` is void: its user signed out at or after
    that time (an identity without an issue time is void once its user has signed out at all)."""
    team = store.facility(con)
    try:
        with team.cursor() as cur:
            row = cur.execute(f"SELECT signed_out_s FROM {TABLE} WHERE owner_key = ?", [key]).fetchone()
    except store.MissingObject:
        return False  # no table yet: nobody has signed out
    if row is None or row[0] is None:
        return False
    return issued_at_s is None or float(issued_at_s) <= float(row[0])


def label(con: Any, owner: str | None) -> str:
    """An owner as people read it: the e-mail last seen with its key (marked if unverified), else the key's."""
    if owner is None or not owner.startswith(ownership.OIDC_PREFIX):
        return ownership.label(owner)
    try:
        with store.facility(con).cursor() as cur:
            row = cur.execute(f"SELECT email, email_verified FROM {TABLE} WHERE owner_key = ?", [owner]).fetchone()
    except store.MissingObject:
        row = None
    if row is None or not row[0]:
        return ownership.label(owner)
    return row[0] if row[1] else f"{row[0]} (e-mail not verified)"


def claim_legacy(con: Any, key: str, email: str | None, email_verified: bool) -> int:
    """Give datasets and scenarios owned by ``email`` to ``key`` when the provider verified that address;
    how many. An unverified address claims nothing."""
    if not email or not email_verified or "@" not in email:
        return 0
    return catalog.claim_owner(con, email, key) + scenarios.claim_owner(con, email, key)


__all__ = ["claim_legacy", "label", "remember", "revoked", "sign_out"]
