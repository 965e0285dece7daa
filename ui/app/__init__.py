"""The Streamlit app: the process owner's workbench (``l2c ui``)."""
