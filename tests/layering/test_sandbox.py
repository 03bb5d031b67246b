"""Workflow code as the sandbox would have it: no state kept between runs, no clock,
randomness or I/O, and the shell imported where a sandboxed worker checks it."""

import ast
import importlib.util
from pathlib import Path

import pytest

from tests.layering.sources import ROOT, imported, imports_of, module_file, modules
from tests.layering.workflow_code import in_workflows, running_in_workflows

CONTAINERS = {"dict", "list", "set", "defaultdict", "deque", "Counter", "OrderedDict"}


def workflow_code(package: str) -> list[Path]:
    """The domain whole (the procedure is plain Python, wherever it runs); of the other
    layers, the modules that run in workflow code (tests/layering/workflow_code.py)."""
    return modules(package) if package == "domain" else running_in_workflows(package)


def test_the_workflow_code_found_is_what_runs_in_workflows():
    """Found, not listed: the converter the loop decodes messages with, and what the shells
    call; an activity's module, only named, is not."""
    found = {str(p.relative_to(ROOT)) for p in in_workflows()}
    assert {"temporal/data_converter.py", "temporal/handlers.py", "temporal/refusals.py",
            "temporal/search_attributes.py", "workflows/loop.py", "legacy/effects.py",
            "domain/engine/registry.py"} <= found
    assert not {p for p in found if p.split("/")[0] not in {"domain", "temporal", "legacy",
                                                            "workflows"}}


@pytest.mark.parametrize("package", ["domain", "workflows", "legacy", "temporal"])
def test_workflow_code_keeps_no_state_between_runs(package):
    """The worker runs workflows unsandboxed (README, "Speed and scale"): nothing at module
    level may change, so no ``global`` statement, and a module-level container is a
    constant (UPPER_CASE), never a variable that one run could fill for the next."""
    offending = []
    for path in workflow_code(package):
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


MUTATING = {"append", "add", "update", "setdefault", "pop", "popitem", "clear", "extend",
            "insert", "remove", "discard", "appendleft", "extendleft", "sort", "reverse"}


def is_module(name: str) -> bool:
    """``name`` is a module: the product's, the standard library's or another package's."""
    if module_file(name):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a name in a module, not a module of a package
        return False


def module_level_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names a module binds at its top (constants, imports, functions, classes), and of
    those, the ones that are modules (``from domain.engine import registry``)."""
    names, imported_modules = set(), set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom, ast.With)):
            for found in ast.walk(node):  # imports passed through the sandbox are in a `with`
                if isinstance(found, ast.Import):
                    bound = {(a.asname or a.name).split(".")[0] for a in found.names}
                    names |= bound
                    imported_modules |= bound
                elif isinstance(found, ast.ImportFrom):
                    for alias in found.names:
                        names.add(alias.asname or alias.name)
                        if is_module(f"{found.module}.{alias.name}"):
                            imported_modules.add(alias.asname or alias.name)
    return names, imported_modules


def mutated_module_state(tree: ast.Module) -> list[str]:
    """Where a function changes what its module (or another) holds at module level: through
    a subscript (assigned, deleted, augmented), an attribute, or a mutating method call
    (``SEEN[key] = x``, ``del CACHE[k]``, ``registry.MESSAGES[n] = spec``, ``PROFILES.pop(p)``,
    ``QUEUE.append(x)``). A run would leave it changed for the next run in the process."""
    names, modules_bound = module_level_names(tree)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        local = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)} | {
            n.id for n in ast.walk(function) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}

        def shared(node: ast.expr, module_too: bool = False) -> bool:
            """A module-level object (a module itself only if ``module_too``: a method call
            on a module is a function's), or an attribute of an imported module."""
            if isinstance(node, ast.Name):
                return node.id in names - local and (module_too or node.id not in modules_bound)
            return isinstance(node, ast.Attribute) and shared(node.value, module_too=True)

        body = function.body if isinstance(function.body, list) else [function.body]
        for node in (n for statement in body for n in ast.walk(statement)):
            changed = []
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) \
                    else [node.target]
                changed = [t.value for t in targets if isinstance(t, ast.Subscript)
                           and shared(t.value)]
                changed += [t.value for t in targets if isinstance(t, ast.Attribute)
                            and shared(t.value, module_too=True)]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in MUTATING and shared(node.func.value):
                changed = [node.func.value]
            found += [(node.lineno, ast.unparse(target)) for target in changed]
    return [f"{line} {target}" for line, target in sorted(set(found))]


