"""What the planner states once: the PUE >= 1 rule, the input table, the plan's chart list, number text."""

from __future__ import annotations

import math

import pytest

from factorycore import electrical, fleet, hardware, numbers, planner, power, reference, runway, sensitivity, units
from factorycore import throughput as tp
from factorycore.cli import main
from factorycore.export import report
from factorycore.views.planner import PLAN_CHARTS, all_plan_views

BELOW = "PUE 0.99 is below 1, which is physically impossible"


@pytest.fixture(scope="module")
def catalog(ref_con):
    return hardware.load_catalog(ref_con)


def test_every_engine_refuses_a_pue_below_1_in_the_same_words(ref_con, catalog) -> None:
    rows = reference.throughput(ref_con)
    calls = {
        "power": lambda pue: power.power_projection(100, pue),
        "fleet": lambda pue: fleet.size(catalog["gb200_nvl72"], catalog, 1, pue=pue),
        "electrical": lambda pue: electrical.electrical_plant(100, pue),
        "output": lambda pue: tp.system_output(rows, catalog, "gb200_nvl72", None, "offline", pue),
        "runway": lambda pue: runway.runway(1, 2, 0.1, 0, {}, pue=pue, runs=10, seed=1),
    }
    for name, call in calls.items():
        with pytest.raises(ValueError) as caught:
            call(0.99)
        assert str(caught.value) == BELOW, name
        call(units.MIN_PUE)  # exactly 1 is allowed
    with pytest.raises(ValueError) as caught:
        sensitivity.evaluate_many([1.0], [1.2, 0.99])
    assert str(caught.value) == BELOW
    assert planner.LIMITS["pue"].low == units.MIN_PUE
    assert units.pue_error(math.inf) == "PUE must be a finite number, got inf"


@pytest.mark.parametrize(
    "command", [["power", "--it-kw", "1"], ["electrical", "--it-kw", "1"], ["fleet", "--system", "x", "--count", "1"]]
)
def test_the_cli_says_the_same(capsys, command: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:  # argparse refuses the flag
        main([*command, "--pue", "0.99"])
    assert exited.value.code == 2
    assert BELOW in capsys.readouterr().err


def test_every_ranged_input_is_checked_from_its_table_row(catalog) -> None:
    """A link value past an input's range falls back with the range said, and plan() refuses it."""
    for spec in planner.ALL_INPUTS:
        if spec.limit is None:
            continue
        too_high = spec.limit.high * 2 + 1
        inputs, messages = planner.from_query_params({spec.query: str(too_high)})
        assert getattr(inputs, spec.name) == spec.default, spec.name
        assert messages == [
            f"{spec.query}={str(too_high)!r} is outside {spec.limit.describe()}; "
            f"using {spec.default if spec.default is not None else ('derive' if spec.name == 'pue' else 'default')}."
        ]
        if spec.name in ("count", "target_it_mw"):
            continue  # their own messages (a count over the limit, a target out of range)
        with pytest.raises(ValueError, match=f"{spec.name} must be in"):
            planner.plan(planner.PlanInputs(**{spec.name: too_high}), catalog)


def test_the_report_draws_every_chart_of_the_plan_tornado_included(ref_con) -> None:
    from factorycore import scenarios

    scenarios.save(ref_con, "One chart list", planner.PlanInputs(count=4).as_dict())
    try:
        section = report.saved_scenario(ref_con, "One chart list")
        _, _, result = planner.saved_plan(ref_con, "One chart list")
    finally:
        scenarios.delete(ref_con, "One chart list")
    titles = [f.fig.layout.title.text for f in section["figures"]]
    views = all_plan_views(result, reference.sources(ref_con))
    assert titles == [v.fig.layout.title.text for v in views]
    assert len(titles) >= len(PLAN_CHARTS) + 4  # the plan's own and the four plant sections'
    tornado = next(v for v in views if v.title == "Annual cost sensitivity")
    assert tornado.fig.layout.title.text in titles


def test_number_text_round_trips() -> None:
    for value in (16, 0.15, 0.1 + 0.2, 1e20, -3.5, 2.0):
        assert float(numbers.exact(value)) == value
    assert numbers.fixed(1234.56, "kW", 1) == "1,234.6 kW" and numbers.fixed(None) == "n/a"
    assert numbers.short(2.0) == "2" and numbers.short(float("nan")) == "n/a"
    assert numbers.from_widget(numbers.to_widget(0.15, 100), 100) == pytest.approx(0.15)


def test_every_flag_the_table_names_is_a_flag_of_its_command_with_the_same_choices(catalog, ref_con) -> None:
    """The printed commands take their flags from the input table; the command line must know each one."""
    from factorycore.cli import build_parser

    inputs = planner.PlanInputs(rack_kw=200.0, capture=0.8, pue=1.25, rack_positions=30)
    commands = planner.plan(inputs, catalog, reference.throughput(ref_con)).cli_commands()
    flagged = [spec for spec in planner.ALL_INPUTS if spec.flag]
    assert len(flagged) > 20
    for spec in flagged:
        command = next(c for c in commands if any(a.startswith(spec.flag + "=") for a in c[1:]))
        parser = build_parser(command[0])
        sub = next(a for a in parser._actions if a.dest == "command").choices[command[0]]
        action = next(a for a in sub._actions if spec.flag in a.option_strings)
        if spec.kind == "choice":
            assert tuple(action.choices) == spec.valid_choices(), spec.name
