"""The only layer that imports Streamlit: cached queries, chart builders and widgets."""
