"""The reporting and efficiency rules for data centres, as reference rows (``data/reference/compliance_rules.csv``).

Standard library only: ``data/build_models.py`` imports this module and writes the table.
Each regime's fields, KPI definitions, targets and label bounds are one row each, with the
source it comes from, its status and, where the legal text itself was read, its own words.

Status here follows data/README.md: ``reported`` where the wording was read in the text of
the act (a full-text copy of the statute or regulation, named in ``seen_at``); ``unverified``
where it was seen only in secondary sources (law-firm notes, press) or not read at all. The
A-G class bounds of the rating scheme were read in no text: their ``threshold`` is empty, so
no label is ever computed from them until a row is re-read and filled in.
"""

from __future__ import annotations

# The day the quoted words of each reported rule were read (the build appends it to the row's note).
COMPLIANCE_READ_ON: dict[str, str] = {"eu_reg_2024_1364": "2026-12-06", "de_enefg_2023": "2026-12-06"}

# source_id, publisher, title, year, url, status, note (the sources.csv columns)
COMPLIANCE_SOURCES = [
    (
        "eu_reg_2024_1364",
        "European Commission",
        "Commission Delegated Regulation (EU) 2024/1364 on the first phase of the establishment of a common "
        "Union rating scheme for data centres",
        2024,
        "https://eur-lex.europa.eu/eli/reg_del/2024/1364/oj",
        "secondary",
        "Article 1 read in the full-text copy at legalize.dev (which names EUR-Lex as its source). Its "
        "Annexes (the information and KPI lists, the measurement methods) were not read here: the rows "
        "that rest on them are unverified.",
    ),
    (
        "eu_eed_2023_1791",
        "European Parliament and Council",
        "Directive (EU) 2023/1791 on energy efficiency (recast), Article 12 and Annex VII",
        2023,
        "https://eur-lex.europa.eu/eli/dir/2023/1791/oj",
        "secondary",
        "Article 12(1) seen quoted in full in a data-centre consultant's post (carbon3it.com); the Official "
        "Journal text itself and Annex VII were not read here.",
    ),
    (
        "eu_rating_scheme_2026",
        "European Commission",
        "Common Union rating scheme for data centres: draft delegated regulation (March 2026) and the act "
        "adopted as C(2026) 3472 final (September 2026), amending Delegated Regulation (EU) 2024/1364",
        2026,
        "https://intelligence.uptimeinstitute.com/resource/draft-eed-delegated-regulation-sidesteps-critical-issues",
        "secondary",
        "Neither the draft nor the adopted act was read here. Uptime Institute (April 2026) and data-central.co.uk "
        "describe PUE and WUE classes on an electronic label issued by the European database. A fact-check record "
        "in a public code repository (its address not recorded) quotes the adopted act's Annex I: A PUE <= 1.15 / "
        "WUE <= 0.1; B 1.15 < PUE <= 1.25 / 0.1 < WUE <= 0.2; D 1.35 < PUE <= 1.5 / 0.4 < WUE <= 0.6; G PUE > 1.9 / "
        "WUE > 1.0; labels generated 'By 15 August 2027 and every year thereafter'; and its Annex III replacing "
        "the WUE of 2024/1364 by freshwater input over IT energy ('WUE = WIN-FRE/EIT').",
    ),
    (
        "de_enefg_2023",
        "Bundesministerium der Justiz",
        "Energieeffizienzgesetz (EnEfG), §§ 11-13",
        2023,
        "https://www.gesetze-im-internet.de/enefg/",
        "secondary",
        "§ 11 (1) and (2) read word for word in the full-text copy at gesetze.legal; § 11 (5) and § 13 were "
        "seen only in law-firm and ministry summaries (Dentons, DLA Piper, BMWK).",
    ),
]

_EU = "https://eur-lex.europa.eu/eli/reg_del/2024/1364/oj"
_ENEFG_11_COPY = "https://gesetze.legal/bund/enefg/11"
_REG_COPY = "https://legalize.dev/eu/law/32024R1364"

# One dict per rule; every column of schema.TABLES["compliance_rules"].
_NO_ANNEX = "The Annex of Delegated Regulation (EU) 2024/1364 that lists it was not read here; "


