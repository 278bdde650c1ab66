"""Untrusted text on the page: documents, file names, queries and the address bar are data, never markup.

Streamlit renders Markdown in `st.markdown`, captions, headers, alerts and progress labels; a title holding
`![x](http://host/p.png)` made every visitor's browser fetch that image. `md` makes a string literal
Markdown text: every ASCII punctuation character is backslash-escaped (CommonMark allows an escape
before any of them, and an escaped character opens no image, link, emphasis, HTML or math), and the
places where GitHub-flavoured Markdown turns bare text into a link ("http://", "www.", "a@b.c"), which it
finds even through escapes, get an invisible word joiner (U+2060) so the text reads the same and links
nowhere. HTML goes through `html.escape`; nothing from a document or a visitor is put inside a script.
"""

from __future__ import annotations

import re
import string

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?=@)")
_JOINER = "\u2060"


def md(text: object) -> str:
    """`text` as literal Markdown: shown as written, nothing rendered, linked or fetched."""
    return _PUNCT.sub(r"\\\1", _AUTOLINK.sub(_JOINER, str(text)))
