"""Where the page reads and writes (or which API it asks), and who may change the corpus: all from the
environment."""

from __future__ import annotations

from pathlib import Path

from ingest.readers import SUFFIXES
from tracuu import config

ALLOWED_SUFFIXES = SUFFIXES  # the readers' own list: an upload is a file `tracuu ingest` reads
DEFAULT_MAX_UPLOAD_MB = 20  # when the server was started without tracuu's .streamlit/config.toml


def index_dir() -> Path:
    return Path(config.index_dir())


def corpus_dir() -> Path:
    return Path(config.corpus_dir())


def api_url() -> str | None:
    """TRACUU_API: the address of a running `tracuu serve` the page asks instead of loading the index
    itself (page/source.py); None when unset, the default."""
    return config.api_url()


def model_name() -> str:
    """The embedder for a first build; later loads follow what the manifest says."""
    from index.embedders import DEFAULT_MODEL

    return config.model_name() or DEFAULT_MODEL


def max_upload_bytes() -> int:
    """The one upload limit: Streamlit's `server.maxUploadSize` (MB), which its upload endpoint enforces
    while the bytes stream in. `.streamlit/config.toml` sets it to 20; an operator changes it there, with
    `--server.maxUploadSize` or with STREAMLIT_SERVER_MAX_UPLOAD_SIZE, and the page's check follows."""
    from streamlit import config

    if not config.is_manually_set("server.maxUploadSize"):
        # Started without our config file: Streamlit's default is 200 MB; hold it to ours instead.
        config.set_option("server.maxUploadSize", DEFAULT_MAX_UPLOAD_MB, "tracuu page/config.py")
    return int(float(config.get_option("server.maxUploadSize")) * 1024 * 1024)


def admin_password() -> str | None:
    """The administrators' password, or None when none is configured (then nobody may upload)."""
    env = config.admin_password()
    if env:
        return env
    try:
        import streamlit as st

        value = st.secrets.get("admin_password")
    except Exception:  # no secrets.toml at all is the normal case, not an error
        return None
    return str(value) if value else None
