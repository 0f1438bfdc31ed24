"""The views layer: one registry of article charts, read by pages, links, slides and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorycore import provenance, reference
from factorycore.cli import main
from factorycore.views import ARTICLE_VIEW_IDS, ARTICLE_VIEWS, View, article, article_view
from factorycore.views.base import NothingToDraw
from factorycore.views.site import SITE_VIEWS
from ui.navigation import ARTICLE_PAGES, PAGES

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("view_id", ARTICLE_VIEW_IDS)
def test_each_article_view_carries_its_rows_caption_and_note(ref_con, view_id: str) -> None:
    view = article_view(ref_con, view_id)
    assert isinstance(view, View) and len(view.fig.data) > 0
    assert view.caption == provenance.caption(view.rows, reference.sources(ref_con))
    assert view.title and view.note
    assert callable(getattr(article, ARTICLE_VIEWS[view_id].function))


def test_unknown_view_names_the_valid_ones(ref_con) -> None:
    with pytest.raises(ValueError, match="valid charts: rack_density, power_distribution"):
        article_view(ref_con, "pie")


def test_every_article_view_has_one_page_and_every_page_file_exists() -> None:
    assert list(ARTICLE_PAGES) == list(ARTICLE_VIEW_IDS)
    for page in PAGES:
        assert (REPO / page.path).is_file(), page.path
    assert [p.link_label for p in ARTICLE_PAGES.values()] == [v.title for v in ARTICLE_VIEWS.values()]


def test_the_cli_help_lists_the_registry(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["chart", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "one of: " + ", ".join(ARTICLE_VIEW_IDS) in help_text


def test_site_view_keys_are_unique() -> None:
    keys = [v.key for v in SITE_VIEWS.values()]
    assert len(set(keys)) == len(keys)


def test_nothing_to_draw_is_a_value_error() -> None:
    assert issubclass(NothingToDraw, ValueError)
