"""Benchmarks: scripts that print figures and ratios against a same-run baseline.

They are not tests: nothing here asserts a time. ``make bench`` (``python -m bench``)
runs them all; ``python -m bench NAME ...`` runs some.
"""
