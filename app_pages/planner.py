"""Planner: what will this AI deployment need? Power, cooling, space, cost, carbon, water, growth.

Thin: widgets (ui.planner_inputs) -> factorycore.planner.plan -> metrics and charts.
The numbers are the command line's (the exact commands are shown at the bottom).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from factorycore import ownership, planner, scenarios, site_plan
from factorycore.views import NothingToDraw, View
from factorycore.views import climate as climate_views
from factorycore.views import planner as plan_views
from ui import plan_cache, plant_sections, signin, site_plan_inputs
from ui import planner_inputs as pi
from ui.chart_block import chart_block
from ui.controls import open_tab_only
from ui.data import connection, with_store
from ui.metrics import Card, metric_cards
from ui.tables import safe_table
from ui.text import plain_md

FLASH = "pl_sc_flash"
NAME_KEY = "pl_sc_name"
PICK_KEY = "pl_sc_pick"
COMPARE_KEY = "pl_sc_compare"
LEDGER_KEY = "pl_ledger_open"
CHART_TAB_KEY = "pl_chart_tab"
PLAN_CHARTS = {  # tab label: (chart key, view); one tab drawn at a time, switching reruns
    "Power flow": ("planner-sankey", plan_views.sankey_view),
    "Heat split": ("planner-heat", plan_views.heat_view),
    "Trajectory": ("planner-trajectory", plan_views.trajectory_view),
    "Sensitivity": ("planner-tornado", plan_views.tornado_view),
}

st.title("Planner")
st.caption(
    "What will this deployment need? Choose hardware, cooling and site; every number updates as you go, "
    "and the link in your address bar reproduces this projection for a colleague."
)

items = pi.catalog()
pi.seed_from_url(items)
with st.sidebar:
    st.header("Planner inputs")
    site_plan_inputs.start_from_site(items)
    inputs = pi.input_widgets(items)
    site_weather = pi.uploaded_weather()
url_messages = pi.url_messages(inputs)
if url_messages:
    st.warning(
        "Some link parameters could not be used and fell back to defaults:\n\n"
        + "\n".join(f"- {plain_md(m)}" for m in url_messages)
    )
pi.sync_url(inputs)
site_plan_inputs.provenance(inputs)


def show_result(result: planner.PlanResult, site: site_plan.PlanVsSite | None) -> None:
    """Headline metrics, the verdict, the four charts (as tabs) and the equivalent commands.

    Started from a site, the plan is said beside what was measured, and a plan larger than
    the site's measured capacity is not shown as plainly "Feasible".
    """
    text = planner.headline_text(result, units=False)
    labels = planner.headline_labels()
    item = result.hardware
    unit = "systems" if item.kind == "system" else "accelerators"
    how = f", the fewest that reach {result.inputs.target_it_mw:,.3f} MW of IT load" if result.count_from_target else ""
    st.caption(
        f"{result.count:,} {unit} of {item.vendor} {item.name}{how}: {result.fleet.accelerators:,} "
        f"accelerators in {result.fleet.racks:,} racks (budget {result.rack_budget_kw:g} kW). "
        f"PUE {result.pue:g}, {result.pue_basis}."
    )
    st.caption(plain_md(result.power_basis_text() + "."))
    # The verdict comes first: an infeasible design is the news, not a footnote under the numbers.
    if not result.cooling.feasible:
        st.error(f"Not feasible: {result.verdict}.")
    elif site is not None and site.over_capacity:
        st.warning(f"Feasible to cool ({result.verdict}), but not within your site: {site.capacity_text}.")
    else:
        st.success(f"Feasible: {result.verdict}.")
    if site is not None:
        site_plan_inputs.show_plan_vs_site(site)
    for warning in result.warnings:
        st.warning(warning)
    keys = [key for key, *_ in planner.HEADLINE_FORMAT]  # power, space / energy, money, carbon, water / cooling
    metric_cards(Card(labels[key], text[key]) for key in keys)
    show_ledger(result)

    open_tab_only(
        {label: functools.partial(show_chart, key, build, result) for label, (key, build) in PLAN_CHARTS.items()},
        key=CHART_TAB_KEY,
    )
    plant_sections.show(result)
    if result.climate is not None:
        show_climate(result)
    with st.expander("The same numbers from the command line"):
        st.code(result.cli_text(), language="bash")


def show_climate(result: planner.PlanResult) -> None:
    """The site's hourly plant: PUE heat map, chiller-free hours per W-class, architectures side by side."""
    st.subheader("Site climate")
    labels = {"climate-heatmap": "Hourly PUE", "climate-classes": "W-class hours", "climate-compare": "Architectures"}
    open_tab_only(
        {
            labels[key]: functools.partial(show_chart, key, lambda r, b=build: b(r.climate), result)
            for key, build in climate_views.CLIMATE_VIEWS.items()
        },
        key="pl_climate_tab",
    )


def show_chart(key: str, build: Callable[[planner.PlanResult], View], result: planner.PlanResult) -> None:
    """One of the plan's charts, or why it has none."""
    try:
        chart_block(plan_cache.view(key, build, result), key=key)
    except NothingToDraw as reason:
        st.info(str(reason))


