"""Files that are not CSV, turned into a temporary CSV so they pass the one validation path.

Operators' data arrives as Excel workbooks, Parquet, and GPU power scraped by NVIDIA's
DCGM exporter into Prometheus. Rather than teach detection and ingest a second reader
per format (and keep two sets of checks in step), each format is converted here,
streaming, to a plain UTF-8 CSV in a private folder; :func:`factorycore.userdata.ingest.ingest`
then detects, validates and stores that CSV exactly as an uploaded one, so bad rows
are kept with a reason and a failed file stores nothing. The conversion's own findings
(which sheet, which header row, error cells, NaN samples) travel as :class:`Conversion`
``notes`` into the dataset's details.

- **Excel** ``.xlsx``/``.xlsm`` (openpyxl in read-only streaming mode, cached values of
  formulas): one sheet (the first unless chosen); the header is the row among the first
  :data:`HEADER_SCAN_ROWS` whose cells name the most fields of any kind, so title rows
  and merged banner cells above it are skipped; error cells (``#DIV/0!``, ``#N/A``...)
  become empty, with a note naming the cell. Refused before reading: an encrypted
  workbook, a legacy ``.xls``, and a ZIP whose parts or total would expand beyond
  :data:`factorycore.archive_limits.WORKBOOK_LIMITS` (shared strings, which openpyxl loads
  whole, have the tightest bound) or by more than :data:`MAX_ZIP_RATIO` (a zip bomb).
- **Parquet**: DuckDB reads it natively and writes the CSV, once its footer says the
  columns expand to at most :data:`factorycore.archive_limits.PARQUET_MAX_EXPANDED_BYTES`.
- **DCGM GPU power** (``DCGM_FI_DEV_POWER_USAGE``, watts per GPU) as a Prometheus
  text-format scrape or a ``query_range`` JSON export: parsed in DuckDB, summed per
  timestamp over each node's GPUs and then over each rack's nodes, and written as a
  telemetry CSV (``timestamp, rack_id, power_w``). The rack of a node comes from a
  ``rack`` label on the series, else from a host-to-rack mapping (a ``devices``
  dataset: device name -> rack), else the node stands as its own rack. Non-finite
  samples (NaN: Prometheus' stale or missing readings; +/-Inf) are left out of the sums
  and counted in a note.

The exporter's format, as read: NVIDIA/dcgm-exporter ``pkg/dcgmexporter/render_metrics.go``
renders ``FIELD{gpu="<index>",UUID="<uuid>",device="nvidia0",modelName="...",Hostname="<host>",...} VALUE``
(the ``UUID`` label's name is configurable) and ``etc/default-counters.csv`` declares
``DCGM_FI_DEV_POWER_USAGE, gauge, Power draw (in W).``
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from factorycore import archive_limits, store
from factorycore.userdata.catalog import DatasetInfo
from factorycore.userdata.conversion import (
    EXCEL_ERRORS,
    HEADER_SCAN_ROWS,
    Conversion,
    cell_text,
    column_letter,
    find_header,
    note_sheet_rows,
    sql_path,
    unreadable,
)
from factorycore.userdata.dcgm_labels import (
    DCGM_POWER_METRIC,
    HOST_LABELS,
    UUID_LABELS,
    first_key_sql,
)
from factorycore.userdata.detect import UnreadableFile
from factorycore.userdata.kinds.spec import ROLE_HOST_RACK_MAP

FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet", "prometheus_text", "prometheus_json")
# File name endings the uploader takes for the converted formats.
FILE_TYPES: tuple[str, ...] = ("xlsx", "xlsm", "parquet", "prom", "json", "metrics")
MAX_XLSX_EXPANDED_BYTES = archive_limits.WORKBOOK_LIMITS.total_max_bytes
MAX_ZIP_RATIO = 200  # xlsx sheets compress ~10-30x; a bomb far more
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


def source_format(path: Path) -> str:
    """'csv' (any text the CSV path handles) or one of the converted formats, from the first bytes.

    Raises :class:`UnreadableFile` for an encrypted workbook, which nothing can read.
    """
    with Path(path).open("rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith(_OLE_MAGIC) and _ENCRYPTED_MARK in head + _tail(path):
        raise unreadable(
            "the workbook is encrypted (password-protected); remove the password in Excel "
            "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save again"
        )
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{") and b'"resultType"' in head and b'"status"' in head:
        return "prometheus_json"
    if _is_exposition(text):
        return "prometheus_text"
    return "csv"


# One sample line of the Prometheus text exposition format: a metric name, optional labels, a value
# and an optional timestamp (prometheus/docs "Exposition formats", text-based format).
_SAMPLE_LINE = re.compile(
    rb"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?[ \t]+[-+]?(\d[\d.eE+-]*|\.\d[\d.eE+-]*|NaN|[Ii]nf|\+Inf)"
    rb"([ \t]+-?\d+(\.\d+)?)?[ \t]*$"
)


def _is_exposition(head: bytes) -> bool:
    """Whether a file's first bytes are Prometheus text: the DCGM power metric anywhere, or every one
    of the first (up to 20) lines that are not comments a sample line, with HELP/TYPE lines or not."""
    if re.search(rb"(?m)^" + DCGM_POWER_METRIC.encode() + rb"[{ \t]", head):
        return True
    lines = head.splitlines()
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines = lines[:-1]  # the read may have cut the last line
    lines = [ln.strip() for ln in lines]
    samples = [ln for ln in lines if ln and not ln.startswith(b"#")][:20]
    comments = any(ln.startswith((b"# HELP", b"# TYPE")) for ln in lines[:20])
    return bool(samples) and all(_SAMPLE_LINE.match(ln) for ln in samples) and (comments or len(samples) >= 2)


def _tail(path: Path) -> bytes:
    """The last 64 KB (an encrypted package's directory may sit at the end)."""
    with Path(path).open("rb") as handle:
        handle.seek(max(0, os.path.getsize(path) - 64 * 1024))
        return handle.read()


def to_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    workdir: Path,
    *,
    sheet: str | None = None,
    host_racks: DatasetInfo | None = None,
    scraped_at: dt.datetime | None = None,
) -> Conversion:
    """Convert ``path`` (any of :data:`FORMATS`) to a CSV in ``workdir``; a CSV is returned as it is.

    ``sheet`` picks a workbook's sheet; ``host_racks`` (a devices dataset) maps DCGM
    hosts to racks; ``scraped_at`` stamps a text scrape without sample timestamps
    (default: now, UTC). Raises :class:`UnreadableFile` with one message otherwise.
    """
    path = Path(path)
    fmt = source_format(path)
    if fmt == "csv":
        return Conversion(path, "csv")
    out = Path(workdir) / "converted.csv"
    if fmt == "xlsx":
        return _xlsx(path, out, sheet)
    if fmt == "parquet":
        return _parquet(con, path, out, workdir)
    return _dcgm(con, path, out, workdir, fmt, host_racks, scraped_at)


