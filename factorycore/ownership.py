"""Who may change a stored item: the one rule for datasets and scenarios.

With sign-in configured (Streamlit's ``st.login``), every dataset and scenario made by
a signed-in user records that user as its ``owner``; everyone signed in can see and
use shared items, and only the owner renames, overwrites or deletes them. An item
without an owner (stored before sign-in was configured, or ingested by the command
line without ``--owner``) is read-only in a signed-in app; the operator gives it an
owner with ``python -m factorycore owner``.

Owner keys come from verified claims only:

* ``oidc:<issuer>#<subject>`` (:func:`key_for`): a signed-in user, whoever their provider
  says they are by its own stable identifier. An ``email`` claim is shown, never trusted.
* ``email:<address>`` (or a bare address the operator's command wrote): an owner known only
  by e-mail. Owners recorded as e-mails before keys were issuer and subject are rewritten so
  once, when the store opens (``factorycore.migrations``). Such an item passes to the first
  user who signs in with that address *and* ``email_verified: true``
  (``factorycore.identity.claim_legacy``); nobody else's key can equal it.

``user=None`` means nobody is signed in because sign-in is not configured, or the
caller is the command line on the host (which can open the store directly anyway):
everything may be changed, the single-user behaviour. :data:`NOBODY` is a session
where sign-in is configured but nobody is (or is any longer) signed in: it may change
nothing and own nothing.
"""

from __future__ import annotations

import hashlib

OWNER_MAX_CHARS = 256
OIDC_PREFIX = "oidc:"
EMAIL_PREFIX = "email:"
NOBODY = "nobody:"  # sign-in configured, no valid identity: changes nothing, owns nothing


class OwnershipError(ValueError):
    """A change the ownership rule refuses, or an owner that cannot be recorded; the message says why."""


def key_for(issuer: str, subject: str) -> str:
    """The owner key of a signed-in user: their provider (issuer) and its identifier for them (subject);
    a digest of the two where they are too long to record."""
    key = f"{OIDC_PREFIX}{issuer.strip()}#{subject.strip()}"
    if len(key) <= OWNER_MAX_CHARS:
        return key
    digest = hashlib.sha256(f"{issuer.strip()}\n{subject.strip()}".encode()).hexdigest()
    return f"{OIDC_PREFIX}sha256#{digest}"


def may_change(owner: str | None, user: str | None) -> bool:
    """Whether ``user`` may rename, overwrite or delete an item owned by ``owner``."""
    if user is None:
        return True
    return user != NOBODY and owner is not None and owner == user


def label(owner: str | None, email: str | None = None) -> str:
    """How an owner is shown: ``email`` where the caller knows it, else the address or subject in the key."""
    if owner is None:
        return "nobody"
    if email:
        return email
    if owner.startswith(EMAIL_PREFIX):
        return owner[len(EMAIL_PREFIX) :]
    if owner.startswith(OIDC_PREFIX):
        return "user " + owner.rpartition("#")[2]
    return owner


def check(owner: str | None, user: str | None, what: str, error: type[Exception] = OwnershipError) -> None:
    """Raise ``error`` unless ``user`` may change ``what`` (for example "dataset 'Hall A'").

    Callers pass their own error class (``DatasetError``, ``ScenarioError``) so a refusal
    reaches the user through the same message path as any other refused change.
    """
    if may_change(owner, user):
        return
    if user == NOBODY:
        raise error(f"{what} cannot be changed: this session is not signed in (sign in again)")
    if owner is None:
        raise error(
            f"{what} has no owner (it was stored before sign-in or by the command line), so it "
            "is read-only here; the operator can give it one with `python -m factorycore owner`"
        )
    raise error(f"{what} belongs to {label(owner)}; only they can change or delete it")


def owner_of(user: str | None) -> str | None:
    """The owner to record for an item ``user`` creates (``None`` without sign-in), checked for length."""
    if user is None:
        return None
    if user == NOBODY:
        raise OwnershipError("sign in to store anything: this session is not signed in")
    cleaned = user.strip()
    if not cleaned or len(cleaned) > OWNER_MAX_CHARS:
        raise OwnershipError(f"an owner is 1-{OWNER_MAX_CHARS} characters")
    return cleaned
