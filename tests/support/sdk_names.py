"""What the SDK names: its modules, the forbidden ones among them, and every underscore name
its sources and public classes have (tests/support/private_names.py decides whose a use is)."""

import ast
import functools
import importlib
import inspect
from pathlib import Path

import temporalio

# public modules whose classes' attributes are read at run time too (the compiled core's
# classes have no Python source to read)
SDK_PUBLIC_MODULES = ("temporalio.client", "temporalio.common", "temporalio.converter",
                      "temporalio.worker", "temporalio.workflow", "temporalio.activity",
                      "temporalio.contrib.pydantic", "temporalio.testing", "temporalio.exceptions")


def private(name: str) -> bool:
    return name.startswith("_") and name.strip("_") != "" \
        and not (name.startswith("__") and name.endswith("__"))


def sdk_module(name: str) -> bool:
    return name == "temporalio" or name.startswith("temporalio.")


def forbidden_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "temporalio" and (parts[1:2] == ["bridge"] or any(map(private, parts)))


@functools.cache
def sdk_private_names() -> frozenset[str]:
    """Every underscore name in the SDK's sources: its attributes however set (a class
    attribute, ``self._x = …`` in ``__init__``, any read), its methods and classes, and
    its module- and class-level names; plus the attributes its public classes have at run time."""
    names: set[str] = set()
    for path in Path(temporalio.__file__).parent.rglob("*.py*"):
        if path.suffix not in {".py", ".pyi"}:
            continue
        tree = ast.parse(path.read_bytes())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                if isinstance(node, ast.ClassDef):
                    names.update(assigned_in(node.body))
        names.update(assigned_in(tree.body))
    for module_name in SDK_PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            names.update(n for c in cls.__mro__ if sdk_module(c.__module__) for n in vars(c))
    return frozenset(n for n in names if private(n))


def assigned_in(body: list[ast.stmt]) -> set[str]:
    """Names a module or class body binds with an assignment."""
    targets = [t for node in body for t in (
        node.targets if isinstance(node, ast.Assign) else
        [node.target] if isinstance(node, ast.AnnAssign) else [])]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