# --- Excel ------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    """Refuse, from the ZIP directory alone, a file that is not a workbook or expands beyond
    :data:`factorycore.archive_limits.WORKBOOK_LIMITS` (per part and in total) or by more than
    :data:`MAX_ZIP_RATIO` (a zip bomb)."""
    try:
        members = archive_limits.check_zip(path, archive_limits.WORKBOOK_LIMITS)
    except zipfile.BadZipFile as exc:
        raise unreadable(f"the file starts like a ZIP/.xlsx but is not a readable one ({exc})") from None
    except archive_limits.ArchiveTooLarge as exc:
        raise UnreadableFile(str(exc)) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise unreadable(
            "the file is a ZIP archive but not an Excel workbook (no xl/workbook.xml); "
            "upload an .xlsx/.xlsm, or the CSV itself"
        )
    for m in members:
        if m.file_size > 10 * 1024**2 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise unreadable(
                f"the workbook's {m.filename} expands {m.file_size // max(m.compress_size, 1):,}"
                f"-fold ({m.file_size / 1024**2:,.0f} MB): that is a zip bomb, not a spreadsheet"
            )


def sheet_names(path: Path) -> list[str]:
    """The workbook's worksheet names, in workbook order (for a sheet chooser)."""
    _check_zip(path)
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _open_workbook(path: Path) -> Any:
    import openpyxl  # noqa: PLC0415 - only workbooks need it

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken package
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise unreadable(f"the .xlsx workbook cannot be opened ({first})") from None


