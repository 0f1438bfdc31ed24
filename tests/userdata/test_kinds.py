"""The dataset kinds' specs: each is complete, and everything that lists kinds reads them.

A kind is one module in factorycore/userdata/kinds; these tests fail when a second
place starts stating what a kind is (the CLI's choices, docs/data-formats.md's table, the
samples, the views a kind gets).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factorycore import db
from factorycore.cli import build_parser
from factorycore.userdata import aggregate, catalog, detect, ingest, kinds
from factorycore.userdata.kinds import KINDS, DensityBasis, Field, KindSpec
from factorycore.views.site import SITE_VIEWS, site_view

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", list(KINDS))
def test_each_kind_is_complete(name: str) -> None:
    spec = KINDS[name]
    assert spec.required, "a kind needs at least one required field"
    assert (REPO / "data" / "samples" / spec.sample_file).is_file()
    assert set(spec.views) <= set(SITE_VIEWS), "every view a kind gets exists"
    stored = [f.stored_column for f in spec.fields]
    assert len(set(stored)) == len(stored)
    for fld in spec.fields:
        assert fld.name in fld.synonyms, f"{fld.name} must match its own name"
    for check in spec.row_checks:
        assert spec.has_field(check.field)


@pytest.mark.parametrize("name", list(KINDS))
def test_each_sample_is_detected_as_its_kind_and_draws_every_view(name: str, ref_con) -> None:
    spec = KINDS[name]
    path = REPO / "data" / "samples" / spec.sample_file
    det = detect.sniff(path)
    assert (det.kind, det.confident) == (name, True)
    result = ingest.ingest(ref_con, path, name=f"kind-test-{name}", workspace=catalog.session_workspace("ab" * 8))
    try:
        info = catalog.get_dataset(ref_con, dataset_id=result.dataset_id, workspaces=[result.workspace])
        assert info.spec is spec
        for view_id in spec.views:
            view = site_view(ref_con, view_id, info)
            assert not view.rows.empty and view.caption.count("Your data:") == 1, view_id
        for basis in spec.density_bases:
            assert not aggregate.rack_kw(ref_con, info, basis).empty, basis
    finally:
        catalog.delete_dataset(ref_con, result.dataset_id, [result.workspace])


def test_cli_kind_choices_are_the_specs() -> None:
    parser = build_parser()
    ingest_parser = parser._subparsers._group_actions[0].choices["ingest"]  # noqa: SLF001
    kind = next(a for a in ingest_parser._actions if a.dest == "kind")  # noqa: SLF001
    assert tuple(kind.choices) == ("auto", *KINDS)


def test_docs_table_matches_the_specs() -> None:
    text = (REPO / "docs" / "data-formats.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w[\w ]*) \((\w+)\) \| ([\w, ]+) \| ([\w, ]*) \|$", text, flags=re.M)
    table = {kind: (label, req.split(", "), [o for o in opt.split(", ") if o]) for label, kind, req, opt in rows}
    assert set(table) == set(KINDS)
    for name, spec in KINDS.items():
        label, required, optional = table[name]
        assert label == spec.label
        assert required == list(spec.required) and sorted(optional) == sorted(spec.optional)


def test_expected_message_names_every_kind() -> None:
    for spec in KINDS.values():
        assert f"{spec.name} ({', '.join(spec.required)})" in detect.EXPECTED


def test_a_new_kind_is_one_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kind nobody wrote code for (PDU branch circuits) is detected, validated, stored and drawn."""
    pdu = KindSpec(
        name="pdu_circuits",
        label="PDU circuits",
        fields=(
            Field("rack_id", "text", ("rack_id", "cabinet"), required=True),
            Field("circuit", "text", ("circuit", "branch"), required=True),
            Field("breaker_kw", "power", ("breaker_kw", "breaker"), required=True),
            Field("amps_kw", "power", ("amps_kw", "load")),
        ),
        sample_file="racks_sample.csv",
        views=("site_density",),
        power_limit_kw=50.0,
        density_bases={"breaker": DensityBasis("sum(breaker_kw)", "Breaker capacity")},
    )
    monkeypatch.setitem(KINDS, "pdu_circuits", pdu)
    path = tmp_path / "pdu.csv"
    path.write_text("Cabinet,Branch,Breaker (W),Load\nA1,1,7400,3.1\nA1,2,7400,2.9\nA2,1,90000,1\nA3,1,x,1\n")
    con = db.open_database(tmp_path / "kinds.duckdb")
    try:
        result = ingest.ingest(con, path, kind="pdu_circuits")
        assert (result.kind, result.rows_accepted, result.rows_rejected) == ("pdu_circuits", 2, 2)
        messages = " ".join(p["message"] for p in result.problems)
        assert "breaker_kw is implausibly large" in messages and "breaker_kw is not a number" in messages
        info = catalog.get_dataset(con, dataset_id=result.dataset_id)
        assert aggregate.rack_kw(con, info)["kw"].tolist() == [pytest.approx(14.8)]
        assert site_view(con, "site_density", info).metrics[0].value == "1"
    finally:
        con.close()
    assert "pdu_circuits" in kinds.names()
