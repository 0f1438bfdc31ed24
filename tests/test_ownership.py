"""Owners: with sign-in, only the owner renames, shares, replaces or deletes; everyone signed in reads.

The engine enforces it (the pages only disable the buttons), on both stores, and a
store from before owners existed gains the column without losing a row.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db, ownership, scenarios
from factorycore.cli import main
from factorycore.userdata import catalog, ingest

REPO = Path(__file__).resolve().parent.parent
RACKS = REPO / "data/samples/racks_sample.csv"
ALICE, BOB = "alice@example.com", "bob@example.com"
ISSUER = "http://127.0.0.1:9"  # the owner key is issuer + subject; a verified e-mail claims e-mail owners
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "dashboard",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.fixture(params=["embedded", pytest.param("team", marks=pytest.mark.server)])
def con(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh store of each kind: a DuckDB file, or a new PostgreSQL database."""
    if request.param == "team":
        request.getfixturevalue("team_url")
        yield db.shared_connection()
        return
    fresh = db.open_database(tmp_path / "own.duckdb", build=False)
    yield fresh
    fresh.close()


def test_the_rule() -> None:
    assert ownership.may_change(ALICE, ALICE) and not ownership.may_change(ALICE, BOB)
    assert ownership.may_change(ALICE, None) and ownership.may_change(None, None), "no sign-in: single user"
    assert not ownership.may_change(None, ALICE), "an item without an owner is read-only to the signed in"
    with pytest.raises(ownership.OwnershipError, match="1-256"):
        ownership.owner_of(" ")


def test_only_the_owner_renames_or_deletes_a_dataset_and_others_read_it(con) -> None:
    made = ingest.ingest(con, RACKS, name="Hall A", owner=ALICE)
    shared = [catalog.SHARED]
    seen = catalog.get_dataset(con, name="Hall A")
    assert seen.owner == ALICE and len(catalog.preview(con, seen, limit=5)) == 5, "bob reads alice's dataset"
    assert catalog.list_datasets(con).loc[0, "owner"] == ALICE
    with pytest.raises(catalog.DatasetError, match="belongs to alice@example.com"):
        catalog.rename_dataset(con, made.dataset_id, "Bob's now", shared, user=BOB)
    with pytest.raises(catalog.DatasetError, match="belongs to alice@example.com"):
        catalog.delete_dataset(con, made.dataset_id, shared, user=BOB)
    assert catalog.get_dataset(con, dataset_id=made.dataset_id).name == "Hall A", "the refusal changed nothing"
    assert catalog.rename_dataset(con, made.dataset_id, "Hall B", shared, user=ALICE) == "Hall B"
    catalog.delete_dataset(con, made.dataset_id, shared, user=ALICE)
    assert catalog.list_datasets(con).empty


def test_a_private_upload_is_shared_only_by_its_owner(con) -> None:
    private = catalog.session_workspace("cd" * 8)
    made = ingest.ingest(con, RACKS, name="Mine", workspace=private, owner=ALICE)
    with pytest.raises(catalog.DatasetError, match="belongs to"):
        catalog.save_to_shared(con, made.dataset_id, private, user=BOB)
    assert catalog.save_to_shared(con, made.dataset_id, private, user=ALICE) == "Mine"


def test_an_ownerless_dataset_is_read_only_until_the_operator_gives_it_an_owner(con) -> None:
    made = ingest.ingest(con, RACKS, name="Nightly")  # the command line, no --owner
    with pytest.raises(catalog.DatasetError, match="has no owner.*factorycore owner"):
        catalog.delete_dataset(con, made.dataset_id, [catalog.SHARED], user=ALICE)
    assert catalog.set_owner(con, "Nightly", BOB).owner == BOB
    catalog.delete_dataset(con, made.dataset_id, [catalog.SHARED], user=BOB)
    assert catalog.list_datasets(con).empty


def test_only_the_owner_replaces_or_deletes_a_scenario_and_others_load_it(con) -> None:
    assert scenarios.save(con, "Plan", {"fleet": 1}, user=ALICE)
    assert scenarios.load(con, "Plan") == {"fleet": 1}
    with pytest.raises(scenarios.ScenarioError, match="belongs to alice@example.com"):
        scenarios.save(con, "Plan", {"fleet": 2}, user=BOB)
    with pytest.raises(scenarios.ScenarioError, match="belongs to alice@example.com"):
        scenarios.delete(con, "Plan", user=BOB)
    assert scenarios.load(con, "Plan") == {"fleet": 1}
    assert [(s.name, s.owner) for s in scenarios.list_scenarios(con)] == [("Plan", ALICE)]
    assert not scenarios.save(con, "Plan", {"fleet": 3}, user=ALICE)
    assert scenarios.list_scenarios(con)[0].owner == ALICE, "replacing keeps the owner"
    scenarios.set_owner(con, "Plan", BOB)
    assert scenarios.delete(con, "Plan", user=BOB)