def _xlsx(path: Path, out: Path, sheet: str | None) -> Conversion:
    _check_zip(path)
    from factorycore.userdata import xlsx_reader  # noqa: PLC0415 - loaded when a workbook is converted

    if xlsx_reader.available() and (fast := xlsx_reader.convert(path, out, sheet)) is not None:
        return fast
    workbook = _open_workbook(path)
    try:
        names = list(workbook.sheetnames)
        chosen = sheet if sheet is not None else names[0]
        if chosen not in names:
            raise unreadable(
                f"the workbook has no sheet {chosen[:60]!r}; its sheets: " + ", ".join(repr(n[:40]) for n in names[:20])
            )
        rows = workbook[chosen].iter_rows(values_only=True)
        head: list[tuple[Any, ...]] = []
        for values in rows:
            head.append(values)
            if len(head) >= HEADER_SCAN_ROWS:
                break
        found = find_header(head)
        if found is None:
            raise unreadable(
                f"sheet {chosen[:60]!r} has no header row naming known columns in its first {HEADER_SCAN_ROWS} rows"
            )
        header, at = found
        conv = Conversion(out, "xlsx", {"sheet": chosen, "sheets": names, "header_row": at + 1})
        if at:
            conv.note(f"the header ends on sheet row {at + 1}; rows above it were read as titles or header parts")
        width = len(header)
        written = skipped = 0
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            sheet_row = at + 1
            for values in itertools.chain(head[at + 1 :], rows):
                sheet_row += 1
                cells = list(values[:width]) + [None] * (width - len(values))
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    skipped += 1
                    continue
                for i, cell in enumerate(cells):
                    if isinstance(cell, str) and cell.strip() in EXCEL_ERRORS:
                        conv.note(
                            f"cell {column_letter(i)}{sheet_row} ({header[i][:40]}) holds {cell.strip()}; read as empty"
                        )
                        cells[i] = None
                writer.writerow([cell_text(c) for c in cells])
                written += 1
    finally:
        workbook.close()
    return note_sheet_rows(conv, written, skipped, at)


def _link(path: Path, workdir: Path, name: str) -> Path:
    """A fixed name for ``path`` (DuckDB reads ``*?[]{}`` in a path as a glob)."""
    link = Path(workdir) / name
    try:
        os.symlink(path.resolve(), link)
    except OSError:
        shutil.copyfile(path, link)
    return link


def _copy_to_csv(cur: duckdb.DuckDBPyConnection, select: str, params: list[Any], out: Path) -> None:
    cur.execute(f"COPY ({select}) TO '{sql_path(out)}' (FORMAT csv, HEADER true)", params)


def _parquet(con: duckdb.DuckDBPyConnection, path: Path, out: Path, workdir: Path) -> Conversion:
    link = _link(path, workdir, "input.parquet")
    cur = con.cursor()
    try:
        archive_limits.check_parquet(cur, link)
        _copy_to_csv(cur, "SELECT * FROM read_parquet(?)", [str(link)], out)
    except archive_limits.ArchiveTooLarge as exc:
        raise UnreadableFile(str(exc)) from None
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0].replace(f"'{link}'", "").replace(str(link), "")[:200]
        raise unreadable(f"the Parquet file cannot be read ({first.strip()})") from None
    finally:
        cur.close()
    return Conversion(out, "parquet")


# --- DCGM GPU power from Prometheus -----------------------------------------------------

# The formats whose rows ingest stores from DuckDB (DcgmRows), without writing the CSV.
ROW_FORMATS: tuple[str, ...] = ("prometheus_text", "prometheus_json")
# The order of the rows a DCGM file converts to: by time, rack_id and source (gpu_order ranks the last two).
DCGM_ROW_ORDER = "timestamp, gpu_order"


