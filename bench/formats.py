"""Converted formats: a 1M-row Excel inventory and a 10M-sample DCGM scrape, each against the same
data as CSV through the existing path; ingest time and peak memory.

Each file is ingested by the real CLI (``python -m factorycore ingest FILE --format json``)
in a child process with its own ``FACTORY_DB``; the time runs from process start to exit
and the peak memory is that child's ``ru_maxrss`` (``os.wait4``). The CSV twins hold the
same values: the workbook's rows as a CSV inventory; the scrape's samples as a telemetry
CSV with one row per GPU sample (rack_id = host, power in W). The DCGM path does more
(it parses the exposition lines and counts each physical GPU once) and stores the same rows
(one per GPU and timestamp). ``BENCH_FORMATS=dcgm`` runs the DCGM half alone, and
``BENCH_DCGM_RUNS=N`` ingests twin and scrape alternately N times each (medians).
Generating the workbook is slow in Python and is not timed.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.data import REPO_ROOT, temp_dir
from bench.harness import Measurement

XLSX_ROWS = int(os.environ.get("BENCH_XLSX_ROWS", "1000000"))
DCGM_SAMPLES = int(os.environ.get("BENCH_DCGM_SAMPLES", "10000000"))
DCGM_RUNS = int(os.environ.get("BENCH_DCGM_RUNS", "1"))
ONLY = os.environ.get("BENCH_FORMATS", "all")  # "dcgm": the DCGM half alone
GPUS_PER_HOST = 8
HOSTS = 500
T0_S = 1_772_323_200


def _cli(path: Path, name: str) -> tuple[float, float, dict]:
    """(seconds, peak MB, JSON result) of one CLI ingest of ``path`` into a fresh database."""
    db_file = temp_dir() / f"{name}.duckdb"
    for stale in (db_file, db_file.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    out_file, err_file = db_file.with_suffix(".out"), db_file.with_suffix(".err")
    with out_file.open("wb") as out, err_file.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "factorycore", "ingest", str(path), "--dataset", name, "--format", "json"],
            cwd=REPO_ROOT,
            env=dict(os.environ, FACTORY_DB=str(db_file)),
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"ingest of {path.name} failed: {err_file.read_text()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, json.loads(out_file.read_text())


def _inventory_rows(rows: int):  # noqa: ANN202 - a row generator
    yield ["Site", "Hall", "Row", "Rack", "Design power (kW)", "Measured power (kW)"]
    for i in range(rows):
        yield ["DC1", f"H{i % 8}", f"R{i % 40}", f"K{i:07d}", 10 + i % 30, round(5 + (i % 97) / 7, 2)]


def _workbook_and_csv(rows: int) -> tuple[Path, Path]:
    from tests.corpus import make

    folder = temp_dir()
    xlsx, csv_path = folder / f"inventory_{rows}.xlsx", folder / f"inventory_{rows}.csv"
    if not xlsx.exists():
        make.workbook({"Inventory": _inventory_rows(rows)}, path=xlsx)
    if not csv_path.exists():
        with csv_path.open("w") as out:
            for row in _inventory_rows(rows):
                out.write(",".join(str(v) for v in row) + "\n")
    return xlsx, csv_path


def _scrape_and_csv(samples: int) -> tuple[Path, Path]:
    folder = temp_dir()
    prom, csv_path = folder / f"dcgm_{samples}.prom", folder / f"dcgm_{samples}.csv"
    per_step = HOSTS * GPUS_PER_HOST
    if not prom.exists() or not csv_path.exists():
        with prom.open("w") as p, csv_path.open("w") as c:
            p.write("# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n")
            c.write("timestamp,rack_id,gpu,power_w\n")
            for start in range(0, samples, per_step):
                step = start // per_step
                ts = T0_S + 15 * step
                lines, rows = [], []
                for k in range(min(per_step, samples - start)):
                    host, gpu = divmod(k, GPUS_PER_HOST)
                    watts = 300 + (k * 7 + step) % 400
                    lines.append(
                        f'DCGM_FI_DEV_POWER_USAGE{{gpu="{gpu}",UUID="GPU-{host:04d}-{gpu}",device="nvidia{gpu}",'
                        f'modelName="NVIDIA H100 80GB HBM3",Hostname="node-{host:04d}"}} {watts} {ts * 1000}\n'
                    )
                    rows.append(f"{ts},node-{host:04d},{gpu},{watts}\n")
                p.write("".join(lines))
                c.write("".join(rows))
    return prom, csv_path


def run() -> list[Measurement]:
    """Workbook vs CSV and DCGM scrape vs CSV: ingest seconds (ratio to the CSV) and peak MB.

    ``BENCH_FORMATS=dcgm`` runs the DCGM half alone.
    """
    if ONLY == "dcgm":
        return _dcgm()
    out: list[Measurement] = []
    xlsx, inv_csv = _workbook_and_csv(XLSX_ROWS)
    xs, xmb, xres = _cli(xlsx, "xlsx")
    cs, cmb, cres = _cli(inv_csv, "xlsx-csv")
    assert xres["rows_accepted"] == cres["rows_accepted"] == XLSX_ROWS, (xres, cres)
    out += [
        Measurement(
            name=f"formats: {XLSX_ROWS:,}-row .xlsx inventory ({xlsx.stat().st_size / 1e6:.0f} MB) via CLI",
            figure=xs,
            unit="s",
            baseline=cs,
            baseline_label="the same rows as CSV via CLI",
            target="<= 3x",
            met=xs <= 3 * cs,
        ),
        Measurement(
            name=f"formats: {XLSX_ROWS:,}-row .xlsx, peak memory",
            figure=xmb,
            unit="MB",
            baseline=cmb,
            baseline_label="the CSV",
            target="< 2048 MB",
            met=xmb < 2048,
        ),
    ]
    out += _dcgm()
    return out


def _dcgm() -> list[Measurement]:
    """The DCGM scrape and its CSV twin, ingested alternately (twin, scrape, twin, scrape, ...:
    ``BENCH_DCGM_RUNS`` pairs, default 1); the medians, so a burst of load hits both."""
    prom, dcgm_csv = _scrape_and_csv(DCGM_SAMPLES)
    scrape, twin = [], []
    for _ in range(max(1, DCGM_RUNS)):
        twin.append(_cli(dcgm_csv, "dcgm-csv"))
        scrape.append(_cli(prom, "dcgm"))
    ds, dmb, dres = statistics.median(r[0] for r in twin), max(r[1] for r in twin), twin[0][2]
    ps, pmb, pres = statistics.median(r[0] for r in scrape), max(r[1] for r in scrape), scrape[0][2]
    out: list[Measurement] = []
    # One row per physical GPU and time on both sides (a rack's power is the sum of its sources).
    assert dres["rows_accepted"] == DCGM_SAMPLES and pres["rows_accepted"] == DCGM_SAMPLES, (
        pres,
        dres,
    )
    out += [
        Measurement(
            name=f"formats: {DCGM_SAMPLES:,}-sample DCGM scrape ({prom.stat().st_size / 1e9:.1f} GB) via CLI "
            f"(stores {pres['rows_accepted']:,} per-GPU rows; median of {len(scrape)})",
            figure=ps,
            unit="s",
            baseline=ds,
            baseline_label="the samples as a telemetry CSV via CLI",
            target="<= 2x",
            met=ps <= 2 * ds,
        ),
        Measurement(
            name=f"formats: {DCGM_SAMPLES:,}-sample DCGM scrape, peak memory",
            figure=pmb,
            unit="MB",
            baseline=dmb,
            baseline_label="the CSV",
            target="< 2048 MB",
            met=pmb < 2048,
        ),
    ]
    return out
