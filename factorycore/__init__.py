"""factorycore: the AI Factory Dashboard's engine. Usable without Streamlit."""

__version__ = "0.1.0"
