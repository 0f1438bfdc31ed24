"""Exports as power exporters write them, with the figures each must give, worked out here in plain
Python from the numbers written (never through the product's code).

The families: DCGM exporter scrapes (current releases label the host ``hostname``, older ones
``Hostname``; a scrape holds other metrics first, with or without HELP/TYPE lines, and may be
saved as ``.txt``), Prometheus ``query_range`` answers with Kubernetes' ``kubernetes_node`` label
and MIG instance series, and per-source CSV logs (two PDUs per rack; IPMI per node without a
rack column, rolled up by a host-to-rack map).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

T0_S = 1_772_323_200  # 2026-03-01 00:00:00 UTC


def p95(values: list[float]) -> float:
    """The 95th percentile with linear interpolation (what percentile_cont computes)."""
    ordered = sorted(values)
    rank = 0.95 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Case:
    """One file and what ``summary`` must say of it (kW per node or rack: p95)."""

    name: str
    body: bytes
    level: str
    p95_kw: dict[str, float]
    peak_kw: dict[str, float] = field(default_factory=dict)
    ingest: dict[str, Any] = field(default_factory=dict)  # extra ingest arguments

    def write(self, directory: Path) -> Path:
        path = directory / self.name
        path.write_bytes(self.body)
        return path


def _gpu_line(host_label: str, host: str, gpu: int, watts: float, extra: str = "") -> str:
    return (
        f'DCGM_FI_DEV_POWER_USAGE{{gpu="{gpu}",UUID="GPU-{host}-{gpu}",pci_bus_id="00000000:{gpu + 16:02X}:00.0",'
        f'device="nvidia{gpu}",modelName="NVIDIA H100 80GB HBM3",{host_label}="{host}"{extra}}} {watts:.3f}'
    )


def lowercase_hostname_scrape() -> Case:
    """Current dcgm-exporter: the host label is ``hostname``; HELP/TYPE lines; no timestamps."""
    watts = {"dgx-a": [312.5, 298.25, 305.0, 410.75], "dgx-b": [120.0, 130.5, 99.5, 101.0]}
    lines = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).", "# TYPE DCGM_FI_DEV_POWER_USAGE gauge"]
    lines += [_gpu_line("hostname", h, g, w) for h, ws in watts.items() for g, w in enumerate(ws)]
    body = ("\n".join(lines) + "\n").encode()
    figures = {h: sum(ws) / 1000 for h, ws in watts.items()}
    return Case("dcgm_lowercase_hostname.prom", body, "node", figures, figures)


def other_metrics_first_txt() -> Case:
    """A scrape saved as .txt: other DCGM metrics first, no HELP or TYPE lines at all."""
    watts = {"gpu-07": [250.0, 260.0], "gpu-08": [700.0, 690.0]}
    lines = []
    for h in watts:
        for g in range(2):
            lines.append(f'DCGM_FI_DEV_SM_CLOCK{{gpu="{g}",UUID="GPU-{h}-{g}",Hostname="{h}"}} 1980')
            lines.append(f'DCGM_FI_DEV_GPU_TEMP{{gpu="{g}",UUID="GPU-{h}-{g}",Hostname="{h}"}} 44')
    lines += [_gpu_line("Hostname", h, g, w) for h, ws in watts.items() for g, w in enumerate(ws)]
    lines.append('DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-gpu-07-0",Hostname="gpu-07"} 1024')
    body = ("\n".join(lines) + "\n").encode()
    figures = {h: sum(ws) / 1000 for h, ws in watts.items()}
    return Case("dcgm_scrape_other_metrics_first.txt", body, "node", figures, figures)


def kube_node_range_with_mig() -> Case:
    """query_range JSON over 20 steps of 15 s with only ``kubernetes_node`` naming the host; GPU 0 of
    node-a is split into 3 MIG instances, each series repeating the GPU's power."""
    steps = 20
    series = []
    per_node: dict[str, list[float]] = {"node-a": [0.0] * steps, "node-b": [0.0] * steps}
    for node, gpus in (("node-a", 2), ("node-b", 3)):
        for g in range(gpus):
            values = [200.0 + 10 * g + (37 * s) % 90 + (50 if node == "node-b" else 0) for s in range(steps)]
            for s, v in enumerate(values):
                per_node[node][s] += v
            copies = 3 if (node, g) == ("node-a", 0) else 1
            for instance in range(copies):
                metric = {
                    "__name__": "DCGM_FI_DEV_POWER_USAGE",
                    "gpu": str(g),
                    "UUID": f"GPU-{node}-{g}",
                    "kubernetes_node": node,
                    "instance": f"10.0.0.{g + 10}:9400",
                }
                if copies > 1:
                    metric["GPU_I_ID"] = str(instance + 1)
                series.append({"metric": metric, "values": [[T0_S + 15 * s, f"{v:.3f}"] for s, v in enumerate(values)]})
    body = json.dumps({"status": "success", "data": {"resultType": "matrix", "result": series}}).encode()
    p95s = {n: p95([w / 1000 for w in ws]) for n, ws in per_node.items()}
    peaks = {n: max(ws) / 1000 for n, ws in per_node.items()}
    return Case("kube_node_range_mig.json", body, "node", p95s, peaks)


