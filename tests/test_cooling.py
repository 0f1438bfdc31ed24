"""Cooling engine: unit conversions, worked examples, feasibility, invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorycore import cooling, units

CONTRACT_KEYS = [
    "heat_kw",
    "liquid_kw",
    "air_kw",
    "cooling_tons",
    "coolant_flow_lpm",
    "airflow_m3h",
    "airflow_cfm",
    "feasible",
    "reason",
]


def test_unit_constants():
    assert units.KW_PER_TON_REFRIGERATION == 3.51685
    assert cooling.kw_to_tons(3.51685) == pytest.approx(1.0, rel=1e-12)
    assert cooling.kw_to_tons(351.685) == pytest.approx(100.0, rel=1e-12)
    # 1 CFM = 0.028316847 m3/min = 1.699011 m3/h.
    assert cooling.m3h_to_cfm(1.699011) == pytest.approx(1.0, rel=1e-12)
    assert cooling.m3h_to_cfm(0.028316847 * 60) == pytest.approx(1.0, rel=1e-6)
    # 1 ton = 12,000 BTU/h.
    assert units.KW_PER_TON_REFRIGERATION * units.BTU_PER_HOUR_PER_KW == pytest.approx(12_000, rel=1e-5)


def test_air_worked_example():
    # 100 kW in air at dT 12 K: 100 / (1.2 x 1.005 x 12) = 6.90989 m3/s = 24,875.62 m3/h = 14,641.2 CFM.
    result = cooling.cooling_projection(100, "air")
    assert result.liquid_kw == 0
    assert result.air_kw == 100
    assert result.coolant_flow_lpm == 0
    assert result.airflow_m3h == pytest.approx(100 / (1.2 * 1.005 * 12) * 3600, rel=1e-12)
    assert result.airflow_m3h == pytest.approx(24_875.62, abs=0.01)
    assert result.airflow_cfm == pytest.approx(14_641.2, abs=0.1)
    assert result.cooling_tons == pytest.approx(28.4345, abs=1e-4)
    assert result.feasible and result.reason == ""


def test_direct_liquid_water_worked_example():
    # Default capture 0.8: 80 kW liquid. Water 997.05 kg/m3 x 4.18 kJ/kgK x 10 K = 41,676.69 kJ/m3,
    # 80 / 41,676.69 m3/s x 60,000 = 115.172 L/min; 20 kW air.
    result = cooling.cooling_projection(100, "direct-liquid")
    assert result.liquid_kw == pytest.approx(80)
    assert result.air_kw == pytest.approx(20)
    assert result.coolant_flow_lpm == pytest.approx(80 * 60_000 / (997.05 * 4.18 * 10), rel=1e-12)
    assert result.coolant_flow_lpm == pytest.approx(115.172, abs=1e-3)


def test_water_flow_matches_ocp_rule_of_thumb():
    # OCP cold-plate sizing: about 1.5 L/min per kW at dT <= 10 K (Open Compute Project liquid cooling guidelines).
    per_kw = cooling.liquid_flow_lpm(1.0, cooling.COOLANTS["water"], 10)
    assert per_kw == pytest.approx(1.4397, abs=1e-4)
    assert abs(per_kw - 1.5) / 1.5 < 0.05


def test_pg25_needs_more_flow_than_water():
    water = cooling.cooling_projection(100, "direct-liquid", coolant_name="water")
    pg25 = cooling.cooling_projection(100, "direct-liquid", coolant_name="pg25")
    # (997.05 x 4.18) / (1025 x 3.90) = 1.04257
    assert pg25.coolant_flow_lpm / water.coolant_flow_lpm == pytest.approx(997.05 * 4.18 / (1025 * 3.90), rel=1e-12)
    assert pg25.coolant_flow_lpm / water.coolant_flow_lpm == pytest.approx(1.0426, abs=1e-4)


def test_fluid_properties_are_stated():
    assert cooling.COOLANTS["water"].density_kg_per_m3 == 997.05
    assert cooling.COOLANTS["water"].specific_heat_kj_per_kg_k == 4.18
    assert cooling.COOLANTS["pg25"].density_kg_per_m3 == 1025.0
    assert cooling.COOLANTS["pg25"].specific_heat_kj_per_kg_k == 3.90
    assert all(fluid.source for fluid in cooling.COOLANTS.values())


def test_default_captures_documented():
    assert {t: cooling.TECHNOLOGY_LIMITS[t].default_capture for t in cooling.TECHNOLOGIES} == {
        "air": 0.0,
        "rear-door": 1.0,
        "direct-liquid": 0.8,
        "immersion": 0.95,
    }
    assert all(lim.capture_basis and lim.limit_basis for lim in cooling.TECHNOLOGY_LIMITS.values())


def test_capture_override():
    result = cooling.cooling_projection(50, "direct-liquid", capture=0.95)
    assert result.liquid_kw == pytest.approx(47.5)
    assert result.air_kw == pytest.approx(2.5)


def test_delta_t_halves_flow_when_doubled():
    a = cooling.cooling_projection(100, "immersion", delta_t_k=5, air_delta_t_k=10)
    b = cooling.cooling_projection(100, "immersion", delta_t_k=10, air_delta_t_k=20)
    assert a.coolant_flow_lpm == pytest.approx(2 * b.coolant_flow_lpm)
    assert a.airflow_m3h == pytest.approx(2 * b.airflow_m3h)


@pytest.mark.parametrize(
    "technology, ok_kw, too_high_kw, limit",
    [
        ("air", 30, 31, "30 kW"),
        ("rear-door", 75, 80, "75 kW"),
        ("direct-liquid", 142, 250, "200 kW"),
        ("immersion", 150, 151, "150 kW"),
    ],
)
def test_feasibility(technology, ok_kw, too_high_kw, limit):
    assert cooling.rack_feasibility(ok_kw, technology) == (True, "")
    feasible, reason = cooling.rack_feasibility(too_high_kw, technology)
    assert not feasible
    assert limit in reason and technology in reason and "(" in reason  # names the limit and its basis


def test_feasibility_in_projection():
    result = cooling.cooling_projection(132, "air", rack_kw=132)
    assert result.feasible is False
    assert "air" in result.reason and "30 kW" in result.reason
    assert cooling.cooling_projection(132, "direct-liquid", rack_kw=132).feasible is True


def test_keys_are_the_contract():
    assert list(cooling.cooling_projection(10).as_dict()) == CONTRACT_KEYS


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"heat_kw": -1}, "negative"),
        ({"heat_kw": math.nan}, "finite"),
        ({"heat_kw": 10, "technology": "peltier"}, "unknown cooling technology"),
        ({"heat_kw": 10, "coolant_name": "oil"}, "unknown coolant"),
        ({"heat_kw": 10, "capture": 1.5}, "[0, 1]"),
        ({"heat_kw": 10, "capture": math.nan}, "[0, 1]"),
        ({"heat_kw": 10, "delta_t_k": 0}, "delta-T"),
        ({"heat_kw": 10, "air_delta_t_k": -3}, "delta-T"),
        ({"heat_kw": 10, "rack_kw": 0}, "rack power"),
    ],
)
def test_bad_inputs_raise(kwargs, fragment):
    with pytest.raises(ValueError) as info:
        cooling.cooling_projection(**kwargs)
    assert fragment in str(info.value)


heat = st.floats(0, 1e6)


@given(
    a=heat,
    b=heat,
    technology=st.sampled_from(cooling.TECHNOLOGIES),
    coolant=st.sampled_from(sorted(cooling.COOLANTS)),
    capture=st.none() | st.floats(0, 1),
)
def test_more_heat_never_means_less_flow(a, b, technology, coolant, capture):
    low, high = sorted((a, b))
    r_low = cooling.cooling_projection(low, technology, capture, coolant_name=coolant)
    r_high = cooling.cooling_projection(high, technology, capture, coolant_name=coolant)
    assert r_high.coolant_flow_lpm >= r_low.coolant_flow_lpm
    assert r_high.airflow_m3h >= r_low.airflow_m3h
    assert r_high.cooling_tons >= r_low.cooling_tons


@given(q=heat, technology=st.sampled_from(cooling.TECHNOLOGIES))
def test_capture_zero_means_all_air(q, technology):
    result = cooling.cooling_projection(q, technology, capture=0.0)
    assert result.air_kw == q
    assert result.liquid_kw == 0
    assert result.coolant_flow_lpm == 0


@given(q=heat, capture=st.floats(0, 1), technology=st.sampled_from(cooling.TECHNOLOGIES))
def test_heat_is_conserved(q, capture, technology):
    result = cooling.cooling_projection(q, technology, capture)
    assert result.liquid_kw + result.air_kw == pytest.approx(q, rel=1e-12, abs=1e-9)
    assert result.liquid_kw >= 0 and result.air_kw >= 0
