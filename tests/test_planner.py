"""factorycore.planner: composition, defaults, target sizing, URL round trips, and CLI agreement."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import plotly.graph_objects as go
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factorycore import fleet, hardware, planner
from factorycore.charts import planner as charts
from factorycore.cli import main
from factorycore.cooling import TECHNOLOGIES, cooling_projection, technology_limits
from factorycore.fleet import size, size_systems
from factorycore.growth import load_growth
from factorycore.power import power_chain, power_projection
from factorycore.sensitivity import tornado


@pytest.fixture(scope="module")
def catalog(ref_con):
    return hardware.load_catalog(ref_con)


def cli_json(capsys, argv: list[str]) -> dict:
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


# --- composition -----------------------------------------------------------------


def test_defaults_plan_a_useful_deployment(catalog):
    result = planner.plan(planner.PlanInputs(), catalog)
    assert result.hardware.id == "gb200_nvl72"
    assert result.count == 16 and not result.count_from_target
    assert result.pue == planner.DERIVED_PUE["direct-liquid"].pue == 1.2
    assert result.fleet.it_kw == pytest.approx(16 * 132)
    assert result.power.facility_kw == pytest.approx(16 * 132 * 1.2)
    assert result.fleet.racks == 16 and result.fleet.kw_per_rack == pytest.approx(132)
    assert result.cooling.feasible  # 132 kW is within direct-liquid's 200 kW
    # 2.53 MW growing 15 %/yr passes 5 MW in 2031: 2.5344 x 1.15^5 = 5.10
    assert result.growth.capacity_exhausted_year == 2031
    assert result.flows and not result.flows_error
    assert planner.DEFAULT_GROWTH == 0.15


def test_plan_composes_the_engine_step_by_step(catalog):
    inputs = planner.PlanInputs(
        hardware_id="dgx_h100",
        count=10,
        rack_kw=30.0,
        technology="rear-door",
        capture=0.7,
        coolant="pg25",
        pue=1.3,
        utilization=0.8,
        price_usd_per_kwh=0.12,
        grid_kg_co2e_per_kwh=0.3,
        wue_l_per_kwh=1.8,
        capacity_mw=1.0,
        growth=0.3,
    )
    result = planner.plan(inputs, catalog)
    fleet = size_systems(catalog["dgx_h100"], 10, 30.0, 1.3)
    assert result.fleet == fleet
    assert result.power == power_projection(fleet.it_kw, 1.3, 0.8, 0.12, 0.3, 1.8)
    assert result.cooling == cooling_projection(
        fleet.it_kw, "rear-door", 0.7, coolant_name="pg25", rack_kw=fleet.kw_per_rack
    )
    assert result.growth == load_growth(fleet.it_kw * 1.3 / 1000, 1.0, 0.3)
    assert list(result.flows) == power_chain(fleet.it_kw, 1.3)
    expected = tornado(
        {
            "it_kw": fleet.it_kw,
            "pue": 1.3,
            "utilization": 0.8,
            "price_usd_per_kwh": 0.12,
            "grid_kg_co2e_per_kwh": 0.3,
            "wue_l_per_kwh": 1.8,
        }
    )
    assert result.sensitivity.equals(expected)
    assert result.sensitivity.iloc[0]["swing"] >= result.sensitivity.iloc[-1]["swing"]


def test_accelerators_are_sized_as_the_fleet_command_does(catalog):
    inputs = planner.PlanInputs(hardware_id="h100_sxm", count=1000, technology="air")
    result = planner.plan(inputs, catalog)
    assert result.fleet == size(catalog["h100_sxm"], catalog, 1000, None, 1.5, "maximum", "air")
    assert (result.fleet.systems, result.platform.id, result.rack_budget_kw) == (125, "dgx_h100", 40.8)


@pytest.mark.parametrize("technology", TECHNOLOGIES)
def test_pue_is_derived_from_cooling_with_a_stated_basis(catalog, technology):
    result = planner.plan(planner.PlanInputs(hardware_id="dgx_b200", technology=technology), catalog)
    derived = planner.DERIVED_PUE[technology]
    assert result.pue == derived.pue
    assert derived.basis and derived.basis in result.pue_basis
    # Every derived PUE leaves room for the power chain's UPS and distribution losses.
    assert power_chain(100.0, derived.pue)


def test_derived_pue_falls_as_cooling_moves_to_liquid():
    values = [planner.DERIVED_PUE[t].pue for t in ("air", "rear-door", "direct-liquid", "immersion")]
    assert values == sorted(values, reverse=True)
    assert all(v >= 1 for v in values)


def test_a_given_pue_overrides_the_derived_one(catalog):
    result = planner.plan(planner.PlanInputs(pue=1.45), catalog)
    assert result.pue == 1.45 and result.pue_basis == "entered by the user"


def test_low_pue_loses_the_sankey_not_the_page(catalog):
    result = planner.plan(planner.PlanInputs(pue=1.05), catalog)
    assert result.flows == () and "UPS" in result.flows_error
    assert result.power.facility_kw == pytest.approx(2112 * 1.05)
    fig = charts.power_sankey(result.flow_rows(), facility_kw=result.power.facility_kw)
    assert "No power-flow diagram" in fig.layout.annotations[0].text


def test_infeasible_density_gives_the_engine_reason(catalog):
    result = planner.plan(planner.PlanInputs(hardware_id="dgx_b300", technology="air"), catalog)
    assert not result.cooling.feasible  # four DGX B300 at 14.5 kW: 58 kW racks
    assert result.verdict == result.cooling.reason
    assert "exceeds the practical air limit of 30 kW" in result.verdict


@pytest.mark.parametrize("technology", ["air", "rear-door"])
def test_an_air_plan_for_a_liquid_only_platform_is_refused(catalog, technology):
    for hardware_id in ("gb200_nvl72", "gb200", "mi355x"):
        with pytest.raises(ValueError, match="liquid-cooled only: it cannot go into an air-cooled plan"):
            planner.plan(planner.PlanInputs(hardware_id=hardware_id, technology=technology), catalog)


def test_a_link_with_a_refused_cooling_or_budget_falls_back_with_a_message(catalog):
    inputs, messages = planner.from_query_params({"hw": "gb200_nvl72", "cooling": "air", "rack_kw": "40"}, catalog)
    assert (inputs.technology, inputs.rack_kw) == ("direct-liquid", None)
    assert "liquid-cooled only" in messages[0] and "below one GB200 NVL72 (132 kW)" in messages[1]
    planner.plan(inputs, catalog)


def test_the_plan_names_the_power_figure_and_shows_the_ledger(catalog):
    result = planner.plan(planner.PlanInputs(basis="typical"), catalog)
    assert result.fleet.it_kw == pytest.approx(16 * 120.0)
    assert "the typical figure from source press_gb200_nvl72_120kw" in result.power_basis_text()
    ledger = result.ledger_rows()
    assert ledger["used"].sum() == 1
    assert ledger.loc[ledger["used"], "power_kw"].item() == 120.0
    assert {132.0, 150.0, 264.0} <= set(ledger["power_kw"])
    assert set(result.heat_rows()["source_id"]) == {"press_gb200_nvl72_120kw"}


def test_feasible_verdict_names_the_limit(catalog):
    result = planner.plan(planner.PlanInputs(), catalog)
    assert result.cooling.reason == ""  # the CLI's own field stays as the CLI prints it
    limit = technology_limits("direct-liquid").max_rack_kw
    assert f"{limit:g} kW per rack" in result.verdict


def test_a_system_too_big_for_its_rack_budget_is_a_clear_error(catalog):
    with pytest.raises(ValueError, match="rack budget"):
        planner.plan(planner.PlanInputs(hardware_id="dgx_h100", rack_kw=5.0), catalog)


def test_unknown_hardware_is_a_clear_error(catalog):
    with pytest.raises(ValueError, match="valid ids"):
        planner.plan(planner.PlanInputs(hardware_id="nope"), catalog)


# --- target IT MW ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hardware_id", "target_mw", "expected"),
    [
        ("gb200_nvl72", 1.0, 8),  # 1000 / 132 = 7.58 -> 8
        ("gb200_nvl72", 1.056, 8),  # exactly 8 x 132 kW: no extra system
        ("dgx_h100", 0.0102, 1),  # exactly one
        ("h100_sxm", 1.02, 800),  # 800 GPUs x 10.2 / 8 kW = 100 DGX H100, exactly
        ("gb200", 0.133, 73),  # 73 GPUs x 132 / 72 kW reach 133 kW; the fleet is 2 NVL72 racks
    ],
)
def test_target_mw_rounds_the_count_up(catalog, hardware_id, target_mw, expected):
    result = planner.plan(planner.PlanInputs(hardware_id=hardware_id, target_it_mw=target_mw), catalog)
    assert result.count == expected and result.count_from_target
    assert result.fleet.it_kw >= target_mw * 1000 - 1e-6
    assert (result.count - 1) * fleet.unit_it_kw(catalog[hardware_id], catalog) < target_mw * 1000 - 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.floats(min_value=0.001, max_value=500.0))
def test_target_count_is_the_fewest_that_reach_it(catalog, target):
    item = catalog["dgx_b200"]
    count = planner.count_for_target(item, target, catalog)
    unit = fleet.unit_it_kw(item, catalog)
    assert count * unit >= target * 1000 * (1 - 1e-9)
    assert count == 1 or (count - 1) * unit < target * 1000


# --- query parameters and stored dicts -------------------------------------------------


def test_query_params_round_trip_defaults():
    params = planner.to_query_params(planner.PlanInputs())
    assert params["pue"] == "derive" and params["hw"] == "gb200_nvl72" and params["count"] == "16"
    assert all(isinstance(v, str) for v in params.values())
    assert planner.from_query_params(params) == (planner.PlanInputs(), [])


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(1, 1_000_000),
    target=st.none() | st.floats(0.001, 10_000),
    rack=st.none() | st.floats(1, 2000),
    technology=st.sampled_from(TECHNOLOGIES),
    capture=st.none() | st.floats(0, 1),
    coolant=st.sampled_from(["water", "pg25"]),
    pue=st.none() | st.floats(1, 3),
    utilization=st.floats(0.01, 1),
    price=st.floats(0, 5),
    growth=st.floats(-0.5, 2),
)
def test_query_params_round_trip_exactly(
    count, target, rack, technology, capture, coolant, pue, utilization, price, growth
):
    inputs = planner.PlanInputs(
        count=count,
        target_it_mw=target,
        rack_kw=rack,
        technology=technology,
        capture=capture,
        coolant=coolant,
        pue=pue,
        utilization=utilization,
        price_usd_per_kwh=price,
        growth=growth,
    )
    back, messages = planner.from_query_params(planner.to_query_params(inputs))
    assert messages == []
    expected = inputs if target is None else replace(inputs, count=planner.PlanInputs().count)
    assert back == expected


def test_as_dict_round_trips_through_json():
    inputs = planner.PlanInputs(hardware_id="dgx_b300", count=7, capture=0.5, pue=1.33, growth=-0.1)
    assert planner.from_dict(json.loads(json.dumps(inputs.as_dict()))) == (inputs, [])


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"count": "abc"}, "count", "not a number"),
        ({"count": "2.5"}, "count", "whole number"),
        ({"count": "0"}, "count", "outside"),
        ({"pue": "0.5"}, "pue", "outside"),
        ({"pue": "nan"}, "pue", "outside"),
        ({"util": "inf"}, "utilization", "outside"),
        ({"util": "0"}, "utilization", "outside"),
        ({"cooling": "ice"}, "technology", "not one of"),
        ({"coolant": "<script>"}, "coolant", "not one of"),
        ({"growth": "x" * 500}, "growth", "too long"),
        ({"capture": "1.5"}, "capture", "outside"),
        ({"price": "-1"}, "price_usd_per_kwh", "outside"),
        ({"capacity_mw": "0"}, "capacity_mw", "outside"),
        ({"target_mw": "-3"}, "target_it_mw", "outside"),
    ],
)
def test_bad_query_values_fall_back_with_a_message(params, field, fragment):
    inputs, messages = planner.from_query_params(params)
    assert getattr(inputs, field) == getattr(planner.PlanInputs(), field)
    assert len(messages) == 1 and fragment in messages[0]


def test_unknown_hardware_in_a_link_falls_back_to_the_default(catalog):
    inputs, messages = planner.from_query_params({"hw": "quantum_9000", "count": "4"}, catalog)
    assert inputs.hardware_id == "gb200_nvl72" and inputs.count == 4
    assert "not in the hardware catalog" in messages[0]


def test_default_words_and_repeated_keys_are_read():
    inputs, messages = planner.from_query_params(
        {"pue": "DERIVE", "rack_kw": "default", "capture": "", "count": ["3", "5"], "junk": "ignored"}
    )
    assert messages == []
    assert inputs.pue is None and inputs.rack_kw is None and inputs.capture is None and inputs.count == 5


def test_hand_edited_links_never_raise(catalog):
    for value in ("", " ", "1e999", "-0", "0x10", "None", "[]", "\x00", "１２"):
        params = {key: value for key in planner.QUERY_KEYS.values()}
        inputs, _ = planner.from_query_params(params, catalog)
        planner.plan(inputs, catalog)  # whatever survived validation can be planned


def test_a_catalog_without_the_default_hardware_uses_its_first_system(catalog):
    small = {k: v for k, v in catalog.items() if k in ("dgx_h100", "h100_sxm")}
    inputs, messages = planner.from_query_params({}, small)
    assert inputs.hardware_id == "dgx_h100" and messages


# --- agreement with python -m factorycore ------------------------------------------------


CASES = [
    planner.PlanInputs(),
    planner.PlanInputs(
        hardware_id="dgx_b200",
        count=37,
        rack_kw=30.0,
        technology="air",
        pue=1.55,
        utilization=0.7,
        price_usd_per_kwh=0.083,
        grid_kg_co2e_per_kwh=0.21,
        wue_l_per_kwh=1.8,
    ),
    planner.PlanInputs(
        hardware_id="mi300x",
        target_it_mw=3.3,
        technology="immersion",
        capture=0.9,
        coolant="pg25",
        capacity_mw=4.0,
        growth=0.25,
    ),
    planner.PlanInputs(hardware_id="gb300_nvl72", count=3, technology="direct-liquid", capacity_mw=0.2, growth=-0.05),
    planner.PlanInputs(hardware_id="h100_sxm", count=100, basis="typical", technology="rear-door"),
]


@pytest.mark.parametrize("inputs", CASES, ids=["defaults", "dgx-air", "mi300x-target", "gb300-liquid", "h100-typical"])
def test_cli_prints_exactly_the_planners_numbers(catalog, capsys, inputs):
    result = planner.plan(inputs, catalog)
    fleet, power, cooling, growth, electrical, runway = (cli_json(capsys, cmd) for cmd in result.cli_commands())
    assert fleet == result.fleet.as_dict()
    assert power == result.power.as_dict()
    assert cooling == {**result.cooling.as_dict(), **result.liquid.as_dict()}
    assert growth == result.growth.as_dict()
    assert electrical == result.electrical.as_dict()
    assert runway == result.runway.as_dict()
    assert result.cli_text().count("python -m factorycore") == 6  # no output command without the MLPerf table


# --- presentation helpers and figures ------------------------------------------------------


def test_format_value_is_consistent():
    assert planner.format_value(2534.4, "kW", 1) == "2,534.4 kW"
    assert planner.format_value(2220134.4, "USD", 0) == "2,220,134 USD"
    assert planner.format_value(16, "", 0) == "16"
    assert planner.format_value(None, "kW") == "n/a"


def test_headline_text_covers_every_requested_number(catalog):
    text = planner.headline_text(planner.plan(planner.PlanInputs(), catalog))
    for key in (
        "it_kw",
        "facility_kw",
        "racks",
        "kw_per_rack",
        "annual_facility_mwh",
        "annual_cost_usd",
        "annual_co2e_t",
        "annual_water_m3",
        "cooling_tons",
        "coolant_flow_lpm",
        "airflow_m3h",
    ):
        assert key in text
    assert text["it_kw"] == "2,112.0 kW" and text["racks"] == "16"
    assert planner.headline_text(planner.plan(planner.PlanInputs(), catalog), units=False)["it_kw"] == "2,112.0"
    labels = planner.headline_labels()
    assert labels["annual_cost_usd"] == "Annual cost (USD)" and labels["racks"] == "Racks"
    assert len(set(labels.values())) == len(labels)  # every metric tells its unit apart


def test_chart_rows_match_the_results(catalog):
    result = planner.plan(planner.PlanInputs(), catalog)
    heat = result.heat_rows()
    assert heat["kw"].sum() == pytest.approx(result.cooling.heat_kw)
    assert heat.set_index("path")["share"]["liquid"] == pytest.approx(0.8)
    flows = result.flow_rows()
    assert flows[flows["source"] == "Grid"]["kw"].sum() == pytest.approx(result.power.facility_kw)
    trajectory = result.trajectory_rows()
    assert list(trajectory["year"]) == list(range(2026, 2036))
    first_over = trajectory[trajectory["over_capacity"]]["year"].min()
    assert first_over == result.growth.capacity_exhausted_year
    assert set(result.tornado_rows()["source_id"]) == {"schneider_nvl72_132kw"}


def _valid(fig: go.Figure) -> go.Figure:
    """Full Plotly validation of a figure built without it (raises on any bad property)."""
    return go.Figure(fig.to_dict())


def test_figures_are_valid_and_show_the_numbers(catalog):
    result = planner.plan(planner.PlanInputs(), catalog)
    sankey = _valid(charts.power_sankey(result.flow_rows(), facility_kw=result.power.facility_kw))
    assert "2,534 kW" in sankey.layout.title.text
    link = sankey.data[0].link
    assert sankey.data[0].node.label[0] == "Grid 2,534 kW"  # the grid node carries the facility power
    assert sum(v for s, v in zip(link.source, link.value) if s == 0) == pytest.approx(result.power.facility_kw)
    assert sankey.layout.template.layout.font.family.startswith("Inter")  # the house template
    heat = _valid(charts.heat_split(result.heat_rows(), technology="direct-liquid"))
    assert [t.x[0] for t in heat.data] == pytest.approx([result.cooling.liquid_kw, result.cooling.air_kw])
    trajectory = _valid(charts.load_trajectory(result.trajectory_rows(), capacity_mw=5.0, exhausted_year=2031))
    assert trajectory.layout.shapes[0].x0 == 2031
    assert "Capacity exceeded in 2031" in trajectory.layout.annotations[0].text
    never = _valid(charts.load_trajectory(result.trajectory_rows(), capacity_mw=500.0, exhausted_year=None))
    assert not never.layout.shapes and "enough to 2035" in never.layout.title.text
    sweep = result.tornado_rows()
    tornado_fig = _valid(charts.cost_tornado(sweep, base_value=result.power.annual_cost_usd))
    assert tornado_fig.data[0].y[-1].startswith("IT load")  # the largest swing is drawn on top
    assert max(tornado_fig.data[1].customdata) == pytest.approx(sweep["metric_high"].max())


def test_scenario_comparison_escapes_names(catalog):
    results = {
        "<b>bold</b>": planner.plan(planner.PlanInputs(), catalog),
        "air": planner.plan(planner.PlanInputs(hardware_id="dgx_h100", technology="air"), catalog),
    }
    frame = planner.comparison_frame(results)
    assert list(frame["scenario"]) == ["<b>bold</b>", "air"]
    fig = _valid(charts.scenario_comparison(frame))
    assert fig.data[0].x[0] == "&lt;b&gt;bold&lt;/b&gt;"
    assert len(fig.data) == len(charts.COMPARISON_METRICS)
    assert list(fig.data[2].y) == pytest.approx(list(frame["annual_cost_usd"]))


def test_limits_are_finite_and_ordered():
    for name, limit in planner.LIMITS.items():
        assert math.isfinite(limit.low) and math.isfinite(limit.high) and limit.low < limit.high, name


def test_large_figures_for_a_projector_keep_their_own_layout(catalog):
    result = planner.plan(planner.PlanInputs(), catalog)
    normal = charts.load_trajectory(result.trajectory_rows(), capacity_mw=5.0, exhausted_year=2031)
    large = _valid(charts.load_trajectory(result.trajectory_rows(), capacity_mw=5.0, exhausted_year=2031, large=True))
    normal_size = normal.layout.title.font.size or normal.layout.template.layout.title.font.size
    assert large.layout.title.font.size > normal_size
    assert large.layout.xaxis.title.text == "Year" and large.layout.xaxis.dtick == 1
    # Figures never share layout state: changing one leaves the next untouched.
    normal.layout.template.layout.font.size = 99
    again = charts.load_trajectory(result.trajectory_rows(), capacity_mw=5.0, exhausted_year=2031)
    assert again.layout.template.layout.font.size != 99
