"""docs/architecture.md's "A new message", carried out: its steps in a copy of the working
tree (tests/support/new_message.py, from the example tests/domain/test_new_message.py holds),
then the document's commands as it writes them; every check they name must pass there.

About 15 s (a copy, a time-skipping server and mypy in subprocesses), so it sits with the
other tests of the documents, not among the domain's tests that run in milliseconds.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.new_message import GENERATED, ROOT, commands, steps

# What a working tree holds that is not the repository's: the environment, the data, caches.
NOT_THE_REPOSITORY = shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", ".*_cache",
                                            "*.egg-info")


@pytest.mark.timeout(300)
def test_following_the_documented_steps_passes_every_check_they_name(tmp_path: Path):
    """Steps 1–7 in a copy, then the document's commands: the scripts write the declarations
    and the README (steps 8–9), and the tests they name all pass, among them the real
    server's list of signals and updates, the typed client under mypy and the step's own
    test. No git checkout needed: the working tree is copied as it is."""
    copy = Path(shutil.copytree(ROOT, tmp_path / "repo", ignore=NOT_THE_REPOSITORY))
    for name, step in steps().items():
        path = copy / name
        path.write_text(step(path.read_text(encoding="utf-8") if path.exists() else ""),
                        encoding="utf-8")
    for command in commands():
        assert command.startswith(".venv/bin/python "), command
        argv = [sys.executable, *command.split()[1:]]
        if "pytest" in argv:
            argv += ["-p", "no:cacheprovider"]
        run = subprocess.run(argv, cwd=copy, capture_output=True, text=True)
        assert run.returncode == 0, f"{command}\n{run.stdout[-4000:]}\n{run.stderr[-2000:]}"
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
