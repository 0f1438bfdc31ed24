"""Look at the first bytes of an uploaded facility file and say what it is.

Everything here reads at most :data:`SNIFF_BYTES` of the file, so detection costs
the same for a 200-row sample and a 10-million-row export. It answers: is the file
readable text at all (not empty, not binary, not a spreadsheet renamed ``.csv``),
which compression, encoding and delimiter it uses, whether numbers use decimal
commas, and which header maps to which canonical field (with the unit it carries).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from factorycore.userdata import kinds
from factorycore.userdata.kinds import KINDS, Field

SNIFF_BYTES = 256 * 1024

# Unit tokens as they appear in headers -> canonical unit.
POWER_UNITS = {
    "w": "W",
    "watt": "W",
    "watts": "W",
    "kw": "kW",
    "kilowatt": "kW",
    "kilowatts": "kW",
    "mw": "MW",
    "megawatt": "MW",
    "megawatts": "MW",
    # Apparent power, read as real power at unity power factor (the notes say so).
    "va": "VA",
    "kva": "kVA",
}
TEMP_UNITS = {
    "c": "°C",
    "degc": "°C",
    "°c": "°C",
    "celsius": "°C",
    "deg_c": "°C",
    "f": "°F",
    "degf": "°F",
    "°f": "°F",
    "fahrenheit": "°F",
    "deg_f": "°F",
}
UNIT_TO_KW = {"W": 0.001, "kW": 1.0, "MW": 1000.0, "VA": 0.001, "kVA": 1.0}
APPARENT_UNITS = frozenset({"VA", "kVA"})
# Unit words glued to the end of one header word ("MaxkW" -> "max" in kW); "w" alone is too common.
_GLUED_UNITS = ("kva", "kw", "mw")
# Where several kinds could read a file, the one that maps this many more columns is taken without asking.
CLEAR_MARGIN_FIELDS = 3
# How many lines at the top of a CSV may stand above its header (titles, export metadata).
HEADER_SCAN_LINES = 30
# The units a field of each role may carry.
ROLE_UNITS: dict[str, frozenset[str]] = {"power": frozenset(UNIT_TO_KW), "temperature": frozenset({"°C", "°F"})}
# File names the uploader takes (text formats this module reads).
FILE_TYPES: tuple[str, ...] = ("csv", "tsv", "txt", "gz")

# Synonyms that imply a unit when the header carries none ("Watts" means W).
_IMPLIED_UNITS = {"w": "W", "watts": "W", "kw": "kW", "mw": "MW"}


class UnreadableFile(ValueError):
    """The file cannot be read as a facility CSV; the message says what was expected."""


EXPECTED = (
    "expected a CSV text file (comma, semicolon or tab separated; UTF-8, UTF-16 or Latin-1; "
    "optionally gzip-compressed), an Excel .xlsx/.xlsm sheet or a Parquet file, with a header row naming the "
    "columns of one kind: " + kinds.summary() + "; or DCGM GPU power as a Prometheus scrape or query_range JSON"
)


@dataclass
class Column:
    """One header of the file: its position, original text and what it maps to."""

    index: int
    header: str
    name: str  # normalised name without unit
    unit: str | None  # 'W', 'kW', 'MW', 'VA', 'kVA', '°C', '°F' or None
    percent: bool = False  # every value in the sample ends with '%' (a share, never a power)
    separators: bool = False  # a sample value is a number with a ',' or '.' in it (its locale decides it)
    commas: bool = False  # a sample value is a number with a ',' between digits (quoted, in a comma-separated file)


@dataclass
class Detection:
    """What detection found: format, columns, the guessed kind and mapping."""

    encoding: str
    compression: str
    delimiter: str
    decimal_comma: bool
    columns: list[Column]
    kind: str | None
    mapping: dict[str, int]  # canonical field -> column index
    units: dict[str, str]  # canonical field -> unit as found (or default)
    confident: bool
    skip_lines: int = 1  # lines before the first data row (leading blank lines + header)
    missing: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    decimals: dict[str, str] = field(default_factory=dict)  # number field -> 'point' or 'comma' (set by ingest)
    date_order: str | None = None  # 'dmy', 'mdy' or 'ymd' where the dates need one (set by ingest)
    profile: str | None = None  # the saved profile the file was read with (set by ingest)
    rack_map: str | None = None  # a temp table device -> rack_id that rows' racks are looked up in (set by ingest)
    header_line: int = 1  # the file line (1-based) the header is on
    notes: list[str] = field(default_factory=list)  # what reading the headers found, in words

    @property
    def headers(self) -> list[str]:
        """The original header texts, in file order."""
        return [c.header for c in self.columns]

    def mapping_by_header(self) -> dict[str, str]:
        """Canonical field -> original header text (for showing to a human)."""
        return {f: self.columns[i].header for f, i in self.mapping.items()}


def _read_head(path: Path) -> tuple[bytes, str]:
    with path.open("rb") as handle:
        raw = handle.read(SNIFF_BYTES)
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as handle:
                return handle.read(SNIFF_BYTES), "gzip"
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFile(
                f"the file looks gzip-compressed but cannot be decompressed ({exc}); {EXPECTED}"
            ) from None
    return raw, "none"


def _binary_kind(raw: bytes) -> str | None:
    if raw.startswith(b"PK\x03\x04"):
        return "a ZIP archive that is not an Excel .xlsx workbook"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return "an Excel .xls workbook"
    if raw.startswith(b"%PDF"):
        return "a PDF document"
    if raw.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if raw.startswith(b"SQLite format 3"):
        return "an SQLite database"
    return None


def _encoding(raw: bytes) -> tuple[str, str]:
    """(DuckDB encoding name, Python codec) from a BOM or trial decoding."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16"
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8", "utf-8-sig"
    # UTF-16 without BOM: every other byte NUL in ASCII text.
    if len(raw) >= 4 and raw[1:200:2].count(0) > 0.4 * len(raw[1:200:2]) and raw[0:200:2].count(0) == 0:
        raise UnreadableFile(f"the file looks like UTF-16 without a byte-order mark; save it as UTF-8; {EXPECTED}")
    try:
        raw.decode("utf-8")
        return "utf-8", "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 4:  # a multi-byte character cut by the sniff window
            return "utf-8", "utf-8"
    return "latin-1", "latin-1"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\r\n\t") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd")
    return "\x00" in sample or bad > 0.02 * len(sample)


