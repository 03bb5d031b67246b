"""The tests' own imports: a test imports nothing above its folder's layer, and no test
module imports another."""

import ast
import functools
from pathlib import Path

import pytest

from tests.layering.sources import LAYERS, ROOT, TESTS, imports_of, module_file, python_files

# Modules a test above the domain may import whatever its layer, to run its layer's code as
# the product runs it: each with what it is for. The domain's tests use none (no server).
TEST_DRIVERS = {
    "starter.api": "the client's calls (report, send, query): how every caller drives an incident",
    "workers.audit.replay": "the product's replayer: how a test checks a history replays",
    "workers.detached_start": "the worker's runner and interceptors (tests/support/worker.py)",
    "workers.dev_server": "free_ports: the ports a test's own receivers listen on",
}


def modules_imported(tree: ast.AST) -> set[str]:
    """``imports_of``, and the test modules a ``from tests.x import y`` names."""
    return imports_of(tree) | {  # `from tests.support import worker`: a module too
        f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        and (node.module or "").split(".")[0] == "tests" for alias in node.names
        if module_file(f"{node.module}.{alias.name}")}


def imports_of_test(path: Path, seen: frozenset[Path] = frozenset()) -> set[str]:
    """What a test file imports, with what the test helpers it imports import in turn
    (tests/support, tests/<layer>/<helper>.py): a helper counts as its importer's."""
    names = modules_imported(ast.parse(path.read_text(encoding="utf-8")))
    for name in [n for n in names if n.split(".")[0] == "tests"]:
        helper = module_file(name)
        if helper not in seen | {path}:
            names |= imports_of_test(helper, seen | {path})
    return names


def layer_imported(name: str) -> str | None:
    parts = name.split(".")
    if parts[:2] == ["tests", "runtime"]:
        return LAYERS[-1]  # runs the CLI or a dev server
    parts = parts[1:] if parts[0] == "tests" else parts
    return parts[0] if parts and parts[0] in LAYERS else None


def upward_test_imports(test_files: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(test file, module) for each import of a layer above the test's folder's."""
    rank = {package: index for index, package in enumerate(LAYERS)}
    return {(path, name) for path, names in test_files.items() if path.split("/")[0] in rank
            for name in names if (layer := layer_imported(name))
            and rank[layer] > rank[path.split("/")[0]]
            and not (name in TEST_DRIVERS and path.split("/")[0] != "domain")}


@functools.cache
def layered_test_imports() -> dict[str, set[str]]:
    return {str(p.relative_to(TESTS)): imports_of_test(p) for package in LAYERS
            if (TESTS / package).is_dir() for p in sorted((TESTS / package).rglob("*.py"))}


def test_a_test_imports_nothing_above_its_folder_s_layer():
    """A test in ``tests/<layer>`` imports that layer and those below it (the order of
    ``LAYERS``), directly or through the test helpers it uses; a test whose highest import
    is higher belongs to that layer's folder. Above the domain, a test may also use the
    ``TEST_DRIVERS`` to run its layer as the product does."""
    assert sorted(upward_test_imports(layered_test_imports())) == []


def test_each_test_driver_is_used():
    used = {name for names in layered_test_imports().values() for name in names}
    assert TEST_DRIVERS.keys() - used == set(), "no longer used: remove it from TEST_DRIVERS"


def test_the_test_layer_check_finds_what_it_is_for():
    found = upward_test_imports({
        "domain/test_audit_report.py": {"domain.audit_report", "workers.audit.replay"},
        "domain/test_details.py": {"temporal.search_attributes", "tests.domain.builders"},
        "domain/whatif/test_driver.py": {"tests.workflows.scenario"},
        "domain/whatif/test_proposal.py": {"tests.runtime.cli_helpers"},
        "workflows/test_flood.py": {"starter.api", "workers.audit.replay", "tests.support.worker"},
        "temporal/test_codec.py": {"settings.keys", "temporal.codec"},
        "starter/test_api.py": {"starter.api", "workers.audit.replay", "domain.status"},
    })
    assert found == {("domain/test_audit_report.py", "workers.audit.replay"),
                     ("domain/test_details.py", "temporal.search_attributes"),
                     ("domain/whatif/test_driver.py", "tests.workflows.scenario"),
                     ("domain/whatif/test_proposal.py", "tests.runtime.cli_helpers"),
                     ("temporal/test_codec.py", "settings.keys")}
    helper = ROOT / "tests" / "workflows" / "scenario.py"
    assert "starter.api" in imports_of_test(helper)  # what a test using the scenarios imports


def bare_or_relative_test_imports(path: Path, tree: ast.AST) -> set[str]:
    """The test modules a file (``path`` from the root) imports without ``tests.``: by their
    bare name, as pytest's default import mode allows (``from test_keys import home`` in
    ``tests/settings``, whose folder is on ``sys.path``), or relatively (``from . import
    test_keys``, ``from ..settings.test_keys import home``); each as its dotted path."""
    # every collected test folder is on sys.path, so a bare name reaches any test module
    # (pytest makes their names unique); the importer's own folder first
    anywhere = {p.stem: ".".join(p.relative_to(ROOT).with_suffix("").parts)
                for p in (ROOT / "tests").rglob("test_*.py")}
    beside = {p.stem: ".".join([*path.parent.parts, p.stem])
              for p in (ROOT / path.parent).glob("test_*.py")}
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) or isinstance(node, ast.ImportFrom) and not node.level:
            named = [alias.name for alias in node.names] if isinstance(node, ast.Import) \
                else [node.module or ""]
            found |= {beside.get(stem) or anywhere[stem] for name in named
                      if (stem := name.split(".")[0]) in beside or stem in anywhere}
        elif isinstance(node, ast.ImportFrom):
            package = list(path.parent.parts[:len(path.parent.parts) - node.level + 1])
            module = [*package, *filter(None, (node.module or "").split("."))]
            found |= {".".join(module[:i + 1]) for i, part in enumerate(module)
                      if part.startswith("test_")}
            found |= {".".join([*module, alias.name]) for alias in node.names
                      if alias.name.startswith("test_")}
    return found


def imported_test_modules(files: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(file, test module) for each import of a ``test_*.py`` module."""
    return {(path, name) for path, names in files.items() for name in names
            if name.split(".")[0] == "tests" and name.split(".")[-1].startswith("test_")}


