"""The Planner page in AppTest: widgets drive factorycore, numbers match the CLI, links and scenarios work."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import hardware, planner, reference
from factorycore.cli import main
from ui.text import plain_md

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "planner.py")


@pytest.fixture(scope="module")
def catalog(ref_con):
    return hardware.load_catalog(ref_con)


def new_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    if query:
        at.query_params.update(query)
    return at.run()


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def expected_metrics(result: planner.PlanResult) -> list[tuple[str, str]]:
    """Labels carry the unit ("Facility power (kW)"), values are the formatted numbers."""
    labels, text = planner.headline_labels(), planner.headline_text(result, units=False)
    return [(labels[key], text[key]) for key, *_ in planner.HEADLINE_FORMAT]


def cli_metrics(capsys, result: planner.PlanResult) -> list[tuple[str, str]]:
    """What python -m factorycore prints for the page's inputs, formatted as the page formats it."""
    printed: dict = {}
    for argv in result.cli_commands():
        capsys.readouterr()
        assert main([*argv, "--format", "json"]) == 0
        printed[argv[0]] = json.loads(capsys.readouterr().out)
    values = {
        **printed["power"],
        **printed["cooling"],
        "racks": printed["fleet"]["racks"],
        "kw_per_rack": printed["fleet"]["kw_per_rack"],
    }
    labels = planner.headline_labels()
    return [
        (labels[key], planner.format_value(values[key], "", decimals))
        for key, _, _, decimals in planner.HEADLINE_FORMAT
    ]


def test_defaults_show_the_engines_numbers_and_the_clis(catalog, ref_con, capsys):
    at = ok(new_page())
    result = planner.plan(planner.PlanInputs(), catalog, reference.throughput(ref_con))
    assert page_metrics(at) == expected_metrics(result)
    assert page_metrics(at) == cli_metrics(capsys, result)
    assert (at.metric[0].label, at.metric[0].value) == ("IT power (kW)", "2,112.0")
    assert (at.metric[1].label, at.metric[1].value) == ("Facility power (kW)", "2,534.4")
    assert at.success[0].value.startswith("Feasible: 132.0 kW per rack")
    assert at.query_params == planner.to_query_params(planner.PlanInputs())
    assert result.cli_text() in [c.value for c in at.code]
    # The open chart tab's (power flow) and the open plant tab's (electrical)
    assert len(at.get("plotly_chart")) == 2


def test_changing_the_count_updates_metrics_and_link(catalog, capsys):
    at = ok(new_page())
    at.number_input(key="pl_count").set_value(40).run()
    ok(at)
    result = planner.plan(planner.PlanInputs(count=40), catalog)
    assert page_metrics(at) == expected_metrics(result)
    assert page_metrics(at) == cli_metrics(capsys, result)
    assert at.query_params["count"] == "40"


def test_every_input_reaches_the_engine(catalog, capsys):
    at = ok(new_page())
    at.selectbox(key="pl_hw").set_value("dgx_b200").run()
    at.checkbox(key="pl_rack_default").uncheck().run()
    at.number_input(key="pl_rack_kw").set_value(30.0).run()
    at.number_input(key="pl_count").set_value(25).run()
    at.selectbox(key="pl_tech").set_value("rear-door").run()
    at.checkbox(key="pl_capture_default").uncheck().run()
    at.number_input(key="pl_capture_pct").set_value(60.0).run()
    at.selectbox(key="pl_coolant").set_value("pg25").run()
    at.checkbox(key="pl_pue_derive").uncheck().run()
    at.number_input(key="pl_pue").set_value(1.45).run()
    at.number_input(key="pl_util_pct").set_value(75.0).run()
    at.number_input(key="pl_price").set_value(0.08).run()
    at.number_input(key="pl_grid").set_value(0.25).run()
    at.number_input(key="pl_wue").set_value(1.5).run()
    at.number_input(key="pl_capacity_mw").set_value(2.0).run()
    at.number_input(key="pl_growth_pct").set_value(30.0).run()
    ok(at)
    inputs = planner.PlanInputs(
        hardware_id="dgx_b200",
        count=25,
        rack_kw=30.0,
        technology="rear-door",
        capture=0.6,
        coolant="pg25",
        pue=1.45,
        utilization=0.75,
        price_usd_per_kwh=0.08,
        grid_kg_co2e_per_kwh=0.25,
        wue_l_per_kwh=1.5,
        capacity_mw=2.0,
        growth=0.3,
    )
    result = planner.plan(inputs, catalog)
    assert page_metrics(at) == expected_metrics(result)
    assert page_metrics(at) == cli_metrics(capsys, result)
    assert planner.from_query_params(at.query_params, catalog) == (inputs, [])


