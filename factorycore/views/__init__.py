"""Views: one function per chart subject, data and options in, :class:`View` out.

Families: :mod:`.article` (the article's charts, from the reference tables),
:mod:`.site` (an operator's dataset against the industry) and :mod:`.planner` (a plan).
The article charts are registered here once, in reading order: the pages, the
overview's links, the report, the presentation's slides and the CLI's ``chart``
command all read :data:`ARTICLE_VIEWS`, so adding a chart is one view function plus
one line below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factorycore.views.base import Metric, NothingToDraw, View

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class ArticleView:
    """An article chart: its id, the title its page and links carry, and its function in ``.article``.

    The function is named, not imported, so reading the registry (CLI help, page
    links) costs no plotly import.
    """

    view_id: str
    title: str
    function: str


ARTICLE_VIEWS: dict[str, ArticleView] = {
    v.view_id: v
    for v in (
        ArticleView("rack_density", "Rack density evolution, 2020–2026", "rack_density_view"),
        ArticleView("power_distribution", "Power distribution by density band", "power_distribution_view"),
        ArticleView("stack", "The AI factory infrastructure stack", "stack_view"),
        ArticleView("maturity", "Infrastructure maturity by segment", "maturity_view"),
        ArticleView("electricity", "Data-center electricity outlook", "electricity_view"),
    )
}
ARTICLE_VIEW_IDS: tuple[str, ...] = tuple(ARTICLE_VIEWS)


def unknown_chart(view_id: str) -> str:
    """The message for a chart id that is not an article view (CLI, report, slides say the same)."""
    return f"unknown chart {view_id!r}; valid charts: {', '.join(ARTICLE_VIEW_IDS)}"


def article_view(con: duckdb.DuckDBPyConnection, view_id: str, **options: Any) -> View:
    """Build one article chart by id, with its page's options (``large=True`` for a projector).

    An unknown id raises ``ValueError`` naming the valid ones; an unknown option, ``TypeError``.
    """
    from factorycore.views import article  # noqa: PLC0415 - plotly only when a chart is built

    spec = ARTICLE_VIEWS.get(view_id)
    if spec is None:
        raise ValueError(unknown_chart(view_id))
    return getattr(article, spec.function)(con, **options)


__all__ = [
    "ARTICLE_VIEWS",
    "ARTICLE_VIEW_IDS",
    "ArticleView",
    "Metric",
    "NothingToDraw",
    "View",
    "article_view",
    "unknown_chart",
]