@pytest.mark.parametrize("package", ["domain", "workflows", "legacy", "temporal"])
def test_workflow_code_changes_nothing_held_at_module_level(package):
    """An UPPER_CASE container is a constant only if nothing changes it: no function of the
    code that runs in workflows assigns or deletes through it or calls a mutating method on
    it (``PROFILES`` is a plain dict every incident reads; a test swaps it with
    ``monkeypatch``, the product never)."""
    offending = [f"{path.relative_to(ROOT)}:{where}" for path in running_in_workflows(package)
                 for where in mutated_module_state(ast.parse(path.read_text(encoding="utf-8")))]
    assert offending == []


def test_the_module_state_check_finds_what_it_is_for():
    flagged = ast.parse(
        "from domain.engine import registry\nfrom domain.profiles import PROFILES\n"
        "SEEN = {}\nCACHE = []\nclass Kept:\n    count = 0\n"
        "def remember(key, value):\n    SEEN[key] = value\n    CACHE.append(value)\n"
        "    del SEEN[key]\n    SEEN[key] += 1\n    PROFILES.pop(key)\n"
        "    registry.MESSAGES[key] = value\n    registry.MESSAGES.update({})\n"
        "    Kept.count = 1\n    registry.LIMIT = 2\n")
    assert [line.split(" ", 1)[1] for line in mutated_module_state(flagged)] == [
        "SEEN", "CACHE", "SEEN", "SEEN", "PROFILES", "registry.MESSAGES", "registry.MESSAGES",
        "Kept", "registry"]
    passed = ast.parse(
        "from domain.engine import registry\nSEEN = {}\n"
        "def fresh(state, key):\n    seen = dict(SEEN)\n    seen[key] = 1\n"
        "    state.items.append(key)\n    state.kept[key] = 1\n    registry.parse(key, ())\n"
        "    SEEN.get(key)\n    return [x for x in SEEN]\n"
        "def shadowed(SEEN):\n    SEEN[1] = 2\n"
        "TABLE = {}\nTABLE['at import'] = 1\n")
    assert mutated_module_state(passed) == []


NONDETERMINISTIC = {"random", "secrets", "time", "os", "uuid", "socket", "subprocess",
                    "threading", "multiprocessing", "concurrent", "urllib", "http", "sqlite3",
                    "io", "shutil", "tempfile", "glob"}


@pytest.mark.parametrize("package", ["domain", "workflows", "legacy", "temporal"])
def test_workflow_code_reads_no_clock_randomness_or_io(package):
    """What the sandbox would refuse at run time, refused here for every line: workflow
    code's only clock is ``workflow.now()`` (the procedure gets it in its context)."""
    offending = []
    for path in workflow_code(package):
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



def imported_at_top_level(tree: ast.Module) -> set[str]:
    """What a module imports in its body: not in a function, nor passed through the sandbox
    (``with workflow.unsafe.imports_passed_through():``)."""
    return imports_of(ast.Module(body=[node for node in tree.body
                                       if isinstance(node, (ast.Import, ast.ImportFrom))],
                                 type_ignores=[]))


@pytest.mark.parametrize(("importer", "shell_module"), [
    ("workflows/incident.py", "workflows.loop"),
    ("workflows/loop.py", "workflows.carrying"),
])
def test_a_sandboxed_worker_checks_the_shell(importer, shell_module):
    """The run loop, and what carries out its effects, are imported outside
    `imports_passed_through`, so a sandboxed worker (the tests', `sandbox = true`) imports
    them afresh per run and checks their every line (README, "Speed and scale")."""
    tree = ast.parse((ROOT / importer).read_text(encoding="utf-8"))
    assert shell_module in imported_at_top_level(tree)


def test_the_sandbox_check_finds_what_it_is_for():
    passed_through = ast.parse("with workflow.unsafe.imports_passed_through():\n"
                               "    from workflows.carrying import Carrier\n"
                               "def later():\n    import workflows.loop\n")
    assert imported_at_top_level(passed_through) == set()
