"""The shape the code promises: a Temporal-free core, imports that point one way, small
modules, and tests that mirror the source folders."""

import ast
import functools
import tomllib
from pathlib import Path

import pytest

from tests.support.private_names import Repository
from tests.support.sdk_names import sdk_private_names

ROOT = Path(__file__).resolve().parent.parent
# The layers, lowest first: a module imports only from its own layer and those below it.
LAYERS = [
    "domain",      # the procedure as plain Python over plain data: no Temporal, no I/O
    "temporal",    # what every process agrees on through Temporal: names, converter, codec,
                   # search attributes
    "settings",    # the deployment's own: data directory, yuqing.toml, payload keys
    "activities",  # side effects: the outbox, channels, the archive, the bulletin
    "legacy",      # the frozen shell of workflow versions 1–5 (legacy/__init__.py)
    "workflows",   # the shell: carries out what the procedure decides (names activities)
    "workers",     # the processes: worker, dev server, codec server, replay
    "starter",     # the CLI and the API
]
PRODUCT = LAYERS
# Imports that still point up, each with the change that removes it; the test fails when
# one is gone too, so the list never outlives its reason.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}
MODULE_LINES_MAX = 300


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


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
    assert upward_imports(product_imports()) - KNOWN_UPWARD.keys() == set()


def test_each_known_upward_import_is_still_there():
    assert KNOWN_UPWARD.keys() - upward_imports(product_imports()) == set(), \
        "fixed: remove it from KNOWN_UPWARD"


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


def test_the_paragraphs_use_only_the_engine_s_step_and_deadlines():
    """Within the domain: ``domain.engine`` runs the paragraphs of ``domain.procedure``; a
    paragraph uses the step and the deadlines, and only the registry knows the paragraphs."""
    paragraphs_use = {n for p in modules("domain/procedure") for n in imported(p)
                      if n.startswith("domain.engine")}
    assert paragraphs_use <= {"domain.engine.step", "domain.engine.deadlines"}
    assert [str(p.relative_to(ROOT)) for p in modules("domain/engine") if p.name != "registry.py"
            and any(n.startswith("domain.procedure") for n in imported(p))] == []


@pytest.mark.parametrize("package", PRODUCT)
def test_the_product_ships_no_test_helpers(package):
    assert importers(package, "tests") == []


def test_no_product_module_is_over_the_size_limit():
    too_long = {str(p.relative_to(ROOT)): n for package in PRODUCT for p in modules(package)
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES_MAX}
    assert too_long == {}


CONTAINERS = {"dict", "list", "set", "defaultdict", "deque", "Counter", "OrderedDict"}


# The temporal layer's modules that run inside workflow code (the loop calls them).
IN_WORKFLOWS = ("temporal/search_attributes.py", "temporal/refusals.py")


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


# ------------------------------------------------ the SDK's public API only

CHECKED = [*PRODUCT, "tests", "scripts", "benchmarks", "examples"]


def python_files() -> list[Path]:
    return [p for folder in CHECKED if (ROOT / folder).is_dir()
            for p in sorted((ROOT / folder).rglob("*.py"))]


@functools.cache
def repository() -> Repository:
    return Repository(ROOT, {path: ast.parse(path.read_text(encoding="utf-8"))
                             for path in python_files()})


def private_sdk_uses(samples: dict[str, str] | None = None) -> list[str]:
    """What the guard flags in the repository, or in these samples (a path relative to the
    root → its source) read beside the repository's files."""
    if not samples:
        return repository().uses()
    parsed = {ROOT / path: ast.parse(text) for path, text in samples.items()}
    return repository().beside(parsed).uses(set(parsed))


def test_no_private_sdk_name_is_used_anywhere():
    """No import of the SDK's bridge, no private SDK module, no underscore attribute that is
    not shown to be this repository's own (tests/support/private_names.py says how): an SDK
    release may change any of them without notice."""
    assert private_sdk_uses() == []


