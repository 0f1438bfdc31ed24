"""Start a real Prometheus on 127.0.0.1, backfilled with generated DCGM GPU power series.

For tests and benchmarks of the live pull: Debian's ``prometheus`` package gives
``/usr/bin/prometheus`` and ``/usr/bin/promtool``. We never use the Debian service:
the binary runs here with a private ``--storage.tsdb.path``, a config that scrapes
nothing, and blocks written by ``promtool tsdb create-blocks-from openmetrics``.

At benchmark sizes (100M samples, a 14 GB file) three things matter: the file is written
by numpy, a series at a time as one fixed-width byte array (minutes instead of hours of
f-strings); promtool re-parses the whole file once per block it writes (2 h blocks by
default, so 17 days of samples would be 209 passes), so ``max_block_duration_h`` asks it
for long blocks (its hidden ``--max-block-duration``); and a backfilled TSDB folder can be
served again without backfilling (``openmetrics=None``).
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
METRIC = "DCGM_FI_DEV_POWER_USAGE"
# promtool's block lengths are these ranges (2 h x 3^n); a longer --max-block-duration is rounded down to one.
BLOCK_RANGES_H: tuple[int, ...] = (2, 6, 18, 54, 162, 486, 1458, 4374)


def _labels(h: int, g: int, host: str, racks: dict[str, str] | None) -> str:
    rack = f',rack="{racks[host]}"' if racks and host in racks else ""
    return (
        f'gpu="{g}",UUID="GPU-{h:02d}-{g}",device="nvidia{g}",modelName="NVIDIA H100 80GB HBM3",Hostname="{host}"{rack}'
    )


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
    Series after series, each written as one byte array (:func:`_series_bytes`) when its
    timestamps share one width, else line by line; the bytes are the same either way.
    """
    import numpy as np  # noqa: PLC0415 - devkit stays importable without numpy for the slow path's callers

    stamps = start_s + step_s * np.arange(samples, dtype=np.int64)
    fixed = samples >= 2 and len(str(int(stamps[0]))) == len(str(int(stamps[-1])))
    digits = _digits(stamps) if fixed else None
    count = 0
    with path.open("wb") as out:
        out.write(f"# HELP {METRIC} Power draw (in W).\n# TYPE {METRIC} gauge\n".encode())
        for h, host in enumerate(hosts):
            for g in range(gpus):
                prefix = f"{METRIC}{{{_labels(h, g, host, racks)}}} "
                base = 100 + 10 * h + g
                if digits is not None:
                    out.write(_series_bytes(prefix, base, digits))
                else:
                    out.write(
                        "".join(
                            f"{prefix}{base + (50 if k % 2 else 0)} {start_s + k * step_s}\n" for k in range(samples)
                        ).encode()
                    )
                count += samples
        out.write(b"# EOF\n")
    return count


def _digits(stamps):  # noqa: ANN001, ANN202 - numpy arrays
    """Each timestamp's decimal digits as ASCII bytes, one row per timestamp (all of one width)."""
    import numpy as np  # noqa: PLC0415

    width = len(str(int(stamps[0])))
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((stamps[:, None] // powers) % 10 + 48).astype(np.uint8)


def _series_bytes(prefix: str, base: int, digits) -> memoryview:  # noqa: ANN001 - numpy array
    """One series' lines (``prefix value stamp``, the value ``base`` then ``base + 50`` alternately) as bytes.

    Two lines make one fixed-width row (the even sample's line, then the odd one's), so the
    series is a 2-D byte array: the row template broadcast, then the timestamp digits set in
    their two columns.
    """
    import numpy as np  # noqa: PLC0415

    samples, width = digits.shape
    even, odd = f"{prefix}{base} ".encode(), f"{prefix}{base + 50} ".encode()
    row = even + b"0" * width + b"\n" + odd + b"0" * width + b"\n"
    pairs = samples // 2
    block = np.empty((pairs, len(row)), dtype=np.uint8)
    block[:] = np.frombuffer(row, dtype=np.uint8)
    at_odd = len(even) + width + 1 + len(odd)
    block[:, len(even) : len(even) + width] = digits[0 : 2 * pairs : 2]
    block[:, at_odd : at_odd + width] = digits[1 : 2 * pairs : 2]
    tail = b""
    if samples % 2:
        tail = even + digits[-1].tobytes() + b"\n"
    return memoryview(block.tobytes() + tail) if tail else memoryview(block).cast("B")


def backfill(openmetrics: Path, tsdb: Path, *, max_block_duration_h: int | None = None, timeout_s: float = 600) -> None:
    """Write ``openmetrics`` as TSDB blocks into ``tsdb`` by promtool (blocks of up to ``max_block_duration_h``)."""
    tsdb.mkdir(parents=True, exist_ok=True)
    blocks = [f"--max-block-duration={max_block_duration_h}h"] if max_block_duration_h else []
    done = subprocess.run(
        [str(PROMTOOL), "tsdb", "create-blocks-from", *blocks, "openmetrics", str(openmetrics), str(tsdb)],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    if done.returncode:
        raise ServerError(f"promtool backfill failed: {(done.stderr or done.stdout)[-2000:]}")


@contextmanager
def prometheus_server(
    workdir: Path,
    openmetrics: Path | None = None,
    *,
    max_block_duration_h: int | None = None,
    query_max_samples: int | None = None,
    backfill_timeout_s: float = 600,
) -> Iterator[str]:
    """Backfill ``openmetrics`` (if given) into ``workdir/tsdb``, serve that TSDB; yield the base URL.

    Without ``openmetrics`` the blocks already in ``workdir/tsdb`` are served (a benchmark's kept
    backfill). Retention is 100 years, since the samples are in the past: Prometheus would delete
    blocks older than its default 15 days at start.
    """
    tsdb = workdir / "tsdb"
    tsdb.mkdir(parents=True, exist_ok=True)
    if openmetrics is not None:
        backfill(openmetrics, tsdb, max_block_duration_h=max_block_duration_h, timeout_s=backfill_timeout_s)
    config = workdir / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    port = free_port()
    log = workdir / "prometheus.log"
    limits = [f"--query.max-samples={query_max_samples}"] if query_max_samples else []
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                str(PROMETHEUS),
                f"--config.file={config}",
                f"--storage.tsdb.path={tsdb}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--storage.tsdb.retention.time=100y",
                *limits,
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
