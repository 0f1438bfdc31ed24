"""Start a local OpenID Connect provider (the ``oidc-provider-mock`` package) for sign-in tests.

It is a real provider: discovery document, authorization form, token endpoint and
signed ID tokens, so Streamlit's ``st.login`` runs its whole flow against it. Its
sign-in form lists the predefined users as buttons; any client id and secret are
accepted. It listens on 127.0.0.1 over plain HTTP, which the package allows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from devkit.server import free_port, stop, wait_ready

DISCOVERY = "/.well-known/openid-configuration"


@contextmanager
def oidc_provider(users: Sequence[str | dict], log: Path) -> Iterator[str]:
    """Serve a provider whose sign-in form offers ``users``; yield its URL.

    A text user is an e-mail that is also the subject, with ``email_verified: true``; a dict
    is the user's claims as given (it must have ``sub``), e.g. an unverified e-mail.
    """
    port = free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for user in users:
        claims = {"sub": user, "email": user, "email_verified": True} if isinstance(user, str) else user
        args += ["--user-claims", json.dumps(claims)]
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url + DISCOVERY, proc, log, "oidc-provider-mock")
        yield url
    finally:
        stop(proc)


def auth_secrets(provider_url: str, app_url: str, cookie_secret: str) -> str:
    """The ``[auth]`` section of a ``secrets.toml`` that signs in to ``app_url`` through the provider."""
    return (
        f'[auth]\nredirect_uri = "{app_url}/oauth2callback"\ncookie_secret = "{cookie_secret}"\n'
        'client_id = "ai-factory-dashboard"\nclient_secret = "local-test-secret"\n'
        f'server_metadata_url = "{provider_url}{DISCOVERY}"\n'
    )