def test_the_sdk_s_private_names_include_what_its_instances_set():
    # a class attribute, and attributes its __init__ sets (a handle keeps its client so)
    names = sdk_private_names()
    assert {"_" + name for name in ("type_adapter", "client", "started", "name")} <= names
    assert "_message_index" not in names and "_exit" not in names


# each private name spelled in two pieces: a `git grep` for them finds none in the repo
OURS = ("from domain.engine.step import IncidentState\n"
        "class Server:\n"
        "    def __init__(self, client): self._cl" "ient = client\n"
        "    def client(self): return self._cl" "ient\n"
        "    @classmethod\n"
        "    def make(cls): return cls._cl" "ient\n"
        "def index(state: IncidentState): return state._message_index\n"
        "def quoted(state: 'IncidentState'): state._message_index = None\n"
        "import os, argparse\n"
        "def leave(parser: argparse._SubParsersAction): os._exit(0)\n"
        "class Clock:\n"  # a string on self in our class is ours as the attribute form is
        "    _st" "arted = False\n"
        "    def begun(self): return getattr(self, '_st" "arted')\n")


def test_the_guard_passes_what_is_ours():
    assert private_sdk_uses({"tests/ours.py": OURS}) == []


@pytest.mark.parametrize("line", [
    # text, not a name: the SDK has attributes `_id`, `_start` and `_type`, but these are text
    'def f(name): return name.endswith("_id")',
    'def f(x): return x.removesuffix("_st' 'art")',
    'LABELS = {"_ty' 'pe": "类型"}',
    'def f(key): return key in ("_st' 'art", "_i' 'd") or key == "_ty' 'pe"',
    'def f(name): return f"{name}_i' 'd"',  # a piece of a name, not a whole one
])
def test_the_guard_passes_strings_that_name_nothing(line):
    assert private_sdk_uses({"domain/sample.py": line + "\n"}) == []


@pytest.mark.parametrize("line", [
    "from temporalio." "bridge.worker import decode_" "activation",
    "from temporalio import bri" "dge",
    "import temporalio.worker." "_workflow",
    "from temporalio.converter import _" "extstore",
    "converter._type_" "adapter = cache",
    "getattr(converter, '_encode_payload_" "sequence')",
    "getattr(handle, f'_cl" "ient{suffix}')",
    'getattr(handle, "_cl' 'ient")',
    "setattr(handle, '_cl" "ient', None)",
    "operator.attrgetter('id', 'handle._cl" "ient')",
    "SKIPPED = 'temporalio.bri" "dge.worker'",  # a forbidden module, wherever it is spelled
    "importlib.import_module('temporalio.bri" "dge.proto')",
    # an SDK object's private attribute, though `Server` above sets one of that name
    "async def f(handle): return handle._cl" "ient",
    "def f(handle: WorkflowHandle): return handle._cl" "ient",
    "def f(server: Server): return server._cl" "ient",  # the SDK names it too: not proof
    "def f(x): x._n" "ame, x._st" "arted",
    "def f(state): return state._message_index",  # ours, but not shown to be
    "def f(self): return self._message_index",    # `self` outside a class
    "print(os._st" "arted)", "argparse._exit",
    # a name spelled as a string, read as one further on (as workers/data_converter.py once did)
    "PASSES = ('_decode_payload_" "sequence', '_encode_payload_" "sequence')\n"
    "for name in PASSES:\n    setattr(SlimConverter, name, getattr(DataConverter, name))",
    "def f(h): return vars(h)['_cl" "ient']",
    "def f(h): return h.__dict__['_cl" "ient']",
    "def f(h): return mock.patch.object(h, '_cl" "ient')",
    "def f(h): return inspect.getattr_static(h, '_cl" "ient')",
    "CALL = operator.methodcaller('_decode_payload_" "sequence')",
    "def f(h): return getattr(h, f'{prefix}._cl" "ient')",
    "class Converter(DataConverter):\n"
    "    async def _decode_payload_" "sequence(self, payloads): ...",
    "class Converter(DataConverter):\n    def __init__(self): self._cl" "ient = 1",
    "class Mine(SlimConverter):\n    def f(self): return self._type_" "adapter",
    "def made():\n    class Base(DataConverter): pass\n"  # a base not known: the SDK's, maybe
    "    class Mine(Base):\n        def f(self): return self._type_" "adapter",
])
def test_the_guard_finds_what_it_is_for(line):
    given = ("from temporalio.client import WorkflowHandle\n"
             "from temporalio.converter import DataConverter\n"
             "import importlib, inspect, operator, os, argparse\n"
             "from unittest import mock\n"
             "class SlimConverter(DataConverter): pass\n" + OURS)
    uses = private_sdk_uses({"tests/sample.py": given + line + "\n"})
    lines = {int(use.split(":")[1].split()[0]) for use in uses}
    assert lines and min(lines) > given.count("\n"), uses


