"""The Planner page's inputs: widgets <-> PlanInputs <-> URL query parameters.

Widget values live in ``st.session_state`` under the keys in :data:`KEYS`. A key
that is missing (a new session, or a widget that was hidden on the last run) is
seeded from the URL's query parameters, so a shared link reproduces the same
projection; after each run the URL is rewritten from the current inputs. Loading
a saved scenario writes every key (from a button callback, before the widgets draw).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import streamlit as st

from factorycore import fleet, hardware, planner, scratch
from factorycore.cooling import COOLANTS, TECHNOLOGIES, TECHNOLOGY_LABELS, technology_limits
from ui import plant_sections
from ui.data import connection, reference_hash
from ui.text import plain_md

KEYS: dict[str, str] = {
    "hardware": "pl_hw",
    "mode": "pl_mode",
    "count": "pl_count",
    "target": "pl_target_mw",
    "rack_default": "pl_rack_default",
    "rack": "pl_rack_kw",
    "basis": "pl_basis",
    "technology": "pl_tech",
    "capture_default": "pl_capture_default",
    "capture": "pl_capture_pct",
    "coolant": "pl_coolant",
    "site": "pl_site",
    "architecture": "pl_arch",
    "pue_derive": "pl_pue_derive",
    "pue": "pl_pue",
    "utilization": "pl_util_pct",
    "price": "pl_price",
    "grid": "pl_grid",
    "wue": "pl_wue",
    "capacity": "pl_capacity_mw",
    "growth": "pl_growth_pct",
}
KEYS.update(plant_sections.KEYS)
MODES = {"count": "Count", "target": "Target IT MW"}
# What a number widget shows of a PlanInputs field: (scale to the widget's unit, decimals shown).
# The browser sends back the value as shown, so a value written to a widget is "unchanged"
# while it still shows the same.
SHOWN: dict[str, tuple[float, int]] = {
    "target_it_mw": (1.0, 3),
    "rack_kw": (1.0, 1),
    "capture": (100.0, 1),
    "pue": (1.0, 2),
    "utilization": (100.0, 1),
    "price_usd_per_kwh": (1.0, 3),
    "grid_kg_co2e_per_kwh": (1.0, 3),
    "wue_l_per_kwh": (1.0, 2),
    "capacity_mw": (1.0, 2),
    "growth": (100.0, 1),
}
BASIS_LABELS = {"maximum": "Maximum (nameplate)", "typical": "Typical (operating)"}
_MESSAGES = "pl_url_messages"
_SEEDED = "pl_url_seeded_inputs"


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalog(reference_hash: str) -> Mapping[str, hardware.Hardware]:
    return MappingProxyType(hardware.load_catalog(connection()))


def catalog() -> Mapping[str, hardware.Hardware]:
    """The hardware catalog (systems first, then accelerators), one read-only mapping per reference
    build shared by every session: ``st.cache_data`` would unpickle a copy on every rerun."""
    return _catalog(reference_hash())


def hardware_label(item: hardware.Hardware) -> str:
    """How a catalog item reads in the picker."""
    what = f"system, {item.accelerators} GPUs" if item.kind == "system" else f"GPU, ships in {item.platform}"
    announced = ", announced" if item.availability == "announced" else ""
    return f"{item.vendor} {item.name} ({what}, {item.power_kw:g} kW max{announced})"


def hardware_options(items: Mapping[str, hardware.Hardware]) -> list[str]:
    """Sizeable catalog ids in picker order: systems, then GPUs with a platform, newest first within each."""
    sizeable = [i for i in items if items[i].kind == "system" or items[i].platform]
    return sorted(sizeable, key=lambda i: (items[i].kind != "system", -items[i].year, i))


def same_as_shown(field: str, written: float | None, current: float | None) -> bool:
    """Whether a widget holding ``current`` still shows what was ``written`` to it (its display rounding allowed)."""
    if written is None or current is None:
        return written is current
    scale, decimals = SHOWN.get(field, (1.0, 6))
    return abs(written - current) * scale <= 0.5 * 10**-decimals * (1 + 1e-6)


def _pct(fraction: float) -> float:
    return round(fraction * 100, 6)


def widget_values(inputs: planner.PlanInputs, items: Mapping[str, hardware.Hardware]) -> dict[str, Any]:
    """Every widget's value for ``inputs`` (hidden alternatives get sensible values too)."""
    item = items[inputs.hardware_id]
    target_limit = planner.LIMITS["target_it_mw"]
    implied_mw = inputs.count * fleet.unit_it_kw(item, dict(items), inputs.basis) / planner.KW_PER_MW
    target = inputs.target_it_mw if inputs.target_it_mw is not None else round(implied_mw, 3)
    capture = inputs.capture if inputs.capture is not None else technology_limits(inputs.technology).default_capture
    rack_limit = planner.LIMITS["rack_kw"]
    return {
        KEYS["hardware"]: inputs.hardware_id,
        KEYS["mode"]: "target" if inputs.target_it_mw is not None else "count",
        KEYS["count"]: inputs.count,
        KEYS["target"]: min(max(target, target_limit.low), target_limit.high),
        KEYS["rack_default"]: inputs.rack_kw is None,
        KEYS["rack"]: min(
            max(inputs.rack_kw or fleet.default_rack_kw(item, dict(items)), rack_limit.low), rack_limit.high
        ),
        KEYS["basis"]: inputs.basis,
        KEYS["technology"]: inputs.technology,
        KEYS["capture_default"]: inputs.capture is None,
        KEYS["capture"]: _pct(capture),
        KEYS["coolant"]: inputs.coolant,
        KEYS["site"]: inputs.site or "",
        KEYS["architecture"]: inputs.architecture or "",
        KEYS["pue_derive"]: inputs.pue is None,
        KEYS["pue"]: inputs.effective_pue,
        KEYS["utilization"]: _pct(inputs.utilization),
        KEYS["price"]: inputs.price_usd_per_kwh,
        KEYS["grid"]: inputs.grid_kg_co2e_per_kwh,
        KEYS["wue"]: inputs.wue_l_per_kwh,
        KEYS["capacity"]: inputs.capacity_mw,
        KEYS["growth"]: _pct(inputs.growth),
        **plant_sections.widget_values(inputs),
    }


