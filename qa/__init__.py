"""Cited answers and the obligations index.

ask(index, question) -> Answer          points quoted verbatim from the documents, each cited
obligations(index) -> list[Obligation]  every body named as an actor, with the items assigned to it
"""

from __future__ import annotations

from qa.compose import ask
from qa.obligations import Obligation, obligations

__all__ = ["Obligation", "ask", "obligations"]