def _staged_json(cur: duckdb.DuckDBPyConnection, link: Path, table: str) -> None:
    """query_range or instant query JSON (``data.result[].metric`` with ``values: [[t, "v"], ...]`` or
    ``value: [t, "v"]``): ``table`` (sid, power_w, ts), one row per sample, and ``table_series``
    (sid, host, gpu, uuid, device, rack_label), one row per distinct set of those labels."""
    columns = (
        "{'status': 'VARCHAR', 'data': 'STRUCT(resultType VARCHAR, result STRUCT(metric MAP(VARCHAR, VARCHAR), "
        '"values" JSON[], "value" JSON)[])\'}'
    )
    size = max(os.path.getsize(link) + 1024, 16 * 1024**2)
    labels = "host, gpu, uuid, device, rack_label"
    cur.execute(
        f"CREATE TEMP TABLE {table}_wide AS WITH series AS (SELECT unnest(data.result) AS r, data.resultType AS rt "
        f"FROM read_json(?, columns = {columns}, format = 'auto', maximum_object_size = {int(size)})), "
        'samples AS (SELECT r.metric AS m, unnest(CASE WHEN r."values" IS NOT NULL THEN r."values" '
        "ELSE [r.\"value\"] END) AS v FROM series WHERE rt IN ('matrix', 'vector') "
        f"AND coalesce(r.metric['__name__'], '{DCGM_POWER_METRIC}') = '{DCGM_POWER_METRIC}') "
        f"SELECT {first_key_sql(HOST_LABELS)} AS host, coalesce(m['gpu'], '') AS gpu, "
        f"{first_key_sql(UUID_LABELS)} AS uuid, coalesce(m['device'], '') AS device, "
        "coalesce(m['rack'], '') AS rack_label, TRY_CAST(v->>1 AS DOUBLE) AS power_w, "
        "make_timestamp(CAST(TRY_CAST(v->>0 AS DOUBLE) * 1e6 AS BIGINT)) AS ts FROM samples",
        [str(link)],
    )
    cur.execute(
        f"CREATE TEMP TABLE {table}_series AS SELECT CAST(row_number() OVER () AS INTEGER) AS sid, {labels} "
        f"FROM (SELECT DISTINCT {labels} FROM {table}_wide)"
    )
    cur.execute(
        f"CREATE TEMP TABLE {table} AS SELECT s.sid, w.power_w, w.ts FROM {table}_wide w "
        f"JOIN {table}_series s USING ({labels})"
    )
    cur.execute(f"DROP TABLE {table}_wide")


class DcgmRows:
    """A DCGM file's per-GPU rows as a select over a DuckDB cursor's temporary tables, for as long as the
    ``with`` block lasts (then the tables are dropped and the cursor closed).

    ``select`` has the columns ``timestamp`` (TIMESTAMP), ``rack_id`` and ``source`` (VARCHAR) and
    ``power_w`` (DOUBLE), and ``gpu_order`` (not stored: the GPU's rank by rack_id and source), and no
    parameters; :data:`DCGM_ROW_ORDER` orders it as the converted CSV was; ``conversion`` holds what
    converting found (notes, counts). :func:`ingest.ingest_rows
    <factorycore.userdata.ingest.ingest_rows>` validates and stores them without a CSV between.
    """

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        path: Path,
        workdir: Path,
        *,
        host_racks: DatasetInfo | None = None,
        scraped_at: dt.datetime | None = None,
    ) -> None:
        self._con, self._path, self._workdir = con, Path(path), Path(workdir)
        self._host_racks, self._scraped_at = host_racks, scraped_at
        self.cursor: duckdb.DuckDBPyConnection | None = None
        self.select = (
            f"SELECT g.ts AS timestamp, k.rack_id, k.source, g.power_w, k.gpu_order FROM {_GPUS} g "
            f"JOIN {_GPU_IDS} k USING (gid)"
        )
        self.order = DCGM_ROW_ORDER
        self.conversion: Conversion | None = None

    def __enter__(self) -> DcgmRows:
        self.cursor = self._con.cursor()
        try:
            self.conversion = _dcgm_rows(
                self._con, self.cursor, self._path, self._workdir, self._host_racks, self._scraped_at
            )
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.cursor is None:
            return
        try:
            for name in (_SAMPLES, f"{_SAMPLES}_series", _GPUS, _GPU_IDS, f"{_SAMPLES}_wide", DEVICE_RACKS):
                self.cursor.execute(f"DROP TABLE IF EXISTS {name}")
        finally:
            self.cursor.close()
            self.cursor = None


