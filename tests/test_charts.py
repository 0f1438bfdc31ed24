"""The article's chart builders and the chart registry, on the real reference data.

Each builder is checked for what a reader relies on: the traces it draws, axis titles
with units, hover text naming unit, status and source, and modelled data drawn
differently from reported data.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from factorycore import reference, schema
from factorycore.charts import electricity, maturity, power_distribution, rack_density, stack
from factorycore.charts.theme import segment_colour, segment_label
from factorycore.views import ARTICLE_VIEW_IDS, View, article_view

BANDS = ["<5 kW", "5-10 kW", "10-20 kW", "20-30 kW", "30-50 kW", "50-100 kW", ">100 kW"]
CORE_SEGMENTS = list(schema.DENSITY_PROFILES)


def _symbols(trace) -> list[str]:
    symbol = trace.marker.symbol
    return list(symbol) if isinstance(symbol, (list, tuple)) else [symbol]


def _hovered(fig: go.Figure) -> list:
    return [t for t in fig.data if t.hoverinfo != "skip" and getattr(t, "hovertemplate", None)]


# --- rack density -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def density(ref_con) -> pd.DataFrame:
    return reference.rack_density(ref_con)


@pytest.fixture(scope="module")
def systems(ref_con) -> pd.DataFrame:
    return reference.hardware(ref_con, kind="system")


@pytest.fixture(scope="module")
def sources(ref_con) -> pd.DataFrame:
    return reference.sources(ref_con)


def test_rack_density_draws_every_segment_in_its_colour(density, systems, sources):
    fig = rack_density.rack_density_figure(density, systems, sources=sources)
    names = {t.name for t in fig.data if t.showlegend is not False}
    for segment in CORE_SEGMENTS:
        label = segment_label(segment)
        assert any(n.startswith(label) for n in names), f"{label} missing from legend {names}"
        coloured = [t for t in fig.data if t.name and t.name.startswith(label) and t.mode == "markers"]
        assert coloured and all(t.marker.color == segment_colour(segment) for t in coloured)


def test_rack_density_axes_have_units_and_log_by_default(density, systems):
    fig = rack_density.rack_density_figure(density, systems)
    assert "kW per rack" in fig.layout.yaxis.title.text
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.title.text.startswith("Year")
    linear = rack_density.rack_density_figure(density, systems, log_y=False)
    assert linear.layout.yaxis.type == "linear"
    assert "log" not in linear.layout.yaxis.title.text


def test_rack_density_shows_traditional_and_ai_bands(density):
    fig = rack_density.rack_density_figure(density)
    spans = sorted((s.y0, s.y1) for s in fig.layout.shapes)
    assert spans == [rack_density.TRADITIONAL_BAND_KW, rack_density.AI_BAND_KW]
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "5–15 kW" in texts and "50–100+ kW" in texts
    assert not rack_density.rack_density_figure(density, show_bands=False).layout.shapes


def test_rack_density_places_ai_systems_and_announced_racks(density, systems):
    fig = rack_density.rack_density_figure(density, systems)
    shipping = next(t for t in fig.data if t.name == "AI systems (rack power)")
    announced = next(t for t in fig.data if t.name == "Announced AI racks")
    assert {"DGX A100", "GB200 NVL72", "GB300 NVL72"} <= set(shipping.text)
    nvl72 = dict(zip(shipping.text, shipping.y))["GB200 NVL72"]
    assert nvl72 == pytest.approx(float(systems.set_index("name").loc["GB200 NVL72", "default_rack_kw"]))
    assert all(year >= 2026 for year in announced.x)  # Vera Rubin NVL144 is announced for 2026
    assert {"Vera Rubin NVL144", "Vera Rubin Ultra NVL576 (Kyber rack)"} <= set(announced.text)
    assert not set(announced.text) & set(shipping.text)
    assert set(_symbols(announced)) == {"star-open"}
    assert "kW per rack" in shipping.hovertemplate and "source" in shipping.hovertemplate


def test_rack_density_modelled_points_hollow_and_dashed(density, sources):
    fig = rack_density.rack_density_figure(density, sources=sources)
    modelled = [t for t in fig.data if t.name and t.name.endswith("· modelled")]
    assert modelled
    for trace in modelled:
        if trace.mode == "markers":
            assert set(_symbols(trace)) == {"circle-open"}
        else:
            assert trace.line.dash == "dash"
    reported = next(t for t in fig.data if t.name == "Industry average · surveys" and t.mode == "markers")
    assert "circle" in _symbols(reported)
    # Hover names the publisher when the sources table is given.
    assert any("AFCOM" in row[1] for row in reported.customdata)


def test_rack_density_reported_only_and_segment_filter(ref_con, density, systems):
    fig = rack_density.rack_density_figure(density, systems, include_modelled=False)
    assert not any("circle-open" in _symbols(t) for t in fig.data if t.mode == "markers")
    shipping = next(t for t in fig.data if t.name == "AI systems (rack power)")
    modelled_names = set(systems.loc[systems["status"] == "modelled", "name"])
    assert modelled_names and not modelled_names & set(shipping.text)
    fig = rack_density.rack_density_figure(density, segments=["hyperscale"])
    legend = {t.name for t in fig.data if t.showlegend is not False}
    assert legend == {"Hyperscale · modelled"}


def test_rack_density_hover_has_unit_status_source(density, systems):
    for trace in _hovered(rack_density.rack_density_figure(density, systems)):
        assert "kW per rack" in trace.hovertemplate
        assert "source" in trace.hovertemplate
        assert all(len(row) >= 2 and row[0] in schema.ROW_STATUSES for row in trace.customdata)


def test_rack_density_rows_cover_density_and_systems(density, systems):
    rows = rack_density.rack_density_rows(density, systems, segments=["ai_factory"])
    assert set(rows["dataset"]) == {"rack_density", "hardware"}
    assert set(rows.loc[rows["dataset"] == "rack_density", "segment"]) == {"ai_factory"}
    assert rows["source_id"].notna().all() and rows["status"].notna().all()


def test_rack_density_empty_selection_says_so(density):
    fig = rack_density.rack_density_figure(density.iloc[0:0], segments=[])
    assert any("No rack-density data" in a.text for a in fig.layout.annotations)


# --- power distribution -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def dist(ref_con) -> pd.DataFrame:
    return reference.power_distribution(ref_con)


def test_power_distribution_grouped_bars_per_profile(dist, sources):
    fig = power_distribution.power_distribution_figure(dist, sources=sources)
    assert "2026" in fig.layout.title.text
    assert [t.name for t in fig.data] == [segment_label(p) for p in CORE_SEGMENTS]
    assert fig.layout.barmode == "group"
    assert list(fig.layout.xaxis.categoryarray) == BANDS
    assert "kW per rack" in fig.layout.xaxis.title.text
    assert fig.layout.yaxis.title.text == "Share of racks, %"
    for trace in fig.data:
        assert sum(trace.y) == pytest.approx(100, abs=0.6)
        assert "% of racks" in trace.hovertemplate and "source" in trace.hovertemplate


def test_power_distribution_hatches_modelled_bars_only(dist):
    fig = power_distribution.power_distribution_figure(dist, year=2021, profiles=["industry_average"])
    (trace,) = fig.data
    statuses = dist[(dist["year"] == 2021) & (dist["profile"] == "industry_average")].sort_values("band_order")[
        "status"
    ]
    assert list(trace.marker.pattern.shape) == ["/" if s == "modelled" else "" for s in statuses]
    # Uptime's 2021 band shares are of sites (density_anchors), so every band of racks is modelled.
    assert set(trace.marker.pattern.shape) == {"/"}


def test_power_distribution_stacked_layout_and_year(dist):
    fig = power_distribution.power_distribution_figure(dist, year=2020, layout="stacked")
    assert "2020" in fig.layout.title.text
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == BANDS
    assert all(t.orientation == "h" for t in fig.data)
    assert "Share of racks, %" in fig.layout.xaxis.title.text
    with pytest.raises(ValueError, match="grouped"):
        power_distribution.power_distribution_figure(dist, layout="pie")


def test_power_distribution_rows_and_years(dist):
    assert power_distribution.available_years(dist) == list(range(2020, 2027))
    rows = power_distribution.power_distribution_rows(dist, year=2023, profiles=["enterprise"])
    assert set(rows["year"]) == {2023} and set(rows["profile"]) == {"enterprise"} and len(rows) == 7


# --- stack ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stack_rows(ref_con) -> pd.DataFrame:
    return reference.stack(ref_con)


def test_stack_treemap_sizes_layers_by_power_share(stack_rows, sources):
    fig = stack.stack_figure(stack_rows, sources=sources)
    (trace,) = fig.data
    assert trace.type == "treemap" and trace.branchvalues == "total"
    values = dict(zip(trace.ids, trace.values))
    assert values[stack.ROOT_LABEL] == pytest.approx(100, abs=0.5)
    for layer, share in stack_rows.groupby("layer")["power_share_pct"].sum().items():
        assert values["layer:" + layer] == pytest.approx(share, abs=0.05)
    assert "% of facility power" in trace.hovertemplate and "source" in trace.hovertemplate
    assert "AI Factory Dashboard" in " ".join(row[3] for row in trace.customdata)


def test_stack_six_layers_in_order(stack_rows):
    summary = stack.layer_summary(stack_rows)
    assert list(summary["layer_order"]) == [1, 2, 3, 4, 5, 6]
    assert summary["power_share_pct"].sum() == pytest.approx(100, abs=0.5)
    assert set(summary["status"]) <= set(schema.ROW_STATUSES)
    cooling = stack.layer_components(stack_rows, "Cooling")
    assert len(cooling) >= 2 and list(cooling["power_share_pct"]) == sorted(cooling["power_share_pct"], reverse=True)


def test_stack_icicle_and_sankey(stack_rows):
    icicle = stack.stack_figure(stack_rows, kind="icicle")
    assert icicle.data[0].type == "icicle"
    sankey = stack.stack_figure(stack_rows, kind="sankey").data[0]
    assert sankey.type == "sankey"
    assert sum(v for s, v in zip(sankey.link.source, sankey.link.value) if s == 0) == pytest.approx(100, abs=0.5)
    assert "% of facility power" in sankey.link.hovertemplate
    with pytest.raises(ValueError, match="treemap"):
        stack.stack_figure(stack_rows, kind="pie")


def test_stack_selected_layer_greys_the_others(stack_rows):
    trace = stack.stack_figure(stack_rows, selected_layer="Cooling").data[0]
    colours = dict(zip(trace.ids, trace.marker.colors))
    assert colours["layer:Cooling"] != "#CCCCCC"
    assert colours["layer:Accelerated compute"] == "#CCCCCC"


def test_layer_from_selection_reads_clicks(stack_rows):
    assert stack.layer_from_selection(None, stack_rows) is None
    assert stack.layer_from_selection({"points": []}, stack_rows) is None
    by_custom = {"points": [{"customdata": ["Cooling", "x", "modelled", "src"]}]}
    assert stack.layer_from_selection(by_custom, stack_rows) == "Cooling"
    by_id = {"points": [{"id": "component:Power delivery|UPS & distribution losses"}]}
    assert stack.layer_from_selection(by_id, stack_rows) == "Power delivery"
    by_label = {"selection": {"points": [{"label": "Storage & data pipelines"}]}}
    assert stack.layer_from_selection(by_label, stack_rows) == "Storage & data pipelines"
    assert stack.layer_from_selection({"points": [{"label": "Facility power"}]}, stack_rows) is None


# --- maturity ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def maturity_rows(ref_con) -> pd.DataFrame:
    return reference.maturity(ref_con)


def test_maturity_heatmap_segments_by_dimension(maturity_rows, sources):
    fig = maturity.maturity_figure(maturity_rows, sources=sources)
    (trace,) = fig.data
    assert trace.type == "heatmap"
    assert list(trace.x) == list(maturity.DIMENSION_ORDER)
    assert list(trace.y)[:4] == [
        segment_label(s) for s in ("hyperscale", "ai_native_cloud", "colocation", "enterprise")
    ]
    assert (trace.zmin, trace.zmax) == (0, 100)
    assert "2026" in fig.layout.title.text
    assert "(%{customdata[1]})" in trace.hovertemplate and "source" in trace.hovertemplate
    rows = maturity.maturity_rows(maturity_rows)
    for r in rows.itertuples():
        text = trace.text[list(trace.y).index(segment_label(r.segment))][list(trace.x).index(r.dimension)]
        assert text.startswith(maturity.MODELLED_MARK) == (r.status == "modelled"), (r.segment, r.dimension, text)


def test_maturity_radar_and_segment_selection(maturity_rows):
    fig = maturity.maturity_figure(maturity_rows, kind="radar", segments=["hyperscale", "enterprise"])
    assert [t.type for t in fig.data] == ["scatterpolar", "scatterpolar"]
    assert all(t.line.dash == "dash" for t in fig.data if t.name.endswith("(modelled)"))
    assert [t.line.color for t in fig.data] == [segment_colour("hyperscale"), segment_colour("enterprise")]
    assert fig.layout.polar.radialaxis.range == (0, 100)
    with pytest.raises(ValueError, match="heatmap"):
        maturity.maturity_figure(maturity_rows, kind="bars")


def test_maturity_earlier_year_shows_reported_survey(maturity_rows):
    rows = maturity.maturity_rows(maturity_rows, year=2025)
    assert set(rows["status"]) == {"reported"}
    fig = maturity.maturity_figure(maturity_rows, year=2025)
    assert "2025" in fig.layout.title.text
    assert not any(c.startswith(maturity.MODELLED_MARK) for row in fig.data[0].text for c in row)


# --- electricity ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def elec(ref_con) -> pd.DataFrame:
    return reference.electricity(ref_con)


def test_electricity_us_and_world_panels(elec, sources):
    fig = electricity.electricity_figure(elec, sources=sources)
    titles = [a.text for a in fig.layout.annotations]
    assert titles[:2] == ["United States", "World"]
    assert fig.layout.yaxis.title.text == "TWh per year" and fig.layout.yaxis2.title.text == "TWh per year"
    assert max(x for t in fig.data if t.x is not None for x in t.x) == 2030
    hovered = _hovered(fig)
    assert hovered and all("TWh per year" in t.hovertemplate and "source" in t.hovertemplate for t in hovered)
    assert any("Lawrence Berkeley" in row[2] for t in hovered for row in t.customdata)
    assert any("International Energy Agency" in row[2] for t in hovered for row in t.customdata)


def test_electricity_scenario_ranges_and_dashed_projections(elec):
    fig = electricity.electricity_figure(elec)
    fills = [t for t in fig.data if t.fill == "tonexty"]
    assert {t.name for t in fills} == {
        "Low scenario – High scenario range",
        "Headwinds case (unverified) – Lift-Off case (unverified) range",
    }
    lines = [t for t in fig.data if t.mode == "lines" and t.hoverinfo == "skip" and t.line.color]
    assert {t.line.dash for t in lines if t.name == "Historical"} == {"solid"}
    assert {t.line.dash for t in lines if t.name == "Base case"} == {"dash"}
    no_ranges = electricity.electricity_figure(elec, show_ranges=False)
    assert not [t for t in no_ranges.data if t.fill == "tonexty"]


def test_electricity_region_choice(elec):
    fig = electricity.electricity_figure(elec, regions=["us", "global", "china", "europe"])
    assert [a.text for a in fig.layout.annotations][:4] == ["United States", "World", "China", "Europe"]
    rows = electricity.electricity_rows(elec, regions=["china"], scenarios=["base"])
    assert set(rows["region"]) == {"china"} and set(rows["scenario"]) == {"base"}
    empty = electricity.electricity_figure(elec, regions=[])
    assert any("No electricity data" in a.text for a in empty.layout.annotations)


def test_electricity_modelled_rows_drawn_hollow():
    frame = pd.DataFrame(
        {
            "year": [2024, 2025],
            "region": ["us", "us"],
            "scenario": ["base", "base"],
            "twh": [200.0, 220.0],
            "source_id": ["a", "b"],
            "status": ["reported", "modelled"],
            "note": ["", ""],
        }
    )
    fig = electricity.electricity_figure(frame, regions=["us"])
    markers = next(t for t in fig.data if t.mode == "markers")
    assert list(markers.marker.symbol) == ["circle", "circle-open"]


# --- registry ---------------------------------------------------------------------------------


@pytest.mark.parametrize("chart_id", ARTICLE_VIEW_IDS)
def test_build_chart_defaults(ref_con, chart_id):
    result = article_view(ref_con, chart_id)
    assert isinstance(result, View)
    assert isinstance(result.fig, go.Figure) and result.fig.data
    assert result.title and result.title == result.fig.layout.title.text
    assert not result.rows.empty
    assert result.rows["source_id"].notna().all()
    assert set(result.rows["status"]) <= set(schema.ROW_STATUSES)
    assert result.fig.to_html(include_plotlyjs=False)


def test_build_chart_ids_match_contract():
    assert ARTICLE_VIEW_IDS == ("rack_density", "power_distribution", "stack", "maturity", "electricity")


def test_build_chart_unknown_id_names_valid_ones(ref_con):
    with pytest.raises(ValueError) as info:
        article_view(ref_con, "pie_chart")
    for chart_id in ARTICLE_VIEW_IDS:
        assert chart_id in str(info.value)


def test_build_chart_passes_options(ref_con):
    result = article_view(ref_con, "power_distribution", year=2021, layout="stacked")
    assert "2021" in result.title and set(result.rows["year"]) == {2021}
    result = article_view(ref_con, "rack_density", include_modelled=False, log_y=False)
    assert set(result.rows["status"]) <= {"reported", "derived", "unverified"}
    assert result.fig.layout.yaxis.type == "linear"
    assert article_view(ref_con, "maturity", large=True).fig.layout.font.size
    assert not any(t.name == "AI systems (rack power)" and "HGX" in " ".join(t.text) for t in result.fig.data)
    with pytest.raises(TypeError):
        article_view(ref_con, "stack", colour="red")
