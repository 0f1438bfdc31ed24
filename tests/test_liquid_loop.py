"""The liquid loop: CDU counts, facility-water flow, ASHRAE class and approach, and the cooling flags."""

from __future__ import annotations

import pytest

from factorycore.cooling import cooling_projection
from factorycore.liquid_loop import FACILITY_CLASSES, MIN_APPROACH_K, TCS_SUPPLY_C, liquid_loop
from tests.test_cli_engine import run_error, run_json

# 1 kW carried by 1 K of water is 1 / (997.05 kg/m3 x 4.18 kJ/kg K) m3/s.
LPM_PER_KW_K = 60_000 / (997.05 * 4.18)


def test_issue_case_800_kw_on_250_kw_cdus_at_n_plus_1():
    loop = liquid_loop(800, "direct-liquid", cdu_kw=250)
    assert loop.cdus_needed == 4 and loop.cdus == 5 and loop.cdu_installed_kw == 1250


@pytest.mark.parametrize("scheme,expected", [("N", 4), ("N+1", 5), ("2N", 8)])
def test_cdu_redundancy(scheme, expected):
    assert liquid_loop(800, "direct-liquid", cdu_kw=250, cdu_redundancy=scheme).cdus == expected


def test_facility_flow_at_its_own_delta_t():
    # 800 kW at 8 K: 800 x 60,000 / (997.05 x 4.18 x 8) = 1,439.7 L/min; half of that at 16 K.
    assert liquid_loop(800, "direct-liquid", facility_delta_t_k=8).facility_water_flow_lpm == pytest.approx(
        800 * LPM_PER_KW_K / 8
    )
    assert liquid_loop(800, "direct-liquid", facility_delta_t_k=16).facility_water_flow_lpm == pytest.approx(
        1439.7 / 2, abs=0.1
    )


def test_supply_temperature_and_approach_by_class():
    loop = liquid_loop(800, "direct-liquid", facility_class="W27")
    assert loop.facility_supply_c == 27 and loop.tcs_supply_c == 40 and loop.approach_k == 13
    assert loop.loop_feasible and loop.loop_reason == ""


def test_class_too_warm_for_the_technology_says_so():
    loop = liquid_loop(800, "direct-liquid", facility_class="W40")
    assert loop.approach_k == 0 and not loop.loop_feasible
    assert "W40" in loop.loop_reason and "37 C or colder" in loop.loop_reason
    door = liquid_loop(100, "rear-door", facility_class="W27")
    assert not door.loop_feasible and "rear-door" in door.loop_reason


@pytest.mark.parametrize("technology", sorted(TCS_SUPPLY_C))
def test_feasibility_is_the_approach_rule(technology):
    for name, supply_c in FACILITY_CLASSES.items():
        loop = liquid_loop(100, technology, facility_class=name)
        assert loop.loop_feasible == (TCS_SUPPLY_C[technology][0] - supply_c >= MIN_APPROACH_K), name


def test_air_has_no_loop():
    heat = cooling_projection(500, "air")
    loop = liquid_loop(heat.liquid_kw, "air")
    assert loop.cdus == 0 and loop.facility_water_flow_lpm == 0 and loop.loop_feasible
    assert loop.approach_k is None and "no liquid loop" in loop.loop_reason


def test_unknown_class():
    with pytest.raises(ValueError, match="W17, W27"):
        liquid_loop(100, "direct-liquid", facility_class="W99")


def test_cooling_command_adds_the_loop(capsys):
    data = run_json(
        capsys,
        "cooling",
        "--heat-kw",
        "1000",
        "--technology",
        "direct-liquid",
        "--cdu-kw",
        "250",
        "--facility-delta-t",
        "8",
        "--facility-class",
        "W32",
    )
    # liquid share 0.8 of 1,000 kW = 800 kW -> 4 CDUs of 250 kW, N+1 = 5.
    assert data["cdus"] == 5
    assert data["facility_water_flow_lpm"] == pytest.approx(800 * LPM_PER_KW_K / 8)
    assert data["facility_supply_c"] == 32 and data["approach_k"] == 8 and data["loop_feasible"] is True
    # the technology loop keeps its own flow at its own delta-T (10 K)
    assert data["coolant_flow_lpm"] == pytest.approx(800 * LPM_PER_KW_K / 10)


def test_cooling_command_cdu_redundancy(capsys):
    data = run_json(
        capsys,
        "cooling",
        "--heat-kw",
        "1000",
        "--technology",
        "direct-liquid",
        "--cdu-kw",
        "250",
        "--cdu-redundancy",
        "2N",
    )
    assert data["cdus"] == 8


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["cooling", "--heat-kw", "10", "--facility-class", "W50"], "invalid choice"),
        (["cooling", "--heat-kw", "10", "--cdu-kw", "0"], "greater than 0"),
        (["cooling", "--heat-kw", "10", "--facility-delta-t", "-1"], "greater than 0"),
    ],
)
def test_cooling_loop_errors(capsys, argv, fragment):
    assert fragment in run_error(capsys, *argv)