# ------------------------------------------------ tests mirror the source folders

TESTS = ROOT / "tests"
CROSS_CUTTING = {
    "histories": "recorded histories, replayed by the SDK's Replayer (every version's behaviour)",
    "runtime": "end to end on a real server: `yuqing dev`, the CLI, the web UI, the archive",
    "deploy": "docker-compose.yml and the worker image, parsed and run on a bare dev server",
    "docs": "what README.md says, checked against the code",
    "support": "helpers several folders share; no test of its own",
}
WHOLE_REPOSITORY = {"test_layering.py"}


def misplaced_tests(test_files: list[Path]) -> list[str]:
    """Test files in no folder of the source's, and those named for a module of their layer
    that lives in another of its folders (``domain/procedure/test_roster.py`` for
    ``domain/roster.py``)."""
    sources = [p.relative_to(ROOT) for package in LAYERS for p in modules(package)]
    source_folders = {p.parent for p in sources}
    return [str(path) for path in test_files
            if not (path.parent == Path() and path.name in WHOLE_REPOSITORY
                    or path.parent in source_folders
                    and not named_for_a_module_elsewhere(path, sources)
                    or path.parts[0] in CROSS_CUTTING.keys() - {"support"})]


def named_for_a_module_elsewhere(test: Path, sources: list[Path]) -> bool:
    """(A test named for a module of a lower layer is a behaviour seen through its own
    layer's code: ``workflows/test_outbox.py``.)"""
    module = test.name.removeprefix("test_")
    same_layer = [p for p in sources if p.name == module and p.parts[0] == test.parts[0]]
    return bool(same_layer) and test.parent / module not in sources


def test_tests_mirror_the_source_folders():
    """Where a test goes. A unit test of a module sits in the folder that mirrors the
    module's folder: ``tests/<package>/<subpackage>/test_<module>.py``
    (``domain/engine/registry.py`` → ``tests/domain/engine/test_registry.py``). A test of
    a behaviour seen through one folder's code sits in that folder as
    ``test_<behaviour>.py`` (``tests/workflows/test_escalation_ladder.py``). A suite that
    cuts across the layers sits in one of the folders named in ``CROSS_CUTTING`` (recorded
    histories, end to end on a real server, deployment, the README); ``tests/support``
    holds shared helpers and no tests; ``tests/test_layering.py`` checks the whole
    repository. A test file's name is unique across ``tests/``: pytest imports test files
    by name (the test folders are not packages), so two alike would collide.
    """
    test_files = sorted(p.relative_to(TESTS) for p in TESTS.rglob("test_*.py"))
    assert misplaced_tests(test_files) == []
    names = [p.name for p in test_files]
    assert sorted({n for n in names if names.count(n) > 1}) == []
    assert all((TESTS / folder).is_dir() for folder in CROSS_CUTTING)


