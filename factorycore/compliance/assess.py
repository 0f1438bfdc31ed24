"""One site's year against a regime: KPIs, label classes, EnEfG verdicts, the fields still to type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb

from factorycore.compliance import rules as rules_mod
from factorycore.compliance.kpis import ComplianceError, YearKpis, compute
from factorycore.compliance.rules import ENEFG_NEW_SITE_FROM, REGIMES, Rule
from factorycore.userdata.catalog import DatasetInfo

KPI_NAMES = ("pue", "wue_l_per_kwh", "erf", "ref")


@dataclass
class Assessment:
    """Everything the page, the report section and the CLI show."""

    year: int
    regime: str
    kpis: YearKpis
    site_class: str  # existing | new (EnEfG § 11 (1) or (2))
    commissioned: date | None
    labels: dict[str, str | None]
    targets: list[dict[str, Any]]
    fields: list[dict[str, Any]]
    rules: list[Rule]
    notes: list[str] = field(default_factory=list)

    @property
    def missing_fields(self) -> list[str]:
        """The sheet's fields with no value yet, in sheet order."""
        return [f["field"] for f in self.fields if f["value"] is None]

    def kpi_values(self) -> dict[str, float | None]:
        """PUE, WUE, ERF, REF."""
        return {k: getattr(self.kpis, k) for k in KPI_NAMES}

    def as_dict(self) -> dict[str, Any]:
        """The CLI contract's keys first, then the detail."""
        k = self.kpis
        rule_sources = sorted({r.source_id for r in self.rules})
        return {
            "year": self.year,
            "regime": self.regime,
            "site": k.site,
            "pue": k.pue,
            "wue_l_per_kwh": k.wue_l_per_kwh,
            "erf": k.erf,
            "ref": k.ref,
            "energy_it_kwh": k.energy_kwh["it_kwh"],
            "energy_facility_kwh": k.energy_kwh["facility_kwh"],
            "water_m3": k.water_m3,
            "coverage_pct": k.coverage_pct,
            "label": self.labels,
            "targets": self.targets,
            "missing_fields": self.missing_fields,
            "sources": {"data": k.sources, "rules": rule_sources},
            "wue_fresh_l_per_kwh": k.wue_fresh_l_per_kwh,
            "site_class": self.site_class,
            "energy_kwh": k.energy_kwh,
            "fresh_water_m3": k.fresh_water_m3,
            "heat_reused_temp_c": k.heat_reused_temp_c,
            "interval_s": k.interval_s,
            "coverage_by_field": k.coverage_by_field,
            "missing_intervals": k.missing_intervals,
            "gaps": k.gaps,
            "messages": k.messages + self.notes,
        }


def _site_class(commissioned: date | None) -> str:
    return "new" if commissioned is not None and commissioned >= ENEFG_NEW_SITE_FROM else "existing"


def _enefg_targets(rules: list[Rule], site_class: str, commissioned: date | None) -> list[tuple[Rule, date | None]]:
    """The EnEfG targets that bind this site, each with the day it starts to bind it."""
    chosen: list[tuple[Rule, date | None]] = []
    targets = [r for r in rules if r.kind == "target"]
    for r in targets:
        if r.applies_to == "all":
            chosen.append((r, r.in_force_from))
        elif r.applies_to == "existing" and site_class == "existing":
            chosen.append((r, r.in_force_from))
    if site_class == "new" and commissioned is not None:
        try:
            two_years = commissioned.replace(year=commissioned.year + 2)
        except ValueError:  # 29 February
            two_years = commissioned.replace(year=commissioned.year + 2, day=28) + timedelta(days=1)
        for r in targets:
            if r.applies_to == "new" and r.metric == "pue":
                chosen.append((r, two_years))
        # ERF: the share set for the commissioning date (10 % / 15 % / 20 %), from two years after.
        erf = [r for r in targets if r.applies_to == "new" and r.metric == "erf" and r.in_force_from <= commissioned]
        if erf:
            chosen.append((max(erf, key=lambda r: r.in_force_from), two_years))
    return chosen


