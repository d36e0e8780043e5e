"""Rendering the storefront's pages: one Jinja2 environment, autoescaping everything.

Seller-written text (product and store names, descriptions, opening hours) only ever reaches a
page through Jinja2's autoescape or, in the scripts, ``textContent``: a product called
``<img src=x onerror=alert(1)>`` shows as those characters.

Every page carries its Content-Security-Policy in a ``<meta>`` tag, so that it holds wherever
the files are served from (a bucket behind a CDN sends no headers of ours); the demo server
and the nginx config send the same policy as a header, with ``frame-ancestors``, which a meta
tag cannot carry.
"""

from __future__ import annotations

from functools import cache
from typing import Callable, NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sites.common.assets import Assets
from sites.common.policy import content_security_policy as policy, origin_of

__all__ = ["SiteSettings", "environment", "content_security_policy", "rupiah"]


class SiteSettings(NamedTuple):
    """What a build needs to know about where things live."""

    api_base: str  # "" when the API answers on the storefront's own origin
    public_url: str  # the storefront's own address, for canonical and Open Graph URLs
    media_url: Callable[[str], str]  # storage key of a picture -> its public URL
    links: tuple[tuple[str, str], ...] = ()  # the city's other pages, in the footer


def rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def content_security_policy(settings: SiteSettings) -> str:
    return policy(api_base=settings.api_base, picture_url=settings.media_url("x"))


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("sites.storefront", "templates"),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rupiah"] = rupiah
    return env


def page_globals(settings: SiteSettings, assets: Assets) -> dict:
    """What every template may call: asset URLs, picture URLs, absolute URLs, the site."""

    def asset(name: str) -> str:
        return assets.urls[name]

    def image_url(image, width: int) -> str:
        # the rendition closest to ``width`` from above, else the widest there is
        fitting = [key for w, key in image.keys if w >= width]
        return settings.media_url(fitting[0] if fitting else image.keys[-1][1])

    def absolute(url: str) -> str:
        return url if origin_of(url) else settings.public_url.rstrip("/") + url

    site = {"api_base": settings.api_base, "public_url": settings.public_url.rstrip("/"), "links": settings.links,
            "csp": content_security_policy(settings)}
    return {"asset": asset, "media": settings.media_url, "image_url": image_url, "absolute": absolute, "site": site}
