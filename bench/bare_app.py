"""The baseline app for the first-paint and interaction benchmarks: one widget, one chart.

It is what any Streamlit app pays at the least - the server, the page shell and one
Plotly chart - so a ratio against it measures only the dashboard's own work. The
chart is about the size of the overview's first chart (ten scatter traces of seven
to eight points, 560 px high, a title, hover text); it imports nothing from the project.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Bare one-chart app", layout="wide")

YEARS = list(range(2020, 2027))
scale = st.toggle("Double the values", value=False, key="bare-scale")
factor = 2.0 if scale else 1.0

fig = go.Figure()
for i in range(10):
    base = 5.0 + 6.0 * i
    fig.add_trace(
        go.Scatter(
            x=YEARS,
            y=[factor * base * (1 + 0.2 * k) for k in range(len(YEARS))],
            mode="lines+markers" if i % 2 else "lines",
            name=f"series {i + 1}",
            hovertemplate="%{x}: %{y:.1f} kW<extra></extra>",
        )
    )
fig.update_layout(title="Ten series, kW per rack (2020-2026)", height=560, yaxis_title="kW per rack")
st.plotly_chart(fig, key="bare_chart")
