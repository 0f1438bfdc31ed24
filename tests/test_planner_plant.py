"""The planner's plant sections: engine agreement with the CLI, links, scenarios, the page and the browser."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import hardware, planner, reference
from factorycore.cli import main
from tests.browser_util import wait_for_app
from ui import plant_sections

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "planner.py")
PLANT = planner.PlanInputs(
    ups_redundancy="N+1",
    ups_module_kw=400,
    generator_kw=2000,
    generator_redundancy="2N",
    power_factor=0.9,
    cdu_kw=600,
    cdu_redundancy="2N",
    facility_delta_t_k=8,
    facility_class="W40",
    growth_sd=0.08,
    pue_sd=0.03,
    density_growth=0.04,
    rack_positions=20,
    output_scenario="server",
)
SECTIONS = ["Electrical plant", "Liquid loop", "Runway under uncertainty", "What the factory produces"]


@pytest.fixture(scope="module")
def catalog(ref_con):
    return hardware.load_catalog(ref_con)


@pytest.fixture(scope="module")
def rows(ref_con):
    return reference.throughput(ref_con)


def cli_json(capsys, argv: list[str]) -> dict:
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("inputs", [planner.PlanInputs(), PLANT], ids=["defaults", "plant-inputs"])
def test_every_plant_command_prints_the_planners_numbers(catalog, rows, capsys, inputs):
    result = planner.plan(inputs, catalog, rows)
    printed = {argv[0]: cli_json(capsys, argv) for argv in result.cli_commands()}
    assert list(printed) == ["fleet", "power", "cooling", "growth", "electrical", "runway", "output"]
    assert printed["electrical"] == result.electrical.as_dict()
    assert printed["cooling"] == {**result.cooling.as_dict(), **result.liquid.as_dict()}
    assert printed["runway"] == result.runway.as_dict()
    assert printed["output"] == result.output.as_dict()


def test_default_plan_by_hand(catalog, rows):
    # 16 x GB200 NVL72 = 2,112 kW IT, PUE 1.2 (direct liquid) -> 2,534.4 kW facility.
    result = planner.plan(planner.PlanInputs(), catalog, rows)
    e = result.electrical
    assert (e.ups_modules_needed, e.ups_modules, e.ups_installed_kw) == (5, 10, 5000)  # ceil(2112/500)=5, 2N
    assert (e.generators_needed, e.generators) == (2, 3)  # ceil(2534.4/2500)=2, N+1
    loop = result.liquid
    assert result.cooling.liquid_kw == pytest.approx(1689.6)  # 0.8 x 2,112 kW
    assert (loop.cdus_needed, loop.cdus) == (2, 3) and loop.facility_supply_c == 32 and loop.loop_feasible
    # UPS usable 5 x 500 kW = 2.5 MW of IT; CDUs 2 x 1,000 kW of liquid = 2.5 MW of IT at 0.8 capture.
    assert dict(result.runway_constraints) == {"ups": 2.5, "cooling": 2.5}
    assert result.runway.binding == "ups" and result.runway.p50_year == 2028  # 2.112 x 1.15^2 = 2.79 MW
    out = result.output
    assert out.benchmark == "llama3.1-405b" and out.tokens_per_s == 14774.3
    assert out.tokens_per_s_per_mw == pytest.approx(14774.3 / 0.1584)


def test_floor_constraint_from_rack_positions(catalog, rows):
    result = planner.plan(replace(planner.PlanInputs(), rack_positions=20), catalog, rows)
    assert dict(result.runway_constraints)["floor"] == pytest.approx(20 * 132 / 1000)


def test_infeasible_class_and_an_accelerator_without_output(catalog, rows):
    warm = planner.plan(replace(planner.PlanInputs(), facility_class="W45"), catalog, rows)
    assert not warm.liquid.loop_feasible and "W45" in warm.liquid.loop_reason
    acc = planner.plan(planner.PlanInputs(hardware_id="mi300x", technology="air"), catalog, rows)
    assert acc.output is None and "none is estimated" in acc.output_message
    assert acc.liquid.cdus == 0 and "cooling" not in dict(acc.runway_constraints)
    assert not acc.output_ranking.empty  # the catalog's ranking is still shown


def test_plant_inputs_round_trip_through_links_and_saved_dicts(catalog):
    params = planner.to_query_params(PLANT)
    assert params["ups"] == "N+1" and params["fw_class"] == "W40" and params["positions"] == "20"
    assert planner.from_query_params(params, catalog) == (PLANT, [])
    assert planner.from_dict(json.loads(json.dumps(PLANT.as_dict())), catalog) == (PLANT, [])


@pytest.mark.parametrize(
    ("params", "field", "fragment"),
    [
        ({"ups": "3N"}, "ups_redundancy", "not one of"),
        ({"fw_class": "W99"}, "facility_class", "not one of"),
        ({"pf": "1.5"}, "power_factor", "outside"),
        ({"positions": "2.5"}, "rack_positions", "whole number"),
        ({"bench": "<b>x</b>"}, "output_benchmark", "benchmark name"),
        ({"scenario": "interactive"}, "output_scenario", "not one of"),
    ],
)
def test_bad_plant_link_values_fall_back(params, field, fragment):
    inputs, messages = planner.from_query_params(params)
    assert getattr(inputs, field) == getattr(planner.PlanInputs(), field)
    assert len(messages) == 1 and fragment in messages[0]


def test_comparison_frame_has_plant_columns(catalog, rows):
    frame = planner.comparison_frame(
        {"a": planner.plan(planner.PlanInputs(), catalog, rows), "b": planner.plan(PLANT, catalog, rows)}
    )
    assert frame["ups_modules"].tolist() == [10, 7]  # 2N of 5; N+1 of ceil(2112/400)=6
    assert frame["runway_binding"].notna().all()


# --- the page ---------------------------------------------------------------------------


def new_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    if query:
        at.query_params.update(query)
    return at.run()


def open_section(at: AppTest, section: str) -> AppTest:
    """Switch the plant tabs to ``section``, as a click on the tab does (a rerun)."""
    at.session_state[plant_sections.TAB_KEY] = section
    return at.run()


def test_page_shows_the_four_sections_with_readings_and_commands(catalog, rows):
    at = new_page()
    assert not at.exception
    assert [t.label for t in at.tabs][-4:] == SECTIONS
    result = planner.plan(planner.PlanInputs(), catalog, rows)
    readings = {
        "Electrical plant": "10 UPS modules",
        "Liquid loop": "3 CDUs",
        "Runway under uncertainty": "binds first",
        "What the factory produces": "tokens/s",
    }
    for section, reading in readings.items():
        open_section(at, section)
        assert not at.exception
        text = " ".join(m.value for m in at.markdown)
        assert reading in text
        # Only the open tab is drawn: no other section's reading is on the page.
        assert not [r for other, r in readings.items() if other != section and r in text]
        assert len(at.get("plotly_chart")) == 2  # the open chart tab's and this section's
    assert result.cli_text() in [c.value for c in at.code]
    assert at.code[-1].value.count("python -m factorycore") == 7


def test_the_url_alone_reproduces_the_plant_sections(catalog, rows):
    at = new_page(planner.to_query_params(PLANT))
    assert not at.exception
    result = planner.plan(PLANT, catalog, rows)
    assert at.query_params == planner.to_query_params(PLANT)  # nothing fell back
    assert at.code[-1].value == result.cli_text()
    assert any("W40 facility water" in e.value for e in at.error)  # direct liquid at 40 C cannot use W40
    text = " ".join(m.value for m in at.markdown)
    assert f"{result.electrical.ups_modules} UPS modules" in text
    text = " ".join(m.value for m in open_section(at, "What the factory produces").markdown)
    assert "\\(server" in text or "(server" in text


def test_changing_a_plant_widget_updates_section_and_link():
    at = new_page()
    at.selectbox(key="pl_ups_red").set_value("N").run()
    assert not at.exception
    assert at.query_params["ups"] == "N"
    assert "5 UPS modules" in " ".join(m.value for m in at.markdown)


def test_saved_scenario_carries_the_plant_inputs(catalog):
    at = new_page(planner.to_query_params(PLANT))
    name = f"plant {uuid.uuid4().hex[:6]}"
    at.text_input(key="pl_sc_name").set_value(name).run()
    at.button(key="pl_sc_save").click().run()
    fresh = new_page()
    fresh.selectbox(key="pl_sc_pick").set_value(name).run()
    fresh.button(key="pl_sc_load").click().run()
    assert not fresh.exception
    assert fresh.query_params == planner.to_query_params(PLANT)


# --- the browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_link_draws_the_plant_sections(page, app_url: str) -> None:
    query = "&".join(f"{k}={v}" for k, v in planner.to_query_params(PLANT).items()).replace("+", "%2B")
    page.goto(f"{app_url}/planner?{query}")
    wait_for_app(page)
    titles = ("Installed vs critical capacity", "Facility water classes", "Runway under uncertainty", "tokens/s per MW")
    for section, title in zip(SECTIONS, titles):
        page.get_by_role("tab", name=section).click()
        page.locator(".js-plotly-plot .gtitle", has_text=title).first.wait_for(timeout=60_000)
        wait_for_app(page)
    assert "fw_class=W40" in page.url and "ups=N%2B1" in page.url
    assert page.get_by_text("W40 facility water").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0
