"""Facility CSVs into DuckDB: detect, map columns, convert units, validate, store, per the kind's spec.

The file never passes through pandas. :mod:`factorycore.userdata.detect` reads the
first 256 KB to learn the format; DuckDB's CSV reader then loads the mapped columns
as text into a temporary table (in parallel, keeping file order, so ``rowid + 1`` is
the data row), and one SQL pass converts units and decimal marks, parses timestamps
and writes one problem message per bad row. Good rows and bad rows then go into two
new tables with generated names and a catalog row, all in one transaction: a crash
at any point leaves the earlier datasets as they were and no half-written one.

A file that cannot be read at all raises :class:`UnreadableFile` with one message
naming what was expected, before anything is written. Before DuckDB reads it, one
streaming pass (:func:`_scan`) refuses a corrupt, truncated or oversized .gz and a line
DuckDB would drop without a reject; DuckDB gets the file under a fixed link name, as it
treats ``*?[]{}`` in a path as a glob.
"""

from __future__ import annotations

import dataclasses
import gzip
import mmap
import os
import shutil
import sys
import time
import uuid
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import duckdb

from factorycore import ownership, scratch, store
from factorycore.userdata import catalog, formats, kinds, locales, rack_fill
from factorycore.userdata.catalog import SHARED, DatasetError
from factorycore.userdata.detect import (
    APPARENT_UNITS,
    EXPECTED,
    ROLE_UNITS,
    UNIT_TO_KW,
    Column,
    Detection,
    UnreadableFile,
    detect_kind,
    map_columns,
    normalise_header,
    satisfied,
    sniff,
    unit_fits,
)
from factorycore.userdata.kinds import KindSpec
from factorycore.userdata.locales import NeedsChoice

__all__ = [
    "IngestResult",
    "NeedsChoice",
    "NothingStored",
    "UnreadableFile",
    "DatasetError",
    "ingest",
    "ingest_rows",
    "sniff",
    "store_dataset",
    "apply_mapping",
    "detect_mapping",
]


class NothingStored(UnreadableFile):
    """Every row of the file was set aside: no dataset is made (an empty one is not a success)."""


@dataclass(frozen=True)
class ReadChoices:
    """What a person chose about reading a file (flags, the app's mapping step, a saved profile)."""

    units: Mapping[str, str] = field(default_factory=dict)  # field -> 'W', 'kW', 'MW', 'VA', 'kVA', ...
    date_order: str | None = None  # 'dmy', 'mdy', 'ymd'
    decimal: str | None = None  # 'point', 'comma'
    profile: str | None = None  # the saved profile these came from (kept in the notes)
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> header, over the detected mapping


PROBLEM_LIMIT = 100
# How the file was read, as the command line's result repeats it from the dataset's details.
READ_KEYS = ("mapping", "units", "date_order", "decimals", "notes")
TOP_REASONS = 3  # reasons counted when a file has no good row
MAX_TEXT_CHARS = 256
TEMP_MIN_C, TEMP_MAX_C = -40.0, 100.0
# A .gz may expand to at most this much text: a small "gzip bomb" must not fill the disk.
MAX_DECOMPRESSED_BYTES = 2 * 1024**3
# DuckDB's max_line_size. Its reader skips, without a reject, a line longer than its
# read buffer (32 MB) and a long last line, so files with such lines are refused.
LONG_LINE_BYTES = 2_000_000
_SCAN_CHUNK = 1 << 20  # must stay below LONG_LINE_BYTES (see _scan)
# The timestamp sample reads one buffer this size, not DuckDB's default 16 MB (a fifth of
# the fixed cost of an ingest); it holds any line _scan lets through.
SAMPLE_BUFFER_BYTES = 2 * LONG_LINE_BYTES
# Temporary copies: ingest's own work directory and the app's copy of an upload. A
# process killed mid-upload leaves them behind; factorycore.scratch sweeps every prefix.
WORKDIR_PREFIX = scratch.prefix("ingest")
UPLOAD_TEMP_PREFIX = scratch.prefix("upload")
STALE_TEMP_AGE_S = scratch.STALE_AGE_S
FILE_NAME_MAX_CHARS = 255

# Timestamp formats tried on a sample when values are not ISO 8601.
TIMESTAMP_FORMATS: tuple[str, ...] = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y%m%d%H%M%S",
    "%Y%m%d %H:%M",
    "%m-%d-%Y %H:%M:%S",
    "%m-%d-%Y %H:%M",
    # Two-digit years, as Excel's short date writes them ('6/3/25 0:00', '03.06.25 00:00').
    "%d/%m/%y %H:%M",
    "%m/%d/%y %H:%M",
    "%m/%d/%y %I:%M %p",
    "%d.%m.%y %H:%M",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d.%m.%y",
    # Month names: no day/month question ('03-Jun-2025 00:00', '3 Jun 2025 14:00').
    "%d-%b-%Y %H:%M:%S",
    "%d-%b-%Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d-%b-%y %H:%M",
)


@dataclass
class IngestResult:
    """What one ingest stored (the CLI's JSON object is built from this)."""

    dataset: str
    dataset_id: int
    kind: str
    workspace: str
    rows_accepted: int
    rows_rejected: int
    problems: list[dict[str, Any]]
    problems_total: int
    detection: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """The CLI contract's keys first, then extras."""
        return {
            "dataset": self.dataset,
            "kind": self.kind,
            "rows_accepted": self.rows_accepted,
            "rows_rejected": self.rows_rejected,
            "problems": self.problems,
            "problems_total": self.problems_total,
            "problems_shown": len(self.problems),
            **({"conversion": self.detection["conversion"]} if "conversion" in self.detection else {}),
            **{k: self.detection[k] for k in READ_KEYS if self.detection.get(k)},
        }


def _sql_str(text: str) -> str:
    """A SQL string literal of our own constant text (formats, units), quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


def apply_mapping(det: Detection, kind: str, mapping: dict[str, str | int | None]) -> Detection:
    """Detection with a user's choice of kind and column per field (header text or index)."""
    try:
        spec = kinds.get(kind)
    except ValueError as exc:
        raise UnreadableFile(str(exc)) from None
    by_header = {c.header: c.index for c in det.columns}
    by_name = {c.header.strip().lower(): c.index for c in det.columns}
    resolved: dict[str, int] = {}
    units: dict[str, str] = {}
    for fld, choice in mapping.items():
        if not spec.has_field(fld) or choice in (None, ""):
            continue
        index = (
            choice if isinstance(choice, int) else by_header.get(str(choice), by_name.get(str(choice).strip().lower()))
        )
        if index is None or not 0 <= index < len(det.columns):
            shown = ", ".join(repr(h[:40]) for h in det.headers[:20])
            raise UnreadableFile(
                f"column {str(choice)[:60]!r} chosen for {fld} is not in the file (its columns: {shown})"
            )
        resolved[fld] = index
        unit = det.columns[index].unit
        units[fld] = unit if unit is not None and unit_fits(spec.field(fld), unit) else spec.field(fld).default_unit
    missing = satisfied(kind, resolved)
    return dataclasses.replace(det, kind=kind, mapping=resolved, units=units, confident=not missing, missing=missing)


def apply_units(det: Detection, units: Mapping[str, str]) -> Detection:
    """Detection with a user's unit for some fields ('W', 'kW', 'MW', 'VA', 'kVA'; '°C', '°F')."""
    spec = kinds.get(det.kind) if det.kind else None
    chosen = dict(det.units)
    for fld, unit in units.items():
        if spec is None or not spec.has_field(fld):
            raise UnreadableFile(f"--unit {fld}: the kind {det.kind} has no field {fld!r}")
        allowed = ROLE_UNITS.get(spec.field(fld).role, frozenset())
        canonical = next((u for u in allowed if u.lower() == unit.strip().lower()), None)
        if canonical is None:
            raise UnreadableFile(f"--unit {fld}={unit}: {fld} takes " + (", ".join(sorted(allowed)) or "no unit"))
        chosen[fld] = canonical
    return dataclasses.replace(det, units=chosen)


def detect_mapping(det: Detection, kind: str) -> tuple[dict[str, int], dict[str, str]]:
    """The automatic mapping of ``det``'s columns for a given kind (for a mapping form)."""
    return map_columns(det.columns, kind)


def _to_canonical(expr: str, role: str, unit: str) -> str:
    if role == "power":
        factor = UNIT_TO_KW.get(unit, 1.0)
        return expr if factor == 1.0 else f"(({expr}) * {factor!r})"
    if role == "temperature" and unit == "°F":
        return f"((({expr}) - 32.0) * 5.0 / 9.0)"
    return expr


