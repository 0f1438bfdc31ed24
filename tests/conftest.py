"""Shared fixtures. Every test session works on its own temporary database file.

``FACTORY_DB`` is pointed at a fresh temporary file before any test runs, so the
suite never touches ``data/factory.duckdb`` and xdist workers never share a file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ["FACTORY_DB"] = str(Path(tempfile.mkdtemp(prefix="factory-test-")) / "test.duckdb")
# The live-Prometheus tests pull from servers on this host (factorycore.userdata.prometheus.HOSTS_ENV).
os.environ.setdefault("FACTORY_PROMETHEUS_HOSTS", "127.0.0.1")
os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")

from devkit.server import CHROMIUM, CHROMIUM_ARGS, ServerError, streamlit_server  # noqa: E402

# Fixtures that start a real server (PostgreSQL, Prometheus): a test using one is marked
# `server`, so `make test-fast` (-m "not server") leaves it out. A test that reaches one
# through request.getfixturevalue carries the mark itself (a marked fixture param).
SERVER_FIXTURES = frozenset({"postgres", "team_url", "prometheus_url"})


@pytest.hookimpl(tryfirst=True)  # before -m deselects, so the mark counts
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.server)


@pytest.fixture(scope="session")
def ref_con():
    """The session's shared connection with the reference tables built."""
    from factorycore import db

    return db.shared_connection()


@pytest.fixture
def fresh_db(tmp_path: Path):
    """A brand-new database file with `ref` built, closed after the test."""
    from factorycore import db

    con = db.open_database(tmp_path / "fresh.duckdb")
    yield con
    con.close()


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("REQUIRE_BROWSER is set but /usr/bin/chromium is missing (apt-get install chromium)")
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium, which kaleido drives to draw PNG and SVG (skipped without it, failed in CI)."""
    _require_chromium()
    return CHROMIUM


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice (Debian's libreoffice-impress) and pdftoppm, to render a deck as a person would see it."""
    import shutil

    found = shutil.which("soffice")
    if found and shutil.which("pdftoppm"):
        return found
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(
            "REQUIRE_BROWSER is set but soffice or pdftoppm is missing "
            "(apt-get install libreoffice-impress poppler-utils)"
        )
    pytest.skip("rendering a deck needs soffice and pdftoppm (apt-get install libreoffice-impress poppler-utils)")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `streamlit run app.py` on a free localhost port, with its own database."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("server")
    try:
        with streamlit_server("app.py", folder / "server.duckdb", folder / "streamlit.log") as url:
            yield url
    except ServerError as exc:
        pytest.fail(str(exc))


# The live-Prometheus tests' series: 4 hosts x 8 GPUs, every 15 s for 2 h ending an hour ago.
PROM_HOSTS = ("gpu-node-01", "gpu-node-02", "gpu-node-03", "gpu-node-04")
PROM_RACKS = {"gpu-node-01": "B01", "gpu-node-02": "B01", "gpu-node-03": "B02", "gpu-node-04": "B02"}
PROM_GPUS, PROM_STEP_S, PROM_SAMPLES = 8, 15, 480


@pytest.fixture(scope="session")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A real Prometheus (Debian's binary, never its service) on 127.0.0.1 with DCGM series backfilled."""
    import time

    from devkit.prometheus import PROMETHEUS, PROMTOOL, dcgm_openmetrics, prometheus_server

    if not (PROMETHEUS.exists() and PROMTOOL.exists()):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but prometheus/promtool are missing (apt-get install prometheus)")
        pytest.skip("live-Prometheus tests need Debian's prometheus package (apt-get install prometheus)")
    folder = tmp_path_factory.mktemp("prometheus")
    start_s = (int(time.time()) // 3600 - 3) * 3600
    source = folder / "dcgm.om"
    dcgm_openmetrics(
        source,
        hosts=list(PROM_HOSTS),
        gpus=PROM_GPUS,
        start_s=start_s,
        samples=PROM_SAMPLES,
        step_s=PROM_STEP_S,
        racks=PROM_RACKS,
    )
    try:
        with prometheus_server(folder, source) as url:
            yield {"url": url, "start_s": start_s, "end_s": start_s + (PROM_SAMPLES - 1) * PROM_STEP_S}
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL (Debian's binaries, a private cluster) on 127.0.0.1 for the team-store tests."""
    from devkit.postgres import bin_dir, postgres_server

    if bin_dir() is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but PostgreSQL is missing (apt-get install postgresql)")
        pytest.skip("team-store tests need Debian's postgresql package (apt-get install postgresql)")
    try:
        with postgres_server() as server:
            yield server
    except ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def team_url(postgres, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database on the test server, set as ``FACTORY_STORE`` for this test (and its subprocesses)."""
    import uuid

    import psycopg

    from factorycore import db, pgstore

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = postgres.url.rsplit("/", 1)[0] + "/" + name
    monkeypatch.setenv("FACTORY_STORE", url)
    yield url
    pgstore.close_all()
    with db._shared_lock:
        stale = db._shared.pop(db.MEMORY, None)
    if stale is not None:
        stale.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS))
        yield instance
        instance.close()


@pytest.fixture
def page(browser, tmp_path: Path):
    """A fresh browser page (own context: no shared cookies or session) that accepts downloads."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()
