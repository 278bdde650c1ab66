"""tracuu's page server: `streamlit run app.py` (or `make run`).

The page itself is `page/main.py`; this file is the server around it: Streamlit's ASGI app with one
middleware in front, `page.gate.UploadGate`, so that only a session that has given the admin password can
send files (Streamlit would otherwise hold any visitor's uploads in memory). Settings come from the
environment (see page/config.py) and `.streamlit/config.toml` beside this file.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from page.gate import UploadGate

app = st.App(Path(__file__).resolve().parent / "page" / "main.py", middleware=[Middleware(UploadGate)])