def test_cooling_choice_derives_pue_and_judges_density(catalog):
    at = ok(new_page())
    at.selectbox(key="pl_hw").set_value("dgx_b300").run()
    at.selectbox(key="pl_tech").set_value("air").run()
    ok(at)
    assert at.number_input(key="pl_pue").value == 1.5 and at.number_input(key="pl_pue").disabled
    result = planner.plan(planner.PlanInputs(hardware_id="dgx_b300", technology="air"), catalog)
    assert at.metric[1].value == planner.headline_text(result, units=False)["facility_kw"]
    assert at.error[0].value == f"Not feasible: {result.cooling.reason}."
    assert at.query_params["cooling"] == "air" and at.query_params["pue"] == "derive"


def test_an_air_plan_for_a_liquid_only_platform_is_refused_on_the_page():
    at = ok(new_page())
    at.selectbox(key="pl_tech").set_value("air").run()
    ok(at)
    assert plain_md("liquid-cooled only: it cannot go into an air-cooled plan") in at.error[0].value
    assert not at.metric


def test_the_page_names_the_power_figure_and_shows_the_ledger(catalog):
    at = ok(new_page())
    at.radio(key="pl_basis").set_value("typical").run()
    ok(at)
    assert at.query_params["basis"] == "typical"
    assert any(plain_md("typical figure from source press_gb200_nvl72_120kw") in c.value for c in at.caption)
    assert not [d for d in at.dataframe if "quote" in d.value.columns]  # closed, the ledger is not built
    at.session_state["pl_ledger_open"] = True
    ok(at.run())
    ledger = next(d.value for d in at.dataframe if "quote" in d.value.columns)
    assert ledger.loc[ledger["used"] == "✔", "power_kw"].tolist() == [120.0]
    assert len(ledger) == len(catalog["gb200_nvl72"].figures)


def test_target_it_mw_rounds_the_count_up(catalog):
    at = ok(new_page())
    at.radio(key="pl_mode").set_value("target").run()
    at.number_input(key="pl_target_mw").set_value(1.0).run()
    ok(at)
    metrics = dict(page_metrics(at)[:4])
    assert metrics["Racks"] == "8"  # 1,000 kW / 132 kW = 7.6 -> 8 NVL72
    assert metrics["IT power (kW)"] == "1,056.0"
    assert at.query_params["target_mw"] == "1" and "count" not in at.query_params
    at.radio(key="pl_mode").set_value("count").run()
    ok(at)
    assert "target_mw" not in at.query_params and at.number_input(key="pl_count").value >= 1


def test_a_pue_below_the_power_chain_losses_keeps_the_page_up(catalog):
    at = ok(new_page())
    at.checkbox(key="pl_pue_derive").uncheck().run()
    at.number_input(key="pl_pue").set_value(1.05).run()
    ok(at)
    assert any("No power-flow diagram" in i.value for i in at.info)
    assert at.metric[1].value == "2,217.6"
    assert len(at.get("plotly_chart")) == 1  # the electrical plant's; the power flow says why it has none


def test_a_link_reproduces_the_projection(catalog):
    inputs = planner.PlanInputs(
        hardware_id="h100_sxm",
        count=2048,
        technology="direct-liquid",
        capture=0.9,
        pue=1.25,
        utilization=0.6,
        price_usd_per_kwh=0.07,
        capacity_mw=3.0,
        growth=0.4,
    )
    query = planner.to_query_params(inputs)
    at = ok(new_page(query))
    assert at.selectbox(key="pl_hw").value == "h100_sxm"
    assert at.number_input(key="pl_count").value == 2048
    assert at.number_input(key="pl_capture_pct").value == 90.0
    assert page_metrics(at) == expected_metrics(planner.plan(inputs, catalog))
    assert at.query_params == query  # round trip: the page writes back the same link
    assert not at.warning


def test_a_hand_edited_link_falls_back_with_a_message(catalog):
    at = ok(new_page({"count": "lots", "pue": "0.2", "hw": "<b>x</b>", "cooling": "direct-liquid", "util": "nan"}))
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "count" in text and "pue" in text and "hw" in text and "util" in text
    assert "<b>" not in text  # user text is escaped, never markup
    assert page_metrics(at) == expected_metrics(planner.plan(planner.PlanInputs(), catalog))
    assert at.query_params == planner.to_query_params(planner.PlanInputs())
    at.number_input(key="pl_count").set_value(17).run()
    assert not ok(at).warning  # the message goes once the user changes an input


