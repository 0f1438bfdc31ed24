"""A saved scenario re-planned: the planner's one read of the store (the report, its comparison,
the deck and the presentation all go through it)."""

from __future__ import annotations

from typing import Any

import duckdb

from factorycore import hardware as hw
from factorycore import reference, scenarios
from factorycore.planner.codec import from_dict
from factorycore.planner.compose import plan
from factorycore.planner.result import PlanResult


def saved_plan(con: duckdb.DuckDBPyConnection, name: str) -> tuple[Any, list[str], PlanResult]:
    """A saved scenario re-planned with today's reference data: its inputs, the stored values
    that could not be used (and fell back to defaults), and the plan with its plant sections.

    The report, its scenario comparison and the presentation all re-plan through this, so
    each sees the same catalog (with the power ledger) and the same MLPerf rows.
    Raises ``scenarios.ScenarioError`` for an unknown name, ValueError for inputs that cannot be planned.
    """
    catalog = hw.load_catalog(con)
    inputs, problems = from_dict(scenarios.load(con, name), catalog)
    return inputs, problems, plan(inputs, catalog, reference.throughput(con))
