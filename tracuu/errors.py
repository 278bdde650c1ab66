"""Every error tracuu expects, each with a message that says what to do.

The CLI prints `error: <message>` on one line and exits with `exit_code`; the page shows the message.
"""


class TracuuError(Exception):
    """An expected failure; the message tells the user the fix."""

    exit_code = 1


class UsageError(TracuuError):
    """Bad arguments, a bad query, a missing or mismatched index: nothing was written."""

    exit_code = 2


class UnreadableFile(TracuuError):
    """One input file cannot be read; other files are unaffected."""

    exit_code = 1


class IndexMismatch(UsageError):
    """The index on disk was built with another model or format version."""


class MissingDependency(TracuuError):
    """An optional extra (OCR, sentence-transformers, ...) is not installed."""

    exit_code = 2


class ApiError(TracuuError):
    """The tracuu HTTP API refused a request (its `error` message) or could not be reached."""

    exit_code = 1

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status, None when the API was not reached
