"""Models: forecasting, discharge scenarios and budget outturn. Pure functions, no Streamlit."""
