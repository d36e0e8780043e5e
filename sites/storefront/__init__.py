"""The Behambinan storefront: a static site for shoppers, built from the catalog.

Pages are pre-rendered (:mod:`sites.storefront.build`) from a snapshot of the catalog
(:mod:`sites.storefront.catalog`); a few small ES modules of our own (``static/js``) call the API
for what must be live: availability, the cart's prices, checkout and order tracking. The site is
published like every other site (``sites.publish``) and kept fresh by the worker
(:mod:`sites.storefront.refresh`).
"""

from sites.storefront.build import BuildSummary, build_storefront, rebuild_storefront
from sites.storefront.render import SiteSettings

__all__ = ["BuildSummary", "SiteSettings", "build_storefront", "rebuild_storefront"]
