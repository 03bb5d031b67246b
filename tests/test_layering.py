"""The shape the code promises: a Temporal-free core, one-way imports, small modules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["domain", "workflows", "activities", "workers", "starter"]
MODULE_LINES_MAX = 300


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def importers(package: str, forbidden: str) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in modules(package)
            if any(n == forbidden or n.startswith(forbidden + ".") for n in imported(p))]


def test_the_domain_and_its_procedure_never_import_temporal():
    assert importers("domain", "temporalio") == []


@pytest.mark.parametrize("package", ["domain", "workers", "activities", "workflows"])
def test_nothing_below_the_starter_imports_it(package):
    assert importers(package, "starter") == []


@pytest.mark.parametrize("package", PRODUCT)
def test_the_product_ships_no_test_helpers(package):
    assert importers(package, "tests") == []


def test_no_product_module_is_over_the_size_limit():
    too_long = {str(p.relative_to(ROOT)): n for package in PRODUCT for p in modules(package)
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES_MAX}
    assert too_long == {}