def _timestamp_format(
    cur: duckdb.DuckDBPyConnection, path: Path, det: Detection, day_first: bool, date_order: str | None = None
) -> tuple[str, str | None, str]:
    """(format, date order, what decided it): 'iso', 'iso_tz', 'epoch_s', 'epoch_ms' or a strptime format.

    The format is chosen on the file's first 2,000 non-empty timestamps (read from one
    small buffer: :data:`SAMPLE_BUFFER_BYTES`). Most files are ISO throughout, and one read
    of the sample settles them; others read it once more to count what each candidate
    format parses. A day/month format's order is then decided from every date in the
    column (:func:`factorycore.userdata.locales.decide_date_order`), or taken from
    ``date_order`` where the user gave one; it is never guessed.
    """
    col = f"c{det.mapping['timestamp']}"
    sample = (
        f"(SELECT trim({col}) AS v FROM read_csv(?, {_csv_options(det, None)}, parallel = false, "
        f"buffer_size = {SAMPLE_BUFFER_BYTES}, max_line_size = {SAMPLE_BUFFER_BYTES}) "
        f"WHERE {col} IS NOT NULL AND trim({col}) <> '' LIMIT 2000)"
    )
    total, iso_count, with_offset = _sample_counts(
        cur,
        f"SELECT count(*), count(TRY_CAST(v AS TIMESTAMP)), count(*) FILTER ({_has_offset('v')}) FROM {sample}",
        path,
    )
    # One rule per file (see _has_offset): offsets if most sampled values carry one.
    iso_kind = "iso_tz" if 2 * with_offset > total else "iso"
    if not total:
        return "iso", None, ""
    if iso_count == total:  # most files: ISO throughout, and no other format can read more rows
        return iso_kind, None, ""
    candidates = {
        "iso": "TRY_CAST(v AS TIMESTAMP)",
        "epoch_s": "CASE WHEN regexp_full_match(v, '\\d{9,10}(\\.\\d+)?') THEN 1 END",
        "epoch_ms": "CASE WHEN regexp_full_match(v, '\\d{12,13}') THEN 1 END",
    }
    for i, fmt in enumerate(TIMESTAMP_FORMATS):
        # A parse counts only with a plausible year: '6/3/25' read by %Y is the year 25.
        candidates[f"f{i}"] = f"CASE WHEN year(try_strptime(v, {_sql_str(fmt)})) BETWEEN 1990 AND 2100 THEN 1 END"
    counts = _sample_counts(
        cur, "SELECT " + ", ".join(f"count({expr})" for expr in candidates.values()) + f" FROM {sample}", path
    )
    scored = dict(zip(candidates, counts))
    best = max(scored.values())
    if best == 0:
        return "iso", None, ""
    if scored["iso"] == best:
        return iso_kind, None, ""
    for key in ("epoch_s", "epoch_ms"):
        if scored[key] == best:
            return key, None, ""
    formats_ = {TIMESTAMP_FORMATS[int(k[1:])]: n for k, n in scored.items() if k.startswith("f")}
    tied = [f for f, n in formats_.items() if n == best]
    families = {locales.date_family(f) for f in tied}
    if date_order is not None:  # the user's order: the best format of that order
        ranked = sorted((f for f in formats_ if locales.date_family(f) == date_order), key=lambda f: -formats_[f])
        if not ranked or formats_[ranked[0]] == 0:
            raise UnreadableFile(
                f"the timestamps cannot be read as {locales.ORDER_WORDS[date_order]} dates "
                f"(--date-order {date_order}); {EXPECTED}"
            )
        return ranked[0], date_order, f"dates read as {locales.ORDER_WORDS[date_order]} (as chosen)"
    fmt = tied[0]
    if not families & {"dmy", "mdy"}:  # year first, or a month name: nothing to decide
        return fmt, locales.date_family(fmt), ""
    source = f"read_csv(?, {_csv_options(det, None)})"
    order, why = locales.decide_date_order(cur, source, str(path), col, fmt, day_first)
    ranked = sorted((f for f in formats_ if locales.date_family(f) == order), key=lambda f: -formats_[f])
    if not ranked or formats_[ranked[0]] == 0:
        raise UnreadableFile(f"the timestamps cannot be read as {locales.ORDER_WORDS[order]} dates; {EXPECTED}")
    return ranked[0], order, why


def _sample_counts(cur: duckdb.DuckDBPyConnection, sql: str, path: Path) -> tuple[int, ...]:
    """One row of counts over the timestamp sample (``sql`` reads ``path``); a file that cannot be read says why."""
    try:
        return cur.execute(sql, [str(path)]).fetchone()
    except duckdb.Error as exc:
        raise _read_error(exc) from None


def _read_error(exc: duckdb.Error) -> DatasetError | UnreadableFile:
    """What a failed read of the file tells the user: a full disk (temp tables spill there too), or DuckDB's reason."""
    if store.is_disk_full(exc):
        return DatasetError(store.DISK_FULL_MESSAGE)
    first = str(exc).strip().splitlines()[0][:200]
    return UnreadableFile(f"the file cannot be read as CSV ({first}); {EXPECTED}")


def _has_offset(col: str) -> str:
    """SQL: an ISO 8601 value carries a UTC offset ('Z', '+02:00', '-0500'): a '+', a 'Z', or a '-' after the time.

    A 'Z' anywhere counts (in an ISO value it can only be the offset; elsewhere the value
    is not ISO and is rejected either way), and so does a '-' after a ':' (the date's
    dashes come before the time's first colon; an offset always follows a time). These
    are byte searches: trimming, upper-casing and slicing each value took a fifth of an
    ingest.
    """
    return f"(contains({col}, '+') OR contains({col}, 'Z') OR contains({col}, 'z') OR {col} LIKE '%:%-%')"


def _timestamp_expr(col: str, fmt: str) -> str:
    """SQL: text -> TIMESTAMP (UTC for values with an offset or epoch seconds, as written for naive ones).

    A file's ISO timestamps are all naive or all offset ('iso' / 'iso_tz', chosen on a
    sample): a value of the other kind gives NULL and is rejected with its reason
    (:func:`_offset_message`), never silently shifted. A naive time is never read in
    the server's time zone: it is stored as written.
    """
    t = f"trim({col})"
    iso = f"TRY_CAST({col} AS TIMESTAMP)"  # the cast itself ignores surrounding spaces
    if fmt == "iso":
        return f"CASE WHEN NOT {_has_offset(col)} THEN {iso} END"
    if fmt == "iso_tz":
        return (
            f"CASE WHEN {_has_offset(col)} THEN CAST(TRY_CAST({t} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) END"
        )
    if fmt == "epoch_s":
        return f"CAST(to_timestamp(TRY_CAST({t} AS DOUBLE)) AT TIME ZONE 'UTC' AS TIMESTAMP)"
    if fmt == "epoch_ms":
        return f"CAST(to_timestamp(TRY_CAST({t} AS DOUBLE) / 1000.0) AT TIME ZONE 'UTC' AS TIMESTAMP)"
    return f"COALESCE(try_strptime({t}, {_sql_str(fmt)}), {iso})"


def _offset_message(raw: str, ts_format: str) -> str:
    """SQL CASE branch: the reason for a timestamp whose offset (or lack of one) differs from the file's."""
    if ts_format == "iso":
        return (
            f"WHEN {_has_offset(raw)} AND TRY_CAST({raw} AS TIMESTAMP) IS NOT NULL THEN 'timestamp has a UTC "
            f"offset but the file''s other timestamps have none (give all or none an offset): ' || {_shown(raw)} "
        )
    if ts_format == "iso_tz":
        return (
            f"WHEN NOT {_has_offset(raw)} AND TRY_CAST({raw} AS TIMESTAMP) IS NOT NULL THEN 'timestamp has no "
            f"UTC offset but the file''s other timestamps have one (give all or none an offset): ' || {_shown(raw)} "
        )
    return ""


def _shown(col: str) -> str:
    """The raw value quoted and cut to 40 characters, for a message."""
    return (
        f"'''' || left(replace({col}, chr(10), ' '), 40) || CASE WHEN length({col}) > 40 THEN '…' ELSE '' END || ''''"
    )


NUMBER_ROLES = ("power", "temperature", "count", "volume")
VOLUME_LIMIT = 1e9  # m³ in one interval: beyond any site


def _reader_types(det: Detection, spec: KindSpec) -> dict[str, str]:
    """Fields the one-pass store lets DuckDB's reader type as DOUBLE: the numbers of a point-decimal file.

    The reader parses a number exactly as ``TRY_CAST(text AS DOUBLE)`` does, and refuses
    (an error, so the file takes the staged path) every text that cast cannot read,
    such as a thousands separator or a non-breaking space that the staged path's
    fallbacks accept. So a number it stores is the one the staged path stores. Typing
    in the reader instead of casting text takes a quarter off a clean 1M-row ingest.
    Timestamps stay text: the reader's timestamp parse drops a UTC offset silently.
    """
    return {
        f.name: "DOUBLE"
        for f in spec.fields
        if f.role in NUMBER_ROLES
        and f.name in det.mapping
        and det.decimals.get(f.name, "point") == "point"
        and f.unit != "%"
        and _derivation(spec, f.name, det) is None
    }