def test_the_mirror_check_finds_what_it_is_for():
    assert misplaced_tests([Path("whatif/test_inputs.py"), Path("support/test_helpers.py"),
                            Path("test_codec.py"), Path("workers/audit/test_report.py")]) == [
        "whatif/test_inputs.py", "support/test_helpers.py", "test_codec.py",
        "workers/audit/test_report.py"]
    assert misplaced_tests([Path("domain/whatif/test_inputs.py"), Path("runtime/test_cli.py"),
                            Path("domain/engine/test_registry.py"),
                            Path("workflows/test_outbox.py")]) == []
    assert misplaced_tests([Path("domain/procedure/test_roster.py"),
                            Path("domain/engine/test_profiles.py")]) == [
        "domain/procedure/test_roster.py", "domain/engine/test_profiles.py"]


# Modules a test above the domain may import whatever its layer, to run its layer's code as
# the product runs it: each with what it is for. The domain's tests use none (no server).
TEST_DRIVERS = {
    "starter.api": "the client's calls (report, send, query): how every caller drives an incident",
    "workers.replay": "the product's replayer: how a test checks a history replays",
    "workers.detached_start": "the worker's runner and interceptors (tests/support/worker.py)",
    "workers.dev_server": "free_ports: the ports a test's own receivers listen on",
}


def module_file(name: str) -> Path | None:
    path = ROOT / Path(*name.split("."))
    return next((p for p in (path.with_suffix(".py"), path / "__init__.py") if p.is_file()), None)


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
        "domain/test_audit_report.py": {"domain.audit_report", "workers.replay"},
        "domain/test_details.py": {"temporal.search_attributes", "tests.domain.builders"},
        "domain/whatif/test_driver.py": {"tests.workflows.scenario"},
        "domain/whatif/test_proposal.py": {"tests.runtime.cli_helpers"},
        "workflows/test_flood.py": {"starter.api", "workers.replay", "tests.support.worker"},
        "temporal/test_codec.py": {"settings.keys", "temporal.codec"},
        "starter/test_api.py": {"starter.api", "workers.replay", "domain.status"},
    })
    assert found == {("domain/test_audit_report.py", "workers.replay"),
                     ("domain/test_details.py", "temporal.search_attributes"),
                     ("domain/whatif/test_driver.py", "tests.workflows.scenario"),
                     ("domain/whatif/test_proposal.py", "tests.runtime.cli_helpers"),
                     ("temporal/test_codec.py", "settings.keys")}
    helper = ROOT / "tests" / "workflows" / "scenario.py"
    assert "starter.api" in imports_of_test(helper)  # what a test using the scenarios imports


def imported_test_modules(files: dict[str, set[str]]) -> set[tuple[str, str]]:
    """(file, test module) for each import of a ``test_*.py`` module."""
    return {(path, name) for path, names in files.items() for name in names
            if name.split(".")[0] == "tests" and name.split(".")[-1].startswith("test_")}


def test_no_test_module_imports_another():
    """What tests share lives in tests/support, in a folder's helper module
    (``tests/workflows/scenario.py``) or in a conftest.py, never in a test module: importing
    one runs its module-level code again under another name and hides its fixtures'
    origin (a fixture imported by name is redefined by the test that asks for it)."""
    files = {str(p.relative_to(ROOT)): modules_imported(ast.parse(p.read_text(encoding="utf-8")))
             for p in python_files()}
    assert sorted(imported_test_modules(files)) == []


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


def test_the_newest_release_check_names_tests_that_exist():
    """scripts/replay_newest.sh (run by .ci/run) names its tests by path: a test moved to
    mirror its module must be followed there, or the check fails only in CI."""
    script = (ROOT / "scripts" / "replay_newest.sh").read_text()
    listed = script.split("TESTS=(", 1)[1].split(")", 1)[0].split()
    assert listed and all((ROOT / path).exists() for path in listed), \
        [path for path in listed if not (ROOT / path).exists()]


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
