"""Shared test fixtures: where ../shared is, and the rule for tests that need it.

Tests that read ../shared skip with a reason in a user's clone, but must run in CI (CI=true): there a
missing ../shared is a failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRACUU_SHARED", ROOT.parent / "shared"))
CORPUS = ROOT / "corpus"


def need_shared(*parts: str) -> Path:
    """Path under ../shared, or skip (fail in CI) when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing in CI; ../shared must sit beside the repo")
        pytest.skip(f"{path} is absent (../shared is not beside this clone)")
    return path


@pytest.fixture
def shared():
    return need_shared


def pytest_configure(config):
    # Whatever a test (or a page rerun that outlives its AppTest) does with the default paths, it must
    # never write into the repo's data/index or corpus/: point the defaults at a throwaway folder.
    import shutil
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="tracuu-test-defaults-"))
    (scratch / "corpus").mkdir()
    config.add_cleanup(lambda: shutil.rmtree(scratch, ignore_errors=True))
    os.environ.setdefault("TRACUU_INDEX", str(scratch / "index"))
    os.environ.setdefault("TRACUU_CORPUS", str(scratch / "corpus"))