_SAMPLES = "dcgm_samples"  # (sid, power_w, ts) per sample; dcgm_samples_series: (sid, host, gpu, uuid, ...)
_GPU_IDS = "dcgm_gpu_ids"  # (sid, gid, ...) per series, and per physical GPU its rack_id and source
_GPUS = "dcgm_gpus"  # (ts, gid, power_w, series): one reading per physical GPU and time


def _host_label_used(cur: duckdb.DuckDBPyConnection, missing: int) -> None:
    """Refuse samples that name no host: per-GPU power cannot be summed to a node without one."""
    if missing:
        raise unreadable(
            f"{missing:,} {DCGM_POWER_METRIC} sample(s) carry none of the host labels "
            f"{', '.join(HOST_LABELS)}, so their GPUs cannot be summed per node; export the series with "
            "the exporter's Hostname label (or Kubernetes' node label)"
        )


def _dcgm(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    out: Path,
    workdir: Path,
    fmt: str,
    host_racks: DatasetInfo | None,
    scraped_at: dt.datetime | None,
) -> Conversion:
    """The DCGM file's per-GPU rows (:class:`DcgmRows`) written to ``out`` as a telemetry CSV, in row order."""
    with DcgmRows(con, path, workdir, host_racks=host_racks, scraped_at=scraped_at) as rows:
        _copy_to_csv(
            rows.cursor,
            "SELECT strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%f') AS timestamp, rack_id, source, power_w "
            f"FROM ({rows.select}) ORDER BY {rows.order}",
            [],
            out,
        )
        conv = rows.conversion
    conv.path = out
    return conv


