"""Issue 19 in headless Chromium: the red-team findings that need a real browser and real sessions.

Several browser contexts are separate Streamlit sessions (no shared cookies). Where
the finding is a race, every context's click is scheduled for the same instant
(``_click_together``), as several people pressing the button at once would.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import pytest

from factorycore.safe_csv import FORMULA_PREFIXES
from tests.browser_util import wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "data" / "samples" / "racks_sample.csv"
TIMEOUT_MS = 60_000
# Headless Chromium has the File System Access API but no one to answer its save
# dialog; refusing it makes Streamlit's grid take its own fallback (a blob link), the
# same CSV, which Playwright then sees as a download.
NO_SAVE_PICKER = "window.showSaveFilePicker = async () => { throw new TypeError('no save dialog in tests'); };"


@pytest.fixture
def sessions(browser):
    """A factory of fresh browser sessions (own context each), all closed after the test."""
    contexts = []

    def new_page():
        context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
        context.add_init_script(NO_SAVE_PICKER)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)  # several sessions at once on a shared machine are slow
        return tab

    yield new_page
    for context in contexts:
        context.close()


def _no_exception(tab) -> None:
    assert tab.locator("[data-testid='stException']").count() == 0
    assert "cannot rollback" not in tab.inner_text("[data-testid='stMain']")


def _click_together(tabs, button_text: str, delay_ms: int = 1500) -> None:
    """Click the button labelled ``button_text`` in every tab at the same moment (one shared clock)."""
    at = tabs[0].evaluate("() => Date.now()") + delay_ms
    script = """([text, at]) => {
        const button = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === text);
        if (!button) return false;
        setTimeout(() => button.click(), Math.max(0, at - Date.now()));
        return true;
    }"""
    for tab in tabs:
        assert tab.evaluate(script, [button_text, at]), f"no button {button_text!r}"
    tabs[0].wait_for_timeout(delay_ms + 500)
    for tab in tabs:
        wait_for_app(tab, TIMEOUT_MS)


def _toolbar_csv(tab, grid) -> list[list[str]]:
    """The rows of a grid's own toolbar "Download as CSV" file."""
    grid.scroll_into_view_if_needed()
    grid.hover()
    container = grid.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    button = container.get_by_role("button", name="Download as CSV")
    button.wait_for(timeout=TIMEOUT_MS)
    with tab.expect_download(timeout=TIMEOUT_MS) as download:
        button.dispatch_event("click")  # the grid above may overlap this grid's toolbar
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _upload(tab, path: Path) -> None:
    tab.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(path))
    tab.get_by_text("Rows accepted").first.wait_for(timeout=TIMEOUT_MS)
    wait_for_app(tab, TIMEOUT_MS)


def _open_actions(tab) -> None:
    tab.get_by_text("Rename, save or delete this dataset").first.click()
    tab.get_by_role("button", name="Save to shared workspace").or_(
        tab.get_by_role("button", name="Delete")
    ).first.wait_for(timeout=TIMEOUT_MS)


def _rename(tab, name: str) -> None:
    _open_actions(tab)
    box = tab.get_by_label("New name")
    box.fill(name)
    box.press("Enter")
    wait_for_app(tab, TIMEOUT_MS)
    tab.get_by_role("button", name="Rename").click()
    wait_for_app(tab, TIMEOUT_MS)


def _choose(tab, label: str, option: str) -> None:
    box = tab.get_by_role("combobox", name=label)
    box.click()
    # The server is shared by the browser tests, so the list can be long (and drawn lazily):
    # typing filters it down to the option wanted.
    box.press_sequentially(option.split(" ")[0])
    tab.get_by_role("option", name=option).first.click()
    wait_for_app(tab, TIMEOUT_MS)


# --- 1: the grid toolbar's own CSV ---------------------------------------------------------


def test_the_grid_toolbars_download_as_csv_neutralises_formulas(app_url, sessions, tmp_path: Path) -> None:
    hostile = tmp_path / "-cmd.csv"
    hostile.write_text(
        'rack_id,design_kw,measured_kw\n"=HYPERLINK(""http://evil.example"",""x"")",10,5\n'
        "@SUM(1+1),12,x\n+cmd|' /C calc'!A0,14,6\n",
        encoding="utf-8",
    )
    tab = sessions()
    tab.goto(app_url + "/my_facility")
    wait_for_app(tab, TIMEOUT_MS)
    _upload(tab, hostile)
    grids = tab.locator("[data-testid='stDataFrame']:visible")
    grids.nth(1).wait_for(timeout=TIMEOUT_MS)  # a grid draws after the run ends, later under load
    assert grids.count() >= 2  # the rejected rows and the dataset list
    exported = []
    for i in range(grids.count()):
        exported += [cell for row in _toolbar_csv(tab, grids.nth(i)) for cell in row]
    risky = [cell for cell in exported if cell.startswith(FORMULA_PREFIXES)]
    assert not risky, risky
    assert "'-cmd" in exported and "'@SUM(1+1)" in exported  # the text is kept, quoted
    _no_exception(tab)


