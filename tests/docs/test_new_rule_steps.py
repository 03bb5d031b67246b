"""docs/architecture.md's "A new rule about an existing message", carried out: a new rules
version (a field of ``Rules``, the version that sets it, ``CURRENT_RULES`` moved on), the
check reading it through ``rules_of`` and its tests, exactly as the document shows them
(tests/support/new_rule.py reads the blocks from the document), in a copy of the working
tree; then the document's commands (step 4's, the documents' current version, is the first),
which must pass there.

About 40 s (a copy, the procedure's tests, every recorded history replayed and mypy in
subprocesses), so it sits with the other tests of the documents.
"""

import shutil

import pytest

from tests.support.new_rule import (
    NEW_NAMES, alike_when_reformatted, changes_in_order, commands, product_naming, section, steps,
)
from tests.support.working_copy import copied, edited, passed, run

STEP_FILES = ["domain/rules_version.py", "domain/procedure/assignment.py",
              "tests/domain/procedure/test_assignment.py"]
STEP_TESTS = "tests/domain/procedure/test_assignment.py"


@pytest.mark.timeout(300)
def test_following_the_documented_steps_passes_the_checks_they_name(tmp_path):
    """Without step 2 (the check) the step's own test of version 4 fails and that of version
    3 passes; with it, but before step 4's command, the documents still name version 3 and
    their check fails; the document's commands then pass: the documents' versions written,
    the procedure's tests, those naming ``CURRENT_RULES``, every recorded history replayed
    under the rules it was recorded with, and mypy."""
    copy = copied(tmp_path)
    every = steps()
    edited(copy, {name: step for name, step in every.items()
                  if name != "domain/procedure/assignment.py"})
    without_the_check = run(f".venv/bin/python -m pytest -q {STEP_TESTS}", copy)
    assert without_the_check.returncode == 1, without_the_check.stdout[-3000:]
    assert "1 failed" in without_the_check.stdout
    assert "FAILED tests/domain/procedure/test_assignment.py::test_from_rules_version_4_" \
        in without_the_check.stdout
    edited(copy, {"domain/procedure/assignment.py": every["domain/procedure/assignment.py"]})
    stale = run(".venv/bin/python -m pytest -q tests/docs/test_current_versions.py", copy)
    assert stale.returncode == 1 and "README.md, docs/rules.md: the current versions are " \
        "out of date" in stale.stdout, stale.stdout[-3000:]  # step 4, before its command
    for command in commands():
        passed(command, copy)
    for name in NEW_NAMES:
        assert name in (copy / "domain" / "rules_version.py").read_text(encoding="utf-8")
    shutil.rmtree(copy)  # pytest keeps a failed run's copy to look at


def test_the_steps_name_the_files_they_change_in_order():
    changes_in_order(STEP_FILES)


def test_the_product_has_not_got_the_example():
    """The example is the document's and the copy's only: before the steps run, no module
    names what they add."""
    assert not product_naming(NEW_NAMES)


def test_the_section_says_which_test_carries_it_out():
    assert "tests/docs/test_new_rule_steps.py" in section()


@pytest.mark.parametrize("name", STEP_FILES)
def test_a_step_edits_a_reformatted_file_alike(name: str):
    alike_when_reformatted(steps()[name], name)
