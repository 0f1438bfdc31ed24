"""`python -m factorycore climate`: the contract's keys, the list, and one-line refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from factorycore.cli import main

KEYS = {
    "station",
    "hours",
    "annual_pue",
    "design_pue",
    "worst_hour_pue",
    "monthly_pue",
    "wue_l_per_kwh",
    "chiller_free_hours",
    "mechanical_cooling_hours",
    "design_conditions",
    "assumptions",
}


def _run(capsys, *argv: str) -> tuple[int, dict | None, str]:
    capsys.readouterr()
    code = main([*argv, "--format", "json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_climate_json_carries_the_contract(capsys):
    code, out, _ = _run(
        capsys,
        "climate",
        "--weather",
        "greensboro_nc",
        "--architecture",
        "chilled-water-tower",
        "--it-kw",
        "2000",
        "--facility-class",
        "W32",
        "--cycles",
        "4",
    )
    assert code == 0 and KEYS <= set(out)
    assert out["station"] == "greensboro_nc" and out["hours"] == 8760 and len(out["monthly_pue"]) == 12
    assert set(out["design_conditions"]) == {"dry_bulb_c", "coincident_wet_bulb_c", "wet_bulb_c"}
    assert out["assumptions"]["cycles_of_concentration"] == 4.0
    assert out["yearly_pue"] == {"typical": out["annual_pue"]}  # a TMY year stands for any year
    assert 1.0 < out["annual_pue"] <= out["design_pue"] <= out["worst_hour_pue"]
    assert out["chiller_free_hours"] + out["mechanical_cooling_hours"] == 8760


def test_climate_list_names_stations_and_architectures(capsys):
    code, out, _ = _run(capsys, "climate", "--list")
    assert code == 0
    assert {s["station"] for s in out["stations"]} == {"greensboro_nc", "miami_fl", "sand_point_ak"}
    assert len(out["architectures"]) == 6


def test_a_weather_file_path_works(capsys, tmp_path: Path):
    ts = pd.date_range("2025-01-01", periods=24 * 30, freq="h")
    path = tmp_path / "site.csv"
    pd.DataFrame({"timestamp": ts, "temp_c": 25.0, "rh_pct": 60.0}).to_csv(path, index=False)
    code, out, _ = _run(capsys, "climate", "--weather", str(path), "--architecture", "air-economiser")
    assert code == 0 and out["hours"] == 720 and out["monthly_pue"][1] is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["climate", "--weather", "atlantis", "--architecture", "hybrid"], "no weather file"),
        (["climate", "--weather", "miami_fl", "--architecture", "magic"], "unknown architecture"),
        (["climate", "--weather", "miami_fl", "--architecture", "hybrid", "--facility-class", "W99"], "facility class"),
        (["climate", "--weather", "miami_fl", "--architecture", "hybrid", "--assumption", "cop_max=99"], "cop_max"),
        (["climate", "--weather", "miami_fl"], "--architecture"),
    ],
)
def test_bad_values_are_one_line_usage_errors(capsys, argv, message):
    code, _, err = _run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_power_electrical_and_runway_take_a_site(capsys):
    base = ["--weather", "miami_fl", "--architecture", "chilled-water-tower"]
    _, power, _ = _run(capsys, "power", "--it-kw", "2000", *base)
    _, electrical, _ = _run(capsys, "electrical", "--it-kw", "2000", *base)
    _, plant, _ = _run(capsys, "climate", "--it-kw", "2000", *base)
    assert power["facility_kw"] == pytest.approx(2000 * plant["annual_pue"], rel=1e-4)
    assert power["annual_water_m3"] == pytest.approx(17_520 * plant["wue_l_per_kwh"], rel=1e-4)
    assert electrical["pue"] == pytest.approx(plant["design_pue"], rel=1e-4)
    assert electrical["site"]["pue_used"] == "design-hour PUE"
    code, runway, _ = _run(capsys, "runway", "--load-mw", "2.5", "--capacity-mw", "5", "--growth", "0.1", *base)
    assert code == 0 and runway["site"]["station"] == "miami_fl"
    code, _, err = _run(capsys, "power", "--it-kw", "10", "--weather", "miami_fl")
    assert code == 2 and "--architecture" in err
