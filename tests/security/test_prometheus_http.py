"""The Prometheus pull against a hostile HTTP server of the test's own, on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import threading
import time
import urllib.parse

import pytest

from devkit.server import free_port
from factorycore.userdata import prometheus
from tests.security.hostile_http import accept_and_close, hostile

LOCAL = ["127.0.0.1"]
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=1)


def _pull(url: str, **kw: object) -> tuple[list, int]:
    kw.setdefault("allowed_hosts", LOCAL)
    return prometheus.pull_series(url, START, END, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "suffix",
    [
        "/internal-admin/delete?all=1#",
        "?query=up#",
        "#frag",
        "/prometheus",
        "/api/v1/admin/tsdb/delete_series?match[]=up&x=",
    ],
)
def test_a_url_with_a_path_query_or_fragment_is_refused_before_any_request(suffix: str):
    with hostile() as server:
        with pytest.raises(prometheus.PrometheusError, match="path, query or fragment"):
            _pull(server.url + suffix)
        assert server.paths == []


def test_credentials_other_schemes_and_unlisted_hosts_are_refused_before_any_request(monkeypatch):
    with hostile() as server:
        port = server.server_address[1]
        with pytest.raises(prometheus.PrometheusError, match="credentials"):
            _pull(f"http://user:pw@127.0.0.1:{port}")
        with pytest.raises(prometheus.PrometheusError, match="not an http"):
            _pull(f"ftp://127.0.0.1:{port}")
        with pytest.raises(prometheus.PrometheusError, match="not among the Prometheus servers"):
            _pull(server.url, allowed_hosts=["prometheus.internal:9090"])
        with pytest.raises(prometheus.PrometheusError, match="not among"):
            _pull(server.url, allowed_hosts=[f"127.0.0.1:{port + 1}"])
        monkeypatch.delenv(prometheus.HOSTS_ENV, raising=False)
        with pytest.raises(prometheus.PrometheusError, match="is off.*FACTORY_PROMETHEUS_HOSTS"):
            prometheus.pull_series(server.url, START, END)
        assert server.paths == []
        monkeypatch.setenv(prometheus.HOSTS_ENV, f"other, 127.0.0.1:{port}")
        with pytest.raises(prometheus.PrometheusError, match="has no DCGM_FI_DEV_POWER_USAGE series"):
            prometheus.pull_series(server.url + "/", START, END)
        assert server.paths


def test_only_the_products_own_api_path_is_requested():
    with hostile() as server:
        with pytest.raises(prometheus.PrometheusError, match="has no"):
            _pull(server.url)
        assert server.paths
        for path in server.paths:
            parts = urllib.parse.urlsplit(path)
            assert parts.path == "/api/v1/query_range"
            assert set(urllib.parse.parse_qs(parts.query)) == {"query", "start", "end", "step"}


def test_the_targets_error_body_is_never_shown():
    with hostile("error_body") as server:
        with pytest.raises(prometheus.PrometheusError) as caught:
            _pull(server.url)
    text = str(caught.value)
    assert "HTTP 400" in text and "did not accept the query" in text
    assert "script" not in text and "secret" not in text and "hunter2" not in text


def test_a_closed_port_and_an_open_port_without_http_read_alike():
    closed = free_port()
    with pytest.raises(prometheus.PrometheusError) as refused:
        _pull(f"http://127.0.0.1:{closed}")
    with accept_and_close() as port, pytest.raises(prometheus.PrometheusError) as dropped:
        _pull(f"http://127.0.0.1:{port}")
    assert str(refused.value).replace(str(closed), "P") == str(dropped.value).replace(str(port), "P")
    assert "refused" not in str(refused.value).lower()


@pytest.mark.parametrize("where", ["ftp://127.0.0.1/etc/passwd", "OTHER/api/v1/query_range?query=up"])
def test_redirects_are_not_followed(where: str):
    with hostile() as other:
        location = where.replace("OTHER", other.url)
        with hostile("redirect", location=location) as server:
            with pytest.raises(prometheus.PrometheusError, match=r"redirect \(HTTP 302\), which is not followed"):
                _pull(server.url)
            assert len(server.paths) == 1
        assert other.paths == []


def test_a_trickling_server_cannot_hold_the_pull_past_its_deadline():
    outcome: dict[str, object] = {}

    def run(url: str) -> None:
        began = time.monotonic()
        try:
            _pull(url, deadline_s=2.0, timeout_s=5.0)
        except prometheus.PrometheusError as exc:
            outcome["error"] = str(exc)
        outcome["took_s"] = time.monotonic() - began

    with hostile("trickle", trickle_s=0.2) as server:
        thread = threading.Thread(target=run, args=(server.url,), daemon=True)
        thread.start()
        thread.join(15)
        assert not thread.is_alive(), "the pull was still held by a server sending a byte every 0.2 s"
    assert "did not answer within 2 s" in str(outcome["error"])
    assert outcome["took_s"] < 5


def test_too_many_series_is_refused_while_the_answer_arrives_with_how_to_narrow_it():
    with hostile("many_series", series=prometheus.MAX_SERIES * 4) as server:
        with pytest.raises(prometheus.PrometheusError) as caught:
            _pull(server.url)
    text = str(caught.value)
    assert f"more than {prometheus.MAX_SERIES:,} series" in text and "label filter" in text
    assert "Hostname=~" in text


def test_too_many_samples_is_refused(monkeypatch):
    monkeypatch.setattr(prometheus, "MAX_SAMPLES", 50)
    with hostile("many_series", series=60) as server:
        with pytest.raises(prometheus.PrometheusError, match="more than 50 samples.*pull fewer hours"):
            _pull(server.url)


def test_a_page_that_is_not_prometheus_is_not_shown():
    with hostile("not_json") as server:
        with pytest.raises(prometheus.PrometheusError) as caught:
            _pull(server.url)
    assert "admin console" not in str(caught.value) and "did not answer with Prometheus JSON" in str(caught.value)
