"""The operator's credentials and TLS settings for a Prometheus server, from the secrets file, against a real
Prometheus on 127.0.0.1 that asks for a user and password (its ``--web.config.file``), over plain http and
over https with a certificate of its own; a bearer token against a real HTTP server that checks it."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import ssl
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from devkit.prometheus import PROMETHEUS, PROMTOOL, dcgm_openmetrics
from devkit.server import free_port, stop
from factorycore.userdata import prom_pushdown, prometheus, prometheus_access

USER, PASSWORD = "factory", "factory-test-pass"
# bcrypt of PASSWORD at the lowest cost (4), so the server checks it quickly.
PASSWORD_HASH = "$2b$04$PGCnuvKseepxpbjhX6VcK.boUi44ZtgpR8EMznmLkFpxdVJXV.nle"
LOCAL = ["127.0.0.1"]
STEP_S, SAMPLES = 15, 40

pytestmark = pytest.mark.server


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@contextmanager
def _secured(folder: Path, tls: bool) -> Iterator[dict]:
    """A Prometheus asking for USER and PASSWORD (and serving https with a self-signed certificate when ``tls``)."""
    if not (PROMETHEUS.exists() and PROMTOOL.exists()):
        pytest.skip("needs Debian's prometheus package (apt-get install prometheus)")
    folder.mkdir(parents=True, exist_ok=True)
    start_s = (int(time.time()) // 3600 - 2) * 3600
    source = folder / "dcgm.om"
    dcgm_openmetrics(source, hosts=["gpu-a"], gpus=2, start_s=start_s, samples=SAMPLES, racks={"gpu-a": "R1"})
    tsdb = folder / "tsdb"
    subprocess.run([str(PROMTOOL), "tsdb", "create-blocks-from", "openmetrics", str(source), str(tsdb)], check=True,
                   capture_output=True)  # fmt: skip
    web = [f"basic_auth_users:\n  {USER}: {PASSWORD_HASH}\n"]
    cert = None
    if tls:
        cert, key = _certificate(folder)
        web.append(f"tls_server_config:\n  cert_file: {cert}\n  key_file: {key}\n")
    (folder / "web.yml").write_text("".join(web))
    (folder / "prometheus.yml").write_text("global:\n  scrape_interval: 1h\nscrape_configs: []\n")
    port = free_port()
    log = (folder / "prometheus.log").open("w")
    proc = subprocess.Popen(
        [str(PROMETHEUS), f"--config.file={folder / 'prometheus.yml'}", f"--storage.tsdb.path={tsdb}",
         f"--web.listen-address=127.0.0.1:{port}", f"--web.config.file={folder / 'web.yml'}",
         "--storage.tsdb.retention.time=100y"],
        stdout=log, stderr=subprocess.STDOUT, cwd=folder,
    )  # fmt: skip
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    context = ssl.create_default_context(cafile=str(cert)) if cert else None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(f"{url}/-/ready", headers={"Authorization": auth})
                with urllib.request.urlopen(request, timeout=2, context=context) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((folder / "prometheus.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        yield {"url": url, "start_s": start_s, "end_s": start_s + (SAMPLES - 1) * STEP_S, "cert": cert}
    finally:
        stop(proc, 15.0)
        log.close()


def _secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, **entry: object) -> None:
    host_port = url.split("://", 1)[1]
    lines = [f'[prometheus."{host_port}"]'] + [f"{k} = {json.dumps(v)}" for k, v in entry.items()]
    path = tmp_path / "secrets.toml"
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv(prometheus_access.SECRETS_ENV, str(path))


def _figures(server: dict) -> prom_pushdown.LiveFigures:
    return prom_pushdown.live_figures(
        server["url"], _utc(server["start_s"]), _utc(server["end_s"]), allowed_hosts=LOCAL, timeout_s=5
    )


def test_basic_auth_over_http_to_this_machine(tmp_path, monkeypatch):
    monkeypatch.setenv(prometheus_access.SECRETS_ENV, str(tmp_path / "none.toml"))
    with _secured(tmp_path / "p", tls=False) as server:
        with pytest.raises(prometheus.PrometheusError, match=r"asks for credentials.*\(HTTP 401\)"):
            _figures(server)
        _secrets(tmp_path, monkeypatch, server["url"], username=USER, password="wrong")
        with pytest.raises(prometheus.PrometheusError, match=r"\(HTTP 401\)"):
            _figures(server)
        _secrets(tmp_path, monkeypatch, server["url"], username=USER, password=PASSWORD)
        live = _figures(server)
        # Two GPUs of host 0: (100 + 0) and (100 + 1) W, +50 W on every other sample: peak 301 W.
        assert list(live.racks["rack_id"]) == ["R1"] and live.site_peak_kw == pytest.approx(0.301)


def test_tls_verified_against_the_operators_ca(tmp_path, monkeypatch):
    with _secured(tmp_path / "p", tls=True) as server:
        _secrets(tmp_path, monkeypatch, server["url"], username=USER, password=PASSWORD)
        with pytest.raises(prometheus.PrometheusError, match="TLS certificate of https://127.0.0.1:.*ca_file"):
            _figures(server)  # self-signed: not trusted by default
        _secrets(tmp_path, monkeypatch, server["url"], username=USER, password=PASSWORD, ca_file=str(server["cert"]))
        assert _figures(server).site_peak_kw == pytest.approx(0.301)
        _secrets(tmp_path, monkeypatch, server["url"], username=USER, password=PASSWORD, verify_tls=False)
        assert _figures(server).site_peak_kw == pytest.approx(0.301)


class _BearerCheck(http.server.BaseHTTPRequestHandler):
    seen: list[str | None] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).seen.append(self.headers.get("Authorization"))
        ok = self.headers.get("Authorization") == "Bearer s3cret-token"
        body = json.dumps({"status": "success", "data": []}).encode() if ok else b""
        self.send_response(200 if ok else 401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_bearer_token(tmp_path, monkeypatch):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _BearerCheck)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        _secrets(tmp_path, monkeypatch, url, bearer_token="s3cret-token")
        # The token was accepted: the server's (empty) answer reaches the product's own message.
        with pytest.raises(prometheus.PrometheusError, match="has no DCGM_FI_DEV_POWER_USAGE series"):
            prom_pushdown.live_figures(url, _utc(0), _utc(3600), allowed_hosts=LOCAL)
        assert _BearerCheck.seen == ["Bearer s3cret-token"]
    finally:
        server.shutdown()


def test_credentials_never_travel_in_clear_and_half_entries_are_refused(tmp_path, monkeypatch):
    _secrets(tmp_path, monkeypatch, "http://prometheus.example:9090", bearer_token="t")
    with pytest.raises(prometheus_access.AccessError, match="unencrypted over http; give the server's https URL"):
        prometheus_access.for_server("http", "prometheus.example", 9090)
    assert prometheus_access.for_server("https", "prometheus.example", 9090).kind == "bearer token"
    _secrets(tmp_path, monkeypatch, "https://prometheus.example:443", username="u")
    with pytest.raises(prometheus_access.AccessError, match="needs both username and password"):
        prometheus_access.for_server("https", "prometheus.example", 443)
    # An unlisted server gets no credentials and verified TLS.
    access = prometheus_access.for_server("https", "other.example", 443)
    assert access.authorization is None and access.verify_tls
