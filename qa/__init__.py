"""Cited answers and the obligations index.

ask(index, question, filters=None, found=None) -> Answer
                                        points quoted verbatim from the documents (those passing
                                        `filters`), each cited; `found`: the caller's own search
obligations(index) -> list[Obligation]  every body named as an actor, with the items assigned to it
"""

from __future__ import annotations

from qa.compose import ask
from qa.obligations import Obligation, obligations

__all__ = ["Obligation", "ask", "obligations"]
