"""The plant sections of a plan, in page order: one line each in :data:`_MODULES`.

A section is a module with a ``SECTION`` (:class:`factorycore.planner.spec.Section`): its
inputs, its step of the plan, its views and what the page, the report, the comparison
and the commands show of it. Registered here, it joins :class:`PlanInputs` (so the URL
and saved scenarios carry its inputs), :func:`factorycore.planner.plan`, the page's
plant inputs and tabs, the report's table and figures, the deck and the presentation.
A name without a dot is a module of this package; a dotted one is imported as it is.
"""

from __future__ import annotations

from importlib import import_module

from factorycore.planner.spec import Section

_MODULES: tuple[str, ...] = (
    "electrical",
    "liquid_loop",
    "runway",
    "output",
    "climate",
)

SECTIONS: tuple[Section, ...] = tuple(
    import_module(name if "." in name else f"{__name__}.{name}").SECTION for name in _MODULES
)
if len({s.name for s in SECTIONS}) != len(SECTIONS):
    raise RuntimeError("two plant sections share a name")
