"""Column contracts of the reference tables.

One place states what each CSV in ``data/reference`` must hold, so the loader,
the integrity tests and ``data/README.md`` cannot drift apart. Types are DuckDB
types; every table except ``sources`` carries ``source_id``, ``status`` and a
free-text ``note`` that states the method for derived and modelled rows.
"""

from __future__ import annotations

# unverified: a figure carried from elsewhere that no document read for this project states
# (kept so the chart can show it, never presented as reported); derived rows from it are unverified too.
ROW_STATUSES: tuple[str, ...] = ("reported", "derived", "modelled", "unverified")
# firm: read in the publisher's own document; secondary: seen through press or a
# summary; model: a method documented in data/README.md by this project.
SOURCE_STATUSES: tuple[str, ...] = ("firm", "secondary", "model")

# Canonical segment keys shared by every chart so a segment keeps one colour.
SEGMENTS: dict[str, str] = {
    "industry_average": "Industry average",
    "enterprise": "Enterprise (traditional)",
    "colocation": "Colocation",
    "hyperscale": "Hyperscale",
    "ai_native_cloud": "AI-native cloud",
    "ai_factory": "AI factory (training)",
}

REFERENCE_YEARS: tuple[int, ...] = tuple(range(2020, 2027))
LATEST_YEAR: int = REFERENCE_YEARS[-1]  # "today" for every comparison with the reference data

# The segments (rack_density) and profiles (power_distribution) every year is modelled for.
DENSITY_PROFILES: tuple[str, ...] = ("industry_average", "enterprise", "colocation", "hyperscale", "ai_factory")

# The fixed density bands of power_distribution: (band, band_order, band_min_kw, band_max_kw);
# band_max_kw None is the open top band. The generator, the engine and the tests read these.
DENSITY_BANDS: tuple[tuple[str, int, float, float | None], ...] = (
    ("<5 kW", 1, 0.0, 5.0),
    ("5-10 kW", 2, 5.0, 10.0),
    ("10-20 kW", 3, 10.0, 20.0),
    ("20-30 kW", 4, 20.0, 30.0),
    ("30-50 kW", 5, 30.0, 50.0),
    ("50-100 kW", 6, 50.0, 100.0),
    (">100 kW", 7, 100.0, None),
)

# Evidence columns every reference table carries after ``note``:
#   quote    the source's own words for a reported number (a short fragment);
#   seen_at  the URL where that fragment was read, when it differs from the source's url;
#   formula  for a derived row, the arithmetic that reproduces its value, with its inputs
#            named by row key: ``table[key1|key2|...].column`` (key values in PRIMARY_KEYS
#            order), e.g. ``4 * hardware[dgx_a100].power_kw``; factorycore.evidence evaluates it.
EVIDENCE_COLUMNS: dict[str, str] = {"quote": "VARCHAR", "seen_at": "VARCHAR", "formula": "VARCHAR"}

TABLES: dict[str, dict[str, str]] = {
    "sources": {
        "source_id": "VARCHAR",
        "publisher": "VARCHAR",
        "title": "VARCHAR",
        "year": "INTEGER",
        "url": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
    },
    "rack_density": {
        "year": "INTEGER",
        "segment": "VARCHAR",
        "statistic": "VARCHAR",
        "kw_per_rack": "DOUBLE",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    "density_anchors": {
        "year": "INTEGER",
        "measure": "VARCHAR",
        "basis": "VARCHAR",
        "value": "DOUBLE",
        "value_max": "DOUBLE",
        "unit": "VARCHAR",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    "power_distribution": {
        "year": "INTEGER",
        "profile": "VARCHAR",
        "band": "VARCHAR",
        "band_order": "INTEGER",
        "band_min_kw": "DOUBLE",
        "band_max_kw": "DOUBLE",
        "share_pct": "DOUBLE",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    "maturity": {
        "year": "INTEGER",
        "segment": "VARCHAR",
        "dimension": "VARCHAR",
        "value": "DOUBLE",
        "unit": "VARCHAR",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    "stack": {
        "layer_order": "INTEGER",
        "layer": "VARCHAR",
        "component": "VARCHAR",
        "examples": "VARCHAR",
        "power_share_pct": "DOUBLE",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    "hardware": {
        "id": "VARCHAR",
        "kind": "VARCHAR",
        "vendor": "VARCHAR",
        "name": "VARCHAR",
        "year": "INTEGER",
        "accelerators": "INTEGER",
        "power_kw": "DOUBLE",
        "power_basis": "VARCHAR",
        "cooling": "VARCHAR",
        "default_rack_kw": "DOUBLE",
        "platform": "VARCHAR",
        "availability": "VARCHAR",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    # Every published power figure per catalog item (the ledger behind hardware.power_kw):
    # basis maximum | typical | measured | rated_capacity; sizing marks the one figure per
    # (hardware_id, basis) that sizes fleets; quote is the source's own words, seen_at where.
    "hardware_power": {
        "hardware_id": "VARCHAR",
        "basis": "VARCHAR",
        "power_kw": "DOUBLE",
        "scope": "VARCHAR",
        "sizing": "BOOLEAN",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    "electricity": {
        "year": "INTEGER",
        "region": "VARCHAR",
        "scenario": "VARCHAR",
        "twh": "DOUBLE",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    # MLPerf Inference results (closed division), one row per catalog system x benchmark x
    # scenario: the submission's own figure (quote) and the file it was read in (seen_at).
    "throughput": {
        "hardware_id": "VARCHAR",
        "benchmark": "VARCHAR",
        "scenario": "VARCHAR",
        "tokens_per_s": "DOUBLE",
        "accelerators": "INTEGER",
        "mlperf_round": "VARCHAR",
        "submitter": "VARCHAR",
        "mlperf_system": "VARCHAR",
        "division": "VARCHAR",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
    # Reporting and efficiency rules for data centres (EU 2024/1364 and 2023/1791, the rating
    # scheme, Germany's EnEfG): one row per field, KPI, target or label bound; kind is scope |
    # deadline | field | kpi | target | label; threshold is empty where no text gave the figure.
    "compliance_rules": {
        "regime": "VARCHAR",
        "rule_id": "VARCHAR",
        "kind": "VARCHAR",
        "name": "VARCHAR",
        "metric": "VARCHAR",
        "comparator": "VARCHAR",
        "threshold": "DOUBLE",
        "unit": "VARCHAR",
        "applies_to": "VARCHAR",
        "in_force_from": "VARCHAR",
        "field_order": "INTEGER",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
        **EVIDENCE_COLUMNS,
    },
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("source_id",),
    "rack_density": ("year", "segment", "statistic", "source_id"),
    "density_anchors": ("year", "measure", "source_id"),
    "power_distribution": ("year", "profile", "band"),
    "maturity": ("year", "segment", "dimension"),
    "stack": ("layer", "component"),
    "hardware": ("id",),
    "hardware_power": ("hardware_id", "basis", "source_id"),
    "electricity": ("year", "region", "scenario", "source_id"),
    "throughput": ("hardware_id", "benchmark", "scenario"),
    "compliance_rules": ("regime", "rule_id"),
}