def test_a_store_from_before_owners_gains_the_column_and_keeps_every_row(tmp_path: Path) -> None:
    old = db.connect(tmp_path / "old.duckdb")
    old.execute("CREATE SCHEMA facility")
    old.execute(
        "CREATE TABLE facility.scenarios (name VARCHAR PRIMARY KEY, inputs_json VARCHAR NOT NULL, "
        "created TIMESTAMP NOT NULL, updated TIMESTAMP NOT NULL)"
    )
    old.execute("INSERT INTO facility.scenarios VALUES ('Old plan', '{\"fleet\": 8}', now(), now())")
    old.execute(
        "CREATE TABLE facility.datasets (dataset_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "kind VARCHAR NOT NULL, workspace VARCHAR NOT NULL, rows_accepted BIGINT NOT NULL, "
        "rows_rejected BIGINT NOT NULL, source_file VARCHAR, created TIMESTAMP NOT NULL, "
        "table_name VARCHAR NOT NULL, rejects_table VARCHAR NOT NULL, details VARCHAR)"
    )
    old.execute(
        "INSERT INTO facility.datasets VALUES (1, 'Old hall', 'racks', 'shared', 0, 0, 'a.csv', now(), "
        "'ds_00001', 'ds_00001_rejects', '{}')"
    )
    assert [(s.name, s.owner) for s in scenarios.list_scenarios(old)] == [("Old plan", None)]
    assert catalog.get_dataset(old, name="Old hall").owner is None
    with pytest.raises(scenarios.ScenarioError, match="has no owner"):
        scenarios.delete(old, "Old plan", user=ALICE)
    assert scenarios.delete(old, "Old plan"), "without sign-in it behaves as before"
    old.close()


def test_the_command_line_ingests_with_an_owner_and_hands_items_over(capsys: pytest.CaptureFixture) -> None:
    name = f"cli {uuid.uuid4().hex[:8]}"
    assert main(["ingest", str(RACKS), "--dataset", name, "--owner", ALICE, "--format", "json"]) == 0
    assert catalog.get_dataset(db.shared_connection(), name=name).owner == ALICE
    assert main(["owner", "dataset", name, "--to", BOB, "--format", "json"]) == 0
    assert catalog.get_dataset(db.shared_connection(), name=name).owner == BOB
    assert main(["owner", "dataset", name]) == 2
    assert "--to USER" in capsys.readouterr().err
    assert main(["owner", "scenario", "no such plan", "--none"]) == 2
    assert "no scenario called" in capsys.readouterr().err


def _signed_in_page(page: str, email: str | None) -> AppTest:
    at = AppTest.from_file(str(REPO / page), default_timeout=60)
    at.secrets["auth"] = AUTH
    claims = {"iss": ISSUER, "sub": f"sub-{email}", "email": email, "email_verified": True, "iat": 1} if email else {}
    at.user = {"is_logged_in": email is not None, **claims}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_with_sign_in_configured_the_app_asks_to_sign_in_first() -> None:
    at = _signed_in_page("app.py", None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.get("plotly_chart") and not at.metric, "no page content before sign-in"


def test_the_facility_page_disables_rename_and_delete_of_anothers_dataset() -> None:
    name = f"alice {uuid.uuid4().hex[:8]}"
    made = ingest.ingest(db.shared_connection(), RACKS, name=name, owner=ALICE)
    for email, locked in ((BOB, True), (ALICE, False)):
        at = _signed_in_page("app_pages/my_facility.py", email)
        at.selectbox(key="facility-selected").set_value(made.dataset_id).run()
        assert at.button(key=f"rename-go-{made.dataset_id}").disabled is locked
        assert at.button(key=f"del-{made.dataset_id}").disabled is True  # until the confirmation is ticked
        assert at.checkbox(key=f"del-ok-{made.dataset_id}").disabled is locked
        assert (ALICE in [t.value for t in at.text]) is locked, "the locked view names the owner"
        frame = next(d.value for d in at.dataframe if "where" in d.value.columns)
        assert frame.loc[frame["name"] == name, "owner"].tolist() == [ALICE]
