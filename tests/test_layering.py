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


CONTAINERS = {"dict", "list", "set", "defaultdict", "deque", "Counter", "OrderedDict"}


@pytest.mark.parametrize("package", ["domain", "workflows"])
def test_workflow_code_keeps_no_state_between_runs(package):
    """The worker runs workflows unsandboxed (README, "Speed and scale"): nothing at module
    level may change, so no ``global`` statement, and a module-level container is a
    constant (UPPER_CASE), never a variable that one run could fill for the next."""
    offending = []
    for path in modules(package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offending += [f"{path.name}:{node.lineno} global" for node in ast.walk(tree)
                      if isinstance(node, ast.Global)]
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, ast.AnnAssign) and node.value else []
            value = getattr(node, "value", None)
            mutable = isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp,
                                         ast.DictComp, ast.SetComp)) or (
                isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute))
                and getattr(value.func, "id", getattr(value.func, "attr", "")) in CONTAINERS)
            offending += [f"{path.name}:{node.lineno} {t.id}" for t in targets
                          if mutable and isinstance(t, ast.Name) and not t.id.isupper()
                          and t.id != "__all__"]
    assert offending == []


NONDETERMINISTIC = {"random", "secrets", "time", "os", "uuid", "socket", "subprocess",
                    "threading", "multiprocessing", "concurrent", "urllib", "http", "sqlite3",
                    "io", "shutil", "tempfile", "glob"}


@pytest.mark.parametrize("package", ["domain", "workflows"])
def test_workflow_code_reads_no_clock_randomness_or_io(package):
    """What the sandbox would refuse at run time, refused here for every line: workflow
    code's only clock is ``workflow.now()`` (the procedure gets it in its context)."""
    offending = []
    for path in modules(package):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offending += [f"{path.name} imports {name}" for name in imported(path)
                      if name.split(".")[0] in NONDETERMINISTIC]
        offending += [f"{path.name}:{node.lineno} .{node.func.attr}()" for node in ast.walk(tree)
                      if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                      and node.func.attr in {"now", "utcnow", "today"}
                      and not (isinstance(node.func.value, ast.Name)
                               and node.func.value.id == "workflow")]
        offending += [f"{path.name}:{node.lineno} open()" for node in ast.walk(tree)
                      if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                      and node.func.id == "open"]
    assert offending == []
