"""Timing and reporting shared by the benchmarks.

Each benchmark measures a figure and a baseline in the same process and run, so
the ratio holds on a noisy machine; it reports both with the target it is held to.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    """One benchmark line: the figure, what it is compared with, and the target."""

    name: str
    figure: float
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        """figure / baseline, when there is a baseline."""
        return self.figure / self.baseline if self.baseline else None


def median_seconds(work: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of ``work`` over ``repeat`` runs (``setup`` runs untimed before each)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _number(value: float) -> str:
    """Four significant digits, but whole numbers with separators from 100,000 up (rows/s)."""
    return f"{value:,.0f}" if abs(value) >= 1e5 else f"{value:,.4g}"


def render(measurements: list[Measurement]) -> str:
    """A Markdown table of the measurements, ready for bench/RESULTS.md."""
    lines = [
        "| benchmark | figure | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for m in measurements:
        baseline = f"{_number(m.baseline)} {m.unit} ({m.baseline_label})" if m.baseline is not None else "-"
        ratio = f"{m.ratio:.3g}x" if m.ratio is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[m.met]
        lines.append(f"| {m.name} | {_number(m.figure)} {m.unit} | {baseline} | {ratio} | {m.target} | {met} |")
    return "\n".join(lines)