def _row(regime: str, rule_id: str, kind: str, name: str, **kw) -> dict:
    row = {
        "regime": regime,
        "rule_id": rule_id,
        "kind": kind,
        "name": name,
        "metric": kw.get("metric"),
        "comparator": kw.get("comparator"),
        "threshold": kw.get("threshold"),
        "unit": kw.get("unit"),
        "applies_to": kw.get("applies_to", "all"),
        "in_force_from": kw.get("in_force_from"),
        "field_order": kw.get("field_order"),
        "source_id": kw["source_id"],
        "status": kw["status"],
        "note": kw["note"],
        "quote": kw.get("quote"),
        "seen_at": kw.get("seen_at"),
        "formula": None,
    }
    return row


# The reporting fields, in the order the field sheet lists them (Annex VII (a)-(c) of the
# Directive as summarised by secondary sources; the Regulation's own Annex order is unverified).
# (rule_id, name, unit, how it is filled)
EU_FIELDS = [
    ("dc_name", "Name of the data centre", "", "typed"),
    ("owner_operator", "Owner and operator", "", "typed"),
    ("commissioned", "Date of commencement of operation", "date", "typed"),
    ("municipality", "Municipality where the data centre is located", "", "typed"),
    ("floor_area_total_m2", "Total floor area", "m²", "typed"),
    ("floor_area_computer_room_m2", "Computer room floor area", "m²", "typed"),
    ("installed_it_power_kw", "Installed information technology power demand", "kW", "typed"),
    ("redundancy_power", "Redundancy level of the power supply", "", "typed"),
    ("redundancy_cooling", "Redundancy level of the cooling", "", "typed"),
    ("traffic_incoming", "Annual incoming data traffic", "", "typed"),
    ("traffic_outgoing", "Annual outgoing data traffic", "", "typed"),
    ("data_stored", "Amount of data stored and processed", "", "typed"),
    ("energy_facility_kwh", "Total energy consumption of the data centre (E_DC)", "kWh", "measured"),
    ("energy_it_kwh", "Energy consumption of the information technology equipment (E_IT)", "kWh", "measured"),
    ("energy_onsite_kwh", "On-site generated energy", "kWh", "measured"),
    ("renewable_kwh", "Renewable energy consumption", "kWh", "measured"),
    ("renewable_go_kwh", "Renewable energy consumption covered by guarantees of origin", "kWh", "measured"),
    ("water_m3", "Total water input", "m³", "measured"),
    ("fresh_water_m3", "Potable (fresh) water input", "m³", "measured"),
    ("heat_reused_kwh", "Waste heat reused", "kWh", "measured"),
    ("heat_reused_temp_c", "Average temperature of the waste heat reused", "°C", "measured"),
    ("setpoint_supply_c", "Temperature set point (supply air or liquid)", "°C", "typed"),
    ("pue", "Power usage effectiveness (PUE)", "", "computed"),
    ("wue_l_per_kwh", "Water usage effectiveness (WUE)", "L/kWh", "computed"),
    ("erf", "Energy reuse factor (ERF)", "", "computed"),
    ("ref", "Renewable energy factor (REF)", "", "computed"),
]

KPI_FORMULAS = {
    "pue": ("E_DC / E_IT, both summed over the calendar year (EN 50600-4-2 / ISO/IEC 30134-2)", ""),
    "wue_l_per_kwh": ("total water input in litres / E_IT in kWh over the year (EN 50600-4-9)", "L/kWh"),
    "erf": ("E_reuse / E_DC over the year (EN 50600-4-6)", ""),
    "ref": ("E_renewable / E_DC over the year (EN 50600-4-3)", ""),
}


