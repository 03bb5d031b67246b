"""Which product modules run in workflow code, found from the code rather than listed by hand:
the sandbox's and the workflow log's guards read every line of them."""

import ast
import functools
from pathlib import Path

from tests.layering.sources import LAYERS, ROOT, imported, module_file, modules

# The shells: the current one and the frozen one of versions 1–5.
SHELLS = ("workflows", "legacy")
# An activity's module is only named by workflow code (``execute_activity_method``), and its
# options read as data: its code runs on an activity worker, never on the workflow thread.
NAMED_ONLY = ("activities",)


def builds_the_data_converter(path: Path) -> bool:
    """A module that builds a ``DataConverter``: its payload converter is the one workflow
    code calls (``workflow.payload_converter().from_payloads``), on the workflow thread."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and node.func.id == "DataConverter"
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def closure(roots: list[Path]) -> set[Path]:
    """``roots`` and every product module they import, in turn, wherever the import is (passed
    through the sandbox, or in a function), but no further than a module ``NAMED_ONLY``."""
    found: set[Path] = set()
    todo = list(roots)
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.add(path)
        if path.relative_to(ROOT).parts[0] in NAMED_ONLY:
            continue
        todo += [file for name in imported(path)  # the product's modules only
                 if name.split(".")[0] in LAYERS and (file := module_file(name))]
        # a package's __init__ runs before any of its modules
        todo += [init for parent in path.relative_to(ROOT).parents if parent.parts
                 if (init := ROOT / parent / "__init__.py").is_file()]
    return found


@functools.cache
def in_workflows() -> frozenset[Path]:
    """Every product module whose code may run on the workflow thread: the shells', the data
    converter's, and what they import; an activity's module excepted (``NAMED_ONLY``)."""
    converters = [p for package in LAYERS for p in modules(package) if builds_the_data_converter(p)]
    roots = [p for package in SHELLS for p in modules(package)] + converters
    return frozenset(p for p in closure(roots) if p.relative_to(ROOT).parts[0] not in NAMED_ONLY)


def running_in_workflows(package: str) -> list[Path]:
    """The modules of ``package`` that run in workflow code."""
    return sorted(p for p in in_workflows() if p.relative_to(ROOT).parts[0] == package)