def two_pdus_per_rack() -> Case:
    """A rack has two PDUs (A and B), each read every 5 minutes with a few seconds' jitter, and one
    reading repeated: the rack is the sum of its PDUs, a repeated reading counted once."""
    lines = ["Time,Cabinet,PDU,Active Power (kW)"]
    sums: dict[str, list[float]] = {"C01": [], "C02": []}
    for step in range(48):
        minute = step * 5
        for rack, base in (("C01", 4.0), ("C02", 7.5)):
            total = 0.0
            for pdu, share in (("A", 0.55), ("B", 0.45)):
                kw = round(base * share + ((step * 7 + (3 if pdu == "B" else 0)) % 11) * 0.1, 3)
                second = (step * 13 + (5 if pdu == "B" else 0)) % 20
                lines.append(f"2026-03-01 {minute // 60:02d}:{minute % 60:02d}:{second:02d},{rack},{rack}-{pdu},{kw}")
                if step == 10 and pdu == "A":  # the same reading logged twice
                    lines.append(
                        f"2026-03-01 {minute // 60:02d}:{minute % 60:02d}:{second:02d},{rack},{rack}-{pdu},{kw}"
                    )
                total += kw
            sums[rack].append(total)
    body = ("\n".join(lines) + "\n").encode()
    return Case(
        "pdu_a_b_per_rack.csv", body, "rack", {r: p95(v) for r, v in sums.items()}, {r: max(v) for r, v in sums.items()}
    )


def ipmi_nodes_without_rack() -> tuple[Case, bytes]:
    """IPMI per node every minute with no rack column, and a device list mapping nodes to racks (names in
    another case, with a domain): the racks are the sums of their nodes."""
    nodes = {"cn001": "R7", "cn002": "R7", "cn003": "R7", "cn004": "R8"}
    lines = ["Timestamp,Host,Sys Power (Watts)"]
    sums: dict[str, list[float]] = {"R7": [0.0] * 30, "R8": [0.0] * 30}
    for minute in range(30):
        for i, (node, rack) in enumerate(nodes.items()):
            watts = 300 + 40 * i + (minute * (i + 3)) % 70
            lines.append(f"2026-03-01 01:{minute:02d}:{(i * 2 + minute) % 6:02d} UTC,{node},{watts}")
            sums[rack][minute] += watts / 1000
    devices = ["Name,Rack,Allocated draw (W)"] + [f"{n.upper()}.hpc.example.org,{r},500" for n, r in nodes.items()]
    case = Case(
        "ipmi_nodes.csv",
        ("\n".join(lines) + "\n").encode(),
        "rack",
        {r: p95(v) for r, v in sums.items()},
        {r: max(v) for r, v in sums.items()},
        ingest={"mapping": {"timestamp": "Timestamp", "rack_id": "Host", "power_kw": "Sys Power (Watts)"}},
    )
    return case, ("\n".join(devices) + "\n").encode()


def cases() -> list[Case]:
    """The exporter-family files that need no map."""
    return [lowercase_hostname_scrape(), other_metrics_first_txt(), kube_node_range_with_mig(), two_pdus_per_rack()]