def show_ledger(result: planner.PlanResult) -> None:
    """Every published power figure of the platform side by side, the one that sized the fleet marked.

    In an expander drawn only while open: the figure used is named above it, and the
    page's every rerun need not build the table.
    """
    count = len(result.platform.figures)
    block = st.expander(
        f"Published power figures: {result.platform.name} ({count} figure{'s' * (count != 1)})",
        key=LEDGER_KEY,
        on_change="rerun",
        icon=":material/fact_check:",
    )
    if not block.open:
        return
    block.caption(
        "Each figure with its basis and source (hardware_power); ✔ marks the one used at the chosen "
        "design basis. Conflicting figures all stay."
    )
    rows = result.ledger_rows()
    rows["used"] = rows["used"].map({True: "✔", False: ""})
    with block:
        safe_table(
            rows,
            hide_index=True,
            key="planner-ledger",
            column_config={"power_kw": st.column_config.NumberColumn("kW per unit", format="%.3g")},
        )


@with_store
def _save() -> None:
    try:
        inputs_now = pi.current_inputs(items)
        created = scenarios.save(connection(), st.session_state.get(NAME_KEY, ""), inputs_now, user=signin.user())
    except scenarios.ScenarioError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    name = scenarios.validate_name(st.session_state[NAME_KEY])
    st.session_state[FLASH] = ("success", f"{'Saved' if created else 'Updated'} scenario {name}.")


@with_store
def _load() -> None:
    name = st.session_state.get(PICK_KEY)
    try:
        loaded, problems = planner.from_dict(scenarios.load(connection(), name), items)
    except scenarios.ScenarioError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    pi.apply_inputs(loaded, items)
    note = (" Some stored values were unusable: " + " ".join(problems)) if problems else ""
    st.session_state[FLASH] = ("warning" if problems else "success", f"Loaded scenario {name}.{note}")


@with_store
def _delete() -> None:
    name = st.session_state.get(PICK_KEY)
    try:
        deleted = scenarios.delete(connection(), name, user=signin.user())
    except scenarios.ScenarioError as exc:
        st.session_state[FLASH] = ("error", str(exc))
        return
    st.session_state[COMPARE_KEY] = [n for n in st.session_state.get(COMPARE_KEY, []) if n != name]
    st.session_state[PICK_KEY] = None
    st.session_state[FLASH] = (
        "success" if deleted else "warning",
        f"{'Deleted' if deleted else 'There was no'} scenario {name}.",
    )


def show_scenarios() -> None:
    """Save, load, delete and compare named scenarios (kept in the database)."""
    st.header("Scenarios")
    flash = st.session_state.pop(FLASH, None)
    if flash:
        getattr(st, flash[0])(plain_md(flash[1]))
    con = connection()
    stored = {info.name: info for info in scenarios.list_scenarios(con)}
    saved = list(stored)
    save_col, pick_col = st.columns(2)
    with save_col:
        st.text_input(
            "Scenario name", key=NAME_KEY, max_chars=scenarios.NAME_MAX_CHARS, placeholder="e.g. 16 NVL72, liquid"
        )
        st.button(
            "Save current inputs", key="pl_sc_save", on_click=_save, help="Saving under an existing name replaces it."
        )
    with pick_col:
        st.selectbox("Saved scenario", saved, key=PICK_KEY, index=None, placeholder="choose a scenario")
        load_col, delete_col = st.columns(2)
        picked = stored.get(st.session_state.get(PICK_KEY))
        locked = picked is not None and not ownership.may_change(picked.owner, signin.user())
        load_col.button("Load into planner", key="pl_sc_load", on_click=_load, disabled=picked is None)
        delete_col.button("Delete", key="pl_sc_delete", on_click=_delete, disabled=picked is None or locked)
        if locked:
            st.caption("Only its owner can replace or delete this scenario. Owner:")
            st.text(signin.owner_label(picked.owner) if picked.owner else "none (stored before sign-in)")

    st.session_state[COMPARE_KEY] = [n for n in st.session_state.get(COMPARE_KEY, []) if n in saved]
    chosen = st.multiselect("Compare two to four scenarios", saved, key=COMPARE_KEY, max_selections=4)
    if len(chosen) < 2:
        st.caption("Pick at least two saved scenarios to compare them side by side.")
        return
    results: dict[str, planner.PlanResult] = {}
    for name in chosen:
        try:
            loaded, _ = planner.from_dict(scenarios.load(con, name), items)
            results[name] = plan_cache.plan(loaded, items, plant_sections.throughput())
        except ValueError as exc:
            st.warning(plain_md(f"Scenario {name} cannot be planned: {exc}"))
    if len(results) < 2:
        return
    safe_table(plan_views.comparison_table(results), hide_index=True)
    chart_block(plan_views.comparison_view(results), key="planner-compare")
    plant_sections.compare(results)


try:
    plan_result = plan_cache.plan(inputs, items, plant_sections.throughput(), site_weather)
except ValueError as exc:
    plan_result = None
    st.error(f"These inputs cannot be planned: {plain_md(str(exc))}")
if plan_result is not None:
    show_result(plan_result, site_plan_inputs.plan_vs_site(plan_result))
show_scenarios()
