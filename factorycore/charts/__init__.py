"""Plotly figure builders: plain data in, ``plotly.graph_objects.Figure`` out.

No builder touches the database or Streamlit, so each can be tested, exported
and reused by the report.
"""
