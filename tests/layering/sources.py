"""What the tests of the repository's shape share (tests/layering): the layers, where the
product's modules are, a module's file, what a file imports, which files the private-name
guard reads."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
# The layers, lowest first: a module imports only from its own layer and those below it.
LAYERS = [
    "domain",      # the procedure as plain Python over plain data: no Temporal, no I/O
    "temporal",    # what every process agrees on through Temporal: names, converter, codec,
                   # search attributes
    "settings",    # the deployment's own: data directory, yuqing.toml, payload keys
    "activities",  # side effects: the outbox, channels, the archive, the bulletin
    "legacy",      # the frozen shell of workflow versions 1–5 (legacy/__init__.py)
    "workflows",   # the shell: carries out what the procedure decides (names activities)
    "workers",     # the processes: worker, dev server, codec server; the audit library (audit/)
    "starter",     # the CLI and the API
]
PRODUCT = LAYERS


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def module_file(name: str) -> Path | None:
    """The repository's file of a dotted module name (``domain.engine.step``,
    ``tests.support``), or None for the standard library's and other packages'."""
    path = ROOT / Path(*name.split("."))
    return next((p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file()), None)


def imported(path: Path) -> set[str]:
    return imports_of(ast.parse(path.read_text(encoding="utf-8")))


def imports_of(tree: ast.AST) -> set[str]:
    """Every module a file imports, wherever the import is: at the top, inside a function,
    or in ``with workflow.unsafe.imports_passed_through():``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


CHECKED = [*PRODUCT, "tests", "scripts", "benchmarks", "examples"]


def python_files() -> list[Path]:
    return [p for folder in CHECKED if (ROOT / folder).is_dir()
            for p in sorted((ROOT / folder).rglob("*.py"))]
