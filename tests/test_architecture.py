"""Architecture contracts: the runtime never imports the lab, and imports go one way
through the layers.

import-linter cannot see this repository's layout (``plugins/`` and ``integrations/`` are
installed as ``ptmo_middleware.plugins`` and ``ptmo_middleware.integrations`` through
``package-dir``, which grimp does not follow), so the contracts are checked on the source:
every import outside ``if TYPE_CHECKING:`` blocks, relative ones resolved.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Package name -> folder, as pyproject.toml's package-dir installs them.
PACKAGES = {"ptmo_middleware": "ptmo_middleware", "ptmo_middleware.plugins": "plugins",
            "ptmo_middleware.integrations": "integrations", "ptmo_lab": "ptmo_lab"}

#: Lowest first; a module may import its own layer and those below, never above.
LAYERS: list[tuple[str, ...]] = [
    ("types", "errors", "fetchable", "number_words", "syncbridge", "data_home"),
    ("config", "vault", "hookspecs", "tools", "shield", "value_propagation", "audit"),
    ("components", "plugin_manager"),
    ("plugins", "backends", "budget", "rl", "personalization", "vaultstore"),
    ("pipeline",),
    ("budget.guard", "egress", "execution"),
    ("router",),
    ("seed_api", "integrations", "gateway", "cli", ""),
]


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for package, folder in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [p for p in path.relative_to(ROOT / folder).with_suffix("").parts if p != "__init__"]
            out[".".join([package, *parts])] = (path, path.name == "__init__.py")
    return out


MODULES = _modules()


def _runtime_imports(tree: ast.AST) -> list[ast.stmt]:
    """Import statements, those under ``if TYPE_CHECKING:`` left out."""
    found = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append(child)
            visit(child)
    visit(tree)
    return found


def _resolve(target: str) -> str | None:
    while target not in MODULES:
        if "." not in target:
            return None
        target = target.rsplit(".", 1)[0]
    return target


def imports_of(name: str) -> set[str]:
    """The project's modules ``name`` imports at run time."""
    path, is_package = MODULES[name]
    package = name if is_package else name.rsplit(".", 1)[0]
    out = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [module] + [f"{module}.{a.name}" for a in node.names]
        for t in targets:
            resolved = _resolve(t)
            if resolved and resolved != name and not name.startswith(resolved + "."):
                out.add(resolved)
    return out


def layer_of(name: str) -> int | None:
    """The layer of a runtime module (longest matching name wins); ``None`` for the lab."""
    if not name.startswith("ptmo_middleware"):
        return None
    rest = name.removeprefix("ptmo_middleware").removeprefix(".")
    best, best_len = None, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (rest == prefix or rest.startswith(prefix + ".") or prefix == "") and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return best


def test_every_runtime_module_has_a_layer() -> None:
    assert [m for m in MODULES if m.startswith("ptmo_middleware") and layer_of(m) is None] == []


def test_the_runtime_never_imports_the_lab() -> None:
    offenders = [(m, t) for m in MODULES if m.startswith("ptmo_middleware")
                 for t in imports_of(m) if t.startswith("ptmo_lab")]
    assert offenders == []


def test_imports_go_down_the_layers() -> None:
    upward = []
    for m in MODULES:
        lm = layer_of(m)
        if lm is None:
            continue
        for t in imports_of(m):
            lt = layer_of(t)
            if lt is not None and lt > lm:
                upward.append(f"{m} (layer {lm}) -> {t} (layer {lt})")
    assert upward == []


def test_no_import_cycles() -> None:
    graph = {m: imports_of(m) for m in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2
    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    # A package's __init__ re-exporting its submodules is no cycle of behaviour.
    real = [c for c in cycles if not any(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(c, c[1:]))]
    assert real == []
