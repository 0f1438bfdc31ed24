"""Power engine: worked examples by hand, the power chain's energy balance, invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorycore import power, units

CONTRACT_KEYS = [
    "it_kw",
    "facility_kw",
    "annual_it_mwh",
    "annual_facility_mwh",
    "annual_cost_usd",
    "annual_co2e_t",
    "annual_water_m3",
]


def test_worked_example_defaults():
    # 1000 kW x 1.4 = 1400 kW; 1400 x 8760 = 12,264,000 kWh; x 0.10 = 1,226,400 USD;
    # x 0.4 kg = 4,905,600 kg = 4,905.6 t; WUE 0 -> no water.
    result = power.power_projection(1000)
    assert result.as_dict() == pytest.approx(
        {
            "it_kw": 1000.0,
            "facility_kw": 1400.0,
            "annual_it_mwh": 8760.0,
            "annual_facility_mwh": 12264.0,
            "annual_cost_usd": 1_226_400.0,
            "annual_co2e_t": 4905.6,
            "annual_water_m3": 0.0,
        },
        rel=1e-12,
    )


def test_worked_example_all_inputs():
    # 250 kW, PUE 1.2, 80 % utilised: IT 250 x 8760 x 0.8 = 1,752,000 kWh; facility 2,102,400 kWh.
    # Cost 2,102,400 x 0.08 = 168,192 USD; carbon x 0.2 = 420,480 kg; water 1,752,000 x 0.5 L = 876 m3.
    result = power.power_projection(
        250, pue=1.2, utilization=0.8, price_usd_per_kwh=0.08, grid_kg_co2e_per_kwh=0.2, wue_l_per_kwh=0.5
    )
    assert result.facility_kw == pytest.approx(300.0, rel=1e-12)
    assert result.annual_it_mwh == pytest.approx(1752.0, rel=1e-12)
    assert result.annual_facility_mwh == pytest.approx(2102.4, rel=1e-12)
    assert result.annual_cost_usd == pytest.approx(168_192.0, rel=1e-12)
    assert result.annual_co2e_t == pytest.approx(420.48, rel=1e-12)
    assert result.annual_water_m3 == pytest.approx(876.0, rel=1e-12)


def test_water_is_on_it_energy_and_carbon_on_facility_energy():
    result = power.power_projection(1000, pue=2.0, wue_l_per_kwh=1.0, grid_kg_co2e_per_kwh=1.0)
    assert result.annual_water_m3 == pytest.approx(8760.0)  # 8,760,000 IT kWh x 1 L
    assert result.annual_co2e_t == pytest.approx(17520.0)  # 17,520,000 facility kWh x 1 kg


def test_keys_are_the_contract():
    assert list(power.power_projection(1).as_dict()) == CONTRACT_KEYS


def test_hours_per_year_constant():
    assert units.HOURS_PER_YEAR == 8760


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"it_kw": -1}, "negative"),
        ({"it_kw": 100, "pue": 0.99}, "below 1"),
        ({"it_kw": 100, "utilization": 0}, "(0, 1]"),
        ({"it_kw": 100, "utilization": 1.01}, "(0, 1]"),
        ({"it_kw": math.nan}, "finite"),
        ({"it_kw": 100, "pue": math.inf}, "finite"),
        ({"it_kw": 100, "price_usd_per_kwh": -0.1}, "negative"),
        ({"it_kw": 100, "wue_l_per_kwh": -1}, "negative"),
    ],
)
def test_impossible_inputs_raise(kwargs, fragment):
    with pytest.raises(ValueError) as info:
        power.power_projection(**kwargs)
    assert fragment in str(info.value)


@given(
    it_kw=st.floats(0, 1e7),
    pue=st.floats(1, 5),
    utilization=st.floats(1e-3, 1),
)
def test_facility_never_below_it(it_kw, pue, utilization):
    result = power.power_projection(it_kw, pue, utilization)
    assert result.facility_kw >= result.it_kw
    assert result.annual_facility_mwh >= result.annual_it_mwh


def _node_balance(flows):
    inflow, outflow = {}, {}
    for f in flows:
        outflow[f.source] = outflow.get(f.source, 0.0) + f.kw
        inflow[f.target] = inflow.get(f.target, 0.0) + f.kw
    return inflow, outflow


def test_power_chain_worked_example():
    # IT 1000 kW through 98 % distribution: 1020.408 kW in; through a 96 % UPS: 1062.925 kW in.
    # Overhead 400 kW - 62.925 electrical losses = 337.075 kW; cooling 90 % of that.
    flows = {(f.source, f.target): f.kw for f in power.power_chain(1000, 1.4)}
    assert flows[("Grid", "UPS")] == pytest.approx(1000 / 0.98 / 0.96)
    assert flows[("UPS", "UPS losses")] == pytest.approx(1000 / 0.98 / 0.96 - 1000 / 0.98)
    assert flows[("Distribution", "Distribution losses")] == pytest.approx(1000 / 0.98 - 1000)
    rest = 400 - (1000 / 0.98 / 0.96 - 1000)
    assert rest == pytest.approx(337.0748, abs=1e-4)
    assert flows[("Grid", "Cooling")] == pytest.approx(0.9 * rest)
    assert flows[("Grid", "Lighting & other")] == pytest.approx(0.1 * rest)
    assert flows[("Distribution", "IT load")] == 1000


@given(
    it_kw=st.floats(1, 1e6),
    pue=st.floats(1.07, 3),
    cooling_share=st.floats(0, 1),
)
def test_power_chain_conserves_energy(it_kw, pue, cooling_share):
    flows = power.power_chain(
        it_kw, pue, cooling_share_of_rest=cooling_share, it_shares={"compute": 0.8, "network": 0.1, "storage": 0.1}
    )
    inflow, outflow = _node_balance(flows)
    for node in ("UPS", "Distribution", "IT load"):
        assert inflow[node] == pytest.approx(outflow[node], rel=1e-9)
    assert outflow["Grid"] == pytest.approx(it_kw * pue, rel=1e-9)
    sinks = {n: kw for n, kw in inflow.items() if n not in outflow}
    assert sum(sinks.values()) == pytest.approx(it_kw * pue, rel=1e-9)
    overhead = sum(kw for n, kw in sinks.items() if n not in ("compute", "network", "storage"))
    assert overhead == pytest.approx((pue - 1) * it_kw, rel=1e-9, abs=1e-6)
    assert all(f.kw >= 0 for f in flows)


def test_power_chain_rejects_pue_too_low_for_its_losses():
    with pytest.raises(ValueError, match="lost in UPS and distribution"):
        power.power_chain(1000, 1.05)
    # With efficient electrical gear the same PUE works.
    flows = power.power_chain(1000, 1.05, ups_efficiency=0.99, distribution_efficiency=0.99)
    assert sum(f.kw for f in flows if f.source == "Grid") == pytest.approx(1050)


def test_power_chain_rejects_bad_it_shares():
    with pytest.raises(ValueError, match="sum to 1"):
        power.power_chain(100, 1.5, it_shares={"compute": 0.5, "network": 0.1})


def test_flows_as_records():
    records = power.flows_as_records(power.power_chain(100, 1.5))
    assert set(records[0]) == {"source", "target", "kw"}
    assert len(records) == 7
