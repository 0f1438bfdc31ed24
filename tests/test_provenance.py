"""The captions that say where numbers come from: counts, source names, the operator's own data."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from factorycore import provenance

SOURCES = pd.DataFrame(
    {
        "source_id": ["uptime", "afcom", "model"],
        "publisher": ["Uptime Institute", "AFCOM", "This project"],
        "title": ["Global Data Center Survey", "State of the Data Center", "Density model"],
        "year": [2024, 2026, None],
    }
)


def test_status_counts_are_zero_filled() -> None:
    rows = pd.DataFrame({"status": ["reported", "modelled", "modelled"]})
    assert provenance.status_counts(rows) == {"reported": 1, "derived": 0, "modelled": 2, "unverified": 0}
    assert provenance.status_counts(pd.DataFrame()) == {"reported": 0, "derived": 0, "modelled": 0, "unverified": 0}


def test_source_list_names_each_cited_source_once_in_publisher_order() -> None:
    rows = pd.DataFrame({"source_id": ["uptime", "afcom", "uptime", None]})
    assert provenance.source_list(rows, SOURCES) == [
        "AFCOM, State of the Data Center (2026)",
        "Uptime Institute, Global Data Center Survey (2024)",
    ]


def test_cite_joins_derived_sources_and_keeps_unknown_ids() -> None:
    assert provenance.cite("uptime; model; nowhere", SOURCES) == (
        "Uptime Institute, Global Data Center Survey (2024); This project, Density model; nowhere"
    )


def test_caption_counts_what_is_not_reported() -> None:
    rows = pd.DataFrame({"source_id": ["uptime", "model", "model"], "status": ["reported", "modelled", "derived"]})
    assert provenance.caption(rows, SOURCES) == (
        "Sources: This project, Density model; Uptime Institute, Global Data Center Survey (2024). "
        "Of 3 data rows, 1 derived, 1 modelled (method in data/README.md); 1 reported."
    )


def test_caption_without_sources_says_so() -> None:
    assert provenance.caption(pd.DataFrame({"x": [1]}), SOURCES) == "Sources: none cited."


def test_site_caption_names_the_file_the_time_and_the_mapping() -> None:
    text = provenance.site_caption(
        "hall-a.csv", dt.datetime(2026, 12, 1, 9, 30), 1200, 3, {"rack_id": "Cabinet", "design_kw": "Rated (W)"}
    )
    assert text == (
        "Your data: hall-a.csv, stored 2026-12-01 09:30 UTC, 1,200 rows (3 set aside). "
        "Columns read: rack_id from 'Cabinet', design_kw from 'Rated (W)'."
    )
