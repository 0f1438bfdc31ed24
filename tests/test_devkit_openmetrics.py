"""devkit's DCGM OpenMetrics writer: the byte-array path (benchmarks write 100M samples through it) writes
exactly the lines the plain per-line rule gives, the tests' series included."""

from __future__ import annotations

from pathlib import Path

import pytest

from devkit.prometheus import dcgm_openmetrics


def _by_line(hosts: list[str], gpus: int, start_s: int, samples: int, step_s: int, racks: dict[str, str]) -> bytes:
    """The series as the writer's docstring states them, one f-string per line."""
    out = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n"]
    for h, host in enumerate(hosts):
        rack = f',rack="{racks[host]}"' if host in racks else ""
        for g in range(gpus):
            labels = (
                f'gpu="{g}",UUID="GPU-{h:02d}-{g}",device="nvidia{g}",modelName="NVIDIA H100 80GB HBM3",'
                f'Hostname="{host}"{rack}'
            )
            watts = [100 + 10 * h + g + (50 if k % 2 else 0) for k in range(samples)]
            out += [f"DCGM_FI_DEV_POWER_USAGE{{{labels}}} {watts[k]} {start_s + k * step_s}\n" for k in range(samples)]
    out.append("# EOF\n")
    return "".join(out).encode()


@pytest.mark.parametrize(
    ("samples", "start_s", "step_s"),
    [
        (1, 1_700_000_000, 15),
        (2, 1_700_000_000, 15),
        (7, 1_700_000_000, 15),  # an odd count: the last line stands alone
        (480, 1_791_000_000, 15),
        (1001, 99_999_990, 15),  # timestamps grow a digit: the per-line path
        (30, 1_700_000_000, 60),
    ],
)
def test_the_byte_array_writer_writes_the_plain_lines(tmp_path: Path, samples: int, start_s: int, step_s: int):
    hosts = [f"node-{i:03d}" for i in range(13)]  # values cross 3 to 4 digits with the +50
    racks = {h: f"R{i // 4:02d}" for i, h in enumerate(hosts) if i != 5}  # one host without a rack label
    path = tmp_path / "dcgm.om"
    count = dcgm_openmetrics(path, hosts=hosts, gpus=3, start_s=start_s, samples=samples, step_s=step_s, racks=racks)
    assert count == len(hosts) * 3 * samples
    assert path.read_bytes() == _by_line(hosts, 3, start_s, samples, step_s, racks)
