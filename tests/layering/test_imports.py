"""Imports that point one way: down the layers, never from the domain to Temporal, never
from the product to the tests."""

import ast
import tomllib

import pytest

from tests.layering.sources import LAYERS, PRODUCT, ROOT, imported, imports_of, modules


def importers(package: str, forbidden: str) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in modules(package)
            if any(n == forbidden or n.startswith(forbidden + ".") for n in imported(p))]


def upward_imports(files: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(file, package) for each import of a higher layer than the file's own."""
    rank = {package: index for index, package in enumerate(LAYERS)}
    return {(path, top) for path, names in files.items() for top in
            {name.split(".")[0] for name in names} & rank.keys()
            if rank[top] > rank[path.split("/")[0]]}


def product_imports() -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): imported(p) for package in LAYERS for p in modules(package)}


def test_imports_point_down_the_layers():
    assert upward_imports(product_imports()) == set()


def test_the_layer_check_finds_what_it_is_for():
    sample = ast.parse("with workflow.unsafe.imports_passed_through():\n"
                       "    from workers.run import run_worker\n"
                       "def later():\n    import starter.api\n")
    assert imports_of(sample) == {"workers.run", "starter.api"}
    found = upward_imports({"workflows/effects.py": {"workers.run", "domain.status"},
                            "activities/outbox.py": {"settings.home", "temporal.codec"},
                            "domain/bulletin.py": {"starter.api"}})
    assert found == {("workflows/effects.py", "workers"), ("domain/bulletin.py", "starter")}


def test_every_package_the_project_installs_has_a_layer():
    """A new top-level package (a ``legacy`` one for old workflow versions, say) must say
    where it sits: in ``pyproject.toml``'s packages and in ``LAYERS``."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    installed = [p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert sorted(installed) == sorted(LAYERS)
    assert on_disk - set(LAYERS) <= {"benchmarks"}  # the benchmark scripts' parts, not shipped


def test_the_domain_and_its_procedure_never_import_temporal():
    assert importers("domain", "temporalio") == []


# The engine's two doors to the paragraphs: the messages and what falls due, and opening.
PARAGRAPHS_DOORS = {"domain/engine/registry.py", "domain/engine/opening.py"}
FROZEN = "legacy"  # the frozen shell of versions 1–5 keeps the imports it was written with


def paragraphs_importers(files: dict[str, set[str]]) -> list[str]:
    """Modules outside the paragraphs, their two doors and the frozen shell that import one."""
    return sorted(path for path, names in files.items()
                  if not path.startswith(("domain/procedure/", FROZEN + "/"))
                  and path not in PARAGRAPHS_DOORS
                  and any(n == "domain.procedure" or n.startswith("domain.procedure.")
                          for n in names))


def test_the_paragraphs_use_only_the_engine_s_step_and_deadlines():
    """Within the domain: ``domain.engine`` runs the paragraphs of ``domain.procedure``; a
    paragraph uses the step and the deadlines."""
    paragraphs_use = {n for p in modules("domain/procedure") for n in imported(p)
                      if n.startswith("domain.engine")}
    assert paragraphs_use <= {"domain.engine.step", "domain.engine.deadlines"}


def test_only_the_engine_s_registry_and_opening_know_the_paragraphs():
    """The shell, the starter, the what-if, the activities and the scripts reach the
    paragraphs through ``engine.registry`` and ``engine.opening``, never by naming one (the
    tests do: they try each paragraph on its own)."""
    scripts = {str(p.relative_to(ROOT)): imported(p) for folder in ("scripts", "benchmarks")
               for p in modules(folder)}
    assert paragraphs_importers(product_imports() | scripts) == []


def test_the_paragraphs_check_finds_what_it_is_for():
    found = paragraphs_importers({
        "workflows/loop.py": {"domain.procedure"}, "starter/api.py": {"domain.procedure.collection"},
        "domain/engine/opening.py": {"domain.procedure.collection"},
        "domain/procedure/closing.py": {"domain.procedure.escalation"},
        "legacy/opening.py": {"domain.procedure"}, "domain/whatif/driver.py": {"domain.engine"}})
    assert found == ["starter/api.py", "workflows/loop.py"]


@pytest.mark.parametrize("package", PRODUCT)
def test_the_product_ships_no_test_helpers(package):
    assert importers(package, "tests") == []
