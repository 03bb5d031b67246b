"""mypy over a few files, as a client's code would be checked: where it finds errors."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mypy_errors(*paths: Path | str) -> tuple[list[tuple[str, int]], str]:
    """Each error mypy finds in ``paths`` as (path, line), and its whole output."""
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", "--ignore-missing-imports",
         "--no-incremental", *map(str, paths)],
        cwd=ROOT, capture_output=True, text=True)
    errors = re.findall(r"^(.+?):(\d+): error:", checked.stdout, re.MULTILINE)
    return [(path, int(line)) for path, line in errors], checked.stdout