def apply_inputs(inputs: planner.PlanInputs, items: Mapping[str, hardware.Hardware]) -> None:
    """Write every widget's value (call from a callback, before the widgets are drawn)."""
    st.session_state.update(widget_values(inputs, items))


def seed_from_url(items: Mapping[str, hardware.Hardware]) -> None:
    """Fill missing widget values from the URL, remembering messages for unusable parameters."""
    missing = [key for key in KEYS.values() if key not in st.session_state]
    if missing:
        inputs, messages = planner.from_query_params(st.query_params.to_dict(), items)
        values = widget_values(inputs, items)
        for key in missing:
            st.session_state[key] = values[key]
        if messages:
            st.session_state[_MESSAGES] = messages
            st.session_state[_SEEDED] = inputs


def url_messages(inputs: planner.PlanInputs) -> list[str]:
    """The messages about unusable link parameters, until the user changes an input."""
    if _MESSAGES in st.session_state and st.session_state.get(_SEEDED) != inputs:
        del st.session_state[_MESSAGES]
        st.session_state.pop(_SEEDED, None)
    return list(st.session_state.get(_MESSAGES, []))


def _number(label: str, name: str, key: str, *, scale: float = 1.0, step: float, fmt: str, **kwargs: Any) -> None:
    limit = planner.LIMITS[name]
    st.number_input(
        label, min_value=limit.low * scale, max_value=limit.high * scale, step=step, format=fmt, key=key, **kwargs
    )


