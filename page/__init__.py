"""The Streamlit page's parts: settings, highlighting, uploads, and one module per view.

`app.py` at the top of the repo wires them together; everything here is plain functions so the
logic that is not drawing (names, highlighting, CSV) is tested without a browser.
"""
