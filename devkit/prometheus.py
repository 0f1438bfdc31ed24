"""Start a real Prometheus on 127.0.0.1, backfilled with generated DCGM GPU power series.

For tests and benchmarks of the live pull: Debian's ``prometheus`` package gives
``/usr/bin/prometheus`` and ``/usr/bin/promtool``. We never use the Debian service:
the binary runs here with a private ``--storage.tsdb.path``, a config that scrapes
nothing, and blocks written by ``promtool tsdb create-blocks-from openmetrics``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devkit.server import ServerError, free_port, stop, wait_ready

PROMETHEUS = Path("/usr/bin/prometheus")
PROMTOOL = Path("/usr/bin/promtool")
START_TIMEOUT_S = 60.0


def dcgm_openmetrics(
    path: Path,
    *,
    hosts: list[str],
    gpus: int,
    start_s: int,
    samples: int,
    step_s: int = 15,
    racks: dict[str, str] | None = None,
) -> int:
    """Write DCGM_FI_DEV_POWER_USAGE series in OpenMetrics text (what promtool backfills); the sample count.

    GPU ``g`` of host number ``h`` draws ``100 + 10 h + g`` W plus 50 W on every other
    sample, so a test can work out sums by hand. ``racks`` adds a ``rack`` label per host.
    """
    count = 0
    with path.open("w") as out:
        out.write("# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n")
        for h, host in enumerate(hosts):
            rack = f',rack="{racks[host]}"' if racks and host in racks else ""
            for g in range(gpus):
                labels = (
                    f'gpu="{g}",UUID="GPU-{h:02d}-{g}",device="nvidia{g}",modelName="NVIDIA H100 80GB HBM3",'
                    f'Hostname="{host}"{rack}'
                )
                lines = [
                    f"DCGM_FI_DEV_POWER_USAGE{{{labels}}} {100 + 10 * h + g + (50 if k % 2 else 0)} "
                    f"{start_s + k * step_s}\n"
                    for k in range(samples)
                ]
                out.write("".join(lines))
                count += samples
        out.write("# EOF\n")
    return count


@contextmanager
def prometheus_server(workdir: Path, openmetrics: Path | None = None) -> Iterator[str]:
    """Backfill ``openmetrics`` (if given) into a fresh TSDB, serve it; yield the base URL."""
    tsdb = workdir / "tsdb"
    tsdb.mkdir(parents=True, exist_ok=True)
    if openmetrics is not None:
        done = subprocess.run(
            [str(PROMTOOL), "tsdb", "create-blocks-from", "openmetrics", str(openmetrics), str(tsdb)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise ServerError(f"promtool backfill failed: {(done.stderr or done.stdout)[-2000:]}")
    config = workdir / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    port = free_port()
    log = workdir / "prometheus.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                str(PROMETHEUS),
                f"--config.file={config}",
                f"--storage.tsdb.path={tsdb}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--storage.tsdb.retention.time=100y",
            ],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{url}/-/ready", proc, log, "prometheus", START_TIMEOUT_S)
        yield url
    finally:
        stop(proc, 15.0)
