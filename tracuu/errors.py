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


def first_line(e: BaseException) -> str:
    """The first non-blank line of an exception's message (a library's may run to a traceback), else
    its type's name."""
    lines = [ln for ln in str(e).splitlines() if ln.strip()]
    return lines[0].strip() if lines else type(e).__name__


def one_line(text: object, limit: int = 300) -> str:
    """`text` fit for one `error:` line: runs of whitespace become one space, any other control or format
    character (NUL, a bidi override, an escape) is shown as its escape, and it is cut at `limit`.

    Messages quote file names and library exceptions, both untrusted: a name with a newline must not
    make two lines, nor one with an escape sequence repaint the terminal."""
    import unicodedata

    flat = " ".join(str(text).split())
    shown = "".join(
        ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        if unicodedata.category(ch)[0] == "C"
        else ch
        for ch in flat
    )
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def without_name(message: str, *names: object) -> str:
    """`message` without the "NAME: " it starts with, for a line or a page that names the file already."""
    for name in names:
        prefix = f"{one_line(name, 1000)}: "
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message
