"""Cloud providers as data: ThermoWorks (US), ETI (UK/international) or any base URL.

A provider is the Firebase web app the browser app uses (API key, app id, referer, project id)
plus the base URLs of the three Google services. A custom provider puts all three services
under one base URL, which is how the client talks to the local simulator or a mirror.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from yarl import URL


@dataclass(frozen=True, kw_only=True)
class Provider:
    """Where and as whom the client talks to a ThermoWorks-style Firebase cloud."""

    key: str
    name: str
    api_key: str
    app_id: str
    project_id: str | None
    """None: ask Firebase's webConfig for it once (ETI's is not public)."""
    referer: str
    config_url: str = "https://firebase.googleapis.com"
    identity_url: str = "https://identitytoolkit.googleapis.com"
    token_url: str = "https://securetoken.googleapis.com"  # noqa: S105 - a URL, not a secret
    firestore_url: str = "https://firestore.googleapis.com"

    @property
    def web_config_url(self) -> URL:
        """Firebase's web-app configuration (gives the project id)."""
        return URL(self.config_url) / "v1alpha/projects/-/apps" / self.app_id / "webConfig"

    @property
    def sign_in_url(self) -> URL:
        """Identity Toolkit's e-mail/password sign-in."""
        return URL(self.identity_url) / "v1" / "accounts:signInWithPassword"

    @property
    def refresh_url(self) -> URL:
        """Secure Token's refresh endpoint."""
        return URL(self.token_url) / "v1" / "token"


def documents_path(project_id: str) -> str:
    """The root of Firestore document names for a project, as used in batchGet and answers."""
    return f"projects/{project_id}/databases/(default)/documents"


THERMOWORKS: Final = Provider(
    key="thermoworks",
    name="ThermoWorks Cloud",
    api_key="AIzaSyCf079iccUFc1k7VHdGXng22zXDy8Y3KEY",
    app_id="1:78998049458:web:b41e9d405d8c7de95eefab",
    project_id="thermoworks-cloud-production",
    referer="https://cloud.thermoworks.com/",
)

# ETI Cloud (cloud.etiltd.com) runs the same schema on its own Firebase app. Its key and app id
# are public (the web app ships them); its project id is read from webConfig at first use.
ETI: Final = Provider(
    key="eti",
    name="ETI Cloud",
    api_key="AIzaSyBD4snlT2LllO4k0NywX5qYjJ7M7WfU4_I",
    app_id="1:701566661301:web:7a9bc711c05985ead144fc",
    project_id=None,
    referer="https://cloud.etiltd.com/",
)

PROVIDERS: Final[dict[str, Provider]] = {THERMOWORKS.key: THERMOWORKS, ETI.key: ETI}


def custom_provider(base_url: str, *, template: Provider = THERMOWORKS) -> Provider:
    """A provider whose three services all live under ``base_url`` (simulator, mirror)."""
    url = URL(base_url)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"not an http(s) URL: {base_url!r}")
    base = str(url).rstrip("/")
    return replace(
        template,
        key="custom",
        name=f"Custom endpoint ({url.host})",
        config_url=base,
        identity_url=base,
        token_url=base,
        firestore_url=base,
    )
