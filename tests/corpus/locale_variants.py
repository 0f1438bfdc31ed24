"""The real exports of tests/realdata, written the way other tools and locales write the same data.

Each variant is made from a real file's own rows (nothing is invented but the spelling), so the
figures tests/realdata/README.md gives for the original hold for the variant too:

- ``fasrc_uk*.csv``: the FASRC rack power as UK Excel writes it (``03/06/2025 00:00``, ``"1,070"``);
  once as it is (no date has a day above 12: the day/month order must be asked) and once moved
  to 13 June (the dates themselves decide it).
- ``fasrc_de*.csv``: as German Excel writes it (``;``, ``03.06.2025 00:00``, ``1.070`` with a
  thousands point, German headers); once with a per-node column of decimals (``89,17``: the file
  says its decimal mark is the comma) and once without (``1.070`` beside ``340`` says it itself).
- ``netbox_feeds_current_view.csv``: NetBox's Power Feeds list exported as "Current view", its
  default columns (no Max utilization, no Available power).
- ``opendcim_cabinets_title.csv``: the openDCIM cabinet sheet saved as CSV, with its title row
  and blank row above the header.
- ``racks_de.csv``: the same cabinets as a German rack list (``Schrank;Max. Leistung (kW)``, ``3,52``).
- ``netbox_*_de.csv`` / ``netbox_*_fr.csv``: NetBox's exports with its German and French UI, whose
  column labels and choice labels are translated (netbox-community/netbox
  ``netbox/translations/{de,fr}/LC_MESSAGES/django.po``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

REALDATA = Path(__file__).resolve().parents[1] / "realdata"

# Per-rack p95 of the per-minute sums (tests/realdata/README.md), kW.
FASRC_P95_KW = {"holy7c182": 1.35, "lichtmandce": 0.73, "holy7c126": 0.34, "holygpu7c13": 0.225}
FASRC_ROWS = 2158


def _fasrc_rows() -> list[dict[str, str]]:
    with (REALDATA / "fasrc_rack_power_excel.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _watts(text: str) -> int:
    return int(text.replace(",", ""))


def _uk(day: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Date/Time", "Rack", "Nodes reporting", "Power (W)"])
    for row in _fasrc_rows():
        date, time = row["Date/Time"].split(" ")
        month, _, year = date.split("/")
        writer.writerow(
            [
                f"{day:02d}/{int(month):02d}/{year} {time}",
                row["Rack"],
                row["Nodes reporting"],
                f"{_watts(row['Power (W)']):,}",
            ]
        )
    return out.getvalue().encode("utf-8")


def _german_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"  # 1,070.50
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _de(per_node: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = ["Datum/Uhrzeit", "Rack", "Anzahl Knoten", "Leistung (W)"]
    writer.writerow([*header, "Leistung je Knoten (W)"] if per_node else header)
    for row in _fasrc_rows():
        date, time = row["Date/Time"].split(" ")
        month, day, year = date.split("/")
        watts, nodes = _watts(row["Power (W)"]), int(row["Nodes reporting"])
        cells = [f"{int(day):02d}.{int(month):02d}.{year} {time}", row["Rack"], nodes, _german_number(watts, 0)]
        writer.writerow([*cells, _german_number(watts / nodes, 2)] if per_node else cells)
    return out.getvalue().encode("cp1252")


def _feeds_current_view() -> bytes:
    columns = [
        "Name",
        "Power Panel",
        "Rack",
        "Status",
        "Type",
        "Supply",
        "Voltage",
        "Amperage",
        "Phase",
        "Cable",
        "Link Peers",
    ]
    with (REALDATA / "netbox_power_feeds.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    return out.getvalue().encode("utf-8")


def _opendcim_rows() -> list[list[object]]:
    import openpyxl  # noqa: PLC0415

    workbook = openpyxl.load_workbook(REALDATA / "opendcim_cabinets_mdf.xlsx", read_only=True, data_only=True)
    try:
        return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _opendcim_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in _opendcim_rows():
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


def _racks_de() -> bytes:
    rows = _opendcim_rows()
    header = rows[2]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Rechenzentrum", "Schrank", "Reihe", "Max. Leistung (kW)"])
    for row in rows[3:]:
        cells = dict(zip(header, row))
        kw = cells["MaxkW"]
        writer.writerow(
            [cells["DataCenter"], cells["Label"], cells["Row"] or "", "" if kw is None else _german_number(kw, 2)]
        )
    return out.getvalue().encode("utf-8")


# NetBox's own translations of the labels these exports carry (django.po, msgid -> msgstr).
NETBOX_LABELS = {
    "de": {
        "Name": "Name",
        "Power Panel": "Stromverteiler",
        "Rack": "Rack",
        "Status": "Status",
        "Type": "Typ",
        "Supply": "Versorgung",
        "Voltage": "Spannung",
        "Amperage": "Stromstärke",
        "Phase": "Phase",
        "Cable": "Kabel",
        "Link Peers": "Verbindungsenden",
        "Site": "Standort",
        "Max Utilization": "Max. Auslastung",
        "Available Power (VA)": "Verfügbare Leistung (VA)",
        "Device": "Gerät",
        "Label": "Label",
        "Maximum draw (W)": "Maximaler Stromverbrauch (W)",
        "Allocated draw (W)": "Zugewiesener Stromverbrauch (W)",
        "Single phase": "Einphasig",
        "Three-phase": "Dreiphasig",
        "Primary": "Primär",
        "Redundant": "Redundant",
    },
    "fr": {
        "Name": "Nom",
        "Power Panel": "Panneau d'alimentation",
        "Rack": "Baie",
        "Status": "Statut",
        "Type": "Type",
        "Supply": "Approvisionnement",
        "Voltage": "tension",
        "Amperage": "Ampérage",
        "Phase": "Phase",
        "Cable": "câble",
        "Link Peers": "Lier les pairs",
        "Site": "Site",
        "Max Utilization": "Utilisation maximale",
        "Available Power (VA)": "Puissance disponible (VA)",
        "Device": "Appareil",
        "Label": "Libellé",
        "Maximum draw (W)": "Tirage maximal (W)",
        "Allocated draw (W)": "Tirage alloué (W)",
        "Single phase": "Monophasé",
        "Three-phase": "Triphasé",
        "Primary": "Primaire",
        "Redundant": "Redondant",
    },
}


def _netbox_translated(name: str, lang: str, columns: list[str] | None = None) -> bytes:
    """A NetBox export as its German or French UI writes it: labels and choice values translated."""
    labels = NETBOX_LABELS[lang]
    with (REALDATA / name).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = columns or [c for c in rows[0] if c in labels]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([labels[c] for c in columns])
    for row in rows:
        writer.writerow([labels.get(row[c], row[c]) for c in columns])
    return out.getvalue().encode("utf-8")


def cases() -> dict[str, bytes]:
    """Every variant's bytes, by file name."""
    return {
        "fasrc_uk.csv": _uk(3),
        "fasrc_uk_day13.csv": _uk(13),
        "fasrc_de.csv": _de(per_node=True),
        "fasrc_de_no_evidence.csv": _de(per_node=False),
        "netbox_feeds_current_view.csv": _feeds_current_view(),
        "opendcim_cabinets_title.csv": _opendcim_csv(),
        "racks_de.csv": _racks_de(),
        "netbox_power_feeds_de.csv": _netbox_translated("netbox_power_feeds.csv", "de"),
        "netbox_power_feeds_current_view_fr.csv": _netbox_translated(
            "netbox_power_feeds.csv",
            "fr",
            ["Name", "Power Panel", "Rack", "Status", "Type", "Supply", "Voltage", "Amperage", "Phase", "Cable"],
        ),
        "netbox_power_ports_de.csv": _netbox_translated("netbox_power_ports.csv", "de"),
        "netbox_power_ports_fr.csv": _netbox_translated("netbox_power_ports.csv", "fr"),
    }


def write(directory: Path) -> dict[str, Path]:
    """Write every variant into ``directory``; name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, content in cases().items():
        (directory / name).write_bytes(content)
        out[name] = directory / name
    return out
