"""The admin password: compared in constant time, and guessing made slow.

Before a session's password is checked it waits: 0.5 s after its first wrong attempt, doubling up to 4 s,
plus 0.1 s for every wrong attempt from any session in the last five minutes, up to 3 s. So guessing from
one tab and from many new tabs both cost time, and a waiting administrator waits at most 7 s. The wait
comes before the answer, right or wrong, so its length says nothing about the guess. Only the waiting
session's thread sleeps; other visitors are not held up.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable

SESSION_STEP, SESSION_MAX = 0.5, 4.0  # seconds
GLOBAL_STEP, GLOBAL_MAX = 0.1, 3.0
WINDOW = 300.0  # seconds a wrong attempt counts against everyone

_wrong: deque[float] = deque(maxlen=10_000)  # monotonic times of recent wrong attempts, all sessions
_lock = threading.Lock()


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def matches(given: str, expected: str | None) -> bool:
    """Constant time, whatever the lengths: digests of equal length are compared, never the strings."""
    if not expected or not given:
        return False
    return hmac.compare_digest(_digest(given), _digest(expected))


def delay(session_wrong: int, now: float | None = None) -> float:
    """Seconds to wait before checking a session's next attempt, after `session_wrong` wrong ones."""
    now = time.monotonic() if now is None else now
    with _lock:
        while _wrong and now - _wrong[0] > WINDOW:
            _wrong.popleft()
        recent = len(_wrong)
    own = min(SESSION_MAX, SESSION_STEP * 2 ** (session_wrong - 1)) if session_wrong > 0 else 0.0
    return own + min(GLOBAL_MAX, GLOBAL_STEP * recent)


def check(
    given: str, expected: str | None, session_wrong: int, sleep: Callable[[float], None] = time.sleep
) -> bool:
    """Wait as `delay` says, then compare; a wrong attempt counts against everyone for a while."""
    sleep(delay(session_wrong))
    ok = matches(given, expected)
    if not ok:
        with _lock:
            _wrong.append(time.monotonic())
    return ok