def test_no_test_module_imports_another():
    """What tests share lives in tests/support, in a folder's helper module
    (``tests/workflows/scenario.py``) or in a conftest.py, never in a test module: importing
    one runs its module-level code again under another name and hides its fixtures'
    origin (a fixture imported by name is redefined by the test that asks for it). Whether
    by its ``tests.`` path, by its bare name or relatively."""
    trees = {p.relative_to(ROOT): ast.parse(p.read_text(encoding="utf-8")) for p in python_files()}
    files = {str(path): modules_imported(tree) | bare_or_relative_test_imports(path, tree)
             for path, tree in trees.items()}
    assert sorted(imported_test_modules(files)) == []


@pytest.mark.parametrize(("importer", "source", "module"), [
    ("tests/settings/test_other.py", "from test_keys import home", "tests.settings.test_keys"),
    ("tests/settings/helper.py", "import test_keys", "tests.settings.test_keys"),
    ("tests/settings/helper.py", "def f():\n    import test_keys as keys",
     "tests.settings.test_keys"),
    ("tests/settings/test_other.py", "from . import test_keys", "tests.settings.test_keys"),
    ("tests/settings/test_other.py", "from .test_keys import home", "tests.settings.test_keys"),
    ("tests/starter/test_a.py", "from ..settings.test_keys import home",
     "tests.settings.test_keys"),
    ("tests/starter/test_a.py", "from ..settings import test_keys, other",
     "tests.settings.test_keys"),
])
def test_the_test_module_check_sees_bare_and_relative_imports(importer, source, module):
    found = bare_or_relative_test_imports(Path(importer), ast.parse(source))
    assert imported_test_modules({importer: found}) == {(importer, module)}


def test_a_bare_name_reaches_a_test_module_in_any_collected_folder():
    # `scenario` is a helper beside it and no test_keysmith.py exists, but test_keys.py in
    # tests/settings is importable by its bare name once that folder is collected
    assert bare_or_relative_test_imports(Path("tests/workflows/test_b.py"), ast.parse(
        "import scenario\nfrom test_keys import home\nimport test_keysmith")) == {
        "tests.settings.test_keys"}


def test_the_test_module_check_finds_what_it_is_for():
    assert "tests.runtime.test_cli" in modules_imported(
        ast.parse("from tests.runtime import test_cli, cli_helpers"))
    found = imported_test_modules({
        "tests/starter/test_a.py": {"tests.settings.test_keys", "tests.support.codec"},
        "tests/workflows/updates.py": {"tests.workflows.test_updates"},
        "tests/runtime/conftest.py": {"tests.runtime.dev_process"},
        "tests/workflows/test_b.py": {"tests.workflows.scenario", "tests.domain.builders"},
        "scripts/demo.py": {"tests.runtime.test_cli_end_to_end"},
    })
    assert found == {("tests/starter/test_a.py", "tests.settings.test_keys"),
                     ("tests/workflows/updates.py", "tests.workflows.test_updates"),
                     ("scripts/demo.py", "tests.runtime.test_cli_end_to_end")}
