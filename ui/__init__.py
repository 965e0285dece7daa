"""The human interfaces of the planner: the ``l2c`` command line and the Streamlit app."""
