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


def render(measurements: list[Measurement]) -> str:
    """A Markdown table of the measurements, ready for the README."""
    lines = [
        "| benchmark | figure | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for m in measurements:
        baseline = f"{m.baseline:,.4g} {m.unit} ({m.baseline_label})" if m.baseline is not None else "-"
        ratio = f"{m.ratio:.3g}x" if m.ratio is not None else "-"
        met = {True: "yes", False: "NO", None: "-"}[m.met]
        lines.append(f"| {m.name} | {m.figure:,.4g} {m.unit} | {baseline} | {ratio} | {m.target} | {met} |")
    return "\n".join(lines)
