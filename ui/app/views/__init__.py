"""One module per page of the app, each with a ``render()`` function.

(Not called ``pages``: Streamlit would take a ``pages/`` folder next to the entry script for
its legacy multipage app.)
"""