def _derivation(spec: KindSpec, fld: str, det: Detection) -> kinds.Derived | None:
    """The kind's way of computing ``fld`` from the file's mapped fields, if it has one that applies."""
    return next((d for d in spec.derived if d.field == fld and d.applies(det.mapping)), None)


def _build_checks(
    det: Detection,
    spec: KindSpec,
    ts_format: str,
    typed: Mapping[str, str] | None = None,
    sources: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """The SQL of validation, in three parts, from the kind's spec.

    ``values``: converted expression per stored field over ``r.<field>``;
    ``checks``: (field, message-or-NULL expression over ``raw_<field>``/``v_<field>``),
    evaluated only for bad rows; ``oks``: cheap boolean predicates, all true for a good row.
    ``typed``: fields the reader has already typed (:func:`_reader_types`, the one-pass
    store), whose ``checks`` are left out: that store words no problem, it rolls back.
    ``sources``: fields whose column arrives typed from a converter's rows (:func:`ingest_rows`;
    TIMESTAMP or a number), checked as the text would be and worded from the value as text.
    """
    typed = typed or {}
    sources = sources or {}
    values: dict[str, str] = {}
    checks: list[tuple[str, str]] = []
    oks: list[str] = []
    derived: list[kinds.Derived] = []
    for spec_field in spec.fields:
        fld, role = spec_field.name, spec_field.role
        how = _derivation(spec, fld, det)
        if how is not None:
            derived.append(how)
        if fld not in det.mapping:
            values[fld] = f"CAST(NULL AS {spec_field.sql_type})"
            continue
        src = f"r.{_ident(fld)}"
        raw = f"raw_{fld}"
        v = f"v_{fld}"
        if fld in typed:  # a number the reader read, or NULL for an empty cell
            values[fld] = _to_canonical(src, role, det.units.get(fld, spec_field.default_unit))
            oks.append(_number_ok(spec, role, v, spec_field.required, f"{raw} IS NULL"))
            continue
        if fld in sources:  # a typed column of a converter's rows: NULL is missing, the rest as the text's rules
            value, check, ok = _typed_source_check(spec, spec_field, src, raw, v, det.units)
            values[fld] = value
            checks.append((fld, check))
            oks.append(ok)
            continue
        present = f"({raw} IS NOT NULL AND trim({raw}) <> '')"
        absent = f"({raw} IS NULL OR trim({raw}) = '')"
        missing = f"WHEN NOT {present} THEN " + (f"'{fld} is missing'" if spec_field.required else "NULL")
        if role == "timestamp":
            values[fld] = _timestamp_expr(src, ts_format)
            checks.append(
                (
                    fld,
                    f"CASE {missing} {_offset_message(raw, ts_format)}"
                    f"WHEN {v} IS NULL THEN 'timestamp not recognised: ' || {_shown(raw)} "
                    f"WHEN year({v}) NOT BETWEEN 1990 AND 2100 THEN 'timestamp out of range: ' || {_shown(raw)} END",
                )
            )
            oks.append(f"{v} BETWEEN TIMESTAMP '1990-01-01' AND TIMESTAMP '2100-12-31 23:59:59.999999'")
        elif role in NUMBER_ROLES:
            unit = det.units.get(fld, spec_field.default_unit)
            number = locales.number_sql(src, det.decimals.get(fld, "point"), percent=spec_field.unit == "%")
            values[fld] = _to_canonical(number, role, unit)
            if role not in ("power", "temperature", "volume"):  # a count of things
                values[fld] = f"TRY_CAST({number} AS DOUBLE)"
            checks.append((fld, _number_message(spec, fld, role, v, missing, _shown(raw))))
            oks.append(_number_ok(spec, role, v, spec_field.required, absent))
        else:
            values[fld] = f"NULLIF(trim({src}), '')"
            too_long = f"WHEN length({raw}) > {MAX_TEXT_CHARS} THEN '{fld} is longer than {MAX_TEXT_CHARS} characters'"
            checks.append((fld, f"CASE {missing} {too_long} END"))
            short = f"length({raw}) <= {MAX_TEXT_CHARS}"
            oks.append(f"({v} IS NOT NULL AND {short})" if spec_field.required else f"({raw} IS NULL OR {short})")
    _add_derived(spec, det, derived, values, checks, oks)
    if det.rack_map and "device" in values and "rack_id" in values:  # racks looked up by device
        values["rack_id"] = rack_fill.value_sql(det.rack_map, values["device"])
    for check in spec.row_checks:
        checks.append((check.field, f"CASE WHEN NOT ({check.ok_sql}) THEN {_sql_str(check.message)} END"))
        oks.append(check.ok_sql)
    return values, checks, oks


def _add_derived(
    spec: KindSpec,
    det: Detection,
    derived: list[kinds.Derived],
    values: dict[str, str],
    checks: list[tuple[str, str]],
    oks: list[str],
) -> None:
    """Values the kind computes from other fields (:class:`~factorycore.userdata.kinds.Derived`), with their checks.

    A field the file also has keeps the file's value where a row gives one. The checks on
    such a field are replaced: a row is missing it only if it is neither in the file nor
    computable.
    """
    inputs = dict(values)
    for how in derived:
        fld = spec.field(how.field)
        computed = how.sql.format(**{f.name: f"({inputs[f.name]})" for f in spec.fields})
        mapped = fld.name in det.mapping
        values[fld.name] = f"COALESCE({inputs[fld.name]}, {computed})" if mapped else f"({computed})"
        v, raw = f"v_{fld.name}", f"raw_{fld.name}"
        if mapped:  # the checks made for the file's column alone no longer hold
            kept = [(f, c) for f, c in checks if f != fld.name]
            checks[:] = kept
            oks[:] = [o for o in oks if f"v_{fld.name}" not in o and f"raw_{fld.name}" not in o]
        if fld.role != "power":
            continue
        missing = _sql_str(how.missing or f"{fld.name} is missing")
        parts = (
            [
                f"WHEN {v} IS NULL AND {raw} IS NOT NULL AND trim({raw}) <> '' "
                f"THEN '{fld.name} is not a number: ' || {_shown(raw)}"
            ]
            if mapped
            else []
        )
        parts += [
            f"WHEN {v} IS NULL THEN {missing if fld.required else 'NULL'}",
            f"WHEN {v} < 0 THEN '{fld.name} is negative: ' || round({v}, 3) || ' kW'",
            f"WHEN {v} > {spec.power_limit_kw} THEN '{fld.name} is implausibly large: ' || round({v}, 1) || ' kW'",
        ]
        checks.append((fld.name, "CASE " + " ".join(parts) + " END"))
        oks.append(_number_ok(spec, "power", v, fld.required, f"{v} IS NULL"))


def _number_ok(spec: KindSpec, role: str, v: str, required: bool, absent: str) -> str:
    """SQL: the converted number ``v`` is in range (or absent, where the field is optional)."""
    if role == "power":
        good = f"{v} BETWEEN 0 AND {spec.power_limit_kw}"
    elif role == "temperature":
        good = f"{v} BETWEEN {TEMP_MIN_C} AND {TEMP_MAX_C}"
    elif role == "volume":
        good = f"{v} BETWEEN 0 AND {VOLUME_LIMIT}"
    else:  # a count of things
        good = f"({v} BETWEEN 0 AND 1e6 AND {v} = round({v}))"
    # NaN and infinity fail BETWEEN, so no separate isfinite() is needed here.
    return good if required else f"({good} OR {absent})"


def _typed_source_check(
    spec: KindSpec, spec_field: kinds.Field, src: str, raw: str, v: str, units: Mapping[str, str]
) -> tuple[str, str, str]:
    """(value, message, ok) SQL for a timestamp or number column that arrives typed (:func:`ingest_rows`).

    The same rules and words as the text of a file (:func:`_build_checks`): a NULL is a missing
    value, a time outside 1990-2100 and a number that is not finite, negative or implausible are
    refused; the value is quoted as text (``CAST(... AS VARCHAR)``), as a file's cell would be.
    """
    fld, role = spec_field.name, spec_field.role
    shown = _shown(f"CAST({raw} AS VARCHAR)")
    missing = f"WHEN {raw} IS NULL THEN " + (f"'{fld} is missing'" if spec_field.required else "NULL")
    if role == "timestamp":
        return (
            f"CAST({src} AS TIMESTAMP)",
            f"CASE {missing} WHEN year({v}) NOT BETWEEN 1990 AND 2100 THEN 'timestamp out of range: ' || {shown} END",
            f"{v} BETWEEN TIMESTAMP '1990-01-01' AND TIMESTAMP '2100-12-31 23:59:59.999999'",
        )
    number = f"CAST({src} AS DOUBLE)"
    value = _to_canonical(number, role, units.get(fld, spec_field.default_unit))
    if role not in ("power", "temperature", "volume"):  # a count of things
        value = number
    message = _number_message(spec, fld, role, v, missing, shown)
    return value, message, _number_ok(spec, role, v, spec_field.required, f"{raw} IS NULL")


def _number_message(spec: KindSpec, fld: str, role: str, v: str, missing: str, shown: str) -> str:
    """SQL: why a number ``v`` of ``role`` is refused, or NULL; the one wording for a file's text and typed rows
    (``shown`` quotes the cell)."""
    parts = [missing, f"WHEN {v} IS NULL OR NOT isfinite({v}) THEN '{fld} is not a number: ' || {shown}"]
    if role == "power":
        parts.append(f"WHEN {v} < 0 THEN '{fld} is negative: ' || {shown}")
        parts.append(f"WHEN {v} > {spec.power_limit_kw} THEN '{fld} is implausibly large: ' || round({v}, 1) || ' kW'")
    elif role == "temperature":
        parts.append(
            f"WHEN {v} NOT BETWEEN {TEMP_MIN_C} AND {TEMP_MAX_C} THEN '{fld} is an impossible temperature: ' "
            f"|| round({v}, 1) || ' °C (expected {TEMP_MIN_C:g} to {TEMP_MAX_C:g} °C)'"
        )
    elif role == "volume":
        parts.append(f"WHEN {v} < 0 THEN '{fld} is negative: ' || {shown}")
        parts.append(f"WHEN {v} > {VOLUME_LIMIT} THEN '{fld} is implausibly large: ' || {shown}")
    else:  # a count of things
        parts.append(
            f"WHEN {v} < 0 OR {v} <> round({v}) OR {v} > 1e6 THEN '{fld} must be a whole number >= 0: ' || {shown}"
        )
    return "CASE " + " ".join(parts) + " END"


def _select_parts(det: Detection, values: Mapping[str, str], oks: list[str]) -> tuple[str, str, str]:
    """(converted columns, raw columns, ok flag): the pieces of :func:`_checked_rows`."""
    value_cols = ", ".join(f"{expr} AS v_{fld}" for fld, expr in values.items())
    raw_cols = ", ".join(f"r.{_ident(f)} AS raw_{f}" for f in det.mapping)
    ok = " AND ".join(f"COALESCE({expr}, false)" for expr in oks) or "true"
    return value_cols, raw_cols, ok


def _ident(fld: str) -> str:
    # Canonical field names are ours (a fixed set); quote them anyway ("row" is a keyword).
    assert fld.replace("_", "").isalnum()
    return f'"{fld}"'


def _data_row_expr(cur: duckdb.DuckDBPyConnection, rej_table: str, skip: int) -> str:
    """SQL for the 1-based data row of raw row ``r.rowid``, counting rows the reader set aside."""
    n = cur.execute(f"SELECT count(DISTINCT line) FROM {rej_table}").fetchone()[0]
    if not n:
        return "(r.rowid + 1)"
    # Good row i (1-based among good rows) comes after rejected line d_k iff i > d_k - k.
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {rej_table}_gaps AS "
        f"SELECT (line - {skip}) - row_number() OVER (ORDER BY line) AS t FROM (SELECT DISTINCT line FROM {rej_table})"
    )
    return f"(r.rowid + 1 + (SELECT count(*) FROM {rej_table}_gaps g WHERE g.t < r.rowid + 1))"


