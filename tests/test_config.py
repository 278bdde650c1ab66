"""tracuu/config.py is the one reader of TRACUU_* settings: read at call time, bad numbers fall back, and
no other module reads a TRACUU_* variable from the environment."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tracuu import config

PACKAGES = ("tracuu", "ingest", "index", "qa", "page", "eval", "api", "cluster")
READ = re.compile(r"""(environ\.get\(|environ\[|getenv\()\s*["']TRACUU_""")


def test_settings_are_read_when_called_and_fall_back_to_their_defaults(monkeypatch):
    monkeypatch.delenv("TRACUU_INDEX", raising=False)
    assert config.index_dir() == "data/index"
    monkeypatch.setenv("TRACUU_INDEX", "/srv/idx")
    assert config.index_dir() == "/srv/idx"
    monkeypatch.setenv("TRACUU_MAX_FILE_MB", "many")  # a typo keeps the default, it does not stop an ingest
    assert config.max_file_mb() == config.DEFAULT_MAX_FILE_MB
    monkeypatch.setenv("TRACUU_MAX_PAGES", "12")
    limits = config.read_limits()
    assert limits["pages"] == 12 and isinstance(limits["pages"], int)
    assert limits["chars"] == config.READ_LIMITS["chars"][1]
    monkeypatch.setenv("TRACUU_OCR", " Off ")
    assert config.ocr_switched_off()


def test_no_other_module_reads_a_tracuu_variable():
    assert READ.search("x = os.environ.get('TRACUU_API')") and READ.search('os.getenv("TRACUU_OCR")')
    readers = [
        f"{path.relative_to(ROOT)}:{n}"
        for pkg in PACKAGES
        for path in sorted((ROOT / pkg).rglob("*.py"))
        if path != ROOT / "tracuu" / "config.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if READ.search(line)
    ]
    assert readers == [], "read these through tracuu.config: " + ", ".join(readers)
