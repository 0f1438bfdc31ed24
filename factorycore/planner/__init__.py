"""The planner: one deployment's inputs in, its power, cooling, growth, sensitivity and plant out.

:func:`plan` composes the engine exactly as the command line does, step by step, so the
Planner page and ``python -m factorycore`` agree to the last digit;
:meth:`PlanResult.cli_commands` lists the commands with the very values used.

The package, one job per module:

- :mod:`~factorycore.planner.spec` -- what an input and a plant section are;
- :mod:`~factorycore.planner.inputs` -- the input table (defaults, ranges, URL keys,
  widgets, command flags), the derived PUE, and :class:`PlanInputs` built from them;
- :mod:`~factorycore.planner.sections` -- the plant sections, one module each, registered
  in one line (electrical, liquid loop, runway, output);
- :mod:`~factorycore.planner.codec` -- inputs to and from URL parameters and saved dicts;
- :mod:`~factorycore.planner.compose` -- :func:`plan`, the steps in order;
- :mod:`~factorycore.planner.result` -- :class:`PlanResult`: prose, chart rows, commands;
- :mod:`~factorycore.planner.present` -- headline formatting, the report's and the
  comparison's tables;
- :mod:`~factorycore.planner.stored` -- a saved scenario re-planned (the one read of the store).

The names below are the package's public face; readers import them from here.
"""

from __future__ import annotations

from factorycore.planner.codec import default_hardware_id, from_dict, from_query_params, to_query_params
from factorycore.planner.compose import Context, count_for_target, plan
from factorycore.planner.inputs import (
    ALL_INPUTS,
    BY_NAME,
    CHOICES,
    DEFAULT_BASIS,
    DEFAULT_CAPACITY_MW,
    DEFAULT_COOLANT,
    DEFAULT_COUNT,
    DEFAULT_GROWTH,
    DEFAULT_HARDWARE_ID,
    DEFAULT_TECHNOLOGY,
    DEFAULTS_BASIS,
    DERIVED_PUE,
    INPUTS,
    LIMITS,
    PUE_DERIVE,
    QUERY_KEYS,
    RACK_COOLING_OF_TECHNOLOGY,
    DerivedPue,
    PlanInputs,
    derived_pue,
)
from factorycore.planner.present import (
    HEADLINE_FORMAT,
    comparison_frame,
    format_value,
    headline_labels,
    headline_table,
    headline_text,
    plant_columns,
    plant_table,
)
from factorycore.planner.result import PlanResult
from factorycore.planner.sections import SECTIONS
from factorycore.planner.sections.output import DEFAULT_OUTPUT_BENCHMARK
from factorycore.planner.sections.runway import DEFAULT_GROWTH_SD, RUNWAY_SEED, runway_constraints
from factorycore.planner.spec import DEFAULT_WORDS, Input, Limit, Section, SectionView
from factorycore.planner.stored import saved_plan
from factorycore.units import KW_PER_MW

__all__ = [
    "ALL_INPUTS",
    "BY_NAME",
    "CHOICES",
    "Context",
    "DEFAULTS_BASIS",
    "DEFAULT_BASIS",
    "DEFAULT_CAPACITY_MW",
    "DEFAULT_COOLANT",
    "DEFAULT_COUNT",
    "DEFAULT_GROWTH",
    "DEFAULT_GROWTH_SD",
    "DEFAULT_HARDWARE_ID",
    "DEFAULT_OUTPUT_BENCHMARK",
    "DEFAULT_TECHNOLOGY",
    "DEFAULT_WORDS",
    "DERIVED_PUE",
    "DerivedPue",
    "HEADLINE_FORMAT",
    "INPUTS",
    "Input",
    "KW_PER_MW",
    "LIMITS",
    "Limit",
    "PUE_DERIVE",
    "PlanInputs",
    "PlanResult",
    "QUERY_KEYS",
    "RACK_COOLING_OF_TECHNOLOGY",
    "RUNWAY_SEED",
    "SECTIONS",
    "Section",
    "SectionView",
    "comparison_frame",
    "count_for_target",
    "default_hardware_id",
    "derived_pue",
    "format_value",
    "from_dict",
    "from_query_params",
    "headline_labels",
    "headline_table",
    "headline_text",
    "plan",
    "plant_columns",
    "plant_table",
    "runway_constraints",
    "saved_plan",
    "to_query_params",
]
