"""The Content-Security-Policy of the city's browser apps: scripts and styles from the site
itself only (no inline script, no eval), pictures from the site and the picture host, requests
to the site and the API only, no framing (sent as a header; a meta tag cannot carry it)."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["origin_of", "content_security_policy"]


def origin_of(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(*, api_base: str, picture_url: str, extra_images: tuple[str, ...] = ()) -> str:
    """``picture_url``: any picture's URL (its origin is what matters); ``extra_images``: e.g.
    ``blob:`` for a camera picture previewed before upload."""
    images = " ".join(dict.fromkeys(filter(None, ["'self'", origin_of(picture_url), *extra_images])))
    connect = " ".join(dict.fromkeys(filter(None, ["'self'", origin_of(api_base)])))
    return (f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; connect-src {connect}; "
            "form-action 'self'; base-uri 'none'; manifest-src 'self'")
