"""Small modules, and tests that mirror the source folders (and are found where scripts
name them)."""

from pathlib import Path

from tests.layering.sources import LAYERS, PRODUCT, ROOT, TESTS, modules

MODULE_LINES_MAX = 300


def test_no_product_module_is_over_the_size_limit():
    too_long = {str(p.relative_to(ROOT)): n for package in PRODUCT for p in modules(package)
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MODULE_LINES_MAX}
    assert too_long == {}


# The incident's shell: the workflow, its run loop and what carries effects out (the
# archive's and the bulletin's workflows are their own). It holds the incident's process
# only: its decisions live in the core (domain/engine: what falls next, whether a wait
# starts again, which shell serves a run) and Temporal's plumbing in temporal/ (continue-as-
# new, waits through cancellation, activities in the background, upserts and details), so
# a new version or message that needs much more here belongs in one of those.
INCIDENT_SHELL = ("workflows/__init__.py", "workflows/incident.py", "workflows/loop.py",
                  "workflows/carrying.py")
INCIDENT_SHELL_LINES_MAX = 400


def test_the_incident_s_shell_stays_under_its_size():
    """Every module of the package that serves incidents is counted, and nothing else is."""
    served = {str(p.relative_to(ROOT)) for p in modules("workflows")} - {
        "workflows/archive.py", "workflows/bulletin.py"}
    assert served == set(INCIDENT_SHELL), "a new module of the shell: count it here"
    lines = sum(len((ROOT / p).read_text(encoding="utf-8").splitlines()) for p in INCIDENT_SHELL)
    assert lines <= INCIDENT_SHELL_LINES_MAX, \
        f"{lines} lines: move what decides into the core, Temporal's plumbing into temporal/"


CROSS_CUTTING = {
    "histories": "recorded histories, replayed by the SDK's Replayer (every version's behaviour)",
    "runtime": "end to end on a real server: `yuqing dev`, the CLI, the web UI, the archive",
    "deploy": "docker-compose.yml and the worker image, parsed and run on a bare dev server",
    "docs": "what README.md says, checked against the code",
    "support": "helpers several folders share; no test of its own",
}
# Not a source folder's tests, nor a suite across the layers: the tests of the repository's
# shape as a whole (its layers, sizes, the SDK's public API only, where tests go).
WHOLE_REPOSITORY = {"layering": "the repository as a whole: tests/layering"}


def misplaced_tests(test_files: list[Path]) -> list[str]:
    """Test files in no folder of the source's, and those named for a module of their layer
    that lives in another of its folders (``domain/procedure/test_roster.py`` for
    ``domain/roster.py``)."""
    sources = [p.relative_to(ROOT) for package in LAYERS for p in modules(package)]
    source_folders = {p.parent for p in sources}
    return [str(path) for path in test_files
            if not (path.parts[0] in WHOLE_REPOSITORY and len(path.parts) == 2
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
    holds shared helpers and no tests; ``tests/layering`` (``WHOLE_REPOSITORY``) checks the
    whole repository. A test file's name is unique across ``tests/``: pytest imports test files
    by name (the test folders are not packages), so two alike would collide.
    """
    test_files = sorted(p.relative_to(TESTS) for p in TESTS.rglob("test_*.py"))
    assert misplaced_tests(test_files) == []
    names = [p.name for p in test_files]
    assert sorted({n for n in names if names.count(n) > 1}) == []
    assert all((TESTS / folder).is_dir() for folder in [*CROSS_CUTTING, *WHOLE_REPOSITORY])


def test_the_mirror_check_finds_what_it_is_for():
    assert misplaced_tests([Path("whatif/test_inputs.py"), Path("support/test_helpers.py"),
                            Path("test_codec.py"), Path("workers/audits/test_report.py"),
                            Path("test_layering.py"), Path("layering/domain/test_x.py")]) == [
        "whatif/test_inputs.py", "support/test_helpers.py", "test_codec.py",
        "workers/audits/test_report.py", "test_layering.py", "layering/domain/test_x.py"]
    assert misplaced_tests([Path("domain/whatif/test_inputs.py"), Path("runtime/test_cli.py"),
                            Path("domain/engine/test_registry.py"),
                            Path("workflows/test_outbox.py"),
                            Path("layering/test_imports.py")]) == []
    assert misplaced_tests([Path("domain/procedure/test_roster.py"),
                            Path("domain/engine/test_profiles.py")]) == [
        "domain/procedure/test_roster.py", "domain/engine/test_profiles.py"]


def test_the_newest_release_check_names_tests_that_exist():
    """scripts/replay_newest.sh (run by .ci/run) names its tests by path: a test moved to
    mirror its module must be followed there, or the check fails only in CI."""
    script = (ROOT / "scripts" / "replay_newest.sh").read_text()
    listed = script.split("TESTS=(", 1)[1].split(")", 1)[0].split()
    assert listed and all((ROOT / path).exists() for path in listed), \
        [path for path in listed if not (ROOT / path).exists()]