def assess(
    con: duckdb.DuckDBPyConnection,
    datasets: list[DatasetInfo],
    year: int,
    regime: str,
    *,
    site: str | None = None,
    commissioned: date | None = None,
    typed: dict[str, Any] | None = None,
) -> Assessment:
    """The year's figures, labels and (for de-enefg) verdicts; ``typed`` holds the fields a person fills in."""
    if regime not in REGIMES:
        raise ComplianceError(f"unknown regime {regime!r}; expected {', '.join(REGIMES)}")
    kpis = compute(con, datasets, year, site)
    all_rules = rules_mod.load(con)
    eu = [r for r in all_rules if r.regime == "eu-eed"]
    rating = [r for r in all_rules if r.regime == "eu-rating"]
    regime_rules = eu + rating + ([r for r in all_rules if r.regime == "de-enefg"] if regime == "de-enefg" else [])
    values = {k: getattr(kpis, k) for k in KPI_NAMES}
    # The rating scheme's WUE class is of its own WUE (freshwater input / E_IT).
    labels = {
        "pue": rules_mod.label_class(rating, "pue", kpis.pue),
        "wue_l_per_kwh": rules_mod.label_class(rating, "wue_fresh_l_per_kwh", kpis.wue_fresh_l_per_kwh),
    }
    notes = []
    if all(v is None for v in labels.values()):
        notes.append(
            "label classes: the rating scheme's A-G bounds were seen only in a secondary source, not in the act "
            "(rows unverified), so no class is given"
        )
    site_class = _site_class(commissioned)
    targets: list[dict[str, Any]] = []
    if regime == "de-enefg":
        if commissioned is None:
            notes.append(
                "site taken as operating before 1 July 2026 (EnEfG § 11 (1)); give the commissioning date to change it"
            )
        year_end = date(year, 12, 31)
        for rule, binds_from in _enefg_targets(all_rules, site_class, commissioned):
            value = values.get(rule.metric)
            targets.append(
                {
                    "name": rule.name,
                    "rule_id": rule.rule_id,
                    "metric": rule.metric,
                    "comparator": rule.comparator,
                    "threshold": rule.threshold,
                    "in_force_from": binds_from.isoformat() if binds_from else None,
                    "in_force": binds_from is not None and binds_from <= year_end,
                    "value": value,
                    "passes": rules_mod.passes(rule, value),
                    "status": rule.status,
                    "source_id": rule.source_id,
                }
            )
        targets.sort(key=lambda t: (t["metric"] or "", t["in_force_from"] or ""))
    typed = {k: v for k, v in (typed or {}).items() if v not in (None, "")}
    measured = {
        "energy_facility_kwh": kpis.energy_kwh["facility_kwh"],
        "energy_it_kwh": kpis.energy_kwh["it_kwh"],
        "energy_onsite_kwh": kpis.energy_kwh["onsite_generation_kwh"],
        "renewable_kwh": kpis.energy_kwh["renewable_kwh"],
        "renewable_go_kwh": kpis.energy_kwh["renewable_go_kwh"],
        "water_m3": kpis.water_m3,
        "fresh_water_m3": kpis.fresh_water_m3,
        "heat_reused_kwh": kpis.energy_kwh["heat_reused_kwh"],
        "heat_reused_temp_c": kpis.heat_reused_temp_c,
        **values,
    }
    fields = []
    for r in sorted((r for r in eu if r.kind in ("field", "kpi")), key=lambda r: r.field_order or 0):
        key = r.metric or r.rule_id
        if key in measured and measured[key] is not None:
            value, how = measured[key], "computed" if r.kind == "kpi" else "measured"
        elif key in typed:
            value, how = typed[key], "typed"
        else:
            value, how = None, "missing"
        fields.append(
            {
                "order": r.field_order,
                "field": key,
                "name": r.name,
                "value": value,
                "unit": r.unit or "",
                "how": how,
                "source_id": r.source_id,
                "status": r.status,
            }
        )
    unknown = sorted(set(typed) - {f["field"] for f in fields})
    if unknown:
        raise ComplianceError(
            f"unknown field(s) {', '.join(unknown)}; the sheet's fields are {', '.join(f['field'] for f in fields)}"
        )
    return Assessment(year, regime, kpis, site_class, commissioned, labels, targets, fields, regime_rules, notes)


MEASURED_FIELDS = frozenset(
    {
        "energy_facility_kwh",
        "energy_it_kwh",
        "energy_onsite_kwh",
        "renewable_kwh",
        "renewable_go_kwh",
        "water_m3",
        "fresh_water_m3",
        "heat_reused_kwh",
        "heat_reused_temp_c",
        *KPI_NAMES,
    }
)


def typed_fields(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(field, name, unit) of the sheet's fields a person types (no meter measures them), in sheet order."""
    rows = sorted(
        (r for r in rules_mod.load(con, "eu-eed") if r.kind == "field" and r.metric not in MEASURED_FIELDS),
        key=lambda r: r.field_order or 0,
    )
    return [(r.metric or r.rule_id, r.name, r.unit or "") for r in rows]


def required_pue(assessment: Assessment) -> list[dict[str, Any]]:
    """The PUE the site must reach by each date (EnEfG): the targets on PUE, in date order."""
    return [
        {"from": t["in_force_from"], "pue": t["threshold"], "status": t["status"]}
        for t in assessment.targets
        if t["metric"] == "pue"
    ]