def _dcgm_rows(
    con: duckdb.DuckDBPyConnection,
    cur: duckdb.DuckDBPyConnection,
    path: Path,
    workdir: Path,
    host_racks: DatasetInfo | None,
    scraped_at: dt.datetime | None,
) -> Conversion:
    """Stage the DCGM file on ``cur`` and build its per-GPU rows (:class:`DcgmRows`); what converting found.

    Everything is counted per series (one row per label block, a few thousand) and per sample
    only where it must be: the samples' counts in one pass, then one grouping by time and GPU.
    """
    fmt = source_format(path)
    if host_racks is not None and not host_racks.spec.has_role(ROLE_HOST_RACK_MAP):
        raise unreadable(
            f"{host_racks.name!r} cannot map hosts to racks: it is {host_racks.kind}, "
            "not a dataset with a host (device) and a rack column"
        )
    link = _link(path, workdir, "input.prom" if fmt == "prometheus_text" else "input.json")
    stamp = scraped_at or dt.datetime.now(dt.UTC)
    table, series = _SAMPLES, f"{_SAMPLES}_series"
    conv = Conversion(Path(workdir) / "converted.csv", fmt, {"metric": DCGM_POWER_METRIC}, kind="telemetry")
    try:
        if fmt == "prometheus_text":
            from factorycore.userdata import dcgm_text  # noqa: PLC0415 - loaded when a scrape is converted

            dcgm_text.stage(cur, link, table, stamp)
        else:
            _staged_json(cur, link, table)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0].replace(f"'{link}'", "").replace(str(link), "")[:200]
        raise unreadable(
            f"the Prometheus {'scrape' if fmt == 'prometheus_text' else 'export'} cannot be read ({first})"
        ) from None
    # Per series: its samples, the NaN/infinite ones, the untimed ones, those stamped with the time of reading.
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {series} AS SELECT s.*, c.n, c.bad, c.untimed, c.stamped FROM {series} s "
        "JOIN (SELECT sid, count(*) AS n, count(*) FILTER (WHERE power_w IS NULL OR NOT isfinite(power_w)) AS bad, "
        "count(*) FILTER (WHERE ts IS NULL) AS untimed, count(*) FILTER (WHERE ts = ?) AS stamped "
        f"FROM {table} GROUP BY sid) c USING (sid)",
        [stamp.replace(tzinfo=None)],
    )
    total, bad, hosts, untimed, labelled, stamped, no_host = cur.execute(
        "SELECT coalesce(sum(n), 0), coalesce(sum(bad), 0), count(DISTINCT host), coalesce(sum(untimed), 0), "
        "coalesce(sum(n) FILTER (WHERE rack_label <> ''), 0), coalesce(sum(stamped), 0), "
        f"coalesce(sum(n) FILTER (WHERE host = ''), 0) FROM {series}"
    ).fetchone()
    if not total:
        raise unreadable(
            f"no {DCGM_POWER_METRIC} samples in the file (is it a DCGM exporter scrape or a "
            "Prometheus query or query_range answer for that metric?)"
        )
    _host_label_used(cur, int(no_host))
    if fmt == "prometheus_text" and stamped:
        conv.note(f"samples without a timestamp were stamped {stamp:%Y-%m-%d %H:%M:%S} UTC (the time of reading)")
    if bad:
        conv.note(
            f"{bad:,} of {total:,} GPU samples were NaN, infinite or not numbers (Prometheus' stale or "
            "missing readings) and are left out of the node and rack sums"
        )
    key = "split_part(lower({}), '.', 1)"
    mapping = ""
    if host_racks is not None:
        pairs = _device_racks(store.facility(con), cur, host_racks)
        mapping = (
            f"LEFT JOIN (SELECT {key.format('device')} AS host_key, min(rack_id) AS mapped "
            f"FROM {pairs} WHERE rack_id IS NOT NULL AND device IS NOT NULL "
            f"GROUP BY {key.format('device')}) map ON map.host_key = {key.format('s.host')}"
        )
        unmapped = [
            r[0]
            for r in cur.execute(
                f"SELECT DISTINCT s.host FROM {series} s {mapping} WHERE s.rack_label = '' AND map.mapped IS NULL "
                "ORDER BY 1 LIMIT 20"
            ).fetchall()
        ]
        mapped_hosts = cur.execute(
            f"SELECT count(DISTINCT s.host) FROM {series} s {mapping} WHERE map.mapped IS NOT NULL"
        ).fetchone()[0]
        if unmapped and not labelled and not mapped_hosts:
            # Not one host in the map: every row would be set aside for a missing rack_id, whose
            # "check the mapping" would not say that the map is the wrong one.
            raise UnreadableFile(
                f"none of the file's {hosts:,} host(s) ({', '.join(repr(h[:40]) for h in unmapped[:5])}"
                f"{', ...' if hosts > 5 else ''}) is in {host_racks.name!r}: choose the host-to-rack map "
                "that lists these hosts, or store the file without one (power per node)"
            )
        if unmapped:
            conv.note(
                f"{len(unmapped)}{'+' if len(unmapped) == 20 else ''} host(s) not in {host_racks.name!r} "
                "(their rows are set aside without a rack_id): " + ", ".join(repr(h[:40]) for h in unmapped)
            )
        rack, level = "CASE WHEN s.rack_label <> '' THEN s.rack_label ELSE map.mapped END", "rack"
    elif labelled == total:
        rack, level = "s.rack_label", "rack"
    else:
        rack, level = "s.host", "node"
        conv.note(
            "no host-to-rack map: the dataset holds power per node (host), not per rack; give a dataset "
            "with a host and a rack column to roll nodes up to racks"
            + (" (the rack labels on some series were not used: not every series has one)" if labelled else "")
        )
    # One reading per physical GPU: MIG instance series repeat their GPU's device power under its host
    # and physical gpu index (GPU_I_ID tells the instances apart), else under its UUID, so they are
    # averaged, never added. A GPU (gid) is a host and that key; its series are told apart by sid.
    gpu_key = "CASE WHEN s.gpu <> '' THEN 'gpu' || s.gpu WHEN s.uuid <> '' THEN s.uuid ELSE s.device END"
    cur.execute(
        f"CREATE TEMP TABLE {_GPU_IDS} AS SELECT sid, host, gpu_key, gpu, series_rack, "
        "CAST(dense_rank() OVER (ORDER BY host, gpu_key) AS INTEGER) AS gid FROM "
        f"(SELECT s.sid, s.host, {gpu_key} AS gpu_key, s.gpu, {rack} AS series_rack FROM {series} s {mapping})"
    )
    # A GPU's rack and source: its series agree on them (the host, the gpu index); where a GPU's series
    # carry different rack labels, the first in sort order is taken.
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {_GPU_IDS} AS SELECT i.*, k.rack_id, k.source FROM {_GPU_IDS} i JOIN "
        "(SELECT gid, min(series_rack) AS rack_id, "
        "any_value(host) || ' gpu ' || CASE WHEN min(gpu) <> '' THEN min(gpu) ELSE any_value(gpu_key) END AS source "
        f"FROM {_GPU_IDS} GROUP BY gid) k USING (gid)"
    )
    cur.execute(
        f"CREATE TEMP TABLE {_GPUS} AS SELECT b.ts, i.gid, avg(b.power_w) AS power_w, count(*) AS series "
        f"FROM {table} b JOIN (SELECT sid, gid FROM {_GPU_IDS}) i USING (sid) "
        "WHERE isfinite(b.power_w) AND b.ts IS NOT NULL GROUP BY b.ts, i.gid"
    )
    gpus, repeated, extra = cur.execute(
        "SELECT count(DISTINCT gid), count(DISTINCT gid) FILTER (WHERE series > 1), "
        f"coalesce(sum(series - 1), 0) FROM {_GPUS}"
    ).fetchone()
    if not gpus:
        raise unreadable(
            f"none of the file's {total:,} {DCGM_POWER_METRIC} samples has both a number and a readable time "
            f"({bad:,} NaN, infinite or not numbers; {untimed:,} with an unreadable timestamp), so there is no "
            "GPU reading to store"
        )
    if repeated:
        conv.note(
            f"{int(extra):,} repeated series of {repeated:,} GPU(s) (MIG instances, which each report their "
            "GPU's device power) were counted once per physical GPU, by host and gpu index (else UUID)"
        )
    # The rows select joins each GPU reading to its rack and source: one row per GPU, not per series.
    # gpu_order ranks the GPUs as (rack_id, source) do, so the rows sort by (time, gpu_order) on two numbers.
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {_GPU_IDS} AS SELECT gid, rack_id, source, "
        "CAST(row_number() OVER (ORDER BY rack_id, source) AS INTEGER) AS gpu_order "
        f"FROM (SELECT DISTINCT gid, rack_id, source FROM {_GPU_IDS})"
    )
    cur.execute(f"DROP TABLE {table}")  # the samples: what is stored is read from the per-GPU table alone
    cur.execute(f"DROP TABLE {series}")
    conv.details.update(
        {
            "gpu_samples": int(total),
            "hosts": int(hosts),
            "gpus": int(gpus),
            "mig_series_merged": int(extra),
            "samples_left_out": int(bad),
            "host_rack_mapping": host_racks.name if host_racks is not None else None,
            "host_labels": list(HOST_LABELS),
            "level": level,
        }
    )
    if untimed:
        conv.note(f"{untimed:,} samples had an unreadable timestamp and are left out")
    return conv