def _csv_options(
    det: Detection, rej: str | None, *, strict: bool = False, typed: Mapping[str, str] | None = None
) -> str:
    """read_csv options: every column as text (or the type ``typed`` gives its field), no detection;
    with ``rej``, set aside bad lines there; ``strict``: a malformed line or a cell the reader
    cannot type is an error (the one-pass store then leaves the file to the staged path)."""
    ncols = len(det.columns)
    types = {det.mapping[f]: t for f, t in (typed or {}).items()}
    spec = "{" + ", ".join(f"'c{i}': '{types.get(i, 'VARCHAR')}'" for i in range(ncols)) + "}"
    delim = {"\t": "\\t"}.get(det.delimiter, det.delimiter)
    options = (
        f"header = false, skip = {int(det.skip_lines)}, delim = {_sql_str(delim)}, quote = '\"', escape = '\"', "
        f"columns = {spec}, auto_detect = false, encoding = {_sql_str(det.encoding)}, "
        f"compression = {_sql_str('gzip' if det.compression == 'gzip' else 'none')}"
    )
    if strict:
        return options
    if rej is None:
        return options + ", ignore_errors = true"
    return options + (
        f", store_rejects = true, rejects_table = {_sql_str(rej)}, "
        f"rejects_scan = {_sql_str(rej + '_scan')}, rejects_limit = 0"
    )


def _mapped_select(det: Detection) -> str:
    return ", ".join(f"c{idx} AS {_ident(fld)}" for fld, idx in det.mapping.items())


def _open_decompressed(path: Path, gz: bool) -> BinaryIO:
    return gzip.open(path, "rb") if gz else path.open("rb")


def _line_number_at(path: Path, gz: bool, offset: int) -> int:
    """1-based number of the line that contains byte ``offset`` (only run to word an error)."""
    breaks = 0
    with _open_decompressed(path, gz) as handle:
        while offset > 0 and (chunk := handle.read(min(_SCAN_CHUNK, offset))):
            breaks += chunk.count(b"\n") or chunk.count(b"\r")
            offset -= len(chunk)
    return breaks + 1


def _breaks(chunk: Any, start: int, end: int) -> tuple[int, int]:
    """(first, last) line break in ``chunk[start:end]`` as offsets from ``start``, (-1, -1) if none.

    LF (and CRLF) files need only the LF searches; a window without one falls back to CR
    (a CR-only file). Either search stops at the window's first or last break.
    """
    for newline in (b"\n", b"\r"):
        last = chunk.rfind(newline, start, end)
        if last >= 0:
            return chunk.find(newline, start, end) - start, last - start
    return -1, -1


def _windows(path: Path, gz: bool) -> Iterator[tuple[int, int, int]]:
    """(first break, last break, size) of each 1 MB window of the decompressed file, in order.

    A plain file is mapped, not read: the searches touch only the pages around each
    window's first and last break, so a good file costs no pass over its bytes. A .gz
    is decompressed in full (that is what checks its stream).
    """
    if not gz:
        if path.stat().st_size == 0:  # an empty file has no lines (and cannot be mapped)
            return
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            for start in range(0, len(mapped), _SCAN_CHUNK):
                end = min(start + _SCAN_CHUNK, len(mapped))
                yield (*_breaks(mapped, start, end), end - start)
        return
    total = 0
    with _open_decompressed(path, gz) as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            total += len(chunk)
            if total > MAX_DECOMPRESSED_BYTES:
                raise UnreadableFile(
                    f"the file expands to more than {MAX_DECOMPRESSED_BYTES / 1024**3:g} GB when decompressed; "
                    f"split it into smaller files; {EXPECTED}"
                )
            yield (*_breaks(chunk, 0, len(chunk)), len(chunk))


def _scan(path: Path, compression: str) -> None:
    """Check the whole (decompressed) file once, in 1 MB windows, before anything is stored.

    Refuses, with one message: a .gz whose stream is corrupt or truncated (bad CRC,
    garbage in the middle: DuckDB would store what it decoded up to there) or expands
    beyond MAX_DECOMPRESSED_BYTES; and a line longer than LONG_LINE_BYTES (DuckDB skips
    one longer than its read buffer, or a long last line, without a word). Such a line
    spans at least one whole window with no line break, so tracking the run of bytes
    since the last break at window edges is enough. Lines are counted only to word an
    error.
    """
    gz = compression == "gzip"
    total = run = 0
    try:
        for first, last, size in _windows(path, gz):
            if run + (size if last < 0 else first) > LONG_LINE_BYTES:
                line = _line_number_at(path, gz, total - run)
                raise UnreadableFile(
                    f"line {line} is longer than {LONG_LINE_BYTES / 1e6:g} MB (a missing line break or "
                    f"stray quote?); no row may be that long; {EXPECTED}"
                )
            run = run + size if last < 0 else size - 1 - last
            total += size
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise UnreadableFile(
            f"the file cannot be decompressed: it is corrupt or truncated ({first_line}); {EXPECTED}"
        ) from None


