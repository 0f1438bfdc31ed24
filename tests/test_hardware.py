"""Hardware catalog and its power ledger: records from frames, lookups, design figures, the real ref tables."""

from __future__ import annotations

import pandas as pd
import pytest

from factorycore import hardware, provenance, reference

COLUMNS = [
    "id",
    "kind",
    "vendor",
    "name",
    "year",
    "accelerators",
    "power_kw",
    "power_basis",
    "cooling",
    "default_rack_kw",
    "platform",
    "availability",
    "source_id",
    "status",
    "note",
]
FIGURE_COLUMNS = [
    "hardware_id",
    "basis",
    "power_kw",
    "scope",
    "sizing",
    "source_id",
    "status",
    "quote",
    "seen_at",
    "note",
]
EXPECTED_ACCELERATORS = {
    "a100_sxm",
    "h100_sxm",
    "h100_pcie",
    "h200_sxm",
    "b200",
    "b300",
    "gb200",
    "gb300",
    "rubin",
    "mi250x",
    "mi300x",
    "mi325x",
    "mi350x",
    "mi355x",
    "tpu_v4",
}
EXPECTED_SYSTEMS = {
    "dgx_a100",
    "dgx_h100",
    "dgx_b200",
    "dgx_b300",
    "hgx_h100_8gpu",
    "hgx_b200_8gpu",
    "mi300x_platform",
    "mi325x_platform",
    "mi350x_platform",
    "mi355x_platform",
    "gb200_nvl72",
    "gb300_nvl72",
    "vera_rubin_nvl144",
    "rubin_ultra_nvl576",
}


