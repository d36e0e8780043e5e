"""The public COVID-19 and bansos transparency site (``smartcity sites build covid``).

The site is generated, not written: :mod:`.data` reads the imported rows and keeps only what
may be published (the privacy model of the methodology page), :mod:`.aggregates` sums them,
:mod:`.pages` writes the Markdown of the few dozen pages MkDocs renders, and :mod:`.lookup` and
:mod:`.opendata` write the data files MkDocs never sees (one small lookup file per kelurahan,
CSV/JSON downloads, ``datapackage.json``). :mod:`.build` runs the steps and ends every build
with the leak check of :class:`sites.transparency.leaks.LeakScanner` over every output byte.

Recipients never get a page of their own: MkDocs renders each page with the whole navigation
and indexes it for search, which does not scale to 100,000 records and would put names into
the site-wide search index.
"""

from sites.transparency.covid_site.build import CovidBuildResult, SiteBuildError, SiteLeakError, build_covid_site

__all__ = ["build_covid_site", "CovidBuildResult", "SiteBuildError", "SiteLeakError"]