def input_widgets(items: Mapping[str, hardware.Hardware]) -> planner.PlanInputs:
    """Draw the inputs (in the current container) and return what they say."""
    state = st.session_state
    options = hardware_options(items)
    st.selectbox(
        "System or accelerator",
        options,
        format_func=lambda i: hardware_label(items[i]),
        key=KEYS["hardware"],
        help="From the hardware catalog (Overview / `python -m factorycore catalog`).",
    )
    item = items[state[KEYS["hardware"]]]
    unit = "systems" if item.kind == "system" else "GPUs (rounded up to whole platforms)"
    st.radio("Size by", list(MODES), format_func=MODES.get, key=KEYS["mode"], horizontal=True)
    if state[KEYS["mode"]] == "count":
        count_limit = planner.LIMITS["count"]
        st.number_input(
            f"Number of {unit}",
            min_value=int(count_limit.low),
            max_value=int(count_limit.high),
            step=1,
            key=KEYS["count"],
        )
    else:
        _number(
            "Target IT load (MW)",
            "target_it_mw",
            KEYS["target"],
            step=0.5,
            fmt="%.3f",
            help=f"The count of {unit} is rounded up to reach it.",
        )

    st.radio(
        "Design basis",
        list(BASIS_LABELS),
        format_func=BASIS_LABELS.get,
        key=KEYS["basis"],
        horizontal=True,
        help="Which published power figure sizes the fleet: the maximum (what capacity is sized to) or the "
        "typical operating draw, where one is published (else the maximum, said so).",
    )
    default_rack = fleet.default_rack_kw(item, dict(items))
    st.checkbox(
        f"Default rack budget ({default_rack:g} kW)",
        key=KEYS["rack_default"],
        help="The platform's own reference rack (a GPU's platform for a GPU count).",
    )
    if state[KEYS["rack_default"]]:
        state[KEYS["rack"]] = default_rack
    _number(
        "Rack power budget (kW)", "rack_kw", KEYS["rack"], step=5.0, fmt="%.1f", disabled=state[KEYS["rack_default"]]
    )

    st.selectbox("Cooling technology", TECHNOLOGIES, key=KEYS["technology"], format_func=TECHNOLOGY_LABELS.get)
    technology = state[KEYS["technology"]]
    default_capture = technology_limits(technology).default_capture
    st.checkbox(
        f"Default liquid capture ({default_capture:.0%})",
        key=KEYS["capture_default"],
        help=technology_limits(technology).capture_basis,
    )
    if state[KEYS["capture_default"]]:
        state[KEYS["capture"]] = _pct(default_capture)
    _number(
        "Liquid capture share (%)",
        "capture",
        KEYS["capture"],
        scale=100,
        step=5.0,
        fmt="%.1f",
        disabled=state[KEYS["capture_default"]],
    )
    st.selectbox("Coolant", list(COOLANTS), format_func=lambda c: COOLANTS[c].name, key=KEYS["coolant"])

    site_widgets()
    derived = planner.derived_pue(technology)
    from_site = bool(state[KEYS["site"]]) or _own_weather_chosen()
    st.checkbox(
        "PUE from the site's hourly plant" if from_site else f"Derive PUE from cooling ({derived.pue:g})",
        key=KEYS["pue_derive"],
        help="Unticked, the PUE typed below is used as entered." if from_site else derived.basis,
    )
    if state[KEYS["pue_derive"]]:
        state[KEYS["pue"]] = derived.pue
    _number("PUE", "pue", KEYS["pue"], step=0.05, fmt="%.2f", disabled=state[KEYS["pue_derive"]])
    _number(
        "Utilisation (%)",
        "utilization",
        KEYS["utilization"],
        scale=100,
        step=5.0,
        fmt="%.1f",
        help="Average share of the IT load drawn over the year.",
    )
    _number("Electricity price (USD/kWh)", "price_usd_per_kwh", KEYS["price"], step=0.01, fmt="%.3f")
    _number("Grid carbon intensity (kg CO2e/kWh)", "grid_kg_co2e_per_kwh", KEYS["grid"], step=0.05, fmt="%.3f")
    _number(
        "WUE (L per kWh of IT energy)",
        "wue_l_per_kwh",
        KEYS["wue"],
        step=0.1,
        fmt="%.2f",
        help="Site water per kWh of IT energy. The default is 0, as in the CLI (closed-loop liquid "
        "with dry coolers uses almost none); evaporative cooling uses far more, so enter your "
        "site's measured WUE. With a site and its plant's PUE, the plant's own WUE is used instead.",
        disabled=from_site and bool(state[KEYS["pue_derive"]]),
    )
    _number("Site capacity (MW)", "capacity_mw", KEYS["capacity"], step=1.0, fmt="%.2f")
    _number(
        "Annual load growth (%)",
        "growth",
        KEYS["growth"],
        scale=100,
        step=1.0,
        fmt="%.1f",
        help="Default: IEA Energy and AI (2025) base case, about 15 % a year.",
    )
    plant_sections.input_widgets()
    return inputs_from_state(state)


