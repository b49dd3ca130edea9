"""The structure the code keeps (structure issue): imports that point one way, and queries that say what they
take. These are habits made mechanical: each test names the file and line that breaks the rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "supervision"
# The command line is the entry point, not the core: it imports a command's modules when that command runs, so
# that `report` starts without loading the importer, Streamlit or argon2 (a fresh `report` in ~0.3 s).
ENTRY_POINTS = {"cli"}


def module_name(path: Path) -> str:
    """The module `path` holds, relative to the package: `db`, `ui` (ui/__init__.py), `ui.labels`."""
    parts = path.relative_to(CORE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> list[Path]:
    """Every module of the package, its subpackages' included (not the package's own __init__)."""
    return [p for p in sorted(CORE.rglob("*.py")) if p != CORE / "__init__.py"]


def imported(base: str, names: list[str]) -> set[str]:
    """The modules `from supervision<.base> import names` imports: a name that is a module of the package (a file
    or a subpackage) is that module; any other name (a function, a constant) is `base`'s."""
    found = set()
    for n in names:
        dotted = f"{base}.{n}" if base else n
        where = CORE.joinpath(*dotted.split("."))
        found.add(dotted if where.with_suffix(".py").exists() or (where / "__init__.py").exists() else base or n)
    return found


def supervision_imports(path: Path) -> tuple[set[str], list[tuple[str, int]]]:
    """(modules of the package imported at the top of `path`, (module, line) imported inside a function).
    Modules are named relative to the package: `db`, `ui`, `ui.labels`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top, inner = set(), []
    for node in ast.walk(tree):
        names: set[str] | list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "supervision":
            names = imported(node.module.partition(".")[2], [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            names = [a.name.partition(".")[2] for a in node.names if a.name.startswith("supervision.")]
        for n in sorted(names):
            if node in tree.body:
                top.add(n)
            else:
                inner.append((n, node.lineno))
    return top, inner


def graph() -> dict[str, set[str]]:
    edges = {}
    for path in modules():
        top, inner = supervision_imports(path)
        edges[module_name(path)] = top | {n for n, _ in inner}
    return edges


def test_no_core_module_imports_another_inside_a_function():
    found = [
        f"{p.relative_to(ROOT)}:{line} imports {name} inside a function"
        for p in modules()
        if module_name(p) not in ENTRY_POINTS
        for name, line in supervision_imports(p)[1]
    ]
    assert not found, "\n".join(found)


def test_the_import_graph_has_no_cycle():
    edges = graph()
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(path[path.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_check_finds_a_cycle_and_a_local_import(tmp_path, monkeypatch):
    """The two checks above, shown to fail on a package that breaks them, a subpackage's modules included."""
    pkg = tmp_path / "supervision"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("from supervision import b\n")
    (pkg / "b.py").write_text("def f():\n    from supervision import a\n")
    (pkg / "c.py").write_text("from supervision.sub import d\n")
    (pkg / "sub" / "__init__.py").write_text("from supervision.sub.d import g\n")
    (pkg / "sub" / "d.py").write_text("from supervision.sub.e import h\n")
    (pkg / "sub" / "e.py").write_text("import supervision.c\n\ndef h():\n    from supervision.sub import g, d\n")
    monkeypatch.setattr(__import__(__name__), "CORE", pkg)
    assert supervision_imports(pkg / "b.py") == (set(), [("a", 2)])
    assert supervision_imports(pkg / "sub" / "e.py") == ({"c"}, [("sub", 4), ("sub.d", 4)])
    assert graph() == {
        "a": {"b"},
        "b": {"a"},
        "c": {"sub.d"},
        "sub": {"sub.d"},
        "sub.d": {"sub.e"},
        "sub.e": {"c", "sub", "sub.d"},
    }


def header_and_body(path: Path) -> tuple[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next((i for i, line in enumerate(lines) if not line.startswith("--")), len(lines))
    body = re.sub(r"--[^\n]*", "", "\n".join(lines[n:]))
    return "\n".join(lines[:n]), body


def declared(path: Path) -> set[str]:
    head, _ = header_and_body(path)
    names = set(re.findall(r"\$(\w+)", head))
    ref = re.search(r"[Pp]arameters as (\S+\.sql)", head)
    return names | (declared(path.parent / ref.group(1)) if ref else set())


def test_every_query_header_declares_exactly_the_parameters_it_uses():
    wrong = []
    for path in sorted((ROOT / "queries").rglob("*.sql")):
        head, body = header_and_body(path)
        assert head, f"{path.relative_to(ROOT)} has no header comment"
        used, said = set(re.findall(r"\$(\w+)", body)), declared(path)
        if used != said:
            wrong.append(
                f"{path.relative_to(ROOT)}: used but not declared {sorted(used - said)}, "
                f"declared but not used {sorted(said - used)}"
            )
    assert not wrong, "\n".join(wrong)
