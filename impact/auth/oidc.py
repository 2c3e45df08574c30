"""Sign-in through the trust's Microsoft 365 or Google Workspace (OpenID Connect).

Streamlit's `st.login` does the OpenID Connect exchange; it reads `.streamlit/secrets.toml`:

    [auth]
    redirect_uri = "https://impact.example-trust.org.uk/oauth2callback"
    cookie_secret = "a long random string"

    [auth.microsoft]
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://login.microsoftonline.com/TENANT_ID/v2.0/.well-known/openid-configuration"

    [auth.google]
    client_id = "..."
    client_secret = "..."
    server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"

Each `[auth.NAME]` section is one "Sign in with …" button. The person the provider vouches for
is matched by e-mail address to an account in the store (`accounts.sign_in_with_provider`),
which decides their role: the provider proves who someone is, the store says what they may do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LABELS = {"microsoft": "Microsoft 365", "google": "Google Workspace"}


@dataclass(frozen=True)
class Provider:
    name: str  # the [auth.NAME] section, passed to st.login(NAME)
    label: str
    issuer_prefix: str  # the start of its metadata URL, to tell which one signed someone in


def providers(auth_section: Mapping[str, Any] | None) -> list[Provider]:
    """The providers configured under [auth] in the secrets, in the order written."""
    found = []
    for name, value in (auth_section or {}).items():
        if isinstance(value, Mapping) and "client_id" in value:
            url = str(value.get("server_metadata_url", ""))
            prefix = url.split("/.well-known/")[0]
            found.append(Provider(name, LABELS.get(name.lower(), name.replace("_", " ").title()),
                                  prefix))
    return found


def provider_of(claims: Mapping[str, Any], configured: list[Provider]) -> str:
    """Which configured provider issued these claims (by issuer), else the first, else oidc."""
    issuer = str(claims.get("iss") or "").rstrip("/")
    for provider in configured:
        if issuer and provider.issuer_prefix.rstrip("/").startswith(issuer):
            return provider.name
    return configured[0].name if len(configured) == 1 else "oidc"
