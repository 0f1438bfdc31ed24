"""ui.launch's preparation of the landing page: what it makes is what the overview then draws."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from factorycore.headlines import compute_headlines
from tests.conftest import REPO_ROOT
from ui import overview_content
from ui.data import reference


def test_warm_makes_the_overviews_cards_and_first_chart_once(ref_con) -> None:
    overview_content.warm()
    cards, chart = overview_content.headline_cards(), overview_content.contrast_chart()
    # Shared, not rebuilt: the page's run gets the very objects warm() made.
    assert overview_content.headline_cards() is cards and overview_content.contrast_chart() is chart
    figures = compute_headlines(reference("rack_density"), reference("power_distribution"), reference("electricity"))
    assert [c.label for c in cards] == [f.label for f in figures]
    assert chart.fig.layout.title.text == overview_content.CONTRAST_TITLE
    names = " ".join(t.name for t in chart.fig.data)
    assert "Enterprise" in names and "AI factory" in names

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [m.label for m in at.metric] == [c.label for c in cards]
    assert at.get("plotly_chart")[0].proto.spec  # the first chart is drawn from the prepared view