DEVICE_RACKS = "dcgm_device_racks"


def _device_racks(team: store.FacilityStore, cur: duckdb.DuckDBPyConnection, host_racks: DatasetInfo) -> str:
    """Where this DuckDB cursor reads ``host_racks``' (device, rack_id) pairs: its table, or with a team
    store a temporary copy of the pairs (one per device, small) taken from PostgreSQL."""
    if team.in_duckdb:
        return host_racks.table
    with team.cursor() as pg:
        pairs = pg.execute(f"SELECT device, rack_id FROM {host_racks.table} WHERE rack_id IS NOT NULL").fetchall()
    cur.execute(f"CREATE TEMP TABLE {DEVICE_RACKS} (device VARCHAR, rack_id VARCHAR)")
    if pairs:
        cur.executemany(f"INSERT INTO {DEVICE_RACKS} VALUES (?, ?)", pairs)
    return DEVICE_RACKS


def write_query_range(result: list[dict[str, Any]], path: Path) -> None:
    """Save Prometheus ``query_range`` series as the API's own JSON (what :func:`to_csv` reads)."""
    with Path(path).open("w", encoding="utf-8") as handle:
        json.dump({"status": "success", "data": {"resultType": "matrix", "result": result}}, handle)


__all__ = [
    "Conversion",
    "DCGM_POWER_METRIC",
    "FILE_TYPES",
    "FORMATS",
    "sheet_names",
    "source_format",
    "to_csv",
    "write_query_range",
]
