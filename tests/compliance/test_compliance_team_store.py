"""The year's figures are the same from the team store (PostgreSQL) as from the embedded file."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from factorycore import db, store
from factorycore.compliance import assess
from factorycore.userdata import catalog, ingest

pytestmark = pytest.mark.server


def _year(path: Path) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["timestamp", "site", "it_kw", "facility_kw", "water_m3", "fresh_water_m3", "heat_reused_kw"])
        t = datetime(2026, 1, 1)
        while t.year == 2026:
            if not (t.month == 4 and t.day == 2):  # one day without readings
                writer.writerow([t.strftime("%Y-%m-%d %H:%M"), "DC-T", 200 + t.hour, 260 + 2 * t.hour, 0.1, 0.04, 30])
            t += timedelta(hours=1)
    return path


def _figures(con, path: Path) -> dict:
    result = ingest.ingest(con, path, kind="meter", name="team-year")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    out = assess(con, [info], 2026, "de-enefg").as_dict()
    out["sources"]["data"] = [{k: v for k, v in s.items() if k != "dataset_id"} for s in out["sources"]["data"]]
    return out


def test_the_team_store_gives_the_embedded_figures(fresh_db, team_url, tmp_path):
    path = _year(tmp_path / "year.csv")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("FACTORY_STORE")
        embedded = _figures(fresh_db, path)
    con = db.shared_connection()
    assert store.is_postgres(store.facility(con))
    team = _figures(con, path)
    assert embedded["missing_intervals"] == 24 and embedded["pue"] is not None
    for key in ("pue", "wue_l_per_kwh", "wue_fresh_l_per_kwh", "erf", "energy_it_kwh", "energy_facility_kwh",
                "water_m3", "coverage_pct"):  # fmt: skip
        assert team[key] == pytest.approx(embedded[key], rel=1e-12), key
    assert team["missing_intervals"] == embedded["missing_intervals"] and team["gaps"] == embedded["gaps"]
    assert team["sources"] == embedded["sources"] and team["targets"] == embedded["targets"]
