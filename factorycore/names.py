"""Look-alike names: one rule for dataset and scenario names that must not be confused.

"Hаll A" with a Cyrillic "а" and "Hall A" look the same on screen but are different
strings, so a store would accept both and a reader could pick the wrong one. Two
checks stop that: a name may not mix the Latin, Greek and Cyrillic alphabets (the
scripts whose letters imitate each other), and :func:`skeleton` folds a name to a
form in which look-alikes compare equal, so a store can refuse a name whose skeleton
an existing name already has. The folding table maps the Greek and Cyrillic letters
drawn like a Latin one in common fonts (in either case: the name is casefolded first);
NFKC first folds compatibility forms (full-width letters, ligatures).
"""

from __future__ import annotations

import unicodedata

CONFUSABLE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")

# Casefolded Greek and Cyrillic letters whose lower or upper case is drawn like a Latin letter.
_LOOKALIKE = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "һ": "h",
        "ӏ": "l",
        "ԛ": "q",
        "ԝ": "w",
        "α": "a",
        "β": "b",
        "ε": "e",
        "ζ": "z",
        "η": "h",
        "ι": "i",
        "κ": "k",
        "μ": "m",
        "ν": "n",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "y",
        "χ": "x",
        "ϲ": "c",
        "ϳ": "j",
    }
)


def scripts(name: str) -> set[str]:
    """The confusable alphabets (Latin, Greek, Cyrillic) whose letters ``name`` uses."""
    found = set()
    for ch in name:
        if unicodedata.category(ch).startswith("L"):
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in CONFUSABLE_SCRIPTS:
                found.add(script)
    return found


def mixed_script_problem(name: str) -> str | None:
    """Why ``name`` is refused for mixing look-alike alphabets, or None if it uses at most one."""
    used = scripts(unicodedata.normalize("NFKC", name))
    if len(used) <= 1:
        return None
    listed = " and ".join(s.capitalize() for s in CONFUSABLE_SCRIPTS if s in used)
    return f"mixes {listed} letters, which look alike (a Cyrillic 'а' is not a Latin 'a'); write it in one alphabet"


def skeleton(name: str) -> str:
    """A fold of ``name`` in which look-alike names compare equal: NFKC, casefold, Greek/Cyrillic to Latin."""
    return unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKE)