def _delimiter(lines: list[str]) -> str:
    """The candidate that splits the header and the next lines most consistently."""
    best, best_score = ",", -1.0
    for cand in (",", ";", "\t", "|"):
        counts = []
        for line in lines[:20]:
            try:
                counts.append(len(next(csv.reader([line], delimiter=cand, quotechar='"'))))
            except (csv.Error, StopIteration):
                counts.append(1)
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = counts[0] * consistent
        if score > best_score:
            best, best_score = cand, score
    return best


_UNIT_IN_BRACKETS = re.compile(r"[\(\[\{]\s*([^\)\]\}]*)\s*[\)\]\}]")


def normalise_header(header: str) -> tuple[str, str | None]:
    """('design_power', 'kW') from 'Design Power (kW)'; units may be bracketed or a suffix token."""
    text = unicodedata.normalize("NFKC", header).strip().strip("\ufeff").strip('"').strip()
    text = _fold_accents(text.replace("º", "°"))
    unit: str | None = None
    match = _UNIT_IN_BRACKETS.search(text)
    if match:
        token = match.group(1).strip().lower().replace(" ", "")
        unit = POWER_UNITS.get(token) or TEMP_UNITS.get(token)
        text = _UNIT_IN_BRACKETS.sub(" ", text)
    text = text.lower().replace("°", " °").replace("#", " number ").replace("%", " pct ")
    tokens = [t for t in re.split(r"[^0-9a-z°]+", text) if t]
    tokens = [t for t in tokens if t != "°"] if "°" in tokens else tokens
    if unit is None and len(tokens) >= 2:
        last = tokens[-1]
        if last in POWER_UNITS or last in TEMP_UNITS:
            unit = POWER_UNITS.get(last) or TEMP_UNITS.get(last)
            tokens = tokens[:-1]
            if len(tokens) >= 2 and tokens[-1] in ("deg", "degree", "degrees"):
                tokens = tokens[:-1]
    if unit is None and len(tokens) >= 3 and tokens[-2] in ("deg", "degree", "degrees") and tokens[-1] in ("c", "f"):
        unit = TEMP_UNITS[tokens[-1]]
        tokens = tokens[:-2]
    if unit is None and tokens:
        glued = next((u for u in _GLUED_UNITS if tokens[-1].endswith(u) and tokens[-1][: -len(u)].isalpha()), None)
        if glued and len(tokens[-1]) - len(glued) >= 2:
            unit = POWER_UNITS[glued]
            tokens = [*tokens[:-1], tokens[-1][: -len(glued)]]
    name = "_".join(tokens)
    if unit is None and name in _IMPLIED_UNITS:
        unit = _IMPLIED_UNITS[name]
    if unit is None and name in ("celsius", "fahrenheit"):
        unit = TEMP_UNITS[name]
    return name, unit


def _fold_accents(text: str) -> str:
    """'Verfügbare Leistung' -> 'Verfugbare Leistung', 'Intensité' -> 'Intensite', 'ß' -> 'ss' (keeps '°')."""
    text = text.replace("ß", "ss").replace("°", "\x00")
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return folded.replace("\x00", "°")