def small_frame(**overrides) -> pd.DataFrame:
    rows = [
        [
            "h100_sxm",
            "accelerator",
            "NVIDIA",
            "H100 SXM5",
            2022,
            1,
            0.7,
            "maximum",
            "air_or_liquid",
            None,
            "dgx_h100",
            "shipping",
            "s1",
            "reported",
            "",
        ],
        [
            "dgx_h100",
            "system",
            "NVIDIA",
            "DGX H100",
            2022,
            8,
            10.2,
            "maximum",
            "air",
            40.8,
            "",
            "shipping",
            "s2",
            "reported",
            "",
        ],
        [
            "gb200_nvl72",
            "system",
            "NVIDIA",
            "GB200 NVL72",
            2024,
            72,
            132.0,
            "maximum",
            "liquid",
            132.0,
            "",
            "shipping",
            "s3",
            "reported",
            "",
        ],
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column, value in overrides.items():
        frame.loc[0, column] = value
    return frame


def small_ledger() -> pd.DataFrame:
    rows = [
        ["h100_sxm", "maximum", 0.7, "GPU", True, "s1", "reported", "700 W", "u1", ""],
        ["dgx_h100", "maximum", 10.2, "system", True, "s2", "reported", "10.2 kW", "u2", ""],
        ["dgx_h100", "rated_capacity", 19.8, "PSUs", False, "s2", "derived", "6 x 3300 W", "u2", "6 x 3.3"],
        ["gb200_nvl72", "maximum", 132.0, "rack", True, "s3", "reported", "132 kW", "u3", ""],
        ["gb200_nvl72", "maximum", 150.0, "SU share", False, "s4", "derived", "1.2 MW per SU", "u4", "1200 / 8"],
        ["gb200_nvl72", "typical", 120.0, "rack", True, "s5", "reported", "120 kilowatts", "u5", ""],
    ]
    return pd.DataFrame(rows, columns=FIGURE_COLUMNS)


def test_catalog_from_frame():
    catalog = hardware.catalog_from_frame(small_frame())
    assert set(catalog) == {"h100_sxm", "dgx_h100", "gb200_nvl72"}
    dgx = catalog["dgx_h100"]
    assert (dgx.kind, dgx.accelerators, dgx.power_kw, dgx.default_rack_kw) == ("system", 8, 10.2, 40.8)
    assert dgx.kw_per_accelerator == pytest.approx(1.275)
    assert catalog["h100_sxm"].default_rack_kw is None
    assert catalog["h100_sxm"].platform == "dgx_h100"


def test_items_have_contract_fields_in_order():
    items = hardware.catalog_items(hardware.catalog_from_frame(small_frame(), small_ledger()))
    assert [i["id"] for i in items] == ["h100_sxm", "dgx_h100", "gb200_nvl72"]  # accelerators first, by year
    assert list(items[0]) == [
        "id",
        "kind",
        "vendor",
        "name",
        "year",
        "accelerators",
        "power_kw",
        "cooling",
        "source_id",
        "platform",
        "availability",
        "figures",
    ]
    nvl72 = items[2]["figures"]
    assert [list(f) for f in nvl72] == [["basis", "power_kw", "source_id", "status"]] * 3
    # The sizing maximum first, the conflicting maximum beside it, then typical.
    assert [(f["basis"], f["power_kw"], f["source_id"]) for f in nvl72] == [
        ("maximum", 132.0, "s3"),
        ("maximum", 150.0, "s4"),
        ("typical", 120.0, "s5"),
    ]


def test_design_figure_per_basis_and_the_fallback_says_so():
    catalog = hardware.catalog_from_frame(small_frame(), small_ledger())
    nvl72 = catalog["gb200_nvl72"]
    assert nvl72.design_figure().figure.power_kw == 132.0 and nvl72.design_figure().note == ""
    assert nvl72.design_figure("typical").figure.source_id == "s5"
    dgx = catalog["dgx_h100"].design_figure("typical")  # no typical figure: the maximum, said so
    assert (dgx.figure.basis, dgx.figure.power_kw) == ("maximum", 10.2)
    assert "no published typical figure" in dgx.note
    with pytest.raises(ValueError, match="basis 'rated_capacity' is not one of maximum, typical"):
        nvl72.design_figure("rated_capacity")
    # Without a ledger the catalog's own power and source size it.
    bare = hardware.catalog_from_frame(small_frame())["dgx_h100"].design_figure()
    assert (bare.figure.power_kw, bare.figure.source_id) == (10.2, "s2")


def test_ledger_that_disagrees_with_the_catalog_is_refused():
    ledger = small_ledger()
    ledger.loc[1, "power_kw"] = 11.0
    with pytest.raises(ValueError, match="not its ledger's sizing maximum"):
        hardware.catalog_from_frame(small_frame(), ledger)
    ledger = small_ledger()
    ledger.loc[0, "basis"] = "peak"
    with pytest.raises(ValueError, match="basis 'peak'"):
        hardware.catalog_from_frame(small_frame(), ledger)


def test_platform_of():
    catalog = hardware.catalog_from_frame(small_frame())
    assert hardware.platform_of(catalog, catalog["h100_sxm"]).id == "dgx_h100"
    assert hardware.platform_of(catalog, catalog["dgx_h100"]).id == "dgx_h100"
    orphan = hardware.catalog_from_frame(small_frame(platform=""))
    with pytest.raises(ValueError, match="ships in no catalog platform"):
        hardware.platform_of(orphan, orphan["h100_sxm"])
    with pytest.raises(ValueError, match="platform 'nope' is not a catalog system"):
        hardware.catalog_from_frame(small_frame(platform="nope"))


def test_lookup_unknown_names_valid_ids_of_that_kind():
    catalog = hardware.catalog_from_frame(small_frame())
    with pytest.raises(ValueError) as info:
        hardware.lookup(catalog, "dgx_z900", "system")
    assert "dgx_z900" in str(info.value)
    assert "dgx_h100, gb200_nvl72" in str(info.value)
    assert "h100_sxm" not in str(info.value)
    with pytest.raises(ValueError, match="unknown accelerator id 'dgx_h100'"):
        hardware.lookup(catalog, "dgx_h100", "accelerator")  # exists, but the wrong kind
    with pytest.raises(ValueError, match="'dgx_h100' is a system"):  # ...which the message says
        hardware.lookup(catalog, "dgx_h100", "accelerator")
    with pytest.raises(ValueError, match="'h100_sxm' is an accelerator"):
        hardware.lookup(catalog, "h100_sxm", "system")
    assert hardware.lookup(catalog, "dgx_h100").name == "DGX H100"


@pytest.mark.parametrize(
    "column, value, fragment",
    [
        ("kind", "rack", "kind"),
        ("cooling", "oil", "cooling"),
        ("power_kw", 0.0, "power_kw"),
        ("accelerators", 0, "accelerators"),
        ("availability", "rumoured", "availability"),
    ],
)
def test_bad_rows_fail_loudly(column, value, fragment):
    with pytest.raises(ValueError, match=fragment):
        hardware.catalog_from_frame(small_frame(**{column: value}))


def test_duplicate_id_rejected():
    frame = small_frame()
    frame.loc[1, "id"] = "h100_sxm"
    with pytest.raises(ValueError, match="twice"):
        hardware.catalog_from_frame(frame)


def test_real_reference_catalog(ref_con):
    catalog = hardware.load_catalog(ref_con)
    accelerators = {i for i, h in catalog.items() if h.kind == "accelerator"}
    systems = {i for i, h in catalog.items() if h.kind == "system"}
    assert EXPECTED_ACCELERATORS <= accelerators
    assert EXPECTED_SYSTEMS <= systems
    assert catalog["dgx_h100"].power_kw == pytest.approx(10.2)
    assert catalog["h100_sxm"].power_kw == pytest.approx(0.7)
    assert all(h.source_id for h in catalog.values())
    assert set(hardware.load_catalog(ref_con, "system")) == systems
    assert {i for i, h in catalog.items() if h.availability == "announced"} >= {
        "vera_rubin_nvl144",
        "rubin_ultra_nvl576",
        "rubin",
    }


def test_every_catalog_item_has_a_sourced_quoted_figure(ref_con):
    """Done-when: every item has at least one sourced figure with a quote (or, for a model, its method)."""
    catalog = hardware.load_catalog(ref_con)
    sources = reference.sources(ref_con)
    for item in catalog.values():
        assert item.figures, item.id
        maximum = item.sizing_figure("maximum")
        assert maximum is not None and maximum.power_kw == item.power_kw, item.id
        for figure in item.figures:
            assert figure.source_id and figure.status in ("reported", "derived", "modelled", "unverified"), (
                item.id,
                figure,
            )
            if figure.status == "modelled":
                assert len(figure.note) > 20, (item.id, figure)
            else:
                # Checkable: the page the quote was read on, or the source's own page.
                assert figure.quote.strip() and provenance.evidence_link(figure.source_id, figure.seen_at, sources), (
                    item.id,
                    figure,
                )
    published = [i for i in catalog.values() if any(f.status != "modelled" for f in i.figures)]
    modelled_only = sorted(i.id for i in catalog.values() if i not in published)
    # Only platforms with no published system power are modelled-only, and they say so.
    assert modelled_only == [
        "hgx_b200_8gpu",
        "hgx_h100_8gpu",
        "mi300x_platform",
        "mi325x_platform",
        "mi350x_platform",
        "mi355x_platform",
    ]


def test_conflicting_nvl72_figures_all_stay(ref_con):
    figures = hardware.load_catalog(ref_con)["gb200_nvl72"].figures
    by_basis = {(f.basis, f.power_kw) for f in figures}
    assert {("maximum", 132.0), ("maximum", 150.0), ("typical", 120.0), ("rated_capacity", 264.0)} <= by_basis
    assert len({f.source_id for f in figures}) >= 4