def remove_stale_temp(max_age_s: float = STALE_TEMP_AGE_S) -> int:
    """Delete what crashed processes left in the temporary folder (:func:`factorycore.scratch.remove_stale`)."""
    return scratch.remove_stale(max_age_s)


def _duckdb_path(path: Path, workdir: Path, compression: str) -> Path:
    """A name for ``path`` that DuckDB reads as exactly this one file.

    DuckDB treats ``*``, ``?``, ``[...]`` and ``{...}`` in a path as a glob, so
    ``site[1].csv`` would read ``site1.csv`` and ``racks*.csv`` every matching file.
    A link with a fixed name in a private directory has none of those characters.
    """
    link = workdir / ("input.csv.gz" if compression == "gzip" else "input.csv")
    try:
        os.symlink(path.resolve(), link)
    except OSError:
        shutil.copyfile(path, link)
    return link


def _checked_rows(det: Detection, value_cols: str, raw_cols: str, ok: str, csv_options: str) -> str:
    """SELECT over the file (one ``?``): converted values, raw text and the ok flag of every row.

    The one place both stores of a file read it through, so the staged path and the
    one-pass store convert and judge every row alike.
    """
    return (
        f"SELECT *, {ok} AS ok FROM (SELECT {value_cols}, {raw_cols} FROM (SELECT {_mapped_select(det)} "
        f"FROM read_csv(?, {csv_options})) r)"
    )


def _read_staged(
    cur: duckdb.DuckDBPyConnection,
    path: Path,
    det: Detection,
    staged: str,
    rej: str,
    value_cols: str,
    raw_cols: str,
    ok: str,
    keep_all_raw: bool,
) -> None:
    """One pass over the file: raw text, converted values and the ok flag of every row.

    The table is written in file order, so its ``rowid + 1`` is the data row (before
    counting the lines the reader set aside in ``rej``). Raw text is kept only for rows
    that are already bad, except with ``keep_all_raw`` (kinds with a unique field): there
    a good row can still turn out to repeat a key, and its message and rejected-row
    export need its raw values.
    """
    raw_names = [f"raw_{f}" for f in det.mapping]
    keep_raw = (
        "*"
        if keep_all_raw
        else "* EXCLUDE ("
        + ", ".join(raw_names)
        + "), "
        + ", ".join(f"CASE WHEN ok THEN NULL ELSE {n} END AS {n}" for n in raw_names)
    )
    try:
        cur.execute(
            f"CREATE TEMP TABLE {staged} AS SELECT {keep_raw}, ok FROM ("
            f"{_checked_rows(det, value_cols, raw_cols, ok, _csv_options(det, rej))})",
            [str(path)],
        )
    except duckdb.Error as exc:
        raise _read_error(exc) from None


def ingest(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    kind: str = "auto",
    name: str | None = None,
    workspace: str = SHARED,
    mapping: dict[str, str | int | None] | None = None,
    source_file: str | None = None,
    problem_limit: int = PROBLEM_LIMIT,
    detection: Detection | None = None,
    sheet: str | None = None,
    host_racks: catalog.DatasetInfo | None = None,
    conversion: formats.Conversion | None = None,
    owner: str | None = None,
    choices: ReadChoices | None = None,
) -> IngestResult:
    """Read, validate and store one facility CSV as a new dataset in ``workspace``.

    ``kind`` is 'auto' (detected from the headers) or racks/telemetry/meter;
    ``mapping`` (field -> header) overrides detection. Raises :class:`UnreadableFile`
    for a file that cannot be read or has no usable columns, and
    :class:`DatasetError` for a bad or taken name; in both cases nothing is written.
    ``detection`` is the :func:`sniff` of this same file when the caller already has
    it (the upload page sniffs to decide whether to ask for a mapping), so the file's
    head is read once.

    A workbook, Parquet file or DCGM/Prometheus export is first converted to a CSV
    (:mod:`factorycore.userdata.formats`; ``sheet`` and ``host_racks`` steer it), or the
    caller passes the ``conversion`` it already made with ``path`` its CSV.

    ``owner`` is the signed-in user who uploads it (:mod:`factorycore.ownership`).
    ``choices`` are what a person decided about the file (units, date order, decimal mark,
    the profile they came from): a file whose dates or numbers cannot be decided from its
    values raises :class:`NeedsChoice` without them, and a file with no good row raises
    :class:`NothingStored`; nothing is written in either case.
    """
    started = time.perf_counter()
    path = Path(path)
    source = source_file or path.name
    if len(source) > FILE_NAME_MAX_CHARS:
        raise DatasetError(
            f"the file name has {len(source):,} characters; a file name may have at most "
            f"{FILE_NAME_MAX_CHARS} (most file systems' limit): rename the file and upload it again"
        )
    owner = ownership.owner_of(owner)
    catalog.ensure_catalog(con)
    dataset_name = catalog.validate_name(name if name is not None else catalog.name_from_file(source))
    convert_dir: Path | None = None
    fmt = formats.source_format(path) if conversion is None and detection is None and path.is_file() else "csv"
    if (
        fmt in formats.ROW_FORMATS
        and mapping is None
        and kind in ("auto", "telemetry")
        and choices in (None, ReadChoices())
    ):
        # DCGM power: the converted rows go to the store from DuckDB, with no CSV between (ingest_rows).
        convert_dir = scratch.mkdtemp("convert")
        try:
            with formats.DcgmRows(con, path, convert_dir, host_racks=host_racks) as rows:
                return ingest_rows(
                    con,
                    rows.cursor,
                    rows.select,
                    name=dataset_name,
                    kind="telemetry",
                    workspace=workspace,
                    source_file=source,
                    order=rows.order,
                    conversion=rows.conversion,
                    owner=owner,
                    problem_limit=problem_limit,
                    started=started,
                )
        finally:
            shutil.rmtree(convert_dir, ignore_errors=True)
    if fmt != "csv":
        convert_dir = scratch.mkdtemp("convert")
        try:
            conversion = formats.to_csv(con, path, convert_dir, sheet=sheet, host_racks=host_racks)
        except BaseException:
            shutil.rmtree(convert_dir, ignore_errors=True)
            raise
        path = conversion.path
    try:
        result = _ingest_csv(
            con,
            path,
            kind=kind if kind != "auto" or conversion is None else (conversion.kind or "auto"),
            name=dataset_name,
            workspace=workspace,
            mapping=mapping,
            source=source,
            problem_limit=problem_limit,
            detection=detection,
            conversion=conversion,
            started=started,
            owner=owner,
            choices=choices or ReadChoices(),
            host_racks=host_racks,
        )
        from factorycore.userdata import rollups  # noqa: PLC0415 - not on the import path of every CLI start

        rollups.after_ingest(con, result.dataset_id, result.workspace)  # per-rack sums, power per hour and day
        return result
    finally:
        if convert_dir is not None:
            shutil.rmtree(convert_dir, ignore_errors=True)


