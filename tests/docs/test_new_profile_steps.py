"""docs/architecture.md's "A new profile", carried out: the ``ProfileName`` member, the
``PolicyProfile`` and its ``PROFILES`` entry, its row in tests/domain/test_profiles.py and
its name in a per-profile duty of the rules, exactly as the document shows them (read and
merged as tests/support/new_rule.py reads the new rule's), in a copy of the working tree;
then the document's commands, which must pass there, and incidents opened under the new
name in the procedure (the last test here, which runs only in that copy).

About 10 s (a copy, a few test runs and mypy in subprocesses), so it sits with the other
tests of the documents.
"""

import shutil
from pathlib import Path

import pytest

from domain.profiles import LocalDefaults, ProfileName, WindowId, profile_for
from domain.rules_version import CURRENT_RULES
from tests.domain.procedure.drive import at, reported, timeline
from tests.support.new_rule import (
    alike_when_reformatted, changes_in_order, commands, product_naming, section_of, steps,
)
from tests.support.working_copy import copied, edited, passed, run

NEW = "suzhou-2018"
NEW_NAMES = ("SUZHOU_2018", NEW)  # the example's only: the product has neither
STEP_FILES = ["domain/profiles.py", "tests/domain/test_profiles.py", "domain/rules_version.py"]
ROW = "tests/domain/test_profiles.py"
OPENS = "tests/docs/test_new_profile_steps.py::test_in_the_copy_incidents_open_under_the_new_profile"


def section() -> str:
    """The document's "A new profile", up to "Versions"."""
    return section_of("**A new profile**", "## Versions")


@pytest.mark.timeout(300)
def test_following_the_documented_steps_passes_the_checks_they_name(tmp_path: Path):
    """Without step 2 (the row) the profiles' test fails; with it, the README's windows are
    out of date until the first command runs; then the document's commands pass (the README
    written, the profiles' and the rules' tests, mypy), and incidents open under the new
    name in the procedure."""
    copy = copied(tmp_path)
    every = steps(section())
    edited(copy, {name: step for name, step in every.items() if name != ROW})
    rowless = run(f".venv/bin/python -m pytest -q {ROW}", copy)
    assert rowless.returncode == 1 and "1 failed" in rowless.stdout, rowless.stdout[-3000:]
    assert f"FAILED {ROW}::test_every_profile_has_its_row_from_the_source_documents" \
        in rowless.stdout
    edited(copy, {ROW: every[ROW]})
    stale = run(".venv/bin/python scripts/readme_windows.py --check", copy)
    assert stale.returncode == 1 and "windows table is out of date" in stale.stdout + stale.stderr
    for command in commands(section()):
        passed(command, copy)
    table = (copy / "README.md").read_text(encoding="utf-8").split("<!-- windows:", 1)[1]
    assert f"| {NEW} |" in table.splitlines()[1]
    opened = run(f".venv/bin/python -m pytest -q {OPENS}", copy)
    assert opened.returncode == 0 and "1 passed" in opened.stdout, opened.stdout[-3000:]
    shutil.rmtree(copy)  # pytest keeps a failed run's copy to look at


@pytest.mark.skipif(NEW not in {p.value for p in ProfileName},
                    reason="runs in the copy the steps were carried out in")
def test_in_the_copy_incidents_open_under_the_new_profile():
    """Opened as the starter opens a new incident (under ``CURRENT_RULES``, the payload
    naming the profile): each unit's W-RESP is planned with the
    profile's own hours and source, and a major emergency gets its W-PRESS and, from the
    rules' set, its upward report."""
    profile = profile_for(NEW)
    resp = profile.rule(WindowId.RESP, LocalDefaults())
    assert resp is not None and resp.hours == 24
    state, _ = reported(NEW, category="R2", severity="一般", units=("u1", "u2"),
                        rules_version=CURRENT_RULES)
    planned = [w for w in state.status.windows if w.statutory]
    assert [(w.id, w.unit_id) for w in planned] == [(WindowId.RESP, "u1"), (WindowId.RESP, "u2")]
    assert all(w.hours == resp.hours and w.deadline == at(resp.hours)
               and w.source == resp.source for w in planned)
    major, _ = reported(NEW, category="E1", severity="重大", rules_version=CURRENT_RULES)
    [press] = [w for w in major.status.windows if w.id == WindowId.PRESS]
    assert press.hours == 24 and press.statutory
    assert timeline(major, "report_upward")


def test_the_steps_name_the_files_they_change_in_order():
    changes_in_order(STEP_FILES, section())


def test_the_product_has_not_got_the_example():
    assert not product_naming(NEW_NAMES)


def test_the_section_says_which_test_carries_it_out():
    assert "tests/docs/test_new_profile_steps.py" in section()


@pytest.mark.parametrize("name", STEP_FILES)
def test_a_step_edits_a_reformatted_file_alike(name: str):
    alike_when_reformatted(steps(section())[name], name)
