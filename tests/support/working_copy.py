"""A copy of the working tree to carry a document's steps out in, and its commands run there
as the document writes them (tests/docs/test_new_message_steps.py, test_new_rule_steps.py)."""

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What a working tree holds that is not the repository's: the environment, the data, caches.
NOT_THE_REPOSITORY = shutil.ignore_patterns(".git", ".venv", "var", "__pycache__", ".*_cache",
                                            "*.egg-info")


def copied(into: Path) -> Path:
    """The working tree as it is, copied (no git checkout needed)."""
    return Path(shutil.copytree(ROOT, into / "repo", ignore=NOT_THE_REPOSITORY))


def edited(copy: Path, steps: dict[str, Callable[[str], str]]) -> None:
    """Each step applied to the file it names in ``copy`` (a file not there yet starts empty)."""
    for name, step in steps.items():
        path = copy / name
        path.write_text(step(path.read_text(encoding="utf-8") if path.exists() else ""),
                        encoding="utf-8")


def run(command: str, copy: Path) -> subprocess.CompletedProcess[str]:
    """A documented ``.venv/bin/python …`` command, run in ``copy`` by the interpreter that
    runs the tests (pytest without its cache, which would write into the copy)."""
    assert command.startswith(".venv/bin/python "), command
    argv = [sys.executable, *command.split()[1:]]
    if "pytest" in argv:
        argv += ["-p", "no:cacheprovider"]
    return subprocess.run(argv, cwd=copy, capture_output=True, text=True)


def passed(command: str, copy: Path) -> None:
    """``command`` run in ``copy`` succeeds, or the test fails with the end of its output."""
    done = run(command, copy)
    assert done.returncode == 0, f"{command}\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
