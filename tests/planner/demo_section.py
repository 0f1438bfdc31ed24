"""A plant section written only for tests/planner/test_section_registry.py: heat reuse.

The test copies it into a copy of the package and adds its one registry line; nothing
in the product imports it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from factorycore import numbers
from factorycore.planner.spec import Input, Limit, Section, SectionView, flags

INPUTS = (
    Input(
        "heat_reuse_share",
        0.0,
        "reuse",
        limit=Limit(0.0, 1.0),
        label="Heat reused (%)",
        widget_key="pl_heat_reuse_pct",
        scale=100,
        step=5.0,
        decimals=1,
        flag="--reuse-share",
    ),
)


def compute(ctx: Any) -> dict[str, Any]:
    return {"heat_reuse_kw": ctx.cooling.heat_kw * ctx.inputs.heat_reuse_share}


def view(result: Any, sources: pd.DataFrame | None = None, *, large: bool = False) -> Any:
    import plotly.graph_objects as go

    from factorycore.views.base import View
    from factorycore.views.planner import PLAN_CAPTION

    rows = result.modelled(pd.DataFrame({"path": ["reused", "rejected"], "kw": _split(result)}))
    fig = go.Figure(go.Bar(x=rows["path"], y=rows["kw"]))
    fig.update_layout(title="Heat reused")
    return View(fig, rows, "Heat reused", PLAN_CAPTION)


def _split(result: Any) -> list[float]:
    return [result.heat_reuse_kw, result.cooling.heat_kw - result.heat_reuse_kw]


SECTION = Section(
    name="heat_reuse",
    title="Heat reuse",
    short="heat reuse",
    inputs=INPUTS,
    compute=compute,
    empty={"heat_reuse_kw": None},
    views=(SectionView("planner-heat-reuse", view),),
    reading=lambda r: ("markdown", f"{numbers.fixed(r.heat_reuse_kw, 'kW', 0)} of heat goes to reuse."),
    table=lambda r: [("Heat reused", numbers.fixed(r.heat_reuse_kw, "kW", 0))],
    compare=lambda r: {"heat_reuse_kw": r.heat_reuse_kw},
    commands=lambda r: [["heat-reuse", f"--heat-kw={numbers.exact(r.cooling.heat_kw)}", *flags(INPUTS, r.inputs)]],
)
