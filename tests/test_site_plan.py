"""Planning from the site: measured inputs against hand-computed values, and the planner page using them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db, planner, site_plan
from factorycore.userdata import catalog, ingest
from ui import site_plan_inputs

# IT 100..1000 kW in steps of 100 (10 readings), facility always 1.5 x IT except the last (1.2 x).
METER = "timestamp,it_kw,facility_kw\n" + "".join(
    f"2026-01-01T{h:02d}:00:00,{100 * (h + 1)},{150 * (h + 1) if h < 9 else 1200}\n" for h in range(10)
)
# Two racks, hourly: A 10 kW flat, B 0,10,...,90 kW -> site total 10..100; p95 = 95.5 (quantile_cont), mean 55.
TELEMETRY = "timestamp,rack_id,power_kw\n" + "".join(
    f"2026-02-01T{h:02d}:00:00,A,10\n2026-02-01T{h:02d}:00:00,B,{10 * h}\n" for h in range(10)
)
INVENTORY = "rack_id,design_kw\nA,20\nB,100\nC,80\n"


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "plan.duckdb", build=False)
    yield c
    c.close()


def _store(con, tmp_path: Path, name: str, text: str) -> catalog.DatasetInfo:
    path = tmp_path / f"{name}.csv"
    path.write_text(text)
    return catalog.get_dataset(con, dataset_id=ingest.ingest(con, path, name=name).dataset_id)


def test_meter_gives_load_pue_utilisation(con, tmp_path):
    found = site_plan.site_inputs(con, meter=_store(con, tmp_path, "m", METER))
    # p95 of 100..1000: 0.95 * 9 = 8.55 -> 900 + 0.55 * 100 = 955 kW.
    assert found.value("target_it_mw") == pytest.approx(0.955)
    assert found.value("utilization") == pytest.approx(550 / 955)
    # sum IT 5500; sum facility 1.5 * 4500 + 1200 = 7950.
    assert found.value("pue") == pytest.approx(7950 / 5500)
    assert found.missing == ("capacity (needs a rack inventory)",)
    m = next(m for m in found.measured if m.field == "pue")
    assert "'m', 2026-01-01 00:00 to 2026-01-01 09:00 UTC" in m.describe()


def test_telemetry_and_inventory(con, tmp_path):
    tel = _store(con, tmp_path, "t", TELEMETRY)
    inv = _store(con, tmp_path, "i", INVENTORY)
    found = site_plan.site_inputs(con, telemetry=tel, inventory=inv, current_pue=1.25)
    assert found.value("target_it_mw") == pytest.approx(0.0955)
    assert found.value("utilization") == pytest.approx(55 / 95.5)
    assert found.value("pue") is None
    # Racks A and B draw 10 + 45 on average against 120 kW of design.
    assert found.value("nameplate_utilisation") == pytest.approx(55 / 120)
    assert found.value("capacity_mw") == pytest.approx(0.2 * 1.25)  # 200 kW allocated x the planner's PUE
    applied = found.apply(planner.PlanInputs())
    assert applied.target_it_mw == pytest.approx(0.0955) and applied.capacity_mw == pytest.approx(0.25)
    assert applied.pue is None  # not measured: the planner's own stays


def test_meter_wins_for_load_and_sets_capacity_pue(con, tmp_path):
    found = site_plan.site_inputs(
        con,
        meter=_store(con, tmp_path, "m", METER),
        telemetry=_store(con, tmp_path, "t", TELEMETRY),
        inventory=_store(con, tmp_path, "i", INVENTORY),
    )
    assert found.value("target_it_mw") == pytest.approx(0.955)
    assert found.value("capacity_mw") == pytest.approx(0.2 * 7950 / 5500)
    assert not found.missing


def test_wrong_kind(con, tmp_path):
    with pytest.raises(catalog.DatasetError, match="not meter"):
        site_plan.site_inputs(con, meter=_store(con, tmp_path, "i", INVENTORY))


def test_planner_page_starts_from_the_site(tmp_path):
    from ui.data import connection

    con = connection()
    path = tmp_path / "site-meter.csv"
    path.write_text(METER)
    info = ingest.ingest(con, path, name="site-meter-" + tmp_path.name[-8:])
    at = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "app_pages" / "planner.py"), default_timeout=60
    ).run()
    assert not at.exception
    # Closed, the block does not read the catalog; opening it (a rerun) shows the pickers.
    assert not [s for s in at.selectbox if s.key == "pl_site_meter"]
    at.session_state[site_plan_inputs.OPEN_KEY] = True
    at.run()
    at.selectbox(key="pl_site_meter").set_value(info.dataset_id).run()
    at.button(key="pl_site_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["pl_mode"] == "target"
    assert at.session_state["pl_target_mw"] == pytest.approx(0.955)
    assert at.session_state["pl_pue"] == pytest.approx(7950 / 5500)
    shown = " ".join(t.value for t in at.text)
    assert "IT load today from 'site-meter" in shown and "2026-01-01 00:00 to 2026-01-01 09:00 UTC" in shown
    assert "capacity (needs a rack inventory)" in " ".join(c.value for c in at.caption)
    at.number_input(key="pl_pue").set_value(1.9).run()  # a changed input is no longer "from your site"
    shown = " ".join(t.value for t in at.text)
    assert "PUE from" not in shown and "IT load today from" in shown
