"""The electrical plant: hand-computed UPS and generator counts, kVA, and the ``electrical`` command."""

from __future__ import annotations

import pytest

from factorycore.electrical import electrical_plant, units_installed, units_needed
from tests.test_cli_engine import run_error, run_json


def test_issue_case_2000_kw_at_2n_with_500_kw_modules():
    # 2,000 / 500 = 4 modules carry the load; 2N doubles them: 8 modules, 4,000 kW.
    plant = electrical_plant(2000, pue=1.4, redundancy="2N", ups_module_kw=500)
    assert plant.ups_modules_needed == 4
    assert plant.ups_modules == 8
    assert plant.ups_installed_kw == 4000
    assert plant.ups_installed_kva == pytest.approx(4000 / 0.95)


def test_generators_carry_the_facility_load_n_plus_1():
    # 2,000 kW x 1.4 = 2,800 kW; ceil(2,800 / 2,500) = 2 sets, N+1 = 3, 7,500 kW installed.
    plant = electrical_plant(2000, pue=1.4)
    assert plant.facility_kw == pytest.approx(2800)
    assert plant.generators_needed == 2 and plant.generators == 3
    assert plant.generator_installed_kw == 7500
    assert plant.utility_demand_mw == pytest.approx(2.8)  # redundancy adds equipment, not demand


@pytest.mark.parametrize("scheme,expected", [("N", 5), ("N+1", 6), ("2N", 10)])
def test_schemes(scheme, expected):
    # 1,201 kW on 250 kW modules needs ceil(4.804) = 5.
    assert units_installed(units_needed(1201, 250), scheme) == expected


def test_exact_multiple_does_not_round_up():
    assert units_needed(1000, 250) == 4
    assert units_needed(0.1 * 3 * 1000, 100) == 3  # 300.00000000000006 kW is still 3 units


def test_power_factor_sets_kva():
    plant = electrical_plant(1000, redundancy="N", ups_module_kw=250, power_factor=0.8)
    assert plant.ups_installed_kw == 1000 and plant.ups_installed_kva == pytest.approx(1250)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"it_kw": 0}, "greater than 0"),
        ({"it_kw": 100, "redundancy": "3N"}, "unknown redundancy"),
        ({"it_kw": 100, "power_factor": 1.2}, "power factor"),
        ({"it_kw": 100, "pue": 0.9}, "PUE"),
    ],
)
def test_bad_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        electrical_plant(**kwargs)


def test_electrical_command_contract(capsys):
    data = run_json(capsys, "electrical", "--it-kw", "2000", "--ups-module-kw", "500")
    assert list(data)[:9] == [
        "it_kw",
        "facility_kw",
        "redundancy",
        "ups_modules",
        "ups_installed_kw",
        "ups_installed_kva",
        "generators",
        "generator_installed_kw",
        "utility_demand_mw",
    ]
    assert data["redundancy"] == "2N" and data["ups_modules"] == 8 and data["ups_installed_kw"] == 4000
    assert data["generators"] == 3 and data["utility_demand_mw"] == pytest.approx(2.8)


def test_electrical_command_flags(capsys):
    data = run_json(
        capsys,
        "electrical",
        "--it-kw",
        "900",
        "--pue",
        "1.2",
        "--redundancy",
        "N+1",
        "--ups-module-kw",
        "300",
        "--generator-kw",
        "1000",
        "--generator-redundancy",
        "2N",
        "--power-factor",
        "0.9",
    )
    # UPS: ceil(900/300) = 3, +1 = 4 -> 1,200 kW, 1,333.3 kVA. Generators: 1,080 kW -> 2, x2 = 4.
    assert data["ups_modules"] == 4 and data["ups_installed_kva"] == pytest.approx(1200 / 0.9)
    assert data["generators"] == 4 and data["generator_installed_kw"] == 4000


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["electrical", "--it-kw", "0"], "greater than 0"),
        (["electrical", "--it-kw", "10", "--redundancy", "3N"], "invalid choice"),
        (["electrical", "--it-kw", "10", "--power-factor", "1.5"], "(0, 1]"),
    ],
)
def test_electrical_command_errors(capsys, argv, fragment):
    assert fragment in run_error(capsys, *argv)
