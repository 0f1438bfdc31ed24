"""Plant section: what the factory produces, MLPerf Inference tokens per second per MW of facility power."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from factorycore import numbers
from factorycore import throughput as tp
from factorycore.planner.spec import Context, Input, PlanResult, Reading, Section, SectionView

if TYPE_CHECKING:
    from factorycore.views.base import View

DEFAULT_OUTPUT_BENCHMARK = "llama3.1-405b"  # the ranking's benchmark when the plan's system has none


def benchmarks(data: Mapping[str, Any]) -> list[str]:
    """The benchmarks of the MLPerf rows the page holds (``data["throughput"]``)."""
    return sorted(set(data["throughput"]["benchmark"]))


INPUTS = (
    Input(
        "output_benchmark",
        None,
        "bench",
        "text",
        optional=True,
        pattern=r"[a-z0-9][a-z0-9.\-]{0,39}",
        invalid="is not an MLPerf benchmark name",
        label="MLPerf benchmark",
        widget_key="pl_bench",
        none_label="the system's first",
        options=benchmarks,
    ),
    Input(
        "output_scenario",
        tp.DEFAULT_SCENARIO,
        "scenario",
        "choice",
        choices=tp.SCENARIOS,
        label="MLPerf scenario",
        widget_key="pl_scenario",
        radio=True,
    ),
)


def compute(ctx: Context) -> dict[str, Any]:
    """The system's MLPerf output per MW and the catalog's ranking (empty without the MLPerf rows)."""
    i, item, catalog = ctx.inputs, ctx.item, ctx.catalog
    output, message, ranked, missing = None, "", pd.DataFrame(), ()
    benchmark = i.output_benchmark or DEFAULT_OUTPUT_BENCHMARK
    if ctx.throughput is not None:
        if item.kind != "system":
            message = (
                f"{item.name} is an accelerator, not a catalog system with a rated power, so it has "
                "no MLPerf figure per MW here (none is estimated)."
            )
        else:
            try:
                output = tp.system_output(
                    ctx.throughput, catalog, item.id, i.output_benchmark, i.output_scenario, ctx.pue
                )
                benchmark = output.benchmark
            except ValueError as exc:
                message = f"{exc}."
        systems = {k: v for k, v in catalog.items() if v.kind == "system"}
        ranked = tp.ranking(ctx.throughput, systems, benchmark, i.output_scenario, ctx.pue)
        missing = tuple(tp.systems_without_submission(ctx.throughput, systems, benchmark))
    return {
        "output": output,
        "output_message": message,
        "output_benchmark": benchmark,
        "output_ranking": ranked,
        "output_missing": missing,
    }


def view(result: PlanResult, sources: pd.DataFrame | None = None, *, large: bool = False) -> View:
    """The catalog's systems ranked by MLPerf tokens per second per MW, the plan's system marked."""
    from factorycore import provenance  # noqa: PLC0415 - charts load only when drawn
    from factorycore.charts import plant as charts  # noqa: PLC0415
    from factorycore.views.base import View  # noqa: PLC0415

    ranked = result.output_ranking
    fig = charts.output_ranking(
        ranked,
        benchmark=result.output_benchmark,
        scenario=result.inputs.output_scenario,
        highlight=result.hardware.id,
        missing=result.output_missing,
        large=large,
    )
    return View(
        fig,
        ranked,
        "What the factory produces",
        provenance.caption(ranked, sources),
        note="Reported MLPerf Inference results (closed division) only; per MW uses the catalog's rated "
        "system power x PUE.",
    )


def reading(result: PlanResult) -> Reading:
    """The plan's MLPerf output, or why it has none."""
    out = result.output
    if out is None:
        return ("info", result.output_message or "No MLPerf figure for this plan.")
    systems = result.fleet.systems
    return (
        "markdown",
        f"MLPerf {out.benchmark} ({out.scenario}, {out.mlperf_round}, {out.submitter}): "
        f"{out.tokens_per_s:,.0f} tokens/s per {result.hardware.name}, {out.tokens_per_s_per_mw:,.0f} tokens/s "
        f"per MW of facility power and {out.gpus_per_mw:,.0f} GPUs per MW at PUE {result.pue:g}; "
        f"{out.tokens_per_s * systems:,.0f} tokens/s for the {systems:,} systems.",
    )


def table(result: PlanResult) -> list[tuple[str, str]]:
    """The report's rows."""
    out = result.output
    if out is None:
        return []
    return [("MLPerf tokens/s per MW", f"{out.tokens_per_s_per_mw:,.0f} ({out.benchmark}, {out.scenario})")]


def compare(result: PlanResult) -> dict[str, Any]:
    """The comparison's columns."""
    return {"tokens_per_s_per_mw": result.output.tokens_per_s_per_mw if result.output else None}


def commands(result: PlanResult) -> list[list[str]]:
    """``output`` for the plan's system, benchmark and scenario."""
    out = result.output
    if out is None:
        return []
    return [
        [
            "output",
            f"--system={out.system}",
            f"--benchmark={out.benchmark}",
            f"--scenario={out.scenario}",
            f"--pue={numbers.exact(result.pue)}",
        ]
    ]


SECTION = Section(
    name="output",
    title="What the factory produces",
    short="output",
    inputs=INPUTS,
    compute=compute,
    empty={
        "output": None,
        "output_message": "",
        "output_benchmark": DEFAULT_OUTPUT_BENCHMARK,
        "output_ranking": pd.DataFrame(),
        "output_missing": (),
    },
    views=(SectionView("planner-output", view),),
    reading=reading,
    table=table,
    compare=compare,
    commands=commands,
)
