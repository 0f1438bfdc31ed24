"""Column contracts of the reference tables.

One place states what each CSV in ``data/reference`` must hold, so the loader,
the integrity tests and ``data/README.md`` cannot drift apart. Types are DuckDB
types; every table except ``sources`` carries ``source_id``, ``status`` and a
free-text ``note`` that states the method for derived and modelled rows.
"""

from __future__ import annotations

ROW_STATUSES: tuple[str, ...] = ("reported", "derived", "modelled")
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
    },
    "hardware": {
        "id": "VARCHAR",
        "kind": "VARCHAR",
        "vendor": "VARCHAR",
        "name": "VARCHAR",
        "year": "INTEGER",
        "accelerators": "INTEGER",
        "power_kw": "DOUBLE",
        "cooling": "VARCHAR",
        "default_rack_kw": "DOUBLE",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
    },
    "electricity": {
        "year": "INTEGER",
        "region": "VARCHAR",
        "scenario": "VARCHAR",
        "twh": "DOUBLE",
        "source_id": "VARCHAR",
        "status": "VARCHAR",
        "note": "VARCHAR",
    },
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "sources": ("source_id",),
    "rack_density": ("year", "segment", "statistic", "source_id"),
    "power_distribution": ("year", "profile", "band"),
    "maturity": ("year", "segment", "dimension"),
    "stack": ("layer", "component"),
    "hardware": ("id",),
    "electricity": ("year", "region", "scenario", "source_id"),
}
