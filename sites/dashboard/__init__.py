"""The seller dashboard: a static app at ``/seller/`` for a UMKM to run its shop, its orders and
its counter from a phone or a market-stall tablet.

Pages are plain HTML shells (:mod:`sites.dashboard.build`); small ES modules of our own
(``static/js``) do the work through the API, logged in with the dashboard's HttpOnly session
cookie and a CSRF token kept in memory (``api/sessions.py``). Everything a seller reads is in
Bahasa Indonesia, with words sellers use.
"""

from sites.dashboard.build import DashboardSettings, build_dashboard

__all__ = ["DashboardSettings", "build_dashboard"]
