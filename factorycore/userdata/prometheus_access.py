"""The operator's credentials and TLS settings for each Prometheus server, read from the secrets file.

A Prometheus-compatible server behind a proxy (Thanos, Mimir, VictoriaMetrics, a gateway)
often asks for a bearer token or a user and password. They never come from a URL a user
types (:func:`prometheus.parse_target` refuses credentials in it): the operator writes them
in the secrets file Streamlit reads (``.streamlit/secrets.toml``), one table per server::

    [prometheus."thanos.example.com:443"]   # "host:port", or "host" for any port
    bearer_token = "..."                    # or: username = "..." and password = "..."
    ca_file = "/etc/ssl/private-ca.pem"     # a private CA; optional
    verify_tls = true                       # the default; false turns verification off

The file is ``FACTORY_SECRETS_FILE`` when set, else ``~/.streamlit/secrets.toml`` and then
``.streamlit/secrets.toml`` of the working directory (the latter wins, as in Streamlit). The
app and the command line read the same file. Credentials travel only over https, or plain
http to this machine itself (a loopback address): anything else is refused, never sent.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import ssl
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECRETS_ENV = "FACTORY_SECRETS_FILE"
SECTION = "prometheus"


class AccessError(ValueError):
    """The secrets for a server cannot be used as written; the message names the fix."""


@dataclass(frozen=True)
class Access:
    """How to reach one server: an ``Authorization`` header (or none) and TLS verification."""

    authorization: str | None = None
    verify_tls: bool = True
    ca_file: str | None = None

    @property
    def kind(self) -> str:
        """'bearer token', 'user and password' or 'none': what the dataset's details may show."""
        if self.authorization is None:
            return "none"
        return "bearer token" if self.authorization.startswith("Bearer ") else "user and password"

    def ssl_context(self) -> ssl.SSLContext:
        """Verification on (system CAs, or ``ca_file``) unless the operator turned it off."""
        if not self.verify_tls:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        return ssl.create_default_context(cafile=self.ca_file)


def secrets_files() -> list[Path]:
    """The files read, lowest precedence first."""
    named = os.environ.get(SECRETS_ENV, "").strip()
    if named:
        return [Path(named)]
    return [Path.home() / ".streamlit" / "secrets.toml", Path.cwd() / ".streamlit" / "secrets.toml"]


def _servers() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in secrets_files():
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise AccessError(f"the secrets file {path} cannot be read ({exc}); fix it or remove it") from None
        section = data.get(SECTION, {})
        if isinstance(section, dict):
            merged.update({str(k).lower(): v for k, v in section.items()})
    return merged


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def for_server(scheme: str, host: str, port: int) -> Access:
    """The access configured for ``host:port`` (else for ``host``); none configured: no credentials, TLS
    verified. Raises :class:`AccessError` for a half-written entry or credentials that would go out in clear."""
    servers = _servers()
    where = f"{host}:{port}"
    entry = servers.get(where.lower(), servers.get(host.lower()))
    if entry is None:
        return Access()
    if not isinstance(entry, dict):
        raise AccessError(f'[{SECTION}."{where}"] in the secrets must be a table of settings')
    token, user, password = entry.get("bearer_token"), entry.get("username"), entry.get("password")
    if token and (user or password):
        raise AccessError(f'[{SECTION}."{where}"] gives both a bearer token and a user; keep one')
    if (user is None) != (password is None):
        raise AccessError(f'[{SECTION}."{where}"] needs both username and password')
    authorization = None
    if token:
        authorization = f"Bearer {str(token).strip()}"
    elif user is not None:
        pair = f"{user}:{password}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode("ascii")
    if authorization is not None and scheme != "https" and not _loopback(host):
        raise AccessError(
            f"credentials for {where} would travel unencrypted over http; give the server's https URL "
            "(credentials go over plain http only to this machine itself)"
        )
    verify = entry.get("verify_tls", True)
    if not isinstance(verify, bool):
        raise AccessError(f'[{SECTION}."{where}"] verify_tls must be true or false')
    ca_file = entry.get("ca_file")
    if ca_file is not None and not Path(str(ca_file)).is_file():
        raise AccessError(f'[{SECTION}."{where}"] ca_file {str(ca_file)!r} is not a file on this server')
    return Access(authorization, verify, None if ca_file is None else str(ca_file))


__all__ = ["SECRETS_ENV", "Access", "AccessError", "for_server", "secrets_files"]