# --- 2: two sessions saving a scenario under the same new name ----------------------------


def test_sessions_saving_one_new_scenario_name_at_once_all_get_a_clear_outcome(app_url, sessions) -> None:
    tabs = [sessions() for _ in range(3)]
    for tab in tabs:
        tab.goto(app_url + "/planner")
    for round_no in range(4):
        name = f"race {uuid.uuid4().hex[:8]}"
        for tab in tabs:
            wait_for_app(tab, TIMEOUT_MS)
            box = tab.get_by_label("Scenario name")
            box.fill(name)
            box.press("Enter")
        for tab in tabs:
            wait_for_app(tab, TIMEOUT_MS)
        _click_together(tabs, "Save current inputs")
        for tab in tabs:
            _no_exception(tab)
            alert = tab.locator("[data-testid='stAlert']", has_text=re.compile("scenario")).first
            alert.wait_for(timeout=TIMEOUT_MS)
            assert re.search(f"(Saved|Updated) scenario {name}", alert.inner_text()), (round_no, alert.inner_text())


# --- 3: concurrent "Save to shared workspace" -----------------------------------------------


def test_concurrent_saves_to_the_shared_workspace_keep_names_unique(app_url, sessions) -> None:
    for _round in range(2):
        name = f"race-{uuid.uuid4().hex[:8]}"
        tabs = [sessions() for _ in range(3)]
        for tab in tabs:
            tab.goto(app_url + "/my_facility")
            wait_for_app(tab, TIMEOUT_MS)
            _upload(tab, SAMPLE)
            _rename(tab, name)  # the same name in three private workspaces
        _click_together(tabs, "Save to shared workspace")
        saved = [tab.get_by_text("Shared: every session and the command line see it.").count() for tab in tabs]
        refused = [tab.get_by_text("already has a dataset named").count() for tab in tabs]
        assert sorted(zip(saved, refused)) == [(0, 1), (0, 1), (1, 0)], (saved, refused)
        for tab in tabs:
            _no_exception(tab)
        viewer = sessions()
        viewer.goto(app_url + "/my_facility")
        wait_for_app(viewer, TIMEOUT_MS)
        rows = _toolbar_csv(viewer, viewer.locator("[data-testid='stDataFrame']:visible").first)
        assert sum(1 for row in rows if row[:1] == [name] and "shared" in row) == 1, rows


# --- 8: "Download report" after another session deleted the chosen dataset ----------------


def test_download_report_says_so_when_the_chosen_dataset_was_deleted(app_url, sessions) -> None:
    name = f"gone-{uuid.uuid4().hex[:8]}"
    owner, other = sessions(), sessions()
    owner.goto(app_url + "/my_facility")
    wait_for_app(owner, TIMEOUT_MS)
    _upload(owner, SAMPLE)
    _rename(owner, name)
    owner.get_by_role("button", name="Save to shared workspace").click()
    wait_for_app(owner, TIMEOUT_MS)
    owner.goto(app_url + "/report")
    wait_for_app(owner, TIMEOUT_MS)
    _choose(owner, "Uploaded facility dataset", f"{name} (racks, shared)")
    assert owner.get_by_text(f"Your facility: {name}").count() >= 1

    other.goto(app_url + "/my_facility")
    wait_for_app(other, TIMEOUT_MS)
    _choose(other, "Dataset to compare", f"{name} · Rack inventory")
    _open_actions(other)
    other.get_by_text("Yes, delete this dataset and its rejected rows").click()
    wait_for_app(other, TIMEOUT_MS)
    other.get_by_role("button", name="Delete").click()
    wait_for_app(other, TIMEOUT_MS)

    with owner.expect_download(timeout=TIMEOUT_MS) as download:
        owner.get_by_role("button", name=re.compile("Download report")).click()
    document = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Not in this report" in document and "The facility dataset you chose is not included" in document
    _no_exception(owner)


# --- 5: an upload is released from the server's memory once it is stored ------------------


def _upload_store_bytes(app_url: str) -> int:
    """Bytes the server's upload store holds, from Streamlit's metrics endpoint (absent when empty)."""
    import urllib.request

    with urllib.request.urlopen(f"{app_url}/_stcore/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in text.splitlines()
        if "UploadedFileManager" in line and not line.startswith("#")
    )


def test_a_stored_upload_is_released_from_the_servers_memory(app_url, sessions) -> None:
    tab = sessions()
    tab.goto(app_url + "/my_facility")
    wait_for_app(tab, TIMEOUT_MS)
    _upload(tab, SAMPLE)
    assert _upload_store_bytes(app_url) == 0
    _no_exception(tab)
