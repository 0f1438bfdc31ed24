"""Inputs to and from text: URL query parameters and saved scenarios' dicts.

Inputs travel in URLs (:func:`to_query_params` / :func:`from_query_params`) and in saved
scenarios (``PlanInputs.as_dict`` / :func:`from_dict`). Both readers check every value
against the input table and fall back to the default with a message for a bad one, so a
hand-edited link never breaks the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from factorycore import hardware as hw
from factorycore import numbers
from factorycore.planner.inputs import (
    ALL_INPUTS,
    BY_NAME,
    DEFAULT_HARDWARE_ID,
    DEFAULT_TECHNOLOGY,
    PUE_DERIVE,
    QUERY_KEYS,
    RACK_COOLING_OF_TECHNOLOGY,
    PlanInputs,
)


def to_query_params(inputs: Any) -> dict[str, str]:
    """The inputs as URL query parameters; optional inputs left at their default are omitted."""
    params: dict[str, str] = {}
    for spec in ALL_INPUTS:
        value = getattr(inputs, spec.name)
        if spec.name == "pue":
            params[spec.query] = PUE_DERIVE if value is None else numbers.exact(value)
        elif spec.name == "count" and inputs.target_it_mw is not None:
            continue  # the target decides the count
        elif value is None:
            continue
        elif isinstance(value, str):
            params[spec.query] = value
        else:
            params[spec.query] = numbers.exact(value)
    return params


def _shown(raw: Any) -> str:
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _hardware_id(raw: Any, catalog: Mapping[str, hw.Hardware] | None) -> str:
    text = str(raw).strip()
    if catalog is not None and text not in catalog:
        raise ValueError("is not in the hardware catalog")
    if catalog is not None and catalog[text].kind == "accelerator" and not catalog[text].platform:
        raise ValueError("ships in no catalog platform, so a count of it cannot be sized")
    if not text:
        raise ValueError("is empty")
    return text


def _parse_field(name: str, raw: Any, catalog: Mapping[str, hw.Hardware] | None) -> Any:
    """One input from text or a JSON value; ValueError with a reader's message if bad."""
    spec = BY_NAME[name]
    raw = spec.unwrap(raw)
    if spec.is_default_word(raw):
        return None
    if name == "pue" and isinstance(raw, str) and raw.strip().lower() == PUE_DERIVE:
        return None
    if name == "hardware_id":
        return _hardware_id(raw, catalog)
    return spec.parse(raw)


def from_dict(
    values: Mapping[str, Any],
    catalog: Mapping[str, hw.Hardware] | None = None,
    *,
    keys: Mapping[str, str] | None = None,
) -> tuple[Any, list[str]]:
    """Inputs from a mapping (field names, or other names via ``keys``); bad values fall back.

    Returns the inputs and one message per value that was not usable. Unknown keys
    are ignored, missing ones take their default. With a ``catalog``, an unknown
    hardware id falls back too (to the default, or the first system if that is absent).
    """
    keys = keys or {name: name for name in QUERY_KEYS}
    defaults = PlanInputs()
    chosen: dict[str, Any] = {}
    messages: list[str] = []
    for spec in ALL_INPUTS:
        key = keys[spec.name]
        if key not in values:
            continue
        try:
            chosen[spec.name] = _parse_field(spec.name, values[key], catalog)
        except ValueError as exc:
            fallback = getattr(defaults, spec.name)
            shown = fallback if fallback is not None else (PUE_DERIVE if spec.name == "pue" else "default")
            messages.append(f"{key}={_shown(values[key])} {exc}; using {shown}.")
    inputs = replace(defaults, **chosen)
    if catalog is not None and inputs.hardware_id not in catalog:
        fallback = default_hardware_id(catalog)
        if "hardware_id" not in chosen:
            messages.append(f"the default hardware {inputs.hardware_id!r} is not in the catalog; using {fallback}.")
        inputs = replace(inputs, hardware_id=fallback)
    if catalog is not None:
        inputs = _fit_platform(inputs, dict(catalog), keys, messages)
    return inputs, messages


def _fit_platform(inputs: Any, catalog: dict[str, hw.Hardware], keys: Mapping[str, str], messages: list[str]) -> Any:
    """Inputs from a link or a stored scenario whose cooling or rack budget the platform refuses fall back."""
    try:
        platform = hw.platform_of(catalog, catalog[inputs.hardware_id])
    except (KeyError, ValueError):
        return inputs  # nothing to fit against: plan() says why
    if platform.cooling == "liquid" and RACK_COOLING_OF_TECHNOLOGY[inputs.technology] == "air":
        messages.append(
            f"{keys['technology']}={inputs.technology} does not fit {platform.name}, which is "
            f"liquid-cooled only; using {DEFAULT_TECHNOLOGY}."
        )
        inputs = replace(inputs, technology=DEFAULT_TECHNOLOGY)
    system_kw = platform.design_figure(inputs.basis).figure.power_kw
    if inputs.rack_kw is not None and inputs.rack_kw < system_kw:
        messages.append(
            f"{keys['rack_kw']}={inputs.rack_kw:g} kW is below one {platform.name} "
            f"({system_kw:g} kW); using the platform's own rack."
        )
        inputs = replace(inputs, rack_kw=None)
    return inputs


def from_query_params(
    params: Mapping[str, Any], catalog: Mapping[str, hw.Hardware] | None = None
) -> tuple[Any, list[str]]:
    """Inputs from URL query parameters (see :data:`QUERY_KEYS`); never raises for a bad value."""
    return from_dict(params, catalog, keys=QUERY_KEYS)


def default_hardware_id(catalog: Mapping[str, hw.Hardware]) -> str:
    """The default hardware, or the first system (then the first item) of a catalog without it."""
    if DEFAULT_HARDWARE_ID in catalog or not catalog:
        return DEFAULT_HARDWARE_ID
    systems = sorted(i for i, h in catalog.items() if h.kind == "system")
    return systems[0] if systems else sorted(catalog)[0]
