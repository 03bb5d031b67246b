"""The product type-checks clean (mypy, configured in pyproject.toml's ``[tool.mypy]``): what
a caller passes, a function returns and the SDK's API takes agree. scripts/replay_newest.sh
runs this folder on the newest temporalio too, so a release that changes a call we make
fails here, before any worker runs it."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import temporalio

from tests.layering.sources import ROOT

# one cache per SDK release: the newest's venv must not read .venv's results
CACHE = ROOT / "var" / "mypy_cache" / temporalio.__version__

# A wrong call into the SDK: it fails only if mypy reads temporalio's own types from the
# interpreter that runs the tests (a module it cannot find would be an error, never Any).
WRONG_SDK_CALL = """
from datetime import timedelta
from temporalio import workflow

async def deliver() -> None:
    await workflow.execute_activity("deliver", start_to_close_timeout="5 minutes")
    await workflow.execute_activity("deliver", start_to_close_timeout=timedelta(minutes=5))
"""


def mypy(*arguments: str, cache: Path = CACHE) -> subprocess.CompletedProcess[str]:
    """mypy under this interpreter, so it reads the packages this suite runs against."""
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), *arguments],
                          cwd=ROOT, capture_output=True, text=True)


@pytest.mark.timeout(300)
def test_the_product_type_checks():
    checked = mypy()
    assert checked.returncode == 0, checked.stdout[-6000:] + checked.stderr[-2000:]


@pytest.mark.timeout(300)
def test_the_check_reads_the_sdk_s_own_types(tmp_path: Path):
    calls = tmp_path / "calls.py"
    calls.write_text(WRONG_SDK_CALL, encoding="utf-8")
    checked = mypy(str(calls), cache=tmp_path / "cache")  # the snippet's path changes each run
    errors = re.findall(rf"^{re.escape(str(calls))}:(\d+): error", checked.stdout, re.MULTILINE)
    assert errors == ["6"], checked.stdout + checked.stderr  # the string, not the timedelta
