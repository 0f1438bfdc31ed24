"""The Planner's plant sections: their inputs (widgets <-> PlanInputs fields) and what they show.

Electrical plant, liquid loop, runway under uncertainty and MLPerf output, each a tab with its
chart and a one-line reading. The widget keys join :data:`ui.planner_inputs.KEYS`, so
the URL, saved scenarios and "Load into planner" carry these inputs like every other.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from factorycore import planner
from factorycore import reference as reference_tables
from factorycore import throughput as tp
from factorycore.electrical import REDUNDANCY_SCHEMES
from factorycore.liquid_loop import FACILITY_CLASSES
from factorycore.views import plant as plant_views
from ui import plan_cache
from ui.chart_block import chart_block
from ui.controls import open_tab_only
from ui.data import connection, reference, reference_hash
from ui.tables import safe_table
from ui.text import plain_md

KEYS: dict[str, str] = {
    "ups_redundancy": "pl_ups_red",
    "ups_module_kw": "pl_ups_kw",
    "generator_kw": "pl_gen_kw",
    "generator_redundancy": "pl_gen_red",
    "power_factor": "pl_pf",
    "cdu_kw": "pl_cdu_kw",
    "cdu_redundancy": "pl_cdu_red",
    "facility_delta_t_k": "pl_fw_dt",
    "facility_class": "pl_fw_class",
    "growth_sd": "pl_growth_sd_pct",
    "pue_sd": "pl_pue_sd",
    "density_growth": "pl_density_pct",
    "floor_on": "pl_floor_on",
    "rack_positions": "pl_positions",
    "output_benchmark": "pl_bench",
    "output_scenario": "pl_scenario",
}
SECTIONS = ("Electrical plant", "Liquid loop", "Runway under uncertainty", "What the factory produces")
TAB_KEY = "pl_plant_tab"  # which section is open: the view's state, not an input (not in the link)
FIRST_BENCHMARK = ""  # the selectbox value for "the system's first benchmark"
_PERCENT = ("growth_sd", "density_growth")


@st.cache_resource(show_spinner=False, max_entries=4)
def _throughput(reference_hash: str) -> pd.DataFrame:
    return reference_tables.throughput(connection())


def throughput() -> pd.DataFrame:
    """The MLPerf rows, one frame per reference build shared by every session (never mutate it)."""
    return _throughput(reference_hash())


def widget_values(inputs: planner.PlanInputs) -> dict[str, Any]:
    """Each plant widget's value for ``inputs``."""
    values = {KEYS[name]: getattr(inputs, name) for name in KEYS if name not in ("floor_on", "rack_positions")}
    for name in _PERCENT:
        values[KEYS[name]] = round(getattr(inputs, name) * 100, 6)
    values[KEYS["floor_on"]] = inputs.rack_positions is not None
    values[KEYS["rack_positions"]] = inputs.rack_positions or 100
    values[KEYS["output_benchmark"]] = inputs.output_benchmark or FIRST_BENCHMARK
    return values


def inputs_from_state(state: Mapping[str, Any]) -> dict[str, Any]:
    """The PlanInputs fields the plant widgets describe."""
    fields: dict[str, Any] = {
        name: state[KEYS[name]]
        for name in ("ups_redundancy", "generator_redundancy", "cdu_redundancy", "facility_class", "output_scenario")
    }
    for name in ("ups_module_kw", "generator_kw", "power_factor", "cdu_kw", "facility_delta_t_k", "pue_sd"):
        fields[name] = float(state[KEYS[name]])
    for name in _PERCENT:
        fields[name] = float(state[KEYS[name]]) / 100
    fields["rack_positions"] = int(state[KEYS["rack_positions"]]) if state[KEYS["floor_on"]] else None
    fields["output_benchmark"] = state[KEYS["output_benchmark"]] or None
    return fields


def _number(label: str, name: str, *, scale: float = 1.0, step: float, fmt: str, **kwargs: Any) -> None:
    limit = planner.LIMITS[name]
    st.number_input(
        label,
        min_value=limit.low * scale,
        max_value=limit.high * scale,
        step=step,
        format=fmt,
        key=KEYS[name],
        **kwargs,
    )


def input_widgets() -> None:
    """The plant inputs, in an expander of the current container (the sidebar)."""
    state = st.session_state
    with st.expander("Plant: electrical, liquid loop, runway, output"):
        st.selectbox("UPS redundancy", REDUNDANCY_SCHEMES, key=KEYS["ups_redundancy"])
        _number("UPS module (kW)", "ups_module_kw", step=50.0, fmt="%.0f")
        st.selectbox("Generator redundancy", REDUNDANCY_SCHEMES, key=KEYS["generator_redundancy"])
        _number("Generator set (kW)", "generator_kw", step=250.0, fmt="%.0f")
        _number("UPS power factor", "power_factor", step=0.01, fmt="%.2f", help="kVA = kW / power factor")
        _number("CDU capacity (kW)", "cdu_kw", step=50.0, fmt="%.0f")
        st.selectbox("CDU redundancy", REDUNDANCY_SCHEMES, key=KEYS["cdu_redundancy"])
        st.selectbox(
            "Facility water class (ASHRAE)",
            list(FACILITY_CLASSES),
            key=KEYS["facility_class"],
            help="W17 ... W45: the warmest facility supply water, in C; W+ above 45 C.",
        )
        _number("Facility water delta-T (K)", "facility_delta_t_k", step=1.0, fmt="%.1f")
        _number(
            "Growth spread, 1 sd (points a year)",
            "growth_sd",
            scale=100,
            step=1.0,
            fmt="%.1f",
            help="Each year's growth is drawn around the central rate with this standard deviation.",
        )
        _number("PUE spread, 1 sd", "pue_sd", step=0.01, fmt="%.2f")
        _number(
            "Rack-density growth (% a year)",
            "density_growth",
            scale=100,
            step=1.0,
            fmt="%.1f",
            help="Denser racks fit more MW into the same floor positions.",
        )
        st.checkbox("Limit rack positions (floor)", key=KEYS["floor_on"])
        limit = planner.LIMITS["rack_positions"]
        st.number_input(
            "Rack positions",
            min_value=int(limit.low),
            max_value=int(limit.high),
            step=1,
            key=KEYS["rack_positions"],
            disabled=not state[KEYS["floor_on"]],
        )
        benchmarks = [FIRST_BENCHMARK, *sorted(set(throughput()["benchmark"]))]
        if state.get(KEYS["output_benchmark"]) not in benchmarks:
            state[KEYS["output_benchmark"]] = FIRST_BENCHMARK
        st.selectbox(
            "MLPerf benchmark",
            benchmarks,
            key=KEYS["output_benchmark"],
            format_func=lambda b: b or "the system's first",
        )
        st.radio("MLPerf scenario", tp.SCENARIOS, key=KEYS["output_scenario"], horizontal=True)


