"""A plan's numbers as a reader sees them: the headline figures formatted, the plant sections' rows,
and scenarios side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from factorycore import numbers
from factorycore.planner.result import PlanResult
from factorycore.planner.sections import SECTIONS

# Presentation of the headline numbers, shared by the page, reports and tests so a
# number reads the same wherever it appears: (key, label, unit, decimals).
HEADLINE_FORMAT: tuple[tuple[str, str, str, int], ...] = (
    ("it_kw", "IT power", "kW", 1),
    ("facility_kw", "Facility power", "kW", 1),
    ("racks", "Racks", "", 0),
    ("kw_per_rack", "Power per rack", "kW", 1),
    ("annual_facility_mwh", "Annual energy", "MWh", 0),
    ("annual_cost_usd", "Annual cost", "USD", 0),
    ("annual_co2e_t", "Annual carbon", "t CO2e", 0),
    ("annual_water_m3", "Annual water", "m³", 0),
    ("cooling_tons", "Cooling", "tons", 1),
    ("coolant_flow_lpm", "Coolant flow", "L/min", 0),
    ("airflow_m3h", "Airflow", "m³/h", 0),
    ("airflow_cfm", "Airflow", "CFM", 0),
)

format_value = numbers.fixed  # a number with thousands separators, fixed decimals and its unit


def headline_labels(*, units: bool = True) -> dict[str, str]:
    """Each headline number's label, with its unit in brackets ("Annual cost (USD)") by default."""
    return {key: f"{label} ({unit})" if units and unit else label for key, label, unit, _ in HEADLINE_FORMAT}


def headline_text(result: PlanResult, *, units: bool = True) -> dict[str, str]:
    """Each headline number formatted, keyed like :meth:`PlanResult.headline`.

    ``units=False`` leaves the unit off the value, for a display whose label carries it.
    """
    values = result.headline()
    return {
        key: numbers.fixed(values[key], unit if units else "", decimals) for key, _, unit, decimals in HEADLINE_FORMAT
    }


def headline_table(result: PlanResult) -> list[tuple[str, str]]:
    """(label, value with its unit) per headline; a label used twice (the airflows) gains its unit."""
    rows: list[tuple[str, str]] = []
    for key, text in headline_text(result).items():
        label, unit = next((lab, u) for k, lab, u, _ in HEADLINE_FORMAT if k == key)
        rows.append((label if all(label != seen for seen, _ in rows) else f"{label} ({unit})", text))
    return rows


def plant_table(result: PlanResult) -> list[tuple[str, str]]:
    """(label, value) of the plant sections, each section's rows in registry order."""
    return [row for section in SECTIONS for row in section.table(result)]


def comparison_frame(results: Mapping[str, PlanResult]) -> pd.DataFrame:
    """Scenarios side by side: one row per scenario, the headline numbers and key inputs as columns,
    then each section's columns."""
    records = []
    for name, result in results.items():
        values = result.headline()
        record: dict[str, Any] = {
            "scenario": name,
            "hardware": result.hardware.name,
            "units": result.count,
            "technology": result.inputs.technology,
            "pue": result.pue,
            **{key: values[key] for key, *_ in HEADLINE_FORMAT},
            "feasible": result.cooling.feasible,
            "capacity_exhausted_year": result.growth.capacity_exhausted_year,
        }
        for section in SECTIONS:
            record.update(section.compare(result))
        records.append(record)
    return pd.DataFrame.from_records(records)


def plant_columns(result: PlanResult) -> list[str]:
    """The sections' columns of :func:`comparison_frame` (what the page's plant comparison shows)."""
    return [column for section in SECTIONS for column in section.compare(result)]
