"""The engine commands of ``python -m factorycore``: contract keys, values, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factorycore.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_json(capsys, *argv: str) -> dict:
    assert main([*argv, "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object
    return json.loads(out)


def run_error(capsys, *argv: str) -> str:
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse rejects bad flags by exiting
        status = exc.code
    assert status == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err and "\n" not in err and "Traceback" not in err
    return err


def test_power_json(capsys):
    data = run_json(capsys, "power", "--it-kw", "1000")
    assert list(data) == [
        "it_kw",
        "facility_kw",
        "annual_it_mwh",
        "annual_facility_mwh",
        "annual_cost_usd",
        "annual_co2e_t",
        "annual_water_m3",
    ]
    assert data["facility_kw"] == pytest.approx(1400)
    assert data["annual_facility_mwh"] == pytest.approx(12264)
    assert data["annual_cost_usd"] == pytest.approx(1_226_400)
    assert data["annual_co2e_t"] == pytest.approx(4905.6)


def test_power_all_flags(capsys):
    data = run_json(
        capsys,
        "power",
        "--it-kw",
        "250",
        "--pue",
        "1.2",
        "--utilization",
        "0.8",
        "--price",
        "0.08",
        "--grid",
        "0.2",
        "--wue",
        "0.5",
    )
    assert data["annual_cost_usd"] == pytest.approx(168_192)
    assert data["annual_water_m3"] == pytest.approx(876)


def test_power_table_format(capsys):
    assert main(["power", "--it-kw", "1000"]) == 0
    out = capsys.readouterr().out
    assert "facility_kw" in out and "1,400" in out


def test_cooling_json(capsys):
    data = run_json(capsys, "cooling", "--heat-kw", "100", "--technology", "direct-liquid", "--rack-kw", "250")
    assert list(data)[:12] == [
        "heat_kw",
        "liquid_kw",
        "air_kw",
        "cooling_tons",
        "coolant_flow_lpm",
        "airflow_m3h",
        "airflow_cfm",
        "feasible",
        "reason",
        "cdus",
        "facility_water_flow_lpm",
        "facility_supply_c",
    ]
    assert data["liquid_kw"] == pytest.approx(80)
    assert data["coolant_flow_lpm"] == pytest.approx(115.172, abs=1e-3)
    assert data["cooling_tons"] == pytest.approx(100 / 3.51685)
    assert data["feasible"] is False and "200 kW" in data["reason"]


def test_cooling_flags(capsys):
    data = run_json(
        capsys,
        "cooling",
        "--heat-kw",
        "100",
        "--technology",
        "immersion",
        "--capture",
        "0",
        "--coolant",
        "pg25",
        "--air-delta-t",
        "10",
        "--delta-t",
        "5",
    )
    assert data["air_kw"] == 100 and data["coolant_flow_lpm"] == 0
    assert data["airflow_m3h"] == pytest.approx(100 / (1.2 * 1.005 * 10) * 3600)
    assert data["feasible"] is True and data["reason"] == ""


FLEET_KEYS = [
    "systems",
    "accelerators",
    "it_kw",
    "racks",
    "kw_per_rack",
    "facility_kw",
    "platform",
    "basis",
    "system_power_kw",
    "power_source_id",
    "note",
]


def test_fleet_system_json(capsys):
    data = run_json(capsys, "fleet", "--system", "dgx_h100", "--count", "10")
    assert list(data) == FLEET_KEYS
    assert data == pytest.approx(
        {
            "systems": 10,
            "accelerators": 80,
            "it_kw": 102.0,
            "racks": 3,
            "kw_per_rack": 34.0,
            "facility_kw": 142.8,
            "platform": "dgx_h100",
            "basis": "maximum",
            "system_power_kw": 10.2,
            "power_source_id": "nvidia_dgx_h100_guide",
            "note": "",
        }
    )


def test_fleet_rack_scale_system(capsys):
    data = run_json(capsys, "fleet", "--system", "gb200_nvl72", "--count", "8", "--pue", "1.2")
    assert (data["racks"], data["accelerators"], data["it_kw"]) == (8, 576, pytest.approx(1056))
    assert data["facility_kw"] == pytest.approx(1267.2)


def test_fleet_accelerators_are_whole_platforms(capsys):
    data = run_json(capsys, "fleet", "--accelerator", "h100_sxm", "--count", "512")
    assert (data["systems"], data["platform"], data["accelerators"]) == (64, "dgx_h100", 512)
    assert data["it_kw"] == pytest.approx(64 * 10.2) and data["racks"] == 16
    rounded = run_json(capsys, "fleet", "--accelerator", "h100_sxm", "--count", "1000", "--rack-kw", "40")
    assert (rounded["systems"], rounded["accelerators"]) == (125, 1000)
    assert rounded["racks"] == 42  # 3 DGX H100 per 40 kW rack
    odd = run_json(capsys, "fleet", "--accelerator", "b300", "--count", "9")
    assert (odd["systems"], odd["accelerators"]) == (2, 16) and "rounded up to 2" in odd["note"]


def test_fleet_gb200_gpus_at_each_basis(capsys):
    # 36 GB200 superchips are 72 GPUs: one NVL72 rack, not five 35 kW racks.
    maximum = run_json(capsys, "fleet", "--accelerator", "gb200", "--count", "72")
    typical = run_json(capsys, "fleet", "--accelerator", "gb200", "--count", "72", "--basis", "typical")
    assert (maximum["systems"], maximum["racks"], maximum["it_kw"]) == (1, 1, 132.0)
    assert (typical["basis"], typical["it_kw"], typical["power_source_id"]) == (
        "typical",
        120.0,
        "press_gb200_nvl72_120kw",
    )
    assert maximum["power_source_id"] == "schneider_nvl72_132kw"


def test_fleet_typical_fallback_is_named(capsys):
    data = run_json(capsys, "fleet", "--system", "dgx_b200", "--count", "2", "--basis", "typical")
    assert data["basis"] == "maximum" and "no published typical figure" in data["note"]


def test_growth_json(capsys):
    data = run_json(capsys, "growth", "--load-mw", "10", "--capacity-mw", "20", "--growth", "0.2")
    assert list(data) == ["trajectory", "capacity_exhausted_year"]
    assert [p["year"] for p in data["trajectory"]] == list(range(2026, 2036))
    assert data["trajectory"][4]["load_mw"] == pytest.approx(20.736)
    assert data["capacity_exhausted_year"] == 2030


def test_growth_never_exhausted_is_null(capsys):
    data = run_json(
        capsys,
        "growth",
        "--load-mw",
        "1",
        "--capacity-mw",
        "20",
        "--growth",
        "0.1",
        "--start-year",
        "2027",
        "--end-year",
        "2029",
    )
    assert [p["year"] for p in data["trajectory"]] == [2027, 2028, 2029]
    assert data["capacity_exhausted_year"] is None


def test_catalog_json(capsys):
    data = run_json(capsys, "catalog")
    assert list(data) == ["items"]
    ids = {item["id"] for item in data["items"]}
    assert {"h100_sxm", "mi300x", "dgx_h100", "gb200_nvl72", "gb200", "vera_rubin_nvl144"} <= ids
    for item in data["items"]:
        assert list(item) == [
            "id",
            "kind",
            "vendor",
            "name",
            "year",
            "accelerators",
            "power_kw",
            "cooling",
            "source_id",
            "platform",
            "availability",
            "figures",
        ]
        assert item["kind"] in ("accelerator", "system") and item["power_kw"] > 0
        assert item["figures"], item["id"]
        for figure in item["figures"]:
            assert list(figure) == ["basis", "power_kw", "source_id", "status"]
        assert any(f["basis"] == "maximum" and f["power_kw"] == item["power_kw"] for f in item["figures"])
    nvl72 = next(i for i in data["items"] if i["id"] == "gb200_nvl72")
    assert {f["power_kw"] for f in nvl72["figures"]} >= {120.0, 132.0, 150.0, 264.0}


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["power", "--it-kw", "-5"], "must not be negative"),
        (["power", "--it-kw", "100", "--pue", "0.9"], "below 1"),
        (["power", "--it-kw", "100", "--utilization", "0"], "(0, 1]"),
        (["power", "--it-kw", "100", "--utilization", "1.5"], "(0, 1]"),
        (["power", "--it-kw", "nan"], "not a finite number"),
        (["power", "--it-kw", "inf"], "not a finite number"),
        (["power", "--it-kw", "ten"], "not a number"),
        (["power"], "--it-kw"),
        (["power", "--it-kw", "1", "--bogus"], "unrecognized"),
        (["cooling", "--heat-kw", "10", "--technology", "peltier"], "invalid choice"),
        (["cooling", "--heat-kw", "10", "--coolant", "oil"], "invalid choice"),
        (["cooling", "--heat-kw", "10", "--capture", "1.2"], "[0, 1]"),
        (["cooling", "--heat-kw", "-10"], "must not be negative"),
        (["cooling", "--heat-kw", "10", "--delta-t", "0"], "greater than 0"),
        (["fleet", "--system", "dgx_z900", "--count", "2"], "valid ids: dgx_a100"),
        (["fleet", "--accelerator", "dgx_h100", "--count", "2"], "valid ids: a100_sxm"),
        (["fleet", "--system", "dgx_h100", "--count", "0"], "at least 1"),
        (["fleet", "--system", "dgx_h100", "--count", "2", "--rack-kw", "5"], "rack budget"),
        (["fleet", "--system", "gb200_nvl72", "--count", "1", "--rack-kw", "40"], "more than the 40 kW rack budget"),
        (["fleet", "--accelerator", "gb200", "--count", "72", "--cooling", "air"], "liquid-cooled only"),
        (["fleet", "--accelerator", "h100_pcie", "--count", "8"], "ships in no catalog platform"),
        (["fleet", "--system", "dgx_h100", "--count", "2", "--basis", "peak"], "invalid choice"),
        (["fleet", "--system", "dgx_h100", "--accelerator", "h100_sxm", "--count", "2"], "not allowed"),
        (["fleet", "--count", "2"], "one of the arguments"),
        (
            ["growth", "--load-mw", "10", "--capacity-mw", "20", "--growth", "0.1", "--end-year", "2025"],
            "before start year",
        ),
        (["growth", "--load-mw", "10", "--capacity-mw", "20", "--growth", "-1"], "above -1"),
        (["growth", "--load-mw", "10", "--capacity-mw", "0", "--growth", "0.1"], "greater than 0"),
        (["growth", "--load-mw", "10", "--capacity-mw", "20", "--growth", "1e300"], "overflows"),
    ],
)
def test_errors_exit_2_with_one_line(capsys, argv, fragment):
    assert fragment in run_error(capsys, *argv)


def _subprocess(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    # Its own database file: the test session may hold a lock on the shared one.
    env = {**os.environ, "FACTORY_DB": str(tmp_path / "cli.duckdb")}
    env.pop("FACTORY_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "factorycore", *argv],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_real_process_json(tmp_path):
    proc = _subprocess(tmp_path, "power", "--it-kw", "1000", "--format", "json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["annual_co2e_t"] == pytest.approx(4905.6)


@pytest.mark.parametrize(
    "argv",
    [
        ("power", "--it-kw", "100", "--pue", "0.5"),
        ("fleet", "--system", "no_such_system", "--count", "3", "--format", "json"),
    ],
)
def test_real_process_errors_have_no_traceback(tmp_path, argv):
    proc = _subprocess(tmp_path, *argv)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_table_shows_small_values_and_lists_readably():
    from factorycore.cli.output import render_table

    text = render_table(
        {"cooling_tons": 0.000284, "reason": "", "charts": ["stack", "maturity"], "items": [{"id": "a", "kw": 1.5}]}
    )
    lines = text.splitlines()
    assert "cooling_tons  0.000284" in lines  # not rounded to a misleading 0
    assert "reason        -" in lines
    assert "charts        stack, maturity" in lines
    assert all(line == line.rstrip() for line in lines)  # no padding at line ends


def test_ingest_of_a_folder_says_so(capsys, tmp_path):
    assert "is a folder" in run_error(capsys, "ingest", str(tmp_path))
