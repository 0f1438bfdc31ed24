"""A plant section registered in one line reaches the URL codec, saved scenarios, the command flags,
the report and the page's inputs and tabs.

The test copies the product's code into a temporary folder, adds a section module
(tests/planner/demo_section.py) and its one line in ``sections._MODULES``, and checks
every output in a fresh interpreter there (the registry is read when the package loads).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHECK = textwrap.dedent(
    """
    import json
    from streamlit.testing.v1 import AppTest
    from factorycore import db, hardware, planner, reference, scenarios
    from factorycore.export import report

    out = {}
    inputs = planner.PlanInputs(heat_reuse_share=0.3)
    params = planner.to_query_params(inputs)
    out["url"] = params.get("reuse")
    back, problems = planner.from_query_params({**params, "reuse": "2"})
    out["bad_link"] = [back.heat_reuse_share, problems]
    out["saved"] = planner.from_dict(inputs.as_dict())[0] == inputs
    con = db.shared_connection()
    catalog = hardware.load_catalog(con)
    result = planner.plan(inputs, catalog, reference.throughput(con))
    out["commands"] = [c for c in result.cli_commands() if c[0] == "heat-reuse"]
    out["compare"] = list(planner.comparison_frame({"a": result}).columns)
    scenarios.save(con, "registry demo", inputs.as_dict())
    try:
        section = report.saved_scenario(con, "registry demo")
    finally:
        scenarios.delete(con, "registry demo")
    out["report_rows"] = {k: v for k, v in section["results"].items() if k == "Heat reused"}
    out["report_titles"] = [f.fig.layout.title.text for f in section["figures"]]
    at = AppTest.from_file("app_pages/planner.py", default_timeout=120)
    at.query_params["reuse"] = "0.25"
    at.session_state["pl_plant_tab"] = "Heat reuse"
    at.run()
    out["page_errors"] = [e.value for e in at.exception]
    out["widget"] = at.number_input(key="pl_heat_reuse_pct").value
    out["tabs"] = [t.label for t in at.tabs]
    out["reading"] = [m.value for m in at.markdown if "goes to reuse" in m.value]
    print(json.dumps(out, default=str))
    """
)


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("factorycore", "ui", "app_pages"):
        shutil.copytree(REPO / folder, root / folder, ignore=ignore)
    (root / "data").symlink_to(REPO / "data")
    shutil.copy(REPO / "tests" / "planner" / "demo_section.py", root / "factorycore/planner/sections/heat_reuse.py")
    registry = root / "factorycore/planner/sections/__init__.py"
    text = registry.read_text(encoding="utf-8")
    # The one line: the module's name, last in the registry.
    close = text.index("\n)", text.index("_MODULES"))
    text = text[:close] + '\n    "heat_reuse",' + text[close:]
    registry.write_text(text, encoding="utf-8")
    return root


def test_a_section_registered_in_one_line_reaches_every_output(tmp_path: Path) -> None:
    import json

    root = _copy(tmp_path)
    # Its own store: the session's is held by this process.
    env = {**os.environ, "PYTHONPATH": str(root), "FACTORY_DB": str(tmp_path / "demo.duckdb")}
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=root, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["url"] == "0.3"  # the URL codec
    assert out["bad_link"][0] == 0.0 and "reuse='2' is outside [0, 1]" in out["bad_link"][1][0]
    assert out["saved"] is True  # saved scenarios
    assert out["commands"] and "--reuse-share=0.3" in out["commands"][0]  # the command flags
    assert "heat_reuse_kw" in out["compare"]
    assert list(out["report_rows"]) == ["Heat reused"]  # the report's table
    assert "Heat reused" in out["report_titles"]  # and its figures
    assert out["page_errors"] == []
    assert out["widget"] == 25.0  # the page's inputs, seeded from the link
    assert "Heat reuse" in out["tabs"]  # its tab
    assert out["reading"], "the open tab shows the section's reading"