def _year(value: int | None) -> str:
    return str(value) if value is not None else "after 2035"


def show(result: planner.PlanResult) -> None:
    """The four plant sections as tabs, each with its chart and a one-line reading.

    Only the open tab is drawn (switching tabs reruns the page), so a change of any input
    redraws one plant chart, not four. A liquid loop that cannot work is said above the
    tabs, whichever is open.
    """
    st.subheader("Plant and output")
    loop = result.liquid
    if not loop.loop_feasible:
        st.error(plain_md(f"Not feasible: {loop.loop_reason}."))
    drawers = (_electrical, _liquid, _runway, _output)
    open_tab_only({label: functools.partial(draw, result) for label, draw in zip(SECTIONS, drawers)}, key=TAB_KEY)


def _electrical(result: planner.PlanResult) -> None:
    e = result.electrical
    st.markdown(
        plain_md(
            f"{e.ups_modules} UPS modules of {e.ups_module_kw:,.0f} kW ({e.redundancy}) install "
            f"{e.ups_installed_kw:,.0f} kW ({e.ups_installed_kva:,.0f} kVA) for {e.it_kw:,.0f} kW of critical load; "
            f"{e.generators} generators ({e.generator_redundancy}) install {e.generator_installed_kw:,.0f} kW for "
            f"{e.facility_kw:,.0f} kW; the utility must supply {e.utility_demand_mw:,.2f} MW."
        )
    )
    chart_block(plan_cache.view("planner-electrical", plant_views.electrical_view, result), key="planner-electrical")


def _liquid(result: planner.PlanResult) -> None:
    loop = result.liquid
    if loop.cdus_needed == 0:
        reading = "No liquid loop: all heat leaves in air, so no CDUs or facility water are needed."
    else:
        reading = (
            f"{loop.cdus} CDUs of {loop.cdu_kw:,.0f} kW ({loop.cdu_redundancy}) carry "
            f"{result.cooling.liquid_kw:,.0f} kW of liquid heat; {loop.facility_class} facility water at "
            f"up to {loop.facility_supply_c:g} C flows {loop.facility_water_flow_lpm:,.0f} L/min at "
            f"{loop.facility_delta_t_k:g} K"
        )
        reading += (
            f", a {loop.approach_k:g} K approach to the {loop.tcs_supply_c:g} C coolant." if loop.loop_feasible else "."
        )
    st.markdown(plain_md(reading))
    chart_block(plan_cache.view("planner-liquid", plant_views.liquid_loop_view, result), key="planner-liquid")


def _runway(result: planner.PlanResult) -> None:
    run = result.runway
    binding = {"utility": "the utility supply", "ups": "the UPS", "cooling": "the CDUs", "floor": "the floor"}
    st.markdown(
        plain_md(
            f"The site runs out between {_year(run.p10_year)} (P10) and {_year(run.p90_year)} (P90), median "
            f"{_year(run.p50_year)}; "
            + (f"{binding[run.binding]} binds first." if run.binding else "no capacity runs out by 2035.")
        )
    )
    constraints = result.runway_constraint_rows()
    chart_block(plan_cache.view("planner-runway", plant_views.runway_view, result), key="planner-runway")
    safe_table(
        constraints[["label", "capacity_mw", "p10_year", "p50_year", "p90_year", "binding_share"]], hide_index=True
    )


def _output(result: planner.PlanResult) -> None:
    out = result.output
    if out is not None:
        st.markdown(
            plain_md(
                f"MLPerf {out.benchmark} ({out.scenario}, {out.mlperf_round}, {out.submitter}): "
                f"{out.tokens_per_s:,.0f} tokens/s per {result.hardware.name}, {out.tokens_per_s_per_mw:,.0f} tokens/s "
                f"per MW of facility power and {out.gpus_per_mw:,.0f} GPUs per MW at PUE {result.pue:g}; "
                f"{out.tokens_per_s * result.fleet.systems:,.0f} tokens/s for the {result.fleet.systems:,} systems."
            )
        )
    else:
        st.info(plain_md(result.output_message or "No MLPerf figure for this plan."))
    chart_block(
        plan_cache.view("planner-output", lambda r: plant_views.output_view(r, reference("sources")), result),
        key="planner-output",
    )


def compare(results: Mapping[str, planner.PlanResult]) -> None:
    """The plant figures of saved scenarios side by side."""
    frame = planner.comparison_frame(results)
    columns = [
        "scenario",
        "ups_modules",
        "generators",
        "cdus",
        "runway_p50_year",
        "runway_binding",
        "tokens_per_s_per_mw",
    ]
    safe_table(frame[columns], hide_index=True)
