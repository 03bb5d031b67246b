"""Workflow code as the sandbox would have it: no state kept between runs, no clock,
randomness or I/O, and the shell imported where a sandboxed worker checks it."""

import ast
from pathlib import Path

import pytest

from tests.layering.sources import ROOT, imported, imports_of, modules

CONTAINERS = {"dict", "list", "set", "defaultdict", "deque", "Counter", "OrderedDict"}


# The temporal layer's modules that run inside workflow code (the loop calls them).
IN_WORKFLOWS = ("temporal/search_attributes.py", "temporal/refusals.py", "temporal/handlers.py")


def workflow_code(package: str) -> list[Path]:
    return [ROOT / p for p in IN_WORKFLOWS] if package == "temporal" else modules(package)


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
