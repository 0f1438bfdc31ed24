"""Fleet sizing in whole platforms: worked examples, the design basis, cooling and budget refusals, invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorycore import fleet, hardware
from factorycore.hardware import Hardware, PowerFigure

CONTRACT_KEYS = [
    "systems",
    "accelerators",
    "it_kw",
    "racks",
    "kw_per_rack",
    "facility_kw",
    "platform",
    "basis",
    "system_power_kw",
    "power_source_id",
    "note",
]


def fig(id_, basis, kw, src, sizing=True) -> PowerFigure:
    return PowerFigure(id_, basis, kw, "", sizing, src, "reported", "q", "u", "")


def item(id_, kind, accelerators, power_kw, default_rack_kw=None, cooling="air", platform="", figures=()) -> Hardware:
    figures = figures or (fig(id_, "maximum", power_kw, "src"),)
    return Hardware(
        id_,
        kind,
        "V",
        id_,
        2024,
        accelerators,
        power_kw,
        cooling,
        default_rack_kw,
        "src",
        "reported",
        "",
        platform=platform,
        figures=tuple(figures),
    )


DGX_H100 = item(
    "dgx_h100",
    "system",
    8,
    10.2,
    40.8,
    figures=(fig("dgx_h100", "maximum", 10.2, "guide"), fig("dgx_h100", "typical", 8.5, "blog")),
)
NVL72 = item(
    "gb200_nvl72",
    "system",
    72,
    132.0,
    132.0,
    cooling="liquid",
    figures=(
        fig("gb200_nvl72", "maximum", 132.0, "schneider"),
        fig("gb200_nvl72", "typical", 120.0, "introl"),
        fig("gb200_nvl72", "maximum", 150.0, "superpod", sizing=False),
    ),
)
H100 = item("h100_sxm", "accelerator", 1, 0.7, platform="dgx_h100")
GB200 = item("gb200", "accelerator", 1, 1.2, cooling="liquid", platform="gb200_nvl72")
CATALOG = {h.id: h for h in (DGX_H100, NVL72, H100, GB200)}


def test_systems_worked_example():
    # 10 x 10.2 kW = 102 kW; 40.8 kW rack holds 4; ceil(10 / 4) = 3 racks; 34 kW each; x 1.4 = 142.8 kW.
    result = fleet.size_systems(DGX_H100, 10)
    assert result.as_dict() == pytest.approx(
        {
            "systems": 10,
            "accelerators": 80,
            "it_kw": 102.0,
            "racks": 3,
            "kw_per_rack": 34.0,
            "facility_kw": 142.8,
            "platform": "dgx_h100",
            "basis": "maximum",
            "system_power_kw": 10.2,
            "power_source_id": "guide",
            "note": "",
        }
    )
    assert list(result.as_dict()) == CONTRACT_KEYS


def test_systems_at_the_typical_basis_name_their_figure():
    # 10 x 8.5 kW = 85 kW; the 40.8 kW rack holds floor(40.8 / 8.5) = 4: 3 racks.
    result = fleet.size_systems(DGX_H100, 10, basis="typical")
    assert (result.it_kw, result.racks, result.basis, result.power_source_id) == (
        pytest.approx(85.0),
        3,
        "typical",
        "blog",
    )


def test_systems_at_a_given_budget():
    # 25 kW budget holds floor(25 / 10.2) = 2 systems: 5 racks of 20.4 kW.
    result = fleet.size_systems(DGX_H100, 10, rack_kw=25, pue=1.2)
    assert (result.racks, result.kw_per_rack, result.facility_kw) == (5, pytest.approx(20.4), pytest.approx(122.4))


def test_system_above_budget_is_an_error():
    with pytest.raises(ValueError, match="draws 10.2 kW \\(maximum\\), more than the 5 kW rack budget"):
        fleet.size_systems(DGX_H100, 1, rack_kw=5)


def test_rack_scale_system_is_one_per_rack_at_any_budget_it_fits():
    assert fleet.is_rack_scale(NVL72) and not fleet.is_rack_scale(DGX_H100)
    for budget in (None, 132.0, 400.0):
        result = fleet.size_systems(NVL72, 10, rack_kw=budget)
        assert (result.racks, result.accelerators, result.it_kw, result.kw_per_rack) == (10, 720, 1320.0, 132.0)
        assert result.facility_kw == pytest.approx(1848.0)


def test_rack_budget_below_one_rack_scale_platform_is_an_error():
    with pytest.raises(ValueError, match="one gb200_nvl72 draws 132 kW .* more than the 40 kW rack budget"):
        fleet.size_systems(NVL72, 1, rack_kw=40)
    # At the typical basis a 125 kW budget holds the 120 kW rack.
    assert fleet.size_systems(NVL72, 1, rack_kw=125, basis="typical").racks == 1


def test_very_large_system_count_rounds_racks_exactly():
    # 4 DGX H100 per rack; 2**53 + 1 systems need 2**51 + 1 racks (float division loses the 1).
    count = 2**53 + 1
    result = fleet.size_systems(DGX_H100, count)
    assert result.racks == 2**51 + 1
    assert result.accelerators == 8 * count


def test_gpus_become_whole_platforms():
    # 512 H100 = 64 DGX H100 at 10.2 kW = 652.8 kW, 4 per 40.8 kW rack = 16 racks.
    result = fleet.size(H100, CATALOG, 512)
    assert (result.systems, result.accelerators, result.platform) == (64, 512, "dgx_h100")
    assert result.it_kw == pytest.approx(64 * 10.2) and result.racks == 16
    assert result.note == ""


def test_a_count_not_filling_platforms_rounds_up_and_says_so():
    result = fleet.size(H100, CATALOG, 100)
    assert (result.systems, result.accelerators, result.it_kw) == (13, 104, pytest.approx(13 * 10.2))
    assert "100 GPUs do not fill whole dgx_h100 platforms of 8: rounded up to 13 (104 GPUs)" in result.note


def test_72_gb200_gpus_are_one_nvl72_rack_at_either_basis():
    for basis, kw, source in (("maximum", 132.0, "schneider"), ("typical", 120.0, "introl")):
        result = fleet.size(GB200, CATALOG, 72, basis=basis)
        assert (result.systems, result.racks, result.it_kw, result.power_source_id) == (1, 1, kw, source)


def test_typical_without_a_figure_falls_back_to_maximum_and_says_so():
    b200 = item("dgx_b200", "system", 8, 14.3, 28.6)
    result = fleet.size_systems(b200, 2, basis="typical")
    assert (result.basis, result.it_kw) == ("maximum", pytest.approx(28.6))
    assert "no published typical figure" in result.note


def test_liquid_only_platform_refuses_air():
    with pytest.raises(ValueError, match="liquid-cooled only: it cannot go into an air-cooled plan or an air rack"):
        fleet.size(GB200, CATALOG, 72, rack_cooling="air")
    assert fleet.size(GB200, CATALOG, 72, rack_cooling="liquid").racks == 1
    assert fleet.size(DGX_H100, CATALOG, 1, rack_cooling="air").racks == 1


def test_unit_it_kw_is_the_platform_share_per_gpu():
    assert fleet.unit_it_kw(H100, CATALOG) == pytest.approx(10.2 / 8)
    assert fleet.unit_it_kw(GB200, CATALOG, "typical") == pytest.approx(120 / 72)
    assert fleet.unit_it_kw(DGX_H100, CATALOG) == pytest.approx(10.2)
    assert fleet.default_rack_kw(H100, CATALOG) == 40.8


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: fleet.size_systems(H100, 1), "not a system"),
        (lambda: fleet.size_accelerators(DGX_H100, DGX_H100, 1), "not an accelerator"),
        (lambda: fleet.size_accelerators(H100, NVL72, 8), "ships in dgx_h100, not gb200_nvl72"),
        (lambda: fleet.size_systems(DGX_H100, 0), "count"),
        (lambda: fleet.size_systems(DGX_H100, 1, rack_kw=-40), "rack power budget"),
        (lambda: fleet.size(H100, CATALOG, 8, rack_kw=math.nan), "rack power budget"),
        (lambda: fleet.size(H100, CATALOG, 8, pue=0.9), "below 1"),
        (lambda: fleet.size(H100, CATALOG, 8, basis="peak"), "basis 'peak'"),
        (lambda: fleet.size(H100, CATALOG, 8, rack_cooling="water"), "rack cooling 'water'"),
    ],
)
def test_bad_inputs(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


@given(count=st.integers(1, 5000), budget=st.floats(10.2, 500))
def test_system_racks_respect_the_budget(count, budget):
    result = fleet.size_systems(DGX_H100, count, rack_kw=budget)
    assert result.kw_per_rack <= budget + 1e-9
    assert result.racks * math.floor(budget / 10.2 + 1e-9) >= count
    assert result.racks - 1 < count / math.floor(budget / 10.2 + 1e-9)  # no spare rack


@given(count=st.integers(1, 100_000), budget=st.floats(10.2, 500))
def test_gpu_fleets_are_whole_platforms_within_the_budget(count, budget):
    result = fleet.size(H100, CATALOG, count, rack_kw=budget)
    assert result.systems == math.ceil(count / 8)
    assert count <= result.accelerators < count + 8
    assert result.kw_per_rack <= budget * (1 + 1e-9)
    assert result.facility_kw >= result.it_kw


# Done-when checks on the real catalog.


def test_8_b300_are_one_dgx_b300_within_5_percent_of_its_published_maximum(ref_con):
    catalog = hardware.load_catalog(ref_con)
    result = fleet.size(catalog["b300"], catalog, 8)
    published = catalog["dgx_b300"].sizing_figure("maximum")
    assert (result.systems, result.platform, result.racks) == (1, "dgx_b300", 1)
    assert result.it_kw == pytest.approx(published.power_kw, rel=0.05)
    assert result.power_source_id == published.source_id


@pytest.mark.parametrize("basis", hardware.SIZING_BASES)
def test_72_gb200_gpus_are_one_nvl72_rack_at_the_chosen_basis(ref_con, basis):
    catalog = hardware.load_catalog(ref_con)
    result = fleet.size(catalog["gb200"], catalog, 72, basis=basis)
    figure = catalog["gb200_nvl72"].sizing_figure(basis)
    assert (result.systems, result.racks, result.platform, result.basis) == (1, 1, "gb200_nvl72", basis)
    assert result.it_kw == figure.power_kw and result.power_source_id == figure.source_id


def test_512_h100_are_64_servers_at_dgx_h100_10_2_kw(ref_con):
    catalog = hardware.load_catalog(ref_con)
    result = fleet.size(catalog["h100_sxm"], catalog, 512)
    assert (result.systems, result.platform, result.system_power_kw) == (64, "dgx_h100", 10.2)
    assert result.it_kw == pytest.approx(652.8)


def test_every_sizeable_accelerator_fills_exactly_one_platform(ref_con):
    catalog = hardware.load_catalog(ref_con)
    for acc in (h for h in catalog.values() if h.kind == "accelerator" and h.platform):
        platform = catalog[acc.platform]
        by_gpu = fleet.size(acc, catalog, platform.accelerators)
        by_system = fleet.size(platform, catalog, 1)
        assert by_gpu == by_system, acc.id
