"""The article pages and the overview under Streamlit's AppTest.

Each page renders without an exception, draws its chart through chart_block (figure,
source caption, data expander), and each control changes the figure it draws. The
figure is read back from the plotly element's proto (``spec`` is the figure JSON).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60


def run_page(name: str) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app_pages" / f"{name}.py"), default_timeout=TIMEOUT_S).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def figure(at: AppTest, index: int = 0) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) > index, "no plotly chart drawn"
    return json.loads(charts[index].proto.spec)


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def assert_chart_block(at: AppTest) -> None:
    """The chart came through chart_block: caption with sources and a data expander."""
    assert "Sources:" in captions(at)
    assert any(e.label == "Data behind this chart" for e in at.expander)
    assert not at.error


@pytest.mark.parametrize("name", ["rack_density", "power_distribution", "stack", "maturity", "electricity"])
def test_page_renders_chart_with_provenance(name):
    at = run_page(name)
    spec = figure(at)
    assert spec["data"], "figure has traces"
    assert spec["layout"]["title"]["text"]
    assert_chart_block(at)


def test_rack_density_controls_change_figure():
    at = run_page("rack_density")
    spec = figure(at)
    assert spec["layout"]["yaxis"]["type"] == "log"
    at.radio(key="rd-scale").set_value("Linear").run()
    assert figure(at)["layout"]["yaxis"]["type"] == "linear"

    names = {t.get("name") for t in figure(at)["data"]}
    assert "Hyperscale · modelled" in names
    at.multiselect(key="rd-segments").unselect("hyperscale").run()
    assert "Hyperscale · modelled" not in {t.get("name") for t in figure(at)["data"]}

    at.toggle(key="rd-modelled").set_value(False).run()
    data = figure(at)["data"]
    assert not any(str(t.get("name", "")).endswith("· modelled") for t in data)
    assert "modelled" not in captions(at), "the source caption counts no modelled rows"
    at.toggle(key="rd-systems").set_value(False).run()
    assert "AI systems (rack power)" not in {t.get("name") for t in figure(at)["data"]}
    assert not at.exception


def test_power_distribution_controls_change_figure():
    at = run_page("power_distribution")
    assert "2026" in figure(at)["layout"]["title"]["text"]
    at.select_slider(key="pd-year").set_value(2021).run()
    assert "2021" in figure(at)["layout"]["title"]["text"]
    at.radio(key="pd-layout").set_value("stacked").run()
    data = figure(at)["data"]
    assert data and all(t.get("orientation") == "h" for t in data)
    at.multiselect(key="pd-profiles").unselect("ai_factory").run()
    labels = {y for t in figure(at)["data"] for y in t["y"]}
    assert "AI factory (training)" not in labels
    assert not at.exception


def test_stack_layer_choice_shows_its_components():
    at = run_page("stack")
    assert figure(at)["data"][0]["type"] == "treemap"
    assert any(h.value == "Layers" for h in at.subheader)
    at.selectbox(key="stack-layer").set_value("Cooling").run()
    assert any(h.value == "Cooling: components" for h in at.subheader)
    components = at.dataframe[-1].value
    assert "Heat rejection" in set(components["component"])
    colours = dict(zip(figure(at)["data"][0]["ids"], figure(at)["data"][0]["marker"]["colors"]))
    assert colours["layer:Accelerated compute"] == "#CCCCCC" != colours["layer:Cooling"]
    at.radio(key="stack-kind").set_value("sankey").run()
    assert figure(at)["data"][0]["type"] == "sankey"
    assert not at.exception


def test_maturity_controls_change_figure():
    at = run_page("maturity")
    spec = figure(at)
    assert spec["data"][0]["type"] == "heatmap" and "2026" in spec["layout"]["title"]["text"]
    at.radio(key="mat-kind").set_value("radar").run()
    assert {t["type"] for t in figure(at)["data"]} == {"scatterpolar"}
    before = len(figure(at)["data"])
    at.multiselect(key="mat-segments").unselect("enterprise").run()
    assert len(figure(at)["data"]) == before - 1
    at.select_slider(key="mat-year").set_value(2024).run()
    assert "2024" in figure(at)["layout"]["title"]["text"]
    assert not at.exception


def test_electricity_controls_change_figure():
    at = run_page("electricity")
    spec = figure(at)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles[:2] == ["United States", "World"]
    assert any(t.get("fill") == "tonexty" for t in spec["data"])
    at.toggle(key="el-ranges").set_value(False).run()
    assert not any(t.get("fill") == "tonexty" for t in figure(at)["data"])
    at.multiselect(key="el-regions").select("china").run()
    assert "China" in [a["text"] for a in figure(at)["layout"]["annotations"]]
    assert not at.exception


def test_overview_headlines_and_links(ref_con):
    """The overview runs inside the real navigation (its st.page_link targets must be registered)."""
    from factorycore import headlines, provenance, reference

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = headlines.headlines(ref_con)
    metrics = {m.label: m.value for m in at.metric}
    assert len(metrics) == len(expected)
    for figure_ in expected:
        assert metrics[figure_.label] == figure_.formatted()
    assert captions(at).count("·") >= len(expected), "each headline names its status and source"
    links = at.get("page_link")
    targets = {link.proto.page for link in links}
    assert {"rack_density", "power_distribution", "stack", "maturity", "electricity"} <= targets
    # Each headline with an outside source links to its evidence (the page its quote was read on).
    evidence = [b.proto.url for b in at.get("link_button")]
    sources = reference.sources(ref_con)
    wanted = [provenance.evidence_link(f.source_id, f.seen_at, sources) for f in expected]
    assert evidence == [url for url in wanted if url]
    assert len(evidence) >= 5 and all(url.startswith("http") for url in evidence)
