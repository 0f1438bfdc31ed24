"""The app's pages, stated once: navigation, the overview's links and the report's labels read this.

An article page carries the id of the view it draws (``factorycore.views.ARTICLE_VIEWS``),
and its link label is that view's title, so a chart's name is written in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from factorycore.views import ARTICLE_VIEWS


@dataclass(frozen=True)
class PageSpec:
    """One page: its file in ``app_pages/``, title, icon, navigation section and article view if any."""

    path: str
    title: str
    icon: str
    section: str
    view_id: str | None = None
    default: bool = False

    @property
    def link_label(self) -> str:
        """What a link to the page says: the article view's title, else the page title."""
        return ARTICLE_VIEWS[self.view_id].title if self.view_id else self.title


PAGES: tuple[PageSpec, ...] = (
    PageSpec("app_pages/overview.py", "Overview", ":material/dashboard:", "Industry", default=True),
    PageSpec("app_pages/rack_density.py", "Rack density", ":material/trending_up:", "Industry", "rack_density"),
    PageSpec(
        "app_pages/power_distribution.py",
        "Power distribution",
        ":material/bar_chart:",
        "Industry",
        "power_distribution",
    ),
    PageSpec("app_pages/stack.py", "AI factory stack", ":material/layers:", "Industry", "stack"),
    PageSpec("app_pages/maturity.py", "Maturity", ":material/grid_view:", "Industry", "maturity"),
    PageSpec("app_pages/electricity.py", "Electricity outlook", ":material/bolt:", "Industry", "electricity"),
    PageSpec("app_pages/planner.py", "Planner", ":material/calculate:", "Plan"),
    PageSpec("app_pages/my_facility.py", "My facility", ":material/upload_file:", "Your site"),
    PageSpec("app_pages/compliance.py", "Compliance", ":material/verified:", "Your site"),
    PageSpec("app_pages/report.py", "Report", ":material/description:", "Present"),
    PageSpec("app_pages/presentation.py", "Presentation", ":material/slideshow:", "Present"),
)

ARTICLE_PAGES: dict[str, PageSpec] = {p.view_id: p for p in PAGES if p.view_id}


def chart_label(view_id: str) -> str:
    """The human name of an article chart (its view's title; the id if unknown)."""
    view = ARTICLE_VIEWS.get(view_id)
    return view.title if view else view_id
