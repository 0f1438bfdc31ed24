"""What a planner input and a plant section are: the types the input table and the section registry hold.

An :class:`Input` states one input once: its default, its range or choices, its URL key,
its widget (label, unit scale, step, decimals shown) and its flag in the equivalent
command. The widgets, the URL codec, saved scenarios, the validation in
:func:`factorycore.planner.plan` and the printed commands all read it.

A :class:`Section` is one plant section (electrical, liquid loop, runway, output, ...):
its inputs, its computation (one step of the plan), its views and what it adds to the
page, the report, the comparison and the commands. :mod:`factorycore.planner.sections`
registers them, one line each.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from factorycore.views.base import View

# The plan's context (factorycore.planner.compose.Context) and result (factorycore.planner.result.
# PlanResult) as the sections see them; not imported, since both modules import the sections.
Context = Any
PlanResult = Any

DEFAULT_WORDS = ("", "default", "none")
PLAN_CAPTION = (
    "Planner result: computed from the plan's inputs and the hardware catalog's figures "
    "(sources in the catalog; method in data/README.md)."
)
MAX_TEXT = 80  # longest text a link or a stored scenario may give for one input


@dataclass(frozen=True)
class Limit:
    """The accepted range of one numeric input, both ends included (also the page widget's range)."""

    low: float
    high: float

    def accepts(self, value: float) -> bool:
        """Whether ``value`` is finite and in range."""
        return math.isfinite(value) and self.low <= value <= self.high

    def describe(self) -> str:
        """The range as a reader sees it."""
        return f"[{self.low:g}, {self.high:g}]"


@dataclass(frozen=True)
class Input:
    """One planner input, stated once.

    ``kind``: ``number`` (a float in ``limit``), ``whole`` (an int in ``limit``), ``choice``
    (one of ``choices``) or ``text`` (matching ``pattern``). ``optional``: None is allowed
    and means "the default" (a link says ``default``). The widget shows ``value x scale``
    (100 for a percent) with ``decimals`` shown; an optional number has a checkbox
    (``toggle``) that switches it on, an optional choice an empty entry (``none_label``).
    ``flag`` is its flag in the equivalent ``python -m factorycore`` command, if any.
    """

    name: str
    default: Any
    query: str
    kind: str = "number"
    limit: Limit | None = None
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] = ()
    optional: bool = False
    pattern: str = ""
    invalid: str = "is not a valid name"
    label: str = ""
    help: str = ""
    widget_key: str = ""
    scale: float = 1.0
    step: float = 1.0
    decimals: int = 2
    flag: str = ""
    toggle: str = ""
    toggle_key: str = ""
    fallback: float = 0.0
    none_label: str = ""
    radio: bool = False
    options: Callable[[Mapping[str, Any]], Sequence[str]] | None = None  # choices from the page's data

    @property
    def annotation(self) -> Any:
        """The PlanInputs field's type."""
        base = {"number": float, "whole": int, "choice": str, "text": str}[self.kind]
        return base | None if self.optional else base

    @property
    def key(self) -> str:
        """The page widget's session-state key."""
        return self.widget_key or f"pl_{self.name}"

    def valid_choices(self) -> tuple[str, ...]:
        """The accepted values of a choice input."""
        return tuple(self.choices() if callable(self.choices) else self.choices)

    @staticmethod
    def unwrap(raw: Any) -> Any:
        """One raw value: the last of a repeated query parameter; ValueError for an empty or too long one."""
        if isinstance(raw, (list, tuple)):  # a repeated query parameter: the last one wins
            if not raw:
                raise ValueError("is empty")
            raw = raw[-1]
        if isinstance(raw, str) and len(raw) > MAX_TEXT:
            raise ValueError("is too long")
        return raw

    def is_default_word(self, raw: Any) -> bool:
        """Whether an optional input's raw value says "the default" (None, '', 'default', 'none')."""
        return self.optional and (raw is None or (isinstance(raw, str) and raw.strip().lower() in DEFAULT_WORDS))

    def parse(self, raw: Any) -> Any:
        """The value from text or a JSON value; ValueError with a reader's message if bad."""
        raw = self.unwrap(raw)
        if self.is_default_word(raw):
            return None
        if self.kind == "choice":
            choices = self.valid_choices()
            text = raw.strip() if isinstance(raw, str) and self.optional else raw
            if text not in choices:
                raise ValueError(f"is not one of {', '.join(choices)}")
            return text
        if self.kind == "text":
            text = str(raw).strip()
            if not re.fullmatch(self.pattern, text):
                raise ValueError(self.invalid)
            return text
        if isinstance(raw, bool) or raw is None:
            raise ValueError("is not a number")
        try:
            value = float(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            raise ValueError("is not a number") from None
        if self.limit is not None and not self.limit.accepts(value):
            raise ValueError(f"is outside {self.limit.describe()}")
        if self.kind == "whole":
            if not value.is_integer():
                raise ValueError("is not a whole number")
            return int(value)
        return value

    def check(self, value: Any) -> None:
        """Raise ValueError naming the input when a value given to :func:`plan` is out of range."""
        if value is None or self.limit is None:
            return
        if not self.limit.accepts(float(value)):
            raise ValueError(f"{self.name} must be in {self.limit.describe()}, got {value}")


Reading = tuple[str, str]  # (how the page shows it: "markdown", "info" or "error", the text)


@dataclass(frozen=True)
class SectionView:
    """One chart of a section: its key (page cache and export name) and how to build it.

    ``build(result, sources, large=...)``: ``sources`` is the reference sources table, for a
    view whose caption cites reference rows.
    """

    key: str
    build: Callable[..., View]
    label: str = ""  # its tab's label, in a section drawn as its own block


def _nothing(result: PlanResult) -> Any:
    return None


@dataclass(frozen=True)
class Section:
    """One plant section of the plan: its inputs, its step of the plan and what every output shows of it.

    - ``compute(ctx)`` runs after the core plan (fleet, power, cooling, growth) and the
      sections registered before it; it returns the attributes it adds to the result
      (``result.electrical``...), with ``empty`` the values when it has not run.
    - ``prepare(ctx)``, if any, runs after the fleet is sized and before power: a section
      that changes the plan's PUE basis (a site's weather) sets ``ctx.pue`` and the like there.
    - ``views`` are its charts (page tab, report, deck, presentation), ``reading`` the page's
      sentence, ``alert`` a problem said above the tabs, ``detail`` a table under its chart,
      ``table`` its (label, value) rows in the report, ``compare`` its columns in a
      scenario comparison, ``commands`` its ``python -m factorycore`` argument lists (a list
      whose first word is an earlier command's name adds flags to that command).
    - ``shown(result)``: whether the page shows it for this plan; ``place``: where the page
      draws its inputs, ``plant`` (the plant expander), ``site`` (before the PUE) or
      ``custom`` (the page's own widgets, for a section with inputs a link cannot carry,
      such as an uploaded file); ``block``: drawn as its own block under the plant tabs,
      titled, one tab per view, instead of one tab among the plant sections.
    """

    name: str
    title: str
    short: str
    inputs: tuple[Input, ...]
    compute: Callable[[Context], Mapping[str, Any]]
    empty: Mapping[str, Any] = field(default_factory=dict)
    prepare: Callable[[Context], None] | None = None
    views: tuple[SectionView, ...] = ()
    reading: Callable[[PlanResult], Reading | None] = _nothing
    alert: Callable[[PlanResult], str | None] = _nothing
    detail: Callable[[PlanResult], pd.DataFrame | None] = _nothing
    table: Callable[[PlanResult], list[tuple[str, str]]] = lambda result: []
    compare: Callable[[PlanResult], dict[str, Any]] = lambda result: {}
    commands: Callable[[PlanResult], list[list[str]]] = lambda result: []
    widget_order: tuple[str, ...] = ()
    basis: str = ""
    shown: Callable[[PlanResult], bool] = lambda result: True
    place: str = "plant"
    block: bool = False

    def widget_inputs(self) -> tuple[Input, ...]:
        """The inputs in the order the page draws them."""
        if not self.widget_order:
            return self.inputs
        by_name = {i.name: i for i in self.inputs}
        return tuple(by_name[n] for n in self.widget_order)


def flags(inputs: Sequence[Input], values: Any) -> list[str]:
    """``--flag=value`` for each of ``inputs`` that has a flag, in order (None values left out)."""
    from factorycore import numbers  # noqa: PLC0415

    out = []
    for i in inputs:
        value = getattr(values, i.name)
        if not i.flag or value is None:
            continue
        out.append(f"{i.flag}={value if isinstance(value, str) else numbers.exact(value)}")
    return out