def test_a_saved_scenario_is_there_in_the_next_run_and_loads(catalog):
    name = f"hall {uuid.uuid4().hex[:8]}"
    first = ok(new_page())
    first.number_input(key="pl_count").set_value(24).run()
    first.selectbox(key="pl_tech").set_value("immersion").run()
    first.text_input(key="pl_sc_name").input(name).run()
    first.button(key="pl_sc_save").click().run()
    ok(first)
    assert any("Saved scenario" in s.value for s in first.success)

    second = ok(new_page())  # a new session: nothing carried over in session state
    assert name in second.selectbox(key="pl_sc_pick").options
    assert second.number_input(key="pl_count").value == 16
    second.selectbox(key="pl_sc_pick").set_value(name).run()
    second.button(key="pl_sc_load").click().run()
    ok(second)
    assert second.number_input(key="pl_count").value == 24
    assert second.selectbox(key="pl_tech").value == "immersion"
    expected = planner.plan(planner.PlanInputs(count=24, technology="immersion"), catalog)
    assert page_metrics(second) == expected_metrics(expected)
    assert second.query_params["count"] == "24"


def test_compare_and_delete_scenarios(catalog):
    tag = uuid.uuid4().hex[:6]
    names = [f"a-{tag}", f"b-{tag}", f"c-{tag}"]
    at = ok(new_page())
    for name, count in zip(names, (8, 16, 32)):
        at.number_input(key="pl_count").set_value(count).run()
        at.text_input(key="pl_sc_name").input(name).run()
        at.button(key="pl_sc_save").click().run()
    ok(at)
    at.multiselect(key="pl_sc_compare").set_value(names).run()
    ok(at)
    (table,) = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [""]]
    assert list(table.columns) == ["", *names]
    for name, count in zip(names, (8, 16, 32)):
        text = planner.headline_text(planner.plan(planner.PlanInputs(count=count), catalog), units=False)
        assert table[name].tolist() == [text[k] for k, *_ in planner.HEADLINE_FORMAT]
    assert table[""].tolist() == list(planner.headline_labels().values())
    assert len(at.get("plotly_chart")) == 3  # the planner's two (one tab of each open) and the comparison

    at.selectbox(key="pl_sc_pick").set_value(names[0]).run()
    at.button(key="pl_sc_delete").click().run()
    ok(at)
    assert names[0] not in at.selectbox(key="pl_sc_pick").options
    assert at.multiselect(key="pl_sc_compare").value == names[1:]
    assert names[0] not in ok(new_page()).selectbox(key="pl_sc_pick").options


def test_awkward_scenario_names_stay_plain_text():
    name = f"<img src=x onerror=alert(1)> **{uuid.uuid4().hex[:6]}** :red[x]"
    at = ok(new_page())
    at.text_input(key="pl_sc_name").input(name).run()
    at.button(key="pl_sc_save").click().run()
    ok(at)
    message = at.success[-1].value
    assert message == plain_md(f"Saved scenario {name}.")  # every markup character escaped
    assert "\\<img" in message and "\\*\\*" in message
    assert name in at.selectbox(key="pl_sc_pick").options  # stored and listed verbatim


def test_an_empty_scenario_name_is_refused_politely():
    at = ok(new_page())
    at.button(key="pl_sc_save").click().run()
    ok(at)
    assert any("name" in e.value for e in at.error)


def test_accelerators_are_counted_as_accelerators(catalog):
    at = ok(new_page())
    at.selectbox(key="pl_hw").set_value("mi300x").run()
    at.selectbox(key="pl_tech").set_value("air").run()
    ok(at)
    assert at.number_input(key="pl_count").label == "Number of GPUs (rounded up to whole platforms)"
    result = planner.plan(planner.PlanInputs(hardware_id="mi300x", technology="air"), catalog)
    assert page_metrics(at) == expected_metrics(result)
    assert at.checkbox(key="pl_rack_default").label == "Default rack budget (42.4 kW)"


def test_plain_md_escapes_every_markup_character():
    assert plain_md("a*b_c`d[e](f)<g>:h:") == r"a\*b\_c\`d\[e\]\(f\)\<g\>\:h\:"
    assert plain_md("plain words 123") == "plain words 123"


def test_each_chart_tab_draws_its_own_chart_and_only_that():
    at = ok(new_page())
    assert [t.label for t in at.tabs][:4] == ["Power flow", "Heat split", "Trajectory", "Sensitivity"]
    titles = []
    for label in ("Power flow", "Heat split", "Trajectory", "Sensitivity"):
        at.session_state["pl_chart_tab"] = label
        ok(at.run())
        charts = at.get("plotly_chart")
        assert len(charts) == 2  # this tab's and the open plant tab's
        titles.append(json.loads(charts[0].proto.spec)["layout"]["title"]["text"])
    assert len(set(titles)) == 4, titles
