"""COVID-19 and bansos transparency: the data layer behind the public site.

City staff export spreadsheets (CSV or XLSX) of bansos recipients and daily COVID-19 figures
per kecamatan; :mod:`.importer` validates every row against the published Table Schemas in
``schemas/`` and imports a file all or nothing, keeping a history of imports. :mod:`.privacy`
holds what keeps personal data off the public site: name masking, text scrubbing and a leak
scanner for built sites. :mod:`.site` builds the public site from the imported rows, and
:mod:`.demo` makes synthetic data for the demo and the benchmark.
"""
