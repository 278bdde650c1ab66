"""The Streamlit page's parts: settings, highlighting, uploads, and one module per view.

`main.py` is the page script that wires them together (`app.py` at the top of the repo serves it);
everything here is plain functions so the logic that is not drawing (names, highlighting, CSV) is tested
without a browser.
"""
