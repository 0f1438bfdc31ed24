"""What the factory produces: MLPerf Inference throughput per MW of facility power.

Rows come from ``ref.throughput``: MLPerf Inference results of the closed division,
each as its submission reported it (tokens per second of the whole system, offline
or server scenario), with the round, submitter, system, quote and the file it was read
in. From one row and the catalog system it belongs to:

- facility kW of one system = the catalog's power_kw x PUE (the system's rated
  power, not the power measured during the run, so the figure is conservative);
- tokens/s per MW = tokens_per_s / (facility kW / 1,000);
- GPUs per MW = the catalog's accelerators per system / (facility kW / 1,000).

A system with no row has no submission that was read: nothing is estimated, and the
lookup says which pairings exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from factorycore import hardware as hw
from factorycore.units import KW_PER_MW, check_pue

SCENARIOS: tuple[str, ...] = ("offline", "server")
DEFAULT_SCENARIO = "offline"
# When no benchmark is named, the first one the system has, in this order.
BENCHMARK_PREFERENCE: tuple[str, ...] = ("llama2-70b-99", "llama2-70b-99.9", "llama3.1-405b")


@dataclass(frozen=True)
class OutputResult:
    """One system on one benchmark: throughput, per MW of facility power, GPUs per MW."""

    system: str
    benchmark: str
    scenario: str
    tokens_per_s: float
    tokens_per_s_per_mw: float
    gpus_per_mw: float
    source_id: str
    pue: float
    system_kw: float
    accelerators: int
    mlperf_round: str
    submitter: str
    mlperf_system: str
    quote: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the ``output`` command (contract keys first)."""
        return {
            "system": self.system,
            "benchmark": self.benchmark,
            "scenario": self.scenario,
            "tokens_per_s": self.tokens_per_s,
            "tokens_per_s_per_mw": self.tokens_per_s_per_mw,
            "gpus_per_mw": self.gpus_per_mw,
            "source_id": self.source_id,
            "pue": self.pue,
            "system_kw": self.system_kw,
            "accelerators": self.accelerators,
            "mlperf_round": self.mlperf_round,
            "submitter": self.submitter,
            "mlperf_system": self.mlperf_system,
            "quote": self.quote,
        }


def pairings(rows: pd.DataFrame) -> str:
    """What exists, for a message: 'dgx_h100 (llama2-70b-99.9 offline/server); ...'."""
    parts = []
    for system, group in rows.groupby("hardware_id", sort=True):
        benches = [f"{b} {'/'.join(sorted(g['scenario']))}" for b, g in group.groupby("benchmark", sort=True)]
        parts.append(f"{system} ({', '.join(benches)})")
    return "; ".join(parts)


_check_pue = check_pue


def system_output(
    rows: pd.DataFrame,
    catalog: Mapping[str, hw.Hardware],
    system_id: str,
    benchmark: str | None = None,
    scenario: str = DEFAULT_SCENARIO,
    pue: float = 1.4,
) -> OutputResult:
    """The MLPerf figure of one system, per MW of facility power; ValueError naming what exists if none."""
    item = hw.lookup(dict(catalog), system_id, "system")
    pue = _check_pue(pue)
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose one of {', '.join(SCENARIOS)}")
    own = rows[rows["hardware_id"] == system_id]
    if own.empty:
        raise ValueError(
            f"no MLPerf submission was read for {system_id}, so no throughput is given "
            f"(none is estimated); submissions exist for: {pairings(rows)}"
        )
    if benchmark is None:
        present = set(own["benchmark"])
        benchmark = next((b for b in BENCHMARK_PREFERENCE if b in present), sorted(present)[0])
    match = own[(own["benchmark"] == benchmark) & (own["scenario"] == scenario)]
    if match.empty:
        raise ValueError(
            f"no MLPerf submission for {system_id} on {benchmark} {scenario}; submissions exist for: {pairings(rows)}"
        )
    row = match.iloc[0]
    facility_mw = item.power_kw * pue / KW_PER_MW
    return OutputResult(
        system=system_id,
        benchmark=benchmark,
        scenario=scenario,
        tokens_per_s=float(row["tokens_per_s"]),
        tokens_per_s_per_mw=float(row["tokens_per_s"]) / facility_mw,
        gpus_per_mw=item.accelerators / facility_mw,
        source_id=str(row["source_id"]),
        pue=pue,
        system_kw=item.power_kw,
        accelerators=item.accelerators,
        mlperf_round=str(row["mlperf_round"]),
        submitter=str(row["submitter"]),
        mlperf_system=str(row["mlperf_system"]),
        quote=str(row["quote"]),
    )


def ranking(
    rows: pd.DataFrame,
    catalog: Mapping[str, hw.Hardware],
    benchmark: str,
    scenario: str = DEFAULT_SCENARIO,
    pue: float = 1.4,
) -> pd.DataFrame:
    """Catalog systems with a submission on ``benchmark``, best tokens/s per MW first (what the chart ranks)."""
    pue = _check_pue(pue)
    chosen = rows[
        (rows["benchmark"] == benchmark) & (rows["scenario"] == scenario) & rows["hardware_id"].isin(list(catalog))
    ]
    records = []
    for system_id in chosen["hardware_id"]:
        result = system_output(rows, catalog, system_id, benchmark, scenario, pue)
        records.append(
            {
                "system": system_id,
                "name": catalog[system_id].name,
                "benchmark": benchmark,
                "scenario": scenario,
                "tokens_per_s": result.tokens_per_s,
                "tokens_per_s_per_mw": result.tokens_per_s_per_mw,
                "gpus_per_mw": result.gpus_per_mw,
                "mlperf_round": result.mlperf_round,
                "source_id": result.source_id,
                "status": "reported",
            }
        )
    columns = [
        "system",
        "name",
        "benchmark",
        "scenario",
        "tokens_per_s",
        "tokens_per_s_per_mw",
        "gpus_per_mw",
        "mlperf_round",
        "source_id",
        "status",
    ]
    frame = pd.DataFrame.from_records(records, columns=columns)
    return frame.sort_values("tokens_per_s_per_mw", ascending=False, ignore_index=True)


def systems_without_submission(rows: pd.DataFrame, catalog: Mapping[str, hw.Hardware], benchmark: str) -> list[str]:
    """Catalog systems with no row on ``benchmark``: the chart says so instead of estimating them."""
    have = set(rows.loc[rows["benchmark"] == benchmark, "hardware_id"])
    return sorted(i for i, h in catalog.items() if h.kind == "system" and i not in have)
