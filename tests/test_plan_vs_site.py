"""Started from a site, the plan says how it relates to what was measured: the measured load and
capacity, the plan's size, the ratios; a plan larger than the measured capacity is not plainly
"Feasible"; a load below one platform is said; every input taken from the site is listed
whatever the widget's rounding; datasets with no rack in common are named."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db, hardware, planner, site_plan
from factorycore.userdata import catalog, ingest
from ui import site_plan_inputs

REPO = Path(__file__).resolve().parent.parent
PLANNER = str(REPO / "app_pages" / "planner.py")

# 16 hours at 0.5 kW, 4 at 2.2 kW: p95 2.2 kW, mean 0.84 kW, utilisation 0.3818... (shown as 38.2 %).
SMALL_METER = "timestamp,it_kw,facility_kw\n" + "".join(
    f"2026-01-01T{h:02d}:00:00,{2.2 if h % 5 == 0 else 0.5},{2.86 if h % 5 == 0 else 0.65}\n" for h in range(20)
)
# A flat 1,600 kW IT load at PUE 1.3125 (2,100 kW facility).
BIG_METER = "timestamp,it_kw,facility_kw\n" + "".join(f"2026-01-01T{h:02d}:00:00,1600,2100\n" for h in range(10))
# 76.19 kW of design: x 1.3125 = 0.1 MW of site capacity.
SMALL_INVENTORY = "rack_id,design_kw\nR1,40\nR2,36.19\n"
OTHER_TELEMETRY = "timestamp,rack_id,power_kw\n" + "".join(
    f"2026-01-01T{h:02d}:00:00,T1,5\n2026-01-01T{h:02d}:00:00,T2,6\n" for h in range(6)
)


@pytest.fixture
def own_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "site.duckdb"
    monkeypatch.setenv("FACTORY_DB", str(path))
    db.open_database(path).close()
    return path


def _store(path: Path, tmp_path: Path, name: str, text: str) -> catalog.DatasetInfo:
    file = tmp_path / f"{name}.csv"
    file.write_text(text)
    with db.hold(path) as con:
        return catalog.get_dataset(con, dataset_id=ingest.ingest(con, file, name=name).dataset_id)


def _catalog(path: Path) -> dict[str, hardware.Hardware]:
    with db.hold(path) as con:
        return hardware.load_catalog(con)


def _found(path: Path, **infos: catalog.DatasetInfo) -> site_plan.SiteInputs:
    with db.hold(path) as con:
        return site_plan.site_inputs(con, current_pue=1.3, **infos)


# --- the engine ----------------------------------------------------------------------------------


def test_a_load_below_one_platform_says_so_with_the_ratio(own_db, tmp_path):
    found = _found(own_db, meter=_store(own_db, tmp_path, "small", SMALL_METER))
    items = _catalog(own_db)
    result = planner.plan(found.apply(planner.PlanInputs(hardware_id="gb200_nvl72")), items)
    relation = site_plan.plan_vs_site(found, result)
    assert relation.measured_load_kw == pytest.approx(2.2)
    assert result.fleet.systems == 1 and relation.below_one_platform
    ratio = result.fleet.it_kw / 2.2
    assert relation.load_ratio == pytest.approx(ratio)
    text = " ".join(relation.statements)
    assert f"{ratio:,.0f}x the measured load" in text
    assert "smaller than one GB200 NVL72" in text and "not a plan of the site" in text


def test_a_plan_larger_than_the_measured_capacity_says_how_much(own_db, tmp_path):
    found = _found(
        own_db,
        meter=_store(own_db, tmp_path, "big", BIG_METER),
        inventory=_store(own_db, tmp_path, "inv", SMALL_INVENTORY),
    )
    assert found.value("capacity_mw") == pytest.approx(0.1, rel=1e-4)
    result = planner.plan(found.apply(planner.PlanInputs()), _catalog(own_db))
    relation = site_plan.plan_vs_site(found, result)
    assert relation.over_capacity and not relation.below_one_platform
    assert relation.capacity_ratio == pytest.approx(result.power.facility_kw / 1000 / 0.1, rel=1e-3)
    assert "does not fit the site as measured" in relation.capacity_text
    assert any("measured capacity of 0.10 MW" in s for s in relation.statements)


def test_datasets_with_no_rack_in_common_are_named(own_db, tmp_path):
    found = _found(
        own_db,
        telemetry=_store(own_db, tmp_path, "tele", OTHER_TELEMETRY),
        inventory=_store(own_db, tmp_path, "inv", SMALL_INVENTORY),
    )
    (note,) = found.notes
    assert "'tele' and 'inv' share no rack" in note
    assert found.value("nameplate_utilisation") is None


# --- the page ------------------------------------------------------------------------------------


def _load(picks: dict[str, int]) -> AppTest:
    at = AppTest.from_file(PLANNER, default_timeout=60).run()
    at.session_state[site_plan_inputs.OPEN_KEY] = True
    at.run()
    for kind, dataset_id in picks.items():
        at.selectbox(key=site_plan_inputs.PICK_KEYS[kind]).set_value(dataset_id)
    at.run()
    at.button(key="pl_site_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    return " ".join(t.value for t in at.text)


def test_the_page_lists_the_utilisation_it_took_whatever_the_widgets_rounding(own_db, tmp_path):
    meter = _store(own_db, tmp_path, "small", SMALL_METER)
    at = _load({"meter": meter.dataset_id})
    assert "Utilisation from 'small'" in _texts(at)
    at.number_input(key="pl_util_pct").set_value(38.2).run()  # what the browser sends back for 38.18 %
    assert "Utilisation from 'small'" in _texts(at)
    at.number_input(key="pl_util_pct").set_value(45.0).run()  # changed by the user: no longer the site's
    assert "Utilisation from 'small'" not in _texts(at)


def test_the_page_says_the_plan_is_not_the_site(own_db, tmp_path):
    meter = _store(own_db, tmp_path, "small", SMALL_METER)
    at = _load({"meter": meter.dataset_id})
    shown = _texts(at)
    assert "Measured IT load 2.2 kW (p95)" in shown and "the measured load" in shown
    assert "smaller than one GB200 NVL72" in shown


def test_a_plan_over_the_measured_capacity_is_not_plainly_feasible(own_db, tmp_path):
    meter = _store(own_db, tmp_path, "big", BIG_METER)
    inventory = _store(own_db, tmp_path, "inv", SMALL_INVENTORY)
    at = _load({"meter": meter.dataset_id, "racks": inventory.dataset_id})
    assert not [s.value for s in at.success if s.value.startswith("Feasible")]
    (verdict,) = [w.value for w in at.warning if "not within your site" in w.value]
    assert "measured capacity of 0.10 MW" in verdict and "does not fit the site as measured" in verdict


def test_the_page_names_datasets_with_no_rack_in_common(own_db, tmp_path):
    telemetry = _store(own_db, tmp_path, "tele", OTHER_TELEMETRY)
    inventory = _store(own_db, tmp_path, "inv", SMALL_INVENTORY)
    at = _load({"telemetry": telemetry.dataset_id, "racks": inventory.dataset_id})
    assert any("'tele' and 'inv' share no rack" in w.value for w in at.warning)