def compliance_rule_rows() -> list[dict]:
    """Every rule of the three regimes, in a fixed order."""
    rows = [
        _row(
            "eu-eed",
            "scope_it_power",
            "scope",
            "Reporting applies from an installed IT power demand of 500 kW",
            metric="installed_it_power_kw",
            comparator=">=",
            threshold=500.0,
            unit="kW",
            source_id="eu_reg_2024_1364",
            status="reported",
            note="Article 1 of the Regulation (scope).",
            quote="operators of data centres with an installed information technology power demand of at least 500 kW",
            seen_at=_REG_COPY,
        ),
        _row(
            "eu-eed",
            "deadline_15_may",
            "deadline",
            "Report by 15 May each year for the previous calendar year",
            unit="date",
            in_force_from="2025-05-15",
            source_id="eu_reg_2024_1364",
            status="unverified",
            note="Article 3 (15 September 2024, then 15 May 2025 and every year after) seen only in secondary "
            "sources (DLA Piper, April 2026; Finnish Energy Authority); the Article itself was not read here.",
        ),
    ]
    for order, (rule_id, name, unit, how) in enumerate(EU_FIELDS, start=1):
        formula, kpi_unit = KPI_FORMULAS.get(rule_id, ("", unit))
        rows.append(
            _row(
                "eu-eed",
                f"field_{rule_id}",
                "kpi" if how == "computed" else "field",
                name,
                metric=rule_id,
                unit=kpi_unit or unit or None,
                field_order=order,
                source_id="eu_reg_2024_1364",
                status="unverified",
                note=_NO_ANNEX
                + (f"computed here as {formula}." if formula else f"filled here as '{how}' (see docs/compliance.md)."),
            )
        )
    # The rating scheme's A-G classes for PUE and WUE: bounds not read anywhere.
    # (class letter -> (comparator, bound)) as quoted in the secondary record; C, E and F were not quoted.
    seen = {
        "pue": {"A": ("<=", 1.15), "B": ("<=", 1.25), "D": ("<=", 1.5), "G": (">", 1.9)},
        "wue": {"A": ("<=", 0.1), "B": ("<=", 0.2), "D": ("<=", 0.6), "G": (">", 1.0)},
    }
    for key, metric in (("pue", "pue"), ("wue", "wue_fresh_l_per_kwh")):
        for klass in "ABCDEFG":
            comparator, bound = seen[key].get(klass, ("<=", None))
            rows.append(
                _row(
                    "eu-rating",
                    f"label_{key}_{klass}",
                    "label",
                    f"{key.upper()} class {klass}",
                    metric=metric,
                    comparator=comparator,
                    threshold=bound,
                    unit="L/kWh" if key == "wue" else None,
                    in_force_from="2027-08-15",
                    source_id="eu_rating_scheme_2026",
                    status="unverified",
                    note=(
                        f"Bound seen only quoted in a third-party fact-check record of the adopted act's Annex I "
                        f"({key.upper()} class {klass}: {comparator} {bound:g}); the act itself was not read, so no "
                        "class is computed from it."
                        if bound is not None
                        else f"{key.upper()} class {klass}: bound not seen in any source; left empty."
                    )
                    + (" WUE here is the rating scheme's: freshwater input / E_IT." if key == "wue" else ""),
                )
            )
    rows.append(
        _row(
            "eu-rating",
            "kpi_wue_freshwater",
            "kpi",
            "WUE of the rating scheme: freshwater input (L) / E_IT (kWh)",
            metric="wue_fresh_l_per_kwh",
            unit="L/kWh",
            source_id="eu_rating_scheme_2026",
            status="unverified",
            note="The adopted act's Annex III is quoted (secondary record) as replacing the WUE of 2024/1364 by "
            "'WUE = WIN-FRE/EIT'; the act was not read. Computed here from fresh_water_m3 beside the total-water WUE.",
        )
    )
    pue_1 = "ab dem 1. Juli 2027 eine Energieverbrauchseffektivität von kleiner oder gleich 1,5"
    pue_2 = "ab dem 1. Juli 2030 eine Energieverbrauchseffektivität von kleiner oder gleich 1,3"
    rows += [
        _row(
            "de-enefg",
            "pue_existing_2027",
            "target",
            "PUE of existing sites (operating before 1 July 2026) from 1 July 2027",
            metric="pue",
            comparator="<=",
            threshold=1.5,
            applies_to="existing",
            in_force_from="2027-07-01",
            source_id="de_enefg_2023",
            status="reported",
            note="§ 11 (1) Nr. 1 EnEfG: annual average ('im Jahresdurchschnitt dauerhaft').",
            quote=pue_1,
            seen_at=_ENEFG_11_COPY,
        ),
        _row(
            "de-enefg",
            "pue_existing_2030",
            "target",
            "PUE of existing sites (operating before 1 July 2026) from 1 July 2030",
            metric="pue",
            comparator="<=",
            threshold=1.3,
            applies_to="existing",
            in_force_from="2030-07-01",
            source_id="de_enefg_2023",
            status="reported",
            note="§ 11 (1) Nr. 2 EnEfG: annual average.",
            quote=pue_2,
            seen_at=_ENEFG_11_COPY,
        ),
        _row(
            "de-enefg",
            "pue_new",
            "target",
            "PUE of new sites (operating from 1 July 2026), at the latest two years after commissioning",
            metric="pue",
            comparator="<=",
            threshold=1.2,
            applies_to="new",
            in_force_from="2026-07-01",
            source_id="de_enefg_2023",
            status="reported",
            note="§ 11 (2) Nr. 1 EnEfG; to be reached at the latest two years after commissioning, annual average.",
            quote="eine Energieverbrauchseffektivität von kleiner oder gleich 1,2 erreichen",
            seen_at=_ENEFG_11_COPY,
        ),
        _row(
            "de-enefg",
            "erf_new_2026",
            "target",
            "Reused energy of new sites (operating from 1 July 2026)",
            metric="erf",
            comparator=">=",
            threshold=0.10,
            applies_to="new",
            in_force_from="2026-07-01",
            source_id="de_enefg_2023",
            status="reported",
            note="§ 11 (2) Nr. 2 EnEfG, ERF per DIN EN 50600-4-6 (10 % as the fraction 0.10).",
            quote="einen Anteil an wiederverwendeter Energie nach DIN EN 50600-4-6, Ausgabe November 2020 von "
            "mindestens 10 Prozent",
            seen_at=_ENEFG_11_COPY,
        ),
        _row(
            "de-enefg",
            "erf_new_2027",
            "target",
            "Planned reused energy of sites commissioned from 1 July 2027",
            metric="erf",
            comparator=">=",
            threshold=0.15,
            applies_to="new",
            in_force_from="2027-07-01",
            source_id="de_enefg_2023",
            status="reported",
            note="§ 11 (2) Nr. 2 EnEfG (15 % as 0.15).",
            quote="ab dem 1. Juli 2027 den Betrieb aufnehmen, müssen einen geplanten Anteil an wiederverwendeter "
            "Energie von mindestens 15 Prozent",
            seen_at=_ENEFG_11_COPY,
        ),
        _row(
            "de-enefg",
            "erf_new_2028",
            "target",
            "Planned reused energy of sites commissioned from 1 July 2028",
            metric="erf",
            comparator=">=",
            threshold=0.20,
            applies_to="new",
            in_force_from="2028-07-01",
            source_id="de_enefg_2023",
            status="reported",
            note="§ 11 (2) Nr. 2 EnEfG (20 % as 0.20).",
            quote="ab dem 1. Juli 2028 den Betrieb aufnehmen, müssen einen geplanten Anteil an wiederverwendeter "
            "Energie von mindestens 20 Prozent",
            seen_at=_ENEFG_11_COPY,
        ),
        _row(
            "de-enefg",
            "ref_2024",
            "target",
            "Share of electricity from unsubsidised renewable sources from 1 January 2024",
            metric="ref",
            comparator=">=",
            threshold=0.5,
            in_force_from="2024-01-01",
            source_id="de_enefg_2023",
            status="unverified",
            note="§ 11 (5) EnEfG as summarised by Dentons and recht-energisch.de (50 % from 2024); the paragraph "
            "itself was not read here.",
        ),
        _row(
            "de-enefg",
            "ref_2027",
            "target",
            "Share of electricity from unsubsidised renewable sources from 1 January 2027",
            metric="ref",
            comparator=">=",
            threshold=1.0,
            in_force_from="2027-01-01",
            source_id="de_enefg_2023",
            status="unverified",
            note="§ 11 (5) EnEfG as summarised by Dentons and telemaxx.de (100 % from 1 January 2027); the "
            "paragraph itself was not read here.",
        ),
        _row(
            "de-enefg",
            "publication_13",
            "deadline",
            "§ 13: publish and transmit the Anlage 3 information for the previous calendar year by 31 March",
            unit="date",
            source_id="de_enefg_2023",
            status="unverified",
            note="§ 13 (1) EnEfG as described by the BMWK register page and DLA Piper (by 31 March each year, per "
            "data centre, to the Energieeffizienzregister); the paragraph and Anlage 3 were not read here.",
        ),
    ]
    return rows