def ingest_rows(
    con: duckdb.DuckDBPyConnection,
    cur: duckdb.DuckDBPyConnection,
    select: str,
    *,
    name: str,
    kind: str = "auto",
    workspace: str = SHARED,
    source_file: str,
    order: str | None = None,
    conversion: formats.Conversion | None = None,
    owner: str | None = None,
    problem_limit: int = PROBLEM_LIMIT,
    started: float | None = None,
) -> IngestResult:
    """Validate and store rows a converter already holds in DuckDB as a new dataset, with no CSV between.

    ``select`` is a query over ``cur`` (the cursor that owns the converter's temporary tables; no
    parameters) whose column names are read like a file's headers (``power_w`` is a power in W):
    text columns VARCHAR, a timestamp TIMESTAMP, numbers any numeric type; other columns are
    not stored. ``order`` (an ``ORDER BY`` over the select's columns: the converter's own row
    order) is the order the rows are stored in and a rejected row's number. The rows get what
    a file's rows get: the kind's checks with the same messages (a value is quoted as text), a
    rejected row kept with its reason, the conversion's notes in the details,
    one transaction for data, rejects and catalog row (:func:`store_dataset`), no dataset when no row
    is good (:class:`NothingStored`), and the per-hour and per-day rollup. Why: a converter that
    wrote a CSV for :func:`ingest` to read back (the DCGM scrape) spent as long writing and
    reading it as converting. :func:`ingest` takes this path for DCGM files by itself.
    """
    started = time.perf_counter() if started is None else started
    if len(source_file) > FILE_NAME_MAX_CHARS:
        raise DatasetError(
            f"the file name has {len(source_file):,} characters; a file name may have at most "
            f"{FILE_NAME_MAX_CHARS} (most file systems' limit): rename the file and upload it again"
        )
    owner = ownership.owner_of(owner)
    catalog.ensure_catalog(con)
    name = catalog.validate_name(name)
    facility = store.facility(con)
    with facility.cursor() as names_cur:
        catalog.check_name_free(names_cur, name, workspace)
    det, sources = _rows_detection(cur, select, kind)
    spec = kinds.get(det.kind)
    det = dataclasses.replace(det, notes=[*det.notes, *_reading_notes(det, spec, ReadChoices())])
    values, checks, oks = _build_checks(det, spec, "", sources=sources)
    value_cols, raw_cols, ok = _select_parts(det, values, oks)
    try:
        checked = _rows_checked(det, select, value_cols, raw_cols, ok)
        good, bad = cur.execute(
            f"SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok) FROM ({checked})"
        ).fetchone()
        if not good + bad:
            raise UnreadableFile(f"the file holds no rows to store; {EXPECTED}")
        raw_fields = list(det.mapping)
        rejected = (
            "SELECT "
            + ", ".join(
                [
                    'CAST(NULL AS BIGINT) AS "row"',
                    'CAST(NULL AS VARCHAR) AS "column"',
                    "CAST(NULL AS VARCHAR) AS message",
                    *(f"CAST(NULL AS VARCHAR) AS raw_{f}" for f in raw_fields),
                    "CAST(NULL AS VARCHAR) AS raw_line",
                ]
            )
            + " WHERE false"
        )
        if bad:  # numbered in the converter's order, worded only for the bad rows
            numbered = _rows_checked(det, select, value_cols, raw_cols, ok, order=order, numbered=True)
            message = "concat_ws('; ', " + ", ".join(f"e{i}" for i in range(len(checks))) + ")"
            columns = (
                "concat_ws(', ', "
                + ", ".join(f"CASE WHEN e{i} IS NOT NULL THEN '{f}' END" for i, (f, _) in enumerate(checks))
                + ")"
            )
            errors = ", ".join(f"{expr} AS e{i}" for i, (_, expr) in enumerate(checks))
            raws = ", ".join(f"CAST(raw_{f} AS VARCHAR) AS raw_{f}" for f in raw_fields)
            rejected = (
                f'SELECT CAST(row_no AS BIGINT) AS "row", {columns} AS "column", {message} AS message, {raws}, '
                f"CAST(NULL AS VARCHAR) AS raw_line FROM (SELECT *, {errors} FROM ({numbered}) WHERE NOT ok) "
                'ORDER BY "row"'
            )
            if not good:
                _refuse_rows(cur, rejected, bad)
        in_order = _rows_checked(det, select, value_cols, raw_cols, ok, order=order)
        stored = f"SELECT {_stored_columns(spec)} FROM ({in_order})" + (" WHERE ok" if bad else "")
        dataset_id = store_dataset(
            facility,
            cur,
            spec=spec,
            name=name,
            workspace=workspace,
            source=source_file,
            details=_rows_details(det, conversion),
            owner=owner,
            stored=stored,
            rejected=rejected,
        )
    except (duckdb.Error, store.DiskFull) as exc:
        if store.is_disk_full(exc):
            raise DatasetError(store.DISK_FULL_MESSAGE) from None
        raise
    result = _result(con, dataset_id, det.kind, workspace, problem_limit, started)
    from factorycore.userdata import rollups  # noqa: PLC0415 - not on the import path of every CLI start

    rollups.after_ingest(con, result.dataset_id, result.workspace)  # per-rack sums, power per hour and day
    return result


# The column types a converter's rows may carry per role (ingest_rows); text roles take VARCHAR.
_NUMERIC_TYPES = ("DOUBLE", "FLOAT", "REAL", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "DECIMAL")


def _rows_detection(cur: duckdb.DuckDBPyConnection, select: str, kind: str) -> tuple[Detection, dict[str, str]]:
    """The select's columns read as a file's headers (kind, mapping, units), and the typed ones among them."""
    described = [(str(r[0]), str(r[1]).upper()) for r in cur.execute(f"DESCRIBE {select}").fetchall()]
    columns = []
    for i, (header, _) in enumerate(described):
        base, unit = normalise_header(header)
        columns.append(Column(index=i, header=header, name=base, unit=unit))
    found, mapping, units, confident, missing, scores = detect_kind(columns, kind)
    if found is None or missing:
        shown = ", ".join(repr(h) for h, _ in described)
        raise UnreadableFile(f"the converted rows lack {', '.join(missing) or 'a kind'} (columns {shown}); {EXPECTED}")
    spec = kinds.get(found)
    sources: dict[str, str] = {}
    for fld, index in mapping.items():
        role, sql_type = spec.field(fld).role, described[index][1]
        if role == "timestamp" and sql_type.startswith("TIMESTAMP"):
            sources[fld] = sql_type
        elif role in NUMBER_ROLES and sql_type.startswith(_NUMERIC_TYPES):
            sources[fld] = sql_type
        elif role in NUMBER_ROLES or role == "timestamp" or sql_type != "VARCHAR":
            raise TypeError(f"ingest_rows: column {described[index][0]!r} ({fld}) is {sql_type}, not a {role} type")
    det = Detection(
        encoding="",
        compression="none",
        delimiter="",
        decimal_comma=False,
        columns=columns,
        kind=found,
        mapping=mapping,
        units=units,
        confident=confident,
        skip_lines=0,
        scores=scores,
        header_line=0,
    )
    return det, sources


def _rows_checked(
    det: Detection,
    select: str,
    value_cols: str,
    raw_cols: str,
    ok: str,
    *,
    order: str | None = None,
    numbered: bool = False,
) -> str:
    """SELECT over a converter's rows: converted values, raw values and the ok flag (:func:`_checked_rows`' twin),
    in ``order`` where given; ``numbered``: each row's number in that order (else the select's) as ``row_no``."""
    mapped = ", ".join(
        f'"{det.columns[i].header.replace(chr(34), chr(34) * 2)}" AS {_ident(f)}' for f, i in det.mapping.items()
    )
    if numbered:
        mapped += f", row_number() OVER ({f'ORDER BY {order}' if order else ''}) AS row_no"
    rows = f"SELECT {mapped} FROM ({select})" + (f" ORDER BY {order}" if order else "")
    return (
        f"SELECT *, {ok} AS ok FROM (SELECT {value_cols}, {raw_cols}{', r.row_no' if numbered else ''} FROM ({rows}) r)"
    )


def _refuse_rows(cur: duckdb.DuckDBPyConnection, rejected: str, total: int) -> None:
    """Raise :class:`NothingStored` for converted rows of which none is good (:func:`_refuse_if_nothing_stored`)."""
    reasons = cur.execute(
        f"SELECT reason, count(*) AS n FROM (SELECT split_part(unnest(string_split(message, '; ')), ':', 1) AS reason "
        f"FROM ({rejected})) GROUP BY reason ORDER BY n DESC, reason LIMIT {TOP_REASONS}"
    ).fetchall()
    counted = "; ".join(f"{reason.strip()[:120]} ({n:,} rows)" for reason, n in reasons)
    raise NothingStored(
        f"no row could be stored: all {total:,} rows were set aside (commonest reasons: {counted}); "
        "nothing was stored. Check the mapping, the units and the file's date and number format"
    )


def _rows_details(det: Detection, conversion: formats.Conversion | None) -> dict[str, Any]:
    """:func:`_details` of converted rows: no encoding, delimiter or text format was read (the keys stay, empty)."""
    details = _details(det, "", conversion)
    details.update(
        {"encoding": None, "compression": None, "delimiter": None, "header_line": None, "timestamp_format": None}
    )
    return details


