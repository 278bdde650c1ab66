"""tests/import_graph.py (run by `make lint`): it finds cycles and imports up the layers wherever the
import is written, and the repository has neither."""

from __future__ import annotations

from pathlib import Path

from tests import import_graph
from tests.conftest import ROOT


def _package(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_a_cycle_hidden_inside_a_function_or_type_checking_is_found(tmp_path):
    root = _package(
        tmp_path,
        {
            "index/__init__.py": "",
            "index/a.py": "def f():\n    from index.b import g\n    return g\n",
            "index/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n",
            "index/c.py": "from index import a\n",  # imports into the cycle, not part of it
            "qa/__init__.py": "",
            "qa/x.py": "import index.c\n",
        },
    )
    problems = import_graph.problems(root)
    assert len(problems) == 1
    assert problems[0].startswith("import cycle among index.a, index.b: index.a (line 2) -> index.b (line 3)")


def test_a_longer_cycle_is_shown_with_a_path_around_it(tmp_path):
    root = _package(
        tmp_path,
        {
            "eval/__init__.py": "",
            "eval/a.py": "from eval import b\n",
            "eval/b.py": "import eval.c as c\n",
            "eval/c.py": "from .a import thing\n",
        },
    )
    g = import_graph.graph(root)
    assert import_graph.cycles(g) == [["eval.a", "eval.b", "eval.c"]]
    assert import_graph.path_around(["eval.a", "eval.b", "eval.c"], g) == [
        "eval.a",
        "eval.b",
        "eval.c",
        "eval.a",
    ]


def test_the_e5_compiler_may_import_only_tracuu_errors_and_config(tmp_path):
    root = _package(
        tmp_path,
        {
            "index/embedders/e5/graph.py": "from . import cache\nfrom tracuu.errors import E\n",
            "index/embedders/e5/cache.py": "def f():\n    from index import segmenter\n",
            "index/segmenter.py": "",
            "tracuu/errors.py": "",
        },
    )
    assert import_graph.problems(root) == [
        "index.embedders.e5.cache line 2 imports index.segmenter; "
        "index.embedders.e5 may import only tracuu.errors, tracuu.config, tracuu.files"
    ]


def test_an_import_up_the_layers_is_reported_and_fails_lint(tmp_path, capsys):
    root = _package(
        tmp_path,
        {
            "tracuu/__init__.py": "",
            "tracuu/files.py": "",
            "tracuu/commands/__init__.py": "",
            "tracuu/commands/search.py": "def run():\n    import eval.x\n    from qa import y\n",
            "tracuu/cli.py": "",
            "index/__init__.py": "",
            "index/search.py": "from tracuu import files\n",
            "qa/__init__.py": "",
            "qa/y.py": "import index.search\n",
            "api/__init__.py": "",
            "api/routes.py": "from qa import y\n",
            "page/__init__.py": "",
            "page/remote.py": "from api import routes\n",
            "eval/__init__.py": "",
            "eval/x.py": "def f():\n    from page import remote\n",
            # the violations: qa reaching up to the page (inside a function), api to eval, core to the CLI
            "qa/z.py": "def g():\n    from page.remote import thing\n",
            "api/server.py": "from eval.x import f\n",
            "tracuu/errors.py": "from tracuu.cli import main\n",
        },
    )
    found = import_graph.problems(root)
    assert [p.split(", a layer above")[0] for p in found] == [
        "api.server line 1 imports eval.x",
        "qa.z line 2 imports page.remote",
        "tracuu.errors line 1 imports tracuu.cli",
    ]
    assert "(qa < page)" in found[1] and "tracuu < ingest < index < qa < api, cluster < page" in found[1]
    assert import_graph.main([str(root)]) == 1
    assert "qa.z line 2 imports page.remote" in capsys.readouterr().err


def test_the_layers_name_the_core_and_the_command_line():
    assert import_graph.layer_of("tracuu.config")[1] == "tracuu"
    assert import_graph.layer_of("tracuu.commands.search")[1] == "tracuu.commands"
    assert import_graph.layer_of("eval.bench.serve")[1] == "eval"
    assert import_graph.layer_of("numpy") is None


def test_the_repository_has_no_import_cycle():
    assert import_graph.problems(ROOT) == []
    assert import_graph.main([str(ROOT)]) == 0