def map_columns(columns: list[Column], kind: str) -> tuple[dict[str, int], dict[str, str]]:
    """Canonical field -> column index for one kind, plus the unit each mapped column carries."""
    mapping: dict[str, int] = {}
    units: dict[str, str] = {}
    for fld in kinds.get(kind).fields:
        for synonym in fld.synonyms:
            col = next(
                (
                    c
                    for c in columns
                    if c.name == synonym
                    and c.index not in mapping.values()
                    and unit_fits(fld, c.unit)
                    and (not c.percent or fld.unit == "%")
                ),
                None,
            )
            if col is not None:
                mapping[fld.name] = col.index
                units[fld.name] = col.unit or fld.default_unit
                break
    return mapping, units


def satisfied(kind: str, mapping: dict[str, int]) -> list[str]:
    """The required fields of ``kind`` neither mapped nor computable from mapped ones (:class:`Derived`)."""
    spec = kinds.get(kind)
    derivable = {d.field for d in spec.derived if d.applies(mapping)}
    return [f for f in spec.required if f not in mapping and f not in derivable]


def unit_fits(fld: Field, unit: str | None) -> bool:
    """Whether a header's unit suits the field (no unit always does)."""
    return unit is None or unit in ROLE_UNITS.get(fld.role, ())


def detect_kind(
    columns: list[Column], kind: str = "auto"
) -> tuple[str | None, dict[str, int], dict[str, str], bool, list[str], dict[str, int]]:
    """Pick the kind whose required fields are all present (most specific first)."""
    scores: dict[str, int] = {}
    results = {}
    for k in KINDS:
        mapping, units = map_columns(columns, k)
        required = KINDS[k].required
        missing = satisfied(k, mapping)
        found = len(required) - len(missing)
        scores[k] = found * 10 + sum(1 for f in KINDS[k].optional if f in mapping)
        results[k] = (mapping, units, missing)
    if kind != "auto":
        mapping, units, missing = results[kind]
        return kind, mapping, units, not missing, missing, scores
    complete = [k for k in KINDS if not results[k][2]]
    if len(complete) == 1:
        k = complete[0]
        return k, results[k][0], results[k][1], True, [], scores
    if complete:  # several complete: the one that reads clearly more of the file, else ask the user
        ranked = sorted(complete, key=lambda c: (len(results[c][0]), len(KINDS[c].required)), reverse=True)
        k = ranked[0]
        # Clear when it maps clearly more columns, or every other kind reads only columns it reads too
        # (timestamp, rack, host, power: telemetry; devices would read just its host and rack).
        mine = set(results[k][0].values())
        clear = len(results[k][0]) - len(results[ranked[1]][0]) >= CLEAR_MARGIN_FIELDS or all(
            set(results[c][0].values()) < mine for c in ranked[1:]
        )
        return k, results[k][0], results[k][1], clear, [], scores
    best = max(KINDS, key=lambda c: (scores[c] / len(KINDS[c].required), scores[c]))
    if scores[best] < 10:
        return None, {}, {}, False, list(KINDS[best].required), scores
    return best, results[best][0], results[best][1], False, results[best][2], scores


def _decimal_comma(rows: list[list[str]], delimiter: str) -> bool:
    if delimiter == ",":
        return False
    comma = point = 0
    for row in rows:
        for value in row:
            v = value.strip()
            if re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d+|-?\d+,\d+", v):
                comma += 1
            elif re.fullmatch(r"-?\d+\.\d+", v):
                point += 1
    return comma > point


