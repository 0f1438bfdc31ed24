"""Stranded capacity, against figures worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factorycore import db
from factorycore.cli import main as cli_main
from factorycore.userdata import catalog, ingest, stranded
from factorycore.views.site import site_view

INVENTORY = """site,hall,row,rack_id,design_kw,measured_kw
S,H1,A,R1,10,6
S,H1,A,R2,10,12
S,H1,B,R3,20,
S,H2,C,R4,40,30
"""
# R1: readings 2, 4, 6, 8, 10 -> p95 = 9.6 (quantile_cont: 8 + 0.8 * 2), peak 10.
# R4: readings 30 (x5) -> p95 = peak = 30. R9 is not in the inventory.
TELEMETRY = (
    "timestamp,rack_id,power_kw\n"
    + "".join(f"2026-01-01T0{i}:00:00,R1,{v}\n2026-01-01T0{i}:00:00,R4,30\n" for i, v in enumerate((2, 4, 6, 8, 10)))
    + "2026-01-01T05:00:00,R9,1\n"
)


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "stranded.duckdb", build=False)
    yield c
    c.close()


def _store(con, tmp_path: Path, name: str, text: str) -> catalog.DatasetInfo:
    path = tmp_path / f"{name}.csv"
    path.write_text(text)
    result = ingest.ingest(con, path, name=name)
    return catalog.get_dataset(con, dataset_id=result.dataset_id)


def test_inventory_measured_column(con, tmp_path):
    result = stranded.stranded(con, _store(con, tmp_path, "inv", INVENTORY))
    t = result.totals
    # Measured racks R1, R2, R4: allocated 60, measured 48; stranded 4 + 0 + 10; R2 is over by 2.
    assert t["allocated_kw"] == 60 and t["measured_p95_kw"] == 48 and t["measured_peak_kw"] == 48
    assert t["stranded_kw"] == 14
    assert t["headroom_kw"] == 12  # 4 - 2 + 10
    assert t["utilisation_pct"] == pytest.approx(80.0)
    assert t["racks_over_allocation"] == 1 and t["racks_unmeasured"] == 1 and t["allocated_unmeasured_kw"] == 20
    assert t["period_start"] is None
    halls = result.halls.set_index("hall")
    assert halls.loc["H1", "allocated_kw"] == 20 and halls.loc["H1", "stranded_kw"] == 4
    assert halls.loc["H2", "stranded_kw"] == 10
    rows = result.rows.set_index("row")
    assert rows.loc["B", "racks_measured"] == 0 and rows.loc["B", "allocated_unmeasured_kw"] == 20


def test_telemetry_joined_on_rack_id(con, tmp_path):
    inv = _store(con, tmp_path, "inv", INVENTORY)
    tel = _store(con, tmp_path, "tel", TELEMETRY)
    result = stranded.stranded(con, inv, tel)
    t = result.totals
    racks = result.racks.set_index("rack_id")
    assert racks.loc["R1", "measured_p95_kw"] == pytest.approx(9.6)
    assert racks.loc["R1", "stranded_kw"] == pytest.approx(0.4)
    assert racks.loc["R1", "headroom_kw"] == pytest.approx(0.0)
    assert racks.loc["R4", "stranded_kw"] == pytest.approx(10.0)
    assert t["racks_measured"] == 2 and t["racks_unmeasured"] == 2
    assert t["allocated_kw"] == 50 and t["measured_p95_kw"] == pytest.approx(39.6)
    assert t["stranded_kw"] == pytest.approx(10.4)
    assert t["telemetry_racks_not_in_inventory"] == 1
    assert t["period_start"].startswith("2026-01-01") and t["period_end"].startswith("2026-01-01T05")


def test_wrong_kinds_refused(con, tmp_path):
    tel = _store(con, tmp_path, "tel", TELEMETRY)
    with pytest.raises(catalog.DatasetError, match="needs a rack inventory"):
        stranded.stranded(con, tel)
    inv = _store(con, tmp_path, "inv", INVENTORY)
    with pytest.raises(catalog.DatasetError, match="telemetry"):
        stranded.stranded(con, inv, inv)


def test_histogram_bins():
    import pandas as pd

    hist = stranded.utilisation_histogram(pd.DataFrame({"utilisation_pct": [0, 9.9, 10, 100, 119.9, 120, 500, None]}))
    counts = dict(zip(hist["bin"], hist["racks"]))
    assert counts["0-10%"] == 2 and counts["10-20%"] == 1 and counts["100-110%"] == 1
    assert counts["110-120%"] == 1 and counts["≥120%"] == 2 and hist["racks"].sum() == 7


def test_view_metrics(con, tmp_path):
    inv = _store(con, tmp_path, "inv", INVENTORY)
    tel = _store(con, tmp_path, "tel", TELEMETRY)
    view = site_view(con, "site_stranded", inv, telemetry_id=tel.dataset_id, telemetry_workspace=tel.workspace)
    metrics = {m.label: m.value for m in view.metrics}
    assert metrics["Stranded kW"] == "10" and metrics["Utilisation"] == "79%"
    assert "2026-01-01" in view.note and "2 racks without a measurement" in view.note


def test_cli_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FACTORY_DB", str(tmp_path / "cli.duckdb"))
    (tmp_path / "inv.csv").write_text(INVENTORY)
    (tmp_path / "tel.csv").write_text(TELEMETRY)
    assert cli_main(["ingest", str(tmp_path / "inv.csv"), "--dataset", "inv"]) == 0
    assert cli_main(["ingest", str(tmp_path / "tel.csv"), "--dataset", "tel"]) == 0
    capsys.readouterr()
    assert cli_main(["stranded", "inv", "--telemetry", "tel", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dataset"] == "inv" and out["telemetry"] == "tel"
    assert out["stranded_kw"] == pytest.approx(10.4) and [h["hall"] for h in out["halls"]] == ["H1", "H2"]
    assert cli_main(["stranded", "nope"]) == 2
    assert "no dataset" in capsys.readouterr().err
