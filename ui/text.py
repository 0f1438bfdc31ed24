"""Showing user text safely in Streamlit elements that render Markdown.

Scenario names, dataset names and messages that quote them come from users; in a
Markdown element ``**x**`` would be bold and ``www.x.example`` a link. Escaping every
markup character shows the text exactly as typed.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&])")


def plain_md(text: str) -> str:
    """User text made inert for st.markdown-based elements (every markup character escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