def sniff(path: Path, kind: str = "auto", *, allow_unknown: bool = False) -> Detection:
    """Detect compression, encoding, delimiter, decimal mark, columns, kind and mapping.

    Raises :class:`UnreadableFile` with one clear message if the file is not a CSV
    (or, unless ``allow_unknown``, if no column is recognised).
    """
    if kind not in ("auto", *KINDS):
        raise ValueError(f"unknown kind {kind!r}; expected auto, {', '.join(KINDS)}")
    if not path.exists() or not path.is_file():
        raise UnreadableFile(f"file {path.name} not found; {EXPECTED}")
    raw, compression = _read_head(path)
    if not raw.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise UnreadableFile(f"the file is empty; {EXPECTED}")
    what = _binary_kind(raw)
    if what:
        raise UnreadableFile(f"the file is {what}, not CSV text (in a spreadsheet use Save As > CSV); {EXPECTED}")
    duck_encoding, codec = _encoding(raw)
    text = raw.decode(codec, errors="replace")
    if _looks_binary(text):
        raise UnreadableFile(f"the file is binary, not CSV text; {EXPECTED}")
    lines = [ln for ln in io.StringIO(text, newline=None).read().split("\n")]
    if len(raw) >= SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut by the sniff window
    numbered = [(i, ln) for i, ln in enumerate(lines) if ln.strip()]
    if not numbered:
        raise UnreadableFile(f"the file is empty; {EXPECTED}")
    at, delimiter, parsed, columns = _find_header(numbered, kind)
    header_line = numbered[at][0] + 1
    found_kind, mapping, units, confident, missing, scores = detect_kind(columns, kind)
    notes = _percent_notes(columns)
    if at:
        notes.append(
            f"the header is on line {header_line}; the {header_line - 1} line(s) above it (a title, blank lines "
            "or export details) are not data"
        )
    if found_kind is None and kind == "auto" and not allow_unknown:
        shown = ", ".join(repr(c.header[:40]) for c in columns[:12])
        raise UnreadableFile(f"no recognisable columns (found {shown}){_joined(notes)}; {EXPECTED}")
    return Detection(
        encoding=duck_encoding,
        compression=compression,
        delimiter=delimiter,
        decimal_comma=_decimal_comma(parsed[1:], delimiter),
        columns=columns,
        kind=found_kind,
        mapping=mapping,
        units=units,
        confident=confident,
        skip_lines=header_line,
        missing=missing,
        scores=scores,
        header_line=header_line,
        notes=notes,
    )


_SEPARATED = re.compile(r"[-+]?[\d\s\u00a0\u202f.,]*\d[.,]\d[\d\s\u00a0\u202f.,]*")


def _joined(notes: list[str]) -> str:
    """Notes appended to a refusal: ' (note; note)' or ''."""
    return f" ({'; '.join(notes)})" if notes else ""


def _read_header(numbered: list[tuple[int, str]], at: int) -> tuple[str, list[list[str]], list[Column]] | None:
    """(delimiter, parsed rows from the header on, columns) taking line ``at`` as the header; None if unparsable."""
    rest = [ln for _, ln in numbered[at : at + 200]]
    delimiter = _delimiter(rest)
    try:
        parsed = list(csv.reader(rest, delimiter=delimiter, quotechar='"'))
    except csv.Error:
        return None
    if not parsed:
        return None
    columns = []
    for i, h in enumerate(parsed[0]):
        name, unit = normalise_header(h)
        values = [row[i].strip() for row in parsed[1:] if i < len(row) and row[i].strip()]
        percent = bool(values) and all(v.endswith("%") for v in values)
        separated = [v for v in values if _SEPARATED.fullmatch(v)]
        columns.append(
            Column(
                index=i,
                header=h.strip().lstrip("\ufeff"),
                name=name,
                unit=unit,
                percent=percent,
                separators=bool(separated),
                commas=any("," in v for v in separated),
            )
        )
    return delimiter, parsed, columns


def _find_header(numbered: list[tuple[int, str]], kind: str) -> tuple[int, str, list[list[str]], list[Column]]:
    """(index among non-blank lines, delimiter, parsed rows, columns) of the header.

    The first non-blank line, unless a line among the first :data:`HEADER_SCAN_LINES` names
    more fields of a kind (a title, a blank line or export details may stand above the
    header, as in a workbook saved as CSV): the xlsx path's rule, for text.
    """
    first = _read_header(numbered, 0)
    if first is None:
        raise UnreadableFile(f"the header cannot be parsed; {EXPECTED}")

    def score(cols: list[Column]) -> int:
        if len(cols) < 2:
            return -1
        found_kind, _, _, _, missing, scores = detect_kind(cols, kind)
        return (max(scores.values(), default=0) if kind == "auto" else scores.get(kind, 0)) + (
            100 if found_kind and not missing else 0
        )

    best, best_score = 0, score(first[2])
    if best_score < 100:  # the first line does not read as a complete header: look below it
        for at in range(1, min(HEADER_SCAN_LINES, len(numbered))):
            found = _read_header(numbered, at)
            if found is not None and (points := score(found[2])) > best_score:
                best, best_score, first_found = at, points, found
        if best:
            first = first_found
    delimiter, parsed, columns = first
    if len(columns) < 2:
        raise UnreadableFile(f"only one column found (header {parsed[0][0][:60]!r}); {EXPECTED}")
    return best, delimiter, parsed, columns


def _percent_notes(columns: list[Column]) -> list[str]:
    """A note for each column named like a power whose values are percentages: it is not read as a power."""
    power_names = {s for spec in KINDS.values() for f in spec.fields if f.role == "power" for s in f.synonyms}
    return [
        f"column {c.header[:40]!r} holds percentages (a share such as a utilisation), not a power: "
        "it is not read as one"
        for c in columns
        if c.percent and c.name in power_names
    ]
