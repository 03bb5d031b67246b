"""docs/architecture.md's "A new message", carried out: its steps in a copy of the working
tree (tests/support/new_message.py, from the example tests/domain/test_new_message.py holds),
then the document's commands as it writes them; every check they name must pass there.

About 15 s (a copy, a time-skipping server and mypy in subprocesses), so it sits with the
other tests of the documents, not among the domain's tests that run in milliseconds.
"""

import ast
import shutil
from pathlib import Path

import pytest

from tests.support.new_message import GENERATED, ROOT, commands, steps
from tests.support.working_copy import copied, edited, passed


@pytest.mark.timeout(300)
def test_following_the_documented_steps_passes_every_check_they_name(tmp_path: Path):
    """Steps 1–7 in a copy, then the document's commands: the scripts write the declarations
    and the README (steps 8–9), and the tests they name all pass, among them the real
    server's list of signals and updates, the typed client under mypy and the step's own
    test. No git checkout needed: the working tree is copied as it is."""
    copy = copied(tmp_path)
    edited(copy, steps())
    for command in commands():
        passed(command, copy)
    for name in GENERATED:
        assert "record_hearing" in (copy / name).read_text(encoding="utf-8"), name
        assert "record_hearing" not in (ROOT / name).read_text(encoding="utf-8"), name
    shutil.rmtree(copy)  # about 36 MB; pytest keeps a failed run's copy to look at


@pytest.mark.parametrize("name", [n for n in steps() if n.endswith(".py")])
def test_a_step_edits_a_reformatted_file_alike(name: str):
    """The steps find their places in the file's syntax tree, not its layout: on the file
    written anew from its tree (every line joined or split differently, comments gone) a
    step makes the same program as on the file itself."""
    step, text = steps()[name], (ROOT / name).read_text(encoding="utf-8")
    reformatted = ast.unparse(ast.parse(text))
    assert reformatted != text
    assert ast.dump(ast.parse(step(reformatted))) == ast.dump(ast.parse(step(text)))