def _ingest_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    kind: str,
    name: str,
    workspace: str,
    mapping: dict[str, str | int | None] | None,
    source: str,
    problem_limit: int,
    detection: Detection | None,
    conversion: formats.Conversion | None,
    started: float,
    owner: str | None,
    choices: ReadChoices,
    host_racks: catalog.DatasetInfo | None = None,
) -> IngestResult:
    """:func:`ingest` of one CSV file, its name already validated."""
    dataset_name = name
    det = detection if detection is not None else sniff(path, kind, allow_unknown=mapping is not None)
    if mapping is None and choices.columns:  # the detected mapping, with the columns a person named over it
        chosen = kind if kind != "auto" else det.kind
        if chosen is None:
            raise UnreadableFile(f"no kind recognised: give --kind ({', '.join(kinds.names())}) with --map; {EXPECTED}")
        auto = {f: det.columns[i].header for f, i in map_columns(det.columns, chosen)[0].items()}
        named = {f: c for f, c in choices.columns.items()}
        unknown = [f for f in named if not kinds.get(chosen).has_field(f)]
        if unknown:
            raise UnreadableFile(
                f"--map {unknown[0]}: {chosen} has no field {unknown[0]!r} "
                f"(its fields: {', '.join(kinds.get(chosen).field_names)})"
            )
        taken = set(named.values())
        mapping = {**{f: h for f, h in auto.items() if h not in taken}, **named}
        kind = chosen
    if mapping is not None:
        det = apply_mapping(det, kind if kind != "auto" else (det.kind or "racks"), mapping)
    elif kind != "auto" and det.kind != kind:
        det = apply_mapping(det, kind, {f: i for f, i in map_columns(det.columns, kind)[0].items()})
    if det.kind is None or det.missing:
        found = ", ".join(repr(h[:40]) for h in det.headers[:12])
        need = ", ".join(kinds.get(det.kind).required) if det.kind else ""
        why = f" ({'; '.join(det.notes)})" if det.notes else ""
        raise UnreadableFile(
            f"missing required column(s) for {det.kind}: {', '.join(det.missing)} (need {need}; found {found})"
            f"{why}; map them (--map FIELD=COLUMN, or the app's mapping step); {EXPECTED}"
        )
    if choices.units:
        det = apply_units(det, choices.units)
    kind = det.kind
    spec = kinds.get(kind)
    _scan(path, det.compression)
    workdir = scratch.mkdtemp("ingest")  # sweeps what crashed processes left, at most every 10 minutes
    path = _duckdb_path(path, workdir, det.compression)
    facility = store.facility(con)
    cur = con.cursor()
    tag = uuid.uuid4().hex[:12]
    rej, staged, bad, dups = (f"ingest_{part}_{tag}" for part in ("rej", "staged", "bad", "dups"))
    rack_map = f"ingest_racks_{tag}"
    try:
        with facility.cursor() as names_cur:
            catalog.check_name_free(names_cur, dataset_name, workspace)
        if host_racks is not None and rack_fill.applies(det, spec):
            kept, left_out = rack_fill.build(facility, cur, host_racks, rack_map)
            det = dataclasses.replace(
                det, rack_map=rack_map, notes=[*det.notes, rack_fill.note(host_racks, kept, left_out)]
            )
        day_first = det.delimiter != "," or det.decimal_comma
        ts_format, date_note = "", ""
        if "timestamp" in det.mapping:
            ts_format, order, date_note = _timestamp_format(cur, path, det, day_first, choices.date_order)
            det = dataclasses.replace(det, date_order=order)
        number_fields = {f: i for f, i in det.mapping.items() if spec.field(f).role in NUMBER_ROLES}
        numbers = locales.decide_numbers(
            cur,
            f"read_csv(?, {_csv_options(det, None)})",
            str(path),
            det,
            number_fields,
            choices.decimal,
            written_as_text=conversion is None or conversion.source_format != "xlsx",
            number_cells=conversion.number_cells if conversion is not None else frozenset(),
        )
        det = dataclasses.replace(
            det, decimals=numbers.decimals, notes=[*det.notes, *([date_note] if date_note else []), *numbers.notes]
        )
        det = dataclasses.replace(det, notes=[*det.notes, *_reading_notes(det, spec, choices)], profile=choices.profile)
        if spec.unique_field is None and facility.in_duckdb:
            direct = _store_clean(
                facility, cur, path, det, spec, dataset_name, workspace, source, ts_format, conversion, owner
            )
            if direct is not None:
                return _result(con, direct, kind, workspace, problem_limit, started)
        values, checks, oks = _build_checks(det, spec, ts_format)
        value_cols, raw_cols, ok = _select_parts(det, values, oks)
        raw_names = ", ".join(f"raw_{f}" for f in det.mapping)
        # One pass over the file: typed values, the raw text (for messages) and a cheap ok flag.
        _read_staged(cur, path, det, staged, rej, value_cols, raw_cols, ok, keep_all_raw=spec.unique_field is not None)
        n_raw = cur.execute(f"SELECT count(*) FROM {staged}").fetchone()[0]
        n_struct = cur.execute(f"SELECT count(DISTINCT line) FROM {rej}").fetchone()[0]
        if n_raw == 0 and n_struct == 0:
            raise UnreadableFile(f"the file has a header but no data rows; {EXPECTED}")
        row_expr = _data_row_expr(cur, rej, det.skip_lines)
        # Any row the cheap predicate rejects must get a message (and vice versa) - keep them in step.
        unique = spec.unique_field
        first_row = extra_msg = extra_col = ""
        if unique:  # such files are small (inventories): number every row to find repeated keys
            key = f"v_{unique}"
            duplicate = f"{key} IS NOT NULL AND first_row <> row_no"
            cur.execute(
                f"CREATE TEMP TABLE {dups} AS SELECT rid, row_no, min(row_no) OVER (PARTITION BY {key}) AS first_row "
                f"FROM (SELECT r.rowid AS rid, {row_expr} AS row_no, r.{key} FROM {staged} r)"
            )
            cur.execute(
                f"UPDATE {staged} SET ok = false WHERE {key} IS NOT NULL "
                f"AND rowid IN (SELECT rid FROM {dups} WHERE first_row <> row_no)"
            )
            first_row = f", (SELECT d.first_row FROM {dups} d WHERE d.rid = r.rowid) AS first_row"
            extra_msg = (
                f", CASE WHEN {duplicate} THEN 'duplicate {unique} ' || chr(39) || left({key}, 40) "
                "|| chr(39) || ' (first on row ' || first_row || ')' END"
            )
            extra_col = f", CASE WHEN {duplicate} THEN '{unique}' END"
        # Messages only for the bad rows, numbered from their place in the file.
        message = "concat_ws('; ', " + ", ".join(f"e{i}" for i in range(len(checks))) + extra_msg + ")"
        columns = (
            "concat_ws(', ', "
            + ", ".join(f"CASE WHEN e{i} IS NOT NULL THEN '{f}' END" for i, (f, _) in enumerate(checks))
            + extra_col
            + ")"
        )
        errors = ", ".join(f"{expr} AS e{i}" for i, (_, expr) in enumerate(checks))
        cur.execute(
            f"CREATE TEMP TABLE {bad} AS SELECT row_no, {message} AS message, {columns} AS problem_column, {raw_names} "
            f"FROM (SELECT *, {errors} FROM (SELECT r.*, {row_expr} AS row_no{first_row} FROM {staged} r "
            "WHERE NOT r.ok))"
        )
        _refuse_if_nothing_stored(cur, staged, bad, rej)
        result = _store(
            facility, cur, det, spec, dataset_name, workspace, source, staged, bad, rej, ts_format, conversion, owner
        )
    except (duckdb.Error, store.DiskFull) as exc:
        if store.is_disk_full(exc):
            raise DatasetError(store.DISK_FULL_MESSAGE) from None
        raise
    finally:
        for table in (staged, bad, dups, rej, rej + "_scan", rej + "_gaps"):
            try:
                cur.execute(f"DROP TABLE IF EXISTS {table}")
            except duckdb.Error:
                pass
        rack_fill.drop(cur, rack_map)
        cur.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return _result(con, result, kind, workspace, problem_limit, started)


def _refuse_if_nothing_stored(cur: duckdb.DuckDBPyConnection, staged: str, bad: str, rej: str) -> None:
    """Raise :class:`NothingStored`, with the commonest reasons counted, when no row of the file is good."""
    if cur.execute(f"SELECT count(*) FROM {staged} WHERE ok").fetchone()[0]:
        return
    reasons = cur.execute(
        f"SELECT reason, count(*) AS n FROM (SELECT split_part(unnest(string_split(message, '; ')), ':', 1) AS reason "
        f"FROM {bad} UNION ALL SELECT split_part(error_message, '.', 1) FROM (SELECT DISTINCT ON (line) error_message "
        f"FROM {rej})) GROUP BY reason ORDER BY n DESC, reason LIMIT {TOP_REASONS}"
    ).fetchall()
    total = cur.execute(f"SELECT count(*) FROM {staged}").fetchone()[0]
    counted = "; ".join(f"{reason.strip()[:120]} ({n:,} rows)" for reason, n in reasons)
    raise NothingStored(
        f"no row could be stored: all {total:,} rows were set aside (commonest reasons: {counted}); "
        "nothing was stored. Check the mapping, the units and the file's date and number format"
    )


def _reading_notes(det: Detection, spec: KindSpec, choices: ReadChoices) -> list[str]:
    """Sentences on how the file was read: apparent power, computed fields, the profile used."""
    notes = []
    for fld, unit in det.units.items():
        if unit in APPARENT_UNITS and fld in det.mapping:
            notes.append(
                f"{det.columns[det.mapping[fld]].header[:40]!r} is in {unit}: read as {unit[:-1]}, "
                "at unity power factor"
            )
    for how in spec.derived:
        if how.applies(det.mapping):
            notes.append(how.note)
            notes.extend(sentence for fld, sentence in how.assumed if fld not in det.mapping)
    if choices.profile:
        notes.append(f"read with the saved profile {choices.profile!r}")
    return notes


