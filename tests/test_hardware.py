"""Hardware catalog: records from a frame, lookups with helpful errors, the real ref table."""

from __future__ import annotations

import pandas as pd
import pytest

from factorycore import hardware

COLUMNS = ["id", "kind", "vendor", "name", "year", "accelerators", "power_kw", "cooling",
           "default_rack_kw", "source_id", "status", "note"]
EXPECTED_ACCELERATORS = {"a100_sxm", "h100_sxm", "h100_pcie", "h200_sxm", "b200", "b300", "gb200_superchip",
                         "mi250x", "mi300x", "mi325x", "mi350x", "mi355x", "tpu_v4"}
EXPECTED_SYSTEMS = {"dgx_a100", "dgx_h100", "dgx_b200", "dgx_b300", "hgx_h100_8gpu", "hgx_b200_8gpu",
                    "gb200_nvl72", "gb300_nvl72", "rubin_ultra_nvl576"}


def small_frame(**overrides) -> pd.DataFrame:
    rows = [
        ["h100_sxm", "accelerator", "NVIDIA", "H100 SXM5", 2022, 1, 0.7, "air_or_liquid", None, "s1", "reported", ""],
        ["dgx_h100", "system", "NVIDIA", "DGX H100", 2022, 8, 10.2, "air", 40.8, "s2", "reported", ""],
        ["gb200_nvl72", "system", "NVIDIA", "GB200 NVL72", 2024, 72, 132.0, "liquid", 132.0, "s3", "reported", ""],
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column, value in overrides.items():
        frame.loc[0, column] = value
    return frame


def test_catalog_from_frame():
    catalog = hardware.catalog_from_frame(small_frame())
    assert set(catalog) == {"h100_sxm", "dgx_h100", "gb200_nvl72"}
    dgx = catalog["dgx_h100"]
    assert (dgx.kind, dgx.accelerators, dgx.power_kw, dgx.default_rack_kw) == ("system", 8, 10.2, 40.8)
    assert dgx.kw_per_accelerator == pytest.approx(1.275)
    assert catalog["h100_sxm"].default_rack_kw is None


def test_items_have_contract_fields_in_order():
    items = hardware.catalog_items(hardware.catalog_from_frame(small_frame()))
    assert [i["id"] for i in items] == ["h100_sxm", "dgx_h100", "gb200_nvl72"]  # accelerators first, by year
    assert list(items[0]) == ["id", "kind", "vendor", "name", "year", "accelerators", "power_kw", "cooling",
                              "source_id"]


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


@pytest.mark.parametrize("column, value, fragment", [
    ("kind", "rack", "kind"),
    ("cooling", "oil", "cooling"),
    ("power_kw", 0.0, "power_kw"),
    ("accelerators", 0, "accelerators"),
])
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
