"""mypy as the project configures it (pyproject.toml's ``[tool.mypy]``: a module it cannot find
is an error, never ``Any``), under the interpreter that runs the tests, so it reads the
packages this suite runs against: the product's own check (tests/layering/test_types.py) and
a client's code checked against the product (where it finds errors)."""

import re
import subprocess
import sys
from pathlib import Path

import temporalio

ROOT = Path(__file__).resolve().parents[2]
# one cache per SDK release: the newest's venv (scripts/replay_newest.sh) must not read .venv's
CACHE = ROOT / "var" / "mypy_cache" / temporalio.__version__


def mypy(*arguments: Path | str, cache: Path = CACHE) -> subprocess.CompletedProcess[str]:
    """mypy over ``arguments`` (none: the product, pyproject.toml's ``files``)."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *map(str, arguments)],
        cwd=ROOT, capture_output=True, text=True)


def mypy_errors(*paths: Path | str, cache: Path | None = None
                ) -> tuple[list[tuple[str, int]], str]:
    """Each error mypy finds in ``paths`` (or in what they import) as (path, line), and its
    whole output. A run that did not get as far as checking fails here, not as "no errors".
    A file outside the repository (a test's snippet in its tmp_path) gets a cache beside it:
    in the shared one, mypy would answer a later run's snippet, of the same module name at
    another path, with the errors it cached for the first, under the first one's path."""
    if cache is None:
        outside = [ROOT / p for p in paths if not (ROOT / p).resolve().is_relative_to(ROOT)]
        cache = outside[0].parent / "mypy_cache" if outside else CACHE
    checked = mypy(*paths, cache=cache)
    output = checked.stdout + checked.stderr
    errors = [(path, int(line)) for path, line
              in re.findall(r"^(.+?):(\d+): error:", checked.stdout, re.MULTILINE)]
    assert checked.returncode == (1 if errors else 0), output
    return errors, output
