"""Electronic signatures for city letters and decrees: PAdES signing with pyHanko, keys on
PKCS#12 files or PKCS#11 tokens, a sequential signing workflow, verification reports and a
hash-chained audit trail.

A domain package: no Flask, nothing else of ours. It declares the ports it needs
(:mod:`signer.ports`); ``api`` wires in storage and the database. Modules, one job each:

- :mod:`signer.pki`: the city-internal test PKI (root, officials, TSA, CRL);
- :mod:`signer.keys`: where keys live (PKCS#12, PKCS#11);
- :mod:`signer.trust` and :mod:`signer.config`: trusted roots, revocation data, the TSA;
- :mod:`signer.signing`: one signature on one PDF; :mod:`signer.validation`: the report;
- :mod:`signer.workflow`: documents with ordered signers; :mod:`signer.audit`: the hash chain.
"""
