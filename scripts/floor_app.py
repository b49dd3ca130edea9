"""Streamlit alone, for the benchmark's floor rows (scripts/benchmark.py): how long headless Chromium on this
machine takes to show a Streamlit page with nothing of ours on it — a title only, or a title, a 20-row table and
one small Plotly chart — so that the dashboard's own page times can be read against what the framework costs.

    streamlit run scripts/floor_app.py      # then open /?m=text, /?m=both or /?m=click (a box to click)
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

mode = st.query_params.get("m", "text")
st.title("floor")
# "click": the table and the chart are drawn after a click on the box (what a click costs the browser)
if mode == "both" or (mode == "click" and st.checkbox("draw")):
    st.dataframe(pd.DataFrame({"a": range(20), "b": range(20)}))
    st.plotly_chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])))
st.write("done")
