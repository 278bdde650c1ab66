"""How much one file may make tracuu read: characters, paragraphs, pages and seconds.

Files are untrusted. A 1.2 MB DOCX of 400,000 tiny paragraphs expanded to 41 million characters and held
an ingest for minutes at 1.8 GB. Every reader works within a `Budget`, checked as it goes (a DOCX is
counted by a streaming pass before it is parsed, a PDF's pages before they are read), so such a file is
refused early, with the bound it broke named. The defaults sit far above any real directive: the largest
text in ../shared, Bộ luật dân sự, has 368,000 characters in 2,900 lines. Each can be raised from the
environment. Time is checked between pages and paragraphs, so one slow step can overrun it a little.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from tracuu.config import READ_LIMITS, read_limits
from tracuu.errors import UnreadableFile


@dataclass(frozen=True)
class Limits:
    chars: int = READ_LIMITS["chars"][1]
    paragraphs: int = READ_LIMITS["paragraphs"][1]
    pages: int = READ_LIMITS["pages"][1]
    seconds: float = READ_LIMITS["seconds"][1]


_ENV = {name: var for name, (var, _) in READ_LIMITS.items()}
_WORDS = {"chars": "characters", "paragraphs": "paragraphs", "pages": "pages", "seconds": "seconds"}


def current() -> Limits:
    """The limits in force: defaults, each replaced by its environment variable when that is a number."""
    return Limits(**read_limits())


class Budget:
    """One file's allowance; each `check_*` raises UnreadableFile naming the bound that was passed."""

    def __init__(self, name: str, limits: Limits | None = None) -> None:
        self.name = name
        self.limits = limits or current()
        self.started = time.monotonic()

    def _refuse(self, what: str, got: float) -> None:
        limit = getattr(self.limits, what)
        raise UnreadableFile(
            f"{self.name}: more than the {limit:,} {_WORDS[what]} one file may hold ({got:,} or more); "
            f"split the document, or raise {_ENV[what]} if it is genuine"
        )

    def check_chars(self, n: int) -> None:
        if n > self.limits.chars:
            self._refuse("chars", n)

    def check_paragraphs(self, n: int) -> None:
        if n > self.limits.paragraphs:
            self._refuse("paragraphs", n)

    def check_pages(self, n: int) -> None:
        if n > self.limits.pages:
            self._refuse("pages", n)

    def check_time(self) -> None:
        spent = time.monotonic() - self.started
        if spent > self.limits.seconds:
            raise UnreadableFile(
                f"{self.name}: reading took more than {self.limits.seconds:,.0f} seconds; split the "
                f"document, or raise {_ENV['seconds']} if it is genuine"
            )

    def check_text(self, text: str) -> None:
        """The whole extracted text: its characters, then its non-empty lines (each a paragraph at most)."""
        self.check_chars(len(text))
        self.check_paragraphs(sum(1 for _ in re.finditer(r"[^\n]*\S[^\n]*", text)))