def current_inputs(items: Mapping[str, hardware.Hardware]) -> planner.PlanInputs:
    """The inputs as a callback sees them: the widget values, and for a widget hidden on the last run
    (the count while sizing by target, a plant section's closed tab) the value the URL holds.

    Streamlit forgets a widget's value once a run does not draw it, and a callback runs
    before the widgets are drawn again, so ``st.session_state`` lacks those keys there;
    the page's own runs refill them from the URL the same way (:func:`seed_from_url`).
    """
    state = st.session_state
    missing = [key for key in KEYS.values() if key not in state]
    if not missing:
        return inputs_from_state(state)
    seeded = widget_values(planner.from_query_params(st.query_params.to_dict(), items)[0], items)
    merged = {key: state[key] if key in state else seeded[key] for key in KEYS.values()}
    return inputs_from_state(merged)


def site_widgets() -> None:
    """The site (a bundled typical year) and the cooling plant run on it, hour by hour."""
    from factorycore import cooling_plant, weather

    stations = weather.stations()
    st.selectbox(
        "Site climate",
        ["", *stations],
        key=KEYS["site"],
        format_func=lambda s: stations[s].name if s else "none: derived or typed PUE",
        help="A bundled typical year; the plant below then runs every hour of it for PUE, WUE and the design hour.",
    )
    st.file_uploader(
        "...or your own weather (EPW, TMY3, TMY2, or CSV: timestamp, dry bulb C, RH % or dew point C)",
        key=WEATHER_FILE_KEY,
        help="Used for this session's plan in place of the site above; a link cannot carry it.",
    )
    if st.toggle("...or my meter's outdoor temperature", key=METER_TOGGLE_KEY):
        from factorycore.userdata import catalog as datasets
        from ui.uploads import visible

        frame = datasets.list_datasets(connection(), visible())
        st.selectbox(
            "Meter",
            frame[frame["kind"] == "meter"]["name"].tolist(),
            key=METER_KEY,
            index=None,
            placeholder="a facility meter with outdoor_temp_c",
            help="No humidity is logged by a meter, so only the dry plants run on it.",
        )
    plants = cooling_plant.ARCHITECTURES
    st.selectbox(
        "Cooling plant",
        ["", *plants],
        key=KEYS["architecture"],
        format_func=lambda a: plants[a].label if a else "from the cooling technology",
        disabled=not (st.session_state[KEYS["site"]] or _own_weather_chosen()),
    )


METER_TOGGLE_KEY = "pl_meter_weather"
METER_KEY = "pl_meter_name"


def _own_weather_chosen() -> bool:
    """An uploaded weather file or a meter is chosen (either replaces the site's station)."""
    state = st.session_state
    return bool(state.get(WEATHER_FILE_KEY) or (state.get(METER_TOGGLE_KEY) and state.get(METER_KEY)))


