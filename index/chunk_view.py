"""What the model and BM25 see of a chunk: the span, with the context that makes it findable.

The span (`chunk.text`) is what search returns; what is embedded and indexed adds the document's title
and the chunk's heading path in front of it, so a passage that only says "Chủ trì, phối hợp ..." is found
by the name of the body its heading gives. Build (index/build.py) calls these for every chunk; a change
here changes the reader fingerprint, so every file is segmented again (vectors are reused where the
embedded text did not change).
"""

from __future__ import annotations

import re

from index import analyze
from tracuu.types import Chunk


def embed_text(title: str, chunk: Chunk) -> str:
    """What the model sees: title and heading path give the span its context; the span is what is returned."""
    parts = [title.strip()] if title.strip() else []
    heading = chunk.heading.strip()
    if heading and not chunk.text.lstrip().startswith(heading.split(" › ")[-1].strip()):
        parts.append(heading)
    parts.append(chunk.text)
    return "\n".join(parts)


def lexical_parts(title: str, chunk: Chunk) -> tuple[str, list[str]]:
    """(head, paragraphs): the title/heading prefix of the embedded text and the span's paragraphs.

    Chunk tokens are head + all paragraphs; each passage unit is head + one paragraph. pyvi never joins
    words across a blank line, so segmenting the parts gives the same words as segmenting the whole.
    """
    text = embed_text(title, chunk)
    head = text[: len(text) - len(chunk.text)]
    paras = [p for p in re.split(r"\n\s*\n", chunk.text) if p.strip()]
    return head, paras or [chunk.text]


def segment(title: str, chunk: Chunk) -> dict:
    """What tokens.jsonl stores for one chunk: {"head": tokens, "paras": [tokens, ...]}."""
    head, paras = lexical_parts(title, chunk)
    return {"head": analyze.tokens(head) if head.strip() else [], "paras": [analyze.tokens(p) for p in paras]}
