"""An assessment as tables and sentences: what the page, the report section and the deck show."""

from __future__ import annotations

import pandas as pd

from factorycore.compliance.assess import Assessment, required_pue
from factorycore.compliance.rules import REGIMES

KPI_ROWS = (
    ("pue", "PUE", "", "E_DC / E_IT, energies summed over the year"),
    ("wue_l_per_kwh", "WUE", "L/kWh", "total water input (L) / E_IT (kWh)"),
    ("wue_fresh_l_per_kwh", "WUE (freshwater)", "L/kWh", "freshwater input (L) / E_IT (kWh), the rating scheme's"),
    ("erf", "ERF", "", "reused heat / E_DC"),
    ("ref", "REF", "", "renewable energy / E_DC"),
)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _label(a: Assessment, key: str) -> str:
    """The class shown beside a KPI: the WUE class sits with the rating scheme's (freshwater) WUE."""
    shown = {"pue": "pue", "wue_fresh_l_per_kwh": "wue_l_per_kwh"}
    if key not in shown:
        return "n/a"
    return a.labels.get(shown[key]) or "— (bounds unverified)"


def kpi_frame(a: Assessment) -> pd.DataFrame:
    """One row per KPI: its value, unit, how it is computed and its label class (— while unread)."""
    rows = []
    for key, name, unit, how in KPI_ROWS:
        rows.append(
            {
                "indicator": name,
                "value": _fmt(getattr(a.kpis, key)),
                "unit": unit,
                "computed as": how,
                "label class": _label(a, key),
            }
        )
    e = a.kpis.energy_kwh
    for label, value, unit in (
        ("Facility energy (E_DC)", e["facility_kwh"], "kWh"),
        ("IT energy (E_IT)", e["it_kwh"], "kWh"),
        ("Water input", a.kpis.water_m3, "m³"),
    ):
        rows.append(
            {
                "indicator": label,
                "value": _fmt(value, 1),
                "unit": unit,
                "computed as": "sum over the year",
                "label class": "n/a",
            }
        )
    return pd.DataFrame(rows)


def targets_frame(a: Assessment) -> pd.DataFrame:
    """The EnEfG targets: threshold, from when, whether in force in the year, the site's value, the verdict."""
    rows = []
    for t in a.targets:
        verdict = {True: "passes", False: "fails", None: "no data"}[t["passes"]]
        rows.append(
            {
                "target": t["name"],
                "threshold": f"{t['metric'].upper().split('_')[0]} {t['comparator']} {t['threshold']:g}",
                "from": t["in_force_from"] or "",
                f"in force in {a.year}": "yes" if t["in_force"] else "no",
                "site value": _fmt(t["value"]),
                "verdict": verdict,
                "rule status": t["status"],
            }
        )
    return pd.DataFrame(rows)


def paragraphs(a: Assessment) -> list[str]:
    """The reading: what was computed from what, and what is missing."""
    k = a.kpis
    hours = k.interval_s / 3600.0
    lines = [
        f"{REGIMES[a.regime]}, calendar year {a.year}"
        + (f", site {k.site}" if k.site else "")
        + f". Meter data at {hours:g} h intervals covers {k.coverage_pct:g} % of the year "
        f"({k.missing_intervals} intervals without a facility reading, not filled in).",
        "Energies are summed over the year before dividing (ISO/IEC 30134-2): PUE is E_DC / E_IT, "
        "not an average of interval ratios.",
    ]
    if a.regime == "de-enefg":
        pue = required_pue(a)
        if pue:
            lines.append(
                "PUE the site must reach (EnEfG § 11): "
                + "; ".join(f"≤ {p['pue']:g} from {p['from']}" for p in pue)
                + "."
            )
    lines += k.messages + a.notes
    if a.missing_fields:
        lines.append(f"Fields still to fill in: {', '.join(a.missing_fields)}.")
    return lines
