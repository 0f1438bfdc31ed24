"""Fleet sizing: worked examples on systems and bare accelerators, packing invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorycore import fleet
from factorycore.hardware import Hardware

CONTRACT_KEYS = ["systems", "accelerators", "it_kw", "racks", "kw_per_rack", "facility_kw"]


def item(id_, kind, accelerators, power_kw, default_rack_kw=None) -> Hardware:
    return Hardware(id_, kind, "V", id_, 2024, accelerators, power_kw, "air", default_rack_kw, "src", "reported", "")


DGX_H100 = item("dgx_h100", "system", 8, 10.2, 40.8)
NVL72 = item("gb200_nvl72", "system", 72, 132.0, 132.0)
H100 = item("h100_sxm", "accelerator", 1, 0.7)


def test_systems_worked_example():
    # 10 x 10.2 kW = 102 kW; 40.8 kW rack holds 4; ceil(10 / 4) = 3 racks; 34 kW each; x 1.4 = 142.8 kW.
    result = fleet.size_systems(DGX_H100, 10)
    assert result.as_dict() == pytest.approx({
        "systems": 10, "accelerators": 80, "it_kw": 102.0, "racks": 3, "kw_per_rack": 34.0, "facility_kw": 142.8,
    })
    assert list(result.as_dict()) == CONTRACT_KEYS


def test_systems_at_a_given_budget():
    # 25 kW budget holds floor(25 / 10.2) = 2 systems: 5 racks of 20.4 kW.
    result = fleet.size_systems(DGX_H100, 10, rack_kw=25, pue=1.2)
    assert (result.racks, result.kw_per_rack, result.facility_kw) == (5, pytest.approx(20.4), pytest.approx(122.4))


def test_system_above_budget_is_an_error():
    with pytest.raises(ValueError, match="more than the 5 kW rack budget"):
        fleet.size_systems(DGX_H100, 1, rack_kw=5)


def test_rack_scale_system_is_one_per_rack_at_any_budget():
    assert fleet.is_rack_scale(NVL72) and not fleet.is_rack_scale(DGX_H100)
    for budget in (None, 40.0, 400.0):
        result = fleet.size_systems(NVL72, 10, rack_kw=budget)
        assert (result.racks, result.accelerators, result.it_kw, result.kw_per_rack) == (10, 720, 1320.0, 132.0)
        assert result.facility_kw == pytest.approx(1848.0)


def test_very_large_system_count_rounds_racks_exactly():
    # 4 DGX H100 per rack; 2**53 + 1 systems need 2**51 + 1 racks (float division loses the 1).
    count = 2**53 + 1
    result = fleet.size_systems(DGX_H100, count)
    assert result.racks == 2**51 + 1
    assert result.accelerators == 8 * count


def test_accelerators_worked_example():
    # 1024 x 0.7 kW / 0.55 = 1303.27 kW of servers; at 40 kW per rack ceil(32.58) = 33 racks.
    result = fleet.size_accelerators(H100, 1024)
    assert result.systems is None
    assert result.accelerators == 1024
    assert result.it_kw == pytest.approx(1024 * 0.7 / 0.55)
    assert result.racks == 33
    assert result.kw_per_rack == pytest.approx(1024 * 0.7 / 0.55 / 33)
    assert result.facility_kw == pytest.approx(1024 * 0.7 / 0.55 * 1.4)


def test_accelerator_share_matches_dgx_h100():
    # The documented share is DGX H100's: 8 x 0.7 kW of its 10.2 kW.
    assert fleet.ACCELERATOR_SHARE_OF_SERVER_POWER == pytest.approx(8 * 0.7 / 10.2, abs=0.005)


def test_exact_fit_is_not_an_extra_rack():
    # 22 x 1.0 / 0.55 = 40 kW: exactly one 40 kW rack despite float rounding.
    result = fleet.size_accelerators(item("b200", "accelerator", 1, 1.0), 22)
    assert result.racks == 1


@pytest.mark.parametrize("call, fragment", [
    (lambda: fleet.size_systems(H100, 1), "not a system"),
    (lambda: fleet.size_accelerators(DGX_H100, 1), "not an accelerator"),
    (lambda: fleet.size_systems(DGX_H100, 0), "count"),
    (lambda: fleet.size_systems(DGX_H100, 1, rack_kw=-40), "rack power budget"),
    (lambda: fleet.size_accelerators(H100, 8, rack_kw=math.nan), "rack power budget"),
    (lambda: fleet.size_accelerators(H100, 8, pue=0.9), "below 1"),
])
def test_bad_inputs(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


@given(count=st.integers(1, 5000), budget=st.floats(10.2, 500))
def test_system_racks_respect_the_budget(count, budget):
    result = fleet.size_systems(DGX_H100, count, rack_kw=budget)
    assert result.kw_per_rack <= budget + 1e-9
    assert result.racks * math.floor(budget / 10.2 + 1e-9) >= count
    assert result.racks - 1 < count / math.floor(budget / 10.2 + 1e-9)  # no spare rack


@given(count=st.integers(1, 100_000), budget=st.floats(1, 500))
def test_accelerator_racks_respect_the_budget(count, budget):
    result = fleet.size_accelerators(H100, count, rack_kw=budget)
    assert result.kw_per_rack <= budget * (1 + 1e-9)
    assert result.facility_kw >= result.it_kw
