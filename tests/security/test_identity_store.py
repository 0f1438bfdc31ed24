"""Owner keys from verified claims, the e-mail-owner migration, and sign-outs recorded per user, in both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorycore import db, identity, migrations, ownership, scenarios, store
from factorycore.userdata import catalog, ingest

REPO = Path(__file__).resolve().parents[2]
RACKS = REPO / "data/samples/racks_sample.csv"
ISSUER = "http://127.0.0.1:9999"
ALICE_EMAIL = "alice@example.com"
ALICE = ownership.key_for(ISSUER, "alice-subject")
MALLORY = ownership.key_for(ISSUER, "mallory-subject")


@pytest.fixture(params=["embedded", "team"])
def con(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "team":
        request.getfixturevalue("team_url")
        yield db.shared_connection()
        return
    fresh = db.open_database(tmp_path / "id.duckdb", build=False)
    yield fresh
    fresh.close()


def _as_written_before(con) -> None:
    """Make the store what the code before owner keys wrote: owners as bare e-mails, no migration record."""
    team = store.facility(con)
    with team.cursor() as cur, db.transaction(cur):
        cur.execute(f"UPDATE {catalog.CATALOG} SET owner = ?", [ALICE_EMAIL])
        cur.execute(f"UPDATE {scenarios.TABLE} SET owner = ?", [ALICE_EMAIL])
        cur.execute(f"DELETE FROM {migrations.TABLE}")
    team.forget_migrations()


def test_a_store_written_with_e_mail_owners_migrates_once_and_still_works(con):
    made = ingest.ingest(con, RACKS, name="Hall A", owner=ALICE)
    scenarios.save(con, "plan", {"target_mw": 5}, user=ALICE)
    _as_written_before(con)
    with store.facility(con).cursor() as cur:
        assert cur.execute(f"SELECT owner FROM {catalog.CATALOG}").fetchall() == [(ALICE_EMAIL,)]

    catalog.ensure_catalog(con)  # what opening the store does
    scenarios.ensure_table(con)
    info = catalog.get_dataset(con, name="Hall A")
    assert info.owner == "email:alice@example.com" and len(catalog.preview(con, info, limit=3)) == 3
    assert scenarios.list_scenarios(con)[0].owner == "email:alice@example.com"
    names = migrations.applied(store.facility(con))
    assert f"{migrations.OWNER_EMAIL_KEYS}:catalog" in names and f"{migrations.OWNER_EMAIL_KEYS}:scenarios" in names
    store.facility(con).forget_migrations()
    catalog.ensure_catalog(con)  # idempotent: recorded, not run again
    assert catalog.get_dataset(con, name="Hall A").owner == "email:alice@example.com"
    assert ownership.label(info.owner) == ALICE_EMAIL

    # A different subject whose e-mail claim says alice, unverified: claims nothing, changes nothing.
    assert identity.claim_legacy(con, MALLORY, ALICE_EMAIL, email_verified=False) == 0
    with pytest.raises(catalog.DatasetError, match="belongs to alice@example.com"):
        catalog.rename_dataset(con, made.dataset_id, "taken", [catalog.SHARED], user=MALLORY)
    with pytest.raises(scenarios.ScenarioError, match="belongs to alice@example.com"):
        scenarios.delete(con, "plan", user=MALLORY)

    # Alice, verified: her items pass to her key, and she changes them.
    assert identity.claim_legacy(con, ALICE, ALICE_EMAIL, email_verified=True) == 2
    catalog.rename_dataset(con, made.dataset_id, "Hall A by Alice", [catalog.SHARED], user=ALICE)
    assert scenarios.delete(con, "plan", user=ALICE)


def test_an_unverified_e_mail_is_shown_marked_and_never_a_key(con):
    identity.remember(con, MALLORY, ALICE_EMAIL, email_verified=False)
    identity.remember(con, ALICE, ALICE_EMAIL, email_verified=True)
    assert identity.label(con, MALLORY) == "alice@example.com (e-mail not verified)"
    assert identity.label(con, ALICE) == ALICE_EMAIL
    made = ingest.ingest(con, RACKS, name="Hall B", owner=ALICE)
    with pytest.raises(catalog.DatasetError, match="belongs to"):
        catalog.delete_dataset(con, made.dataset_id, [catalog.SHARED], user=MALLORY)


def test_a_sign_out_voids_every_identity_issued_before_it(con):
    assert not identity.revoked(con, ALICE, 1_000.0)
    identity.sign_out(con, ALICE, 2_000.5)
    assert identity.revoked(con, ALICE, 1_000.0) and identity.revoked(con, ALICE, 2_000.0)
    assert identity.revoked(con, ALICE, None)
    assert not identity.revoked(con, ALICE, 2_001.0), "a new sign-in after it is valid"
    assert not identity.revoked(con, MALLORY, 1_000.0), "per user"
    identity.remember(con, ALICE, ALICE_EMAIL, True)  # seeing her again keeps the sign-out
    assert identity.revoked(con, ALICE, 1_500.0)


def test_nobody_changes_and_owns_nothing():
    assert not ownership.may_change(None, ownership.NOBODY) and not ownership.may_change("x", ownership.NOBODY)
    with pytest.raises(ownership.OwnershipError, match="not signed in"):
        ownership.owner_of(ownership.NOBODY)
    long_key = ownership.key_for("https://issuer.example/" + "x" * 200, "s" * 200)
    assert long_key.startswith("oidc:sha256#") and len(long_key) <= ownership.OWNER_MAX_CHARS