def _result(
    con: duckdb.DuckDBPyConnection, dataset_id: int, kind: str, workspace: str, problem_limit: int, started: float
) -> IngestResult:
    info = catalog.get_dataset(con, dataset_id=dataset_id, workspaces=[workspace])
    found = catalog.problems(con, info, problem_limit)
    return IngestResult(
        dataset=info.name,
        dataset_id=info.dataset_id,
        kind=kind,
        workspace=workspace,
        rows_accepted=info.rows_accepted,
        rows_rejected=info.rows_rejected,
        problems=found,
        problems_total=info.rows_rejected,
        detection=info.details,
        seconds=time.perf_counter() - started,
    )


def _stored_columns(spec: KindSpec) -> str:
    """The stored table's columns from the validated ``v_<field>`` values."""
    return ", ".join(f"CAST(v_{f.name} AS {f.sql_type}) AS {_ident(f.stored_column)}" for f in spec.fields)


def _details(det: Detection, ts_format: str, conversion: formats.Conversion | None) -> dict[str, Any]:
    """What the catalog keeps about how the file was read (shown beside the dataset)."""
    details = {
        "encoding": det.encoding,
        "compression": det.compression,
        "delimiter": {"\t": "tab"}.get(det.delimiter, det.delimiter),
        "decimal_comma": det.decimal_comma,
        "mapping": det.mapping_by_header(),
        "units": {f: u for f, u in det.units.items() if u},
        "timestamp_format": ts_format or None,
        "headers_by_field": det.mapping_by_header(),
        "date_order": det.date_order,
        "decimals": dict(det.decimals),
        "header_line": det.header_line,
        "profile": det.profile,
        "notes": list(det.notes),
    }
    if conversion is not None and conversion.source_format != "csv":
        details["conversion"] = conversion.as_details()
    return details


class _NotClean(Exception):
    """The one-pass store found no row to store: roll it back and take the full path (which says so)."""


NOT_CLEAN = "a row needs a message: the staged path reads this file"


def _store_clean(
    facility: store.FacilityStore,
    cur: duckdb.DuckDBPyConnection,
    path: Path,
    det: Detection,
    spec: KindSpec,
    name: str,
    workspace: str,
    source: str,
    ts_format: str,
    conversion: formats.Conversion | None,
    owner: str | None,
) -> int | None:
    """A file whose every row is valid, stored in one pass; None (nothing written) if any row is not.

    Most large files (a DCIM export, a telemetry dump) have no bad row, and for them the
    staged path reads the file into a temp table and copies it again. Here the converted
    rows go straight into the dataset's table inside the transaction that also writes the
    catalog row, read strictly (a malformed line, or a number the reader cannot type, is
    an error) and with every row's ok flag required (a row that is not ok raises); on any
    of those the transaction is rolled back and :func:`_ingest_csv` takes the staged
    path, which words every problem. Both read the file through :func:`_checked_rows`
    with the same checks, the reader typing the numbers here (:func:`_reader_types`), so a
    file is stored identically either way (tests/userdata/test_ingest_fast_path.py).
    Embedded store only: the team store copies validated rows over in its own transaction.
    """
    typed = _reader_types(det, spec)
    values, _, oks = _build_checks(det, spec, ts_format, typed)
    value_cols, raw_cols, ok = _select_parts(det, values, oks)
    raw_fields = list(det.mapping)
    empty_rejects = ", ".join(
        [
            'CAST(NULL AS BIGINT) AS "row"',
            'CAST(NULL AS VARCHAR) AS "column"',
            "CAST(NULL AS VARCHAR) AS message",
            *(f"CAST(NULL AS VARCHAR) AS raw_{f}" for f in raw_fields),
            "CAST(NULL AS VARCHAR) AS raw_line",
        ]
    )
    checked = _checked_rows(det, value_cols, raw_cols, ok, _csv_options(det, None, strict=True, typed=typed))
    # error() stops the statement at the first row that is not ok, so no flag is stored.
    stored = (
        f"SELECT {_stored_columns(spec)} FROM ({checked}) "
        f"WHERE CASE WHEN ok THEN true ELSE error({_sql_str(NOT_CLEAN)}) END"
    )
    try:
        return store_dataset(
            facility,
            cur,
            spec=spec,
            name=name,
            workspace=workspace,
            source=source,
            details=_details(det, ts_format, conversion),
            owner=owner,
            stored=stored,
            rejected=f"SELECT {empty_rejects} WHERE false",
            params=[str(path)],
            require_rows=True,
        )
    except _NotClean:
        return None
    except store.StoreUnusable:
        raise
    except store.StoreError:
        return None  # a row needs a message, or the reader could not take the file: the staged path says why


def _store(
    facility: store.FacilityStore,
    cur: duckdb.DuckDBPyConnection,
    det: Detection,
    spec: KindSpec,
    name: str,
    workspace: str,
    source: str,
    staged: str,
    bad: str,
    rej: str,
    ts_format: str,
    conversion: formats.Conversion | None,
    owner: str | None,
) -> int:
    """Everything for one upload in one transaction of the store; the new id.

    ``cur`` holds the validated temp tables. On the embedded store the transaction is on
    ``cur`` itself; on the team store the rows are copied into PostgreSQL inside its own
    transaction, with the catalog row, so either the whole dataset appears or nothing.
    """
    stored_cols = _stored_columns(spec)
    raw_fields = list(det.mapping)
    raw_select = ", ".join(f"raw_{f}" for f in raw_fields)
    raw_nulls = ", ".join(f"NULL AS raw_{f}" for f in raw_fields)
    details = _details(det, ts_format, conversion)
    stored = f"SELECT {stored_cols} FROM {staged} WHERE ok"
    rejected_rows = (
        f'SELECT CAST(row_no AS BIGINT) AS "row", problem_column AS "column", message, '
        f"{raw_select}, CAST(NULL AS VARCHAR) AS raw_line FROM {bad} "
        f'UNION ALL SELECT DISTINCT ON (line) CAST(line - {int(det.skip_lines)} AS BIGINT) AS "row", '
        "'(whole row)' AS \"column\", "
        f"error_message AS message, {raw_nulls}, csv_line AS raw_line FROM {rej} "
        f'ORDER BY "row"'
    )
    return store_dataset(
        facility,
        cur,
        spec=spec,
        name=name,
        workspace=workspace,
        source=source,
        details=details,
        owner=owner,
        stored=stored,
        rejected=rejected_rows,
    )


def store_dataset(
    facility: store.FacilityStore,
    cur: duckdb.DuckDBPyConnection,
    *,
    spec: KindSpec,
    name: str,
    workspace: str,
    source: str,
    details: dict[str, Any],
    owner: str | None,
    stored: str,
    rejected: str,
    params: list[Any] | None = None,
    require_rows: bool = False,
) -> int:
    """Register one dataset: its name checked free, a new id, its data and rejects tables made from selects
    over ``cur`` (the DuckDB cursor that validated the file), and its catalog row, in one transaction of the
    facility store; the new id. The one way a dataset is stored, whichever way its file was read.

    On the embedded store the transaction is on ``cur`` itself; on the team store the rows are
    copied into PostgreSQL inside its own transaction, with the catalog row, so either the
    whole dataset appears or nothing. ``require_rows``: no stored row raises :class:`_NotClean`
    (rolled back). A name another upload took between the check and COMMIT is reported by the
    unique index as the name being taken; a full disk as such.
    """
    try:
        with facility.writer(cur) as out, store.transaction(out):
            catalog.check_name_free(out, name, workspace)
            dataset_id = catalog.next_id(out)
            table, rejects = catalog.table_names(dataset_id)
            accepted = facility.create_table_from(cur, stored, out, f"facility.{table}", params or [])
            if require_rows and not accepted:
                raise _NotClean
            rejected_count = facility.create_table_from(cur, rejected, out, f"facility.{rejects}")
            _test_pause()
            catalog.insert(
                out,
                dataset_id=dataset_id,
                name=name,
                kind=spec.name,
                workspace=workspace,
                rows_accepted=accepted,
                rows_rejected=rejected_count,
                source_file=source,
                table_name=table,
                rejects_table=rejects,
                details=details,
                owner=owner,
            )
    except (store.NameTaken, store.WriteConflict, store.DiskFull) as exc:
        raise catalog.write_error(exc, catalog.taken_message(name)) from None
    return dataset_id


def _test_pause() -> None:
    """Fault-injection point for the crash test: pause inside the open transaction."""
    pause = os.environ.get("FACTORY_INGEST_TEST_PAUSE_S")
    if pause:
        sys.stderr.write("ingest: transaction open\n")
        sys.stderr.flush()
        time.sleep(float(pause))
