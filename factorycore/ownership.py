"""Who may change a stored item: the one rule for datasets and scenarios.

With sign-in configured (Streamlit's ``st.login``), every dataset and scenario made by
a signed-in user records that user as its ``owner``; everyone signed in can see and
use shared items, and only the owner renames, overwrites or deletes them. An item
without an owner (stored before sign-in was configured, or ingested by the command
line without ``--owner``) is read-only in a signed-in app; the operator gives it an
owner with ``python -m factorycore owner``.

``user=None`` means nobody is signed in because sign-in is not configured, or the
caller is the command line on the host (which can open the store directly anyway):
everything may be changed, the single-user behaviour.
"""

from __future__ import annotations

OWNER_MAX_CHARS = 256


class OwnershipError(ValueError):
    """A change the ownership rule refuses, or an owner that cannot be recorded; the message says why."""


def may_change(owner: str | None, user: str | None) -> bool:
    """Whether ``user`` may rename, overwrite or delete an item owned by ``owner``."""
    return user is None or (owner is not None and owner == user)


def check(owner: str | None, user: str | None, what: str, error: type[Exception] = OwnershipError) -> None:
    """Raise ``error`` unless ``user`` may change ``what`` (for example "dataset 'Hall A'").

    Callers pass their own error class (``DatasetError``, ``ScenarioError``) so a refusal
    reaches the user through the same message path as any other refused change.
    """
    if may_change(owner, user):
        return
    if owner is None:
        raise error(
            f"{what} has no owner (it was stored before sign-in or by the command line), so it "
            "is read-only here; the operator can give it one with `python -m factorycore owner`"
        )
    raise error(f"{what} belongs to {owner}; only they can change or delete it")


def owner_of(user: str | None) -> str | None:
    """The owner to record for an item ``user`` creates (``None`` without sign-in), checked for length."""
    if user is None:
        return None
    cleaned = user.strip()
    if not cleaned or len(cleaned) > OWNER_MAX_CHARS:
        raise OwnershipError(f"an owner is 1-{OWNER_MAX_CHARS} characters")
    return cleaned
