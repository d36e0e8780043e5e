"""Behambinan marketplace domain: accounts, stores, catalog (and later checkout and orders).

Nothing here knows about HTTP. Functions take plain arguments and a unit of work, and return
domain objects or raise a :mod:`commerce.errors` error that the API layer maps to a problem
response.
"""
