"""Data-centre reporting: the regimes' rules, a year's KPIs from meter data, verdicts and the field sheet.

``assess`` is the entry point (the page, the report section and ``python -m factorycore compliance``
call it); the rules come from the ``compliance_rules`` reference table.
"""

from factorycore.compliance import present, sheet
from factorycore.compliance.assess import Assessment, assess, required_pue, typed_fields
from factorycore.compliance.kpis import ComplianceError, YearKpis, compute
from factorycore.compliance.rules import REGIMES

__all__ = [
    "REGIMES",
    "Assessment",
    "ComplianceError",
    "YearKpis",
    "assess",
    "compute",
    "present",
    "required_pue",
    "sheet",
    "typed_fields",
]
