"""The product type-checks clean (mypy, configured in pyproject.toml's ``[tool.mypy]``): what
a caller passes, a function returns and the SDK's API takes agree. scripts/replay_newest.sh
runs this folder on the newest temporalio too, so a release that changes a call we make
fails here, before any worker runs it."""

from pathlib import Path

import pytest

from tests.support.type_check import mypy, mypy_errors

# A wrong call into the SDK: it fails only if mypy reads temporalio's own types from the
# interpreter that runs the tests (a module it cannot find would be an error, never Any).
WRONG_SDK_CALL = """
from datetime import timedelta
from temporalio import workflow

async def deliver() -> None:
    await workflow.execute_activity("deliver", start_to_close_timeout="5 minutes")
    await workflow.execute_activity("deliver", start_to_close_timeout=timedelta(minutes=5))
"""


@pytest.mark.timeout(300)
def test_the_product_type_checks():
    checked = mypy()
    assert checked.returncode == 0, checked.stdout[-6000:] + checked.stderr[-2000:]


@pytest.mark.timeout(300)
def test_the_check_reads_the_sdk_s_own_types(tmp_path: Path):
    calls = tmp_path / "calls.py"
    calls.write_text(WRONG_SDK_CALL, encoding="utf-8")
    errors, output = mypy_errors(calls)
    assert errors == [(str(calls), 6)], output  # the string, not the timedelta
