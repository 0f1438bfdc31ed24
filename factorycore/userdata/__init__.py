"""An operator's own data: kinds (one spec each), detection, ingest, the catalog and aggregations.

``kinds`` says what each dataset kind holds; ``detect`` reads a file's first bytes;
``ingest`` validates and stores it in one transaction; ``catalog`` names, shares and
deletes stored datasets; ``aggregate`` computes what the site views draw, in DuckDB.
"""
