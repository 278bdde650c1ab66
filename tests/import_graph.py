"""`make lint`'s import check: no import cycle between tracuu's modules, every import goes down the layers,
and the e5 compiler stands alone.

    python -m tests.import_graph [ROOT]

Reads every module of the packages below with the standard library's `ast` (nothing is imported) and
takes every `import` / `from ... import` statement wherever it is written: at module level, inside
functions (the imports that used to hide cycles) and under `if TYPE_CHECKING:`. `from pkg import name`
is an import of the module `pkg.name` when that file exists, else of `pkg`. A cycle is a strongly
connected set of two or more modules (or a module importing itself); each is printed with one path
around it.

The layers, lowest first (LAYERS): tracuu's core (errors, types, config, files) < ingest < index < qa <
api, cluster < page < eval < the command line (tracuu.cli, tracuu.commands). A module may import its own
layer and the layers below it, never one above: the command line may import anything (lazily, inside its
functions, so `tracuu search` starts fast), nothing imports the command line.

Not seen: imports by string (`importlib.import_module("tracuu.commands.search")`, as tracuu/cli.py dispatches
its verbs and eval/bench/main.py finds its parts), `__import__`, and the parent packages Python runs first
(`import a.b.c` runs a/__init__.py): an `__init__` that imports its own submodules eagerly is not, by
itself, a cycle here.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGES = ("tracuu", "ingest", "index", "qa", "api", "cluster", "page", "eval")
# Lowest first; a module belongs to the longest name that contains it (tracuu.commands before tracuu).
LAYERS = (
    ("tracuu",),
    ("ingest",),
    ("index",),
    ("qa",),
    ("api", "cluster"),
    ("page",),
    ("eval",),
    ("tracuu.cli", "tracuu.commands"),
)
# module (or package) -> the only tracuu modules it may import, besides its own package's
STANDALONE = {"index.embedders.e5": ("tracuu.errors", "tracuu.config", "tracuu.files")}


def modules(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the packages."""
    out = {}
    for pkg in packages:
        for path in sorted((root / pkg).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The longest known module that `name` is or lies inside (None: not one of ours)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(module: str, path: Path, known: dict[str, Path]) -> dict[str, int]:
    """Our modules that `module` imports anywhere in its file, each with the first line that does."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            m = _resolve(t, known)
            if m and m != module:
                found.setdefault(m, node.lineno)
    return found


def graph(root: Path, packages=PACKAGES) -> dict[str, dict[str, int]]:
    known = modules(root, packages)
    return {m: imports(m, p, known) for m, p in known.items()}


def cycles(g: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected sets of two or more modules (Tarjan's algorithm, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found = []
    for start in sorted(g):
        if start in index:
            continue
        work = [(start, iter(sorted(g[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(g[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        group.append(m)
                        if m == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return sorted(found)


def path_around(group: list[str], g: dict[str, dict[str, int]]) -> list[str]:
    """One cycle through the group's first module (breadth-first, inside the group)."""
    first, members = group[0], set(group)
    came: dict[str, str] = {}
    frontier = [first]
    while frontier:
        nxt = []
        for m in frontier:
            for t in sorted(g[m]):
                if t == first:
                    path = [m]
                    while path[-1] != first:
                        path.append(came[path[-1]])
                    return [first, *reversed(path[:-1]), first]
                if t in members and t not in came:
                    came[t] = m
                    nxt.append(t)
        frontier = nxt
    return group


def standalone_breaches(g: dict[str, dict[str, int]], rules=STANDALONE) -> list[str]:
    out = []
    for owner, allowed in rules.items():
        for m, targets in sorted(g.items()):
            if m != owner and not m.startswith(owner + "."):
                continue
            for t, line in sorted(targets.items()):
                inside = t == owner or t.startswith(owner + ".")
                if not inside and t not in allowed:
                    out.append(f"{m} line {line} imports {t}; {owner} may import only {', '.join(allowed)}")
    return out


def layer_of(module: str, layers=LAYERS) -> tuple[int, str] | None:
    """(position, name) of the layer `module` belongs to: the longest layer name that contains it."""
    found = [
        (n, name)
        for n, names in enumerate(layers)
        for name in names
        if module == name or module.startswith(name + ".")
    ]
    return max(found, key=lambda f: len(f[1]), default=None)


def layer_breaches(g: dict[str, dict[str, int]], layers=LAYERS) -> list[str]:
    order = " < ".join(", ".join(names) for names in layers)
    out = []
    for m, targets in sorted(g.items()):
        mine = layer_of(m, layers)
        for t, line in sorted(targets.items()):
            theirs = layer_of(t, layers)
            if mine and theirs and theirs[0] > mine[0]:
                out.append(
                    f"{m} line {line} imports {t}, a layer above it ({mine[1]} < {theirs[1]}); imports go "
                    f"down the layers {order}: move what both need into the lower one"
                )
    return out


def problems(root: Path) -> list[str]:
    g = graph(root)
    out = []
    for group in cycles(g):
        around = path_around(group, g)
        steps = " -> ".join(f"{a} (line {g[a][b]})" for a, b in zip(around, around[1:], strict=False))
        out.append(f"import cycle among {', '.join(group)}: {steps} -> {around[0]}")
    return out + layer_breaches(g) + standalone_breaches(g)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parents[1]
    found = problems(root)
    for p in found:
        print(p, file=sys.stderr)
    if found:
        print("move the shared part into a module both can import, so imports go one way", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
