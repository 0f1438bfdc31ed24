"""Real-world and hostile facility CSVs, generated on demand (see :mod:`tests.corpus.make`)."""
