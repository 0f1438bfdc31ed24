"""Streamlit-side helpers shared by the pages: cached data access and components.

This package may import Streamlit; factorycore may not. Pages import from here so
no widget pattern is written twice.
"""
