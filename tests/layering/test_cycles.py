"""No import cycle among the product's modules: within a layer too, a module that imports
another is never imported back, at the top or inside a function (a cycle kept working by a
late import breaks as soon as someone tidies the import to the top). An import under
``if TYPE_CHECKING:`` never runs and names only a type, so it does not count."""

import ast
from pathlib import Path

from tests.layering.sources import LAYERS, ROOT, modules


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def run_time_imports(tree: ast.AST) -> set[str]:
    """Every module an import may load when it runs (``from a import b``: ``a`` and ``a.b``)."""
    names: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for branch in node.orelse:
                names |= run_time_imports(ast.Module(body=[branch], type_ignores=[]))
        else:
            names |= run_time_imports(node)
    return names


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected parts of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            part = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(part) > 1:
                found.append(sorted(part))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    return {name: {n for n in run_time_imports(ast.parse(text)) if n in sources and n != name}
            for name, text in sources.items()}


def test_no_import_cycle_in_the_product():
    sources = {module_name(p): p.read_text(encoding="utf-8") for layer in LAYERS
               for p in modules(layer)}
    assert cycles(import_graph(sources)) == []


def test_the_cycle_check_finds_a_late_import_and_passes_a_type_only_one():
    late = {"a.errors": "def why():\n    from a.state import how\n",
            "a.state": "from a.errors import NotFound\n",
            "a.status": "from typing import TYPE_CHECKING\nfrom a.functions import f\n",
            "a.functions": "if TYPE_CHECKING:\n    from a.status import Status\nelse:\n    pass\n",
            "a": "def build():\n    import a.http\n",
            "a.http": "from a import message\n",
            "a.message": ""}
    assert cycles(import_graph(late)) == [["a", "a.http"], ["a.errors", "a.state"]]