def _meter_weather(name: str) -> Any:
    """The named meter's outdoor temperature as weather, read once per dataset (None with the reason shown)."""
    from factorycore import meter_weather
    from factorycore.userdata import catalog as datasets
    from ui.uploads import visible

    try:
        info = datasets.get_dataset(connection(), name=name, workspaces=visible())
    except ValueError as exc:
        st.error(plain_md(str(exc)))
        return None
    held = st.session_state.get(_METER_READ)
    if held is None or held[0] != (info.dataset_id, info.rows_accepted):
        try:
            held = ((info.dataset_id, info.rows_accepted), meter_weather.meter_weather(connection(), info), "")
        except ValueError as exc:
            held = ((info.dataset_id, info.rows_accepted), None, str(exc))
        st.session_state[_METER_READ] = held
    if held[2]:
        st.error(f"The meter cannot be used as weather: {plain_md(held[2])}")
    return held[1]


_METER_READ = "pl_meter_read"


WEATHER_FILE_KEY = "pl_weather_file"
_WEATHER_READ = "pl_weather_read"


def uploaded_weather() -> Any:
    """The uploaded weather file read once per upload, else the chosen meter's weather (None without either);
    one that cannot be read is shown with the reason and ignored."""
    from factorycore import weather

    upload = st.session_state.get(WEATHER_FILE_KEY)
    if upload is None:
        meter = st.session_state.get(METER_KEY) if st.session_state.get(METER_TOGGLE_KEY) else None
        return _meter_weather(meter) if meter else None
    held = st.session_state.get(_WEATHER_READ)
    if held is None or held[0] != upload.file_id:
        suffix = "".join(Path(upload.name).suffixes[-2:]) or ".csv"
        with tempfile.TemporaryDirectory(prefix=scratch.prefix("weather")) as folder:
            path = Path(folder) / f"weather{suffix}"
            path.write_bytes(upload.getvalue())
            try:
                held = (upload.file_id, weather.read_weather(path, station="uploaded"), "")
            except (ValueError, OSError) as exc:
                held = (upload.file_id, None, str(exc))
        st.session_state[_WEATHER_READ] = held
    if held[2]:
        st.error(f"The weather file cannot be used: {plain_md(held[2])}")
    return held[1]


def inputs_from_state(state: Mapping[str, Any]) -> planner.PlanInputs:
    """The PlanInputs the widget values describe."""
    return planner.PlanInputs(
        hardware_id=state[KEYS["hardware"]],
        count=int(state[KEYS["count"]]),
        target_it_mw=float(state[KEYS["target"]]) if state[KEYS["mode"]] == "target" else None,
        rack_kw=None if state[KEYS["rack_default"]] else float(state[KEYS["rack"]]),
        basis=state[KEYS["basis"]],
        technology=state[KEYS["technology"]],
        capture=None if state[KEYS["capture_default"]] else float(state[KEYS["capture"]]) / 100,
        coolant=state[KEYS["coolant"]],
        pue=None if state[KEYS["pue_derive"]] else float(state[KEYS["pue"]]),
        site=state[KEYS["site"]] or None,
        architecture=state[KEYS["architecture"]] or None,
        utilization=float(state[KEYS["utilization"]]) / 100,
        price_usd_per_kwh=float(state[KEYS["price"]]),
        grid_kg_co2e_per_kwh=float(state[KEYS["grid"]]),
        wue_l_per_kwh=float(state[KEYS["wue"]]),
        capacity_mw=float(state[KEYS["capacity"]]),
        growth=float(state[KEYS["growth"]]) / 100,
        **plant_sections.inputs_from_state(state),
    )


def sync_url(inputs: planner.PlanInputs) -> None:
    """Rewrite the URL's query parameters from the inputs (only when they differ)."""
    wanted = planner.to_query_params(inputs)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
