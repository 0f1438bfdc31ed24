"""Converted formats: a 1M-row Excel inventory and a 10M-sample DCGM scrape, each against the same
data as CSV through the existing path; ingest time and peak memory.

The inventory is written twice: by XlsxWriter, which keeps text in the shared-strings table as Excel
itself does (``<c t="s"><v>12</v></c>`` in the sheet), and by the test corpus's streaming writer with
inline strings (``<c t="inlineStr"><is><t>K0000012</t></is></c>``, as openpyxl and XlsxWriter's
``constant_memory`` mode write them: the most verbose form: 291 MB of sheet XML against 231 MB at 1M rows).
The CSV, the shared-strings and the inline-strings workbook are ingested in turn, ``BENCH_XLSX_REPEAT``
rounds (default 3, the disk synced before each), and each figure is the median of its rounds.
``BENCH_FORMATS=xlsx`` (or ``dcgm``) runs one half only. ``BENCH_XLSX_BEFORE=DIR`` names another
checkout (an earlier commit, e.g. from ``git archive``) whose CLI ingests both workbooks in the same
rounds, so a change of the reader is measured before and after on the same files in one run.

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
XLSX_REPEAT = int(os.environ.get("BENCH_XLSX_REPEAT", "3"))
XLSX_BEFORE = os.environ.get("BENCH_XLSX_BEFORE", "")
DCGM_SAMPLES = int(os.environ.get("BENCH_DCGM_SAMPLES", "10000000"))
DCGM_RUNS = int(os.environ.get("BENCH_DCGM_RUNS", "1"))
ONLY = os.environ.get("BENCH_FORMATS", "all")  # "xlsx" or "dcgm": that half alone
GPUS_PER_HOST = 8
HOSTS = 500
T0_S = 1_772_323_200


def _cli(path: Path, name: str, checkout: Path = REPO_ROOT) -> tuple[float, float, dict]:
    """(seconds, peak MB, JSON result) of one CLI ingest of ``path`` into a fresh database, by the
    ``factorycore`` of ``checkout``."""
    db_file = temp_dir() / f"{name}.duckdb"
    for stale in (db_file, db_file.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    out_file, err_file = db_file.with_suffix(".out"), db_file.with_suffix(".err")
    with out_file.open("wb") as out, err_file.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "factorycore", "ingest", str(path), "--dataset", name, "--format", "json"],
            cwd=checkout,
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


def _workbooks_and_csv(rows: int) -> tuple[Path, Path, Path]:
    """(shared-strings workbook, inline-strings workbook, CSV) of the same inventory rows."""
    from tests.corpus import make

    folder = temp_dir()
    shared, inline = folder / f"inventory_{rows}_shared.xlsx", folder / f"inventory_{rows}_inline.xlsx"
    csv_path = folder / f"inventory_{rows}.csv"
    if not shared.exists():
        # In a child: XlsxWriter holds every cell until it closes (about 1 GB here), and a child forked
        # from a large parent would report the parent's size as its own peak (ru_maxrss).
        subprocess.run(
            [sys.executable, "-m", "bench.formats", "shared-workbook", str(shared), str(rows)],
            cwd=REPO_ROOT,
            check=True,
        )
    if not inline.exists():
        make.workbook({"Inventory": _inventory_rows(rows)}, path=inline)
    if not csv_path.exists():
        with csv_path.open("w") as out:
            for row in _inventory_rows(rows):
                out.write(",".join(str(v) for v in row) + "\n")
    return shared, inline, csv_path


def _xlsx_measurements() -> list[Measurement]:
    """The two workbooks against their CSV, ingested in turn (median of XLSX_REPEAT rounds)."""
    shared, inline, inv_csv = _workbooks_and_csv(XLSX_ROWS)
    cases = [("csv", inv_csv, REPO_ROOT), ("shared", shared, REPO_ROOT), ("inline", inline, REPO_ROOT)]
    if XLSX_BEFORE:
        cases += [("shared-before", shared, Path(XLSX_BEFORE)), ("inline-before", inline, Path(XLSX_BEFORE))]
    runs: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in cases}
    for _ in range(XLSX_REPEAT):
        for label, path, checkout in cases:
            os.sync()  # no process shares the disk with the last ingest's write-back
            seconds, peak_mb, result = _cli(path, f"xlsx-{label}", checkout)
            assert result["rows_accepted"] == XLSX_ROWS, result
            runs[label].append((seconds, peak_mb))
    cs = statistics.median(s for s, _ in runs["csv"])
    out = []
    for label, path, how in (
        ("shared", shared, "shared strings, as Excel and XlsxWriter write it"),
        ("inline", inline, "inline strings, as openpyxl writes it"),
    ):
        xs = statistics.median(s for s, _ in runs[label])
        out.append(
            Measurement(
                name=f"formats: {XLSX_ROWS:,}-row .xlsx inventory, {how} ({path.stat().st_size / 1e6:.0f} MB), via CLI",
                figure=xs,
                unit="s",
                baseline=cs,
                baseline_label="the same rows as CSV via CLI",
                target="<= 3x",
                met=xs <= 3 * cs,
            )
        )
        if XLSX_BEFORE:
            bs = statistics.median(s for s, _ in runs[f"{label}-before"])
            out.append(
                Measurement(
                    name=f"formats: the same {label}-strings workbook by the checkout in BENCH_XLSX_BEFORE",
                    figure=bs,
                    unit="s",
                    baseline=cs,
                    baseline_label="the same rows as CSV via CLI",
                    target="-",
                )
            )
    peak = max(mb for label in ("shared", "inline") for _, mb in runs[label])
    out.append(
        Measurement(
            name=f"formats: {XLSX_ROWS:,}-row .xlsx, peak memory (either workbook)",
            figure=peak,
            unit="MB",
            baseline=max(mb for _, mb in runs["csv"]),
            baseline_label="the CSV",
            target="< 2048 MB",
            met=peak < 2048,
        )
    )
    return out


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

    ``BENCH_FORMATS=xlsx`` or ``dcgm`` runs one half alone.
    """
    if ONLY == "dcgm":
        return _dcgm()
    out: list[Measurement] = []
    out += _xlsx_measurements()
    if ONLY == "xlsx":  # the workbook half alone
        return out
    return out + _dcgm()


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


def _shared_workbook(path: Path, rows: int) -> None:
    """The inventory as XlsxWriter writes it by default (text in the shared-strings table, as Excel)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))  # not constant_memory, which writes inline strings
    sheet = book.add_worksheet("Inventory")
    for r, row in enumerate(_inventory_rows(rows)):
        sheet.write_row(r, 0, row)
    book.close()


if __name__ == "__main__" and sys.argv[1:2] == ["shared-workbook"]:
    _shared_workbook(Path(sys.argv[2]), int(sys.argv[3]))
