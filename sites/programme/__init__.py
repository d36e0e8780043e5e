"""The smart-city programme documentation site (``docs``): the data file city staff edit,
the generators that turn it into pages and charts at build time, the API reference made from
the app's OpenAPI document, and a programmatic build.

MkDocs loads ``hooks.py`` from ``mkdocs.yml``; everything else here is plain Python that
knows nothing of Flask or of the ``api`` package (the app hands us its OpenAPI document as a
dict or a file), so the generators can be tested and reused on their own.
"""
