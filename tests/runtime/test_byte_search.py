"""Issue #22: a reported name and phone number rest nowhere in clear (scripts/byte_search.py)."""

import subprocess
import sys

import pytest

from tests.runtime.cli_helpers import ROOT, cli_env


@pytest.mark.timeout(400)
def test_no_reported_name_or_phone_rests_in_clear():
    done = subprocess.run([sys.executable, "scripts/byte_search.py"], cwd=ROOT, env=cli_env(),
                          capture_output=True, text=True, timeout=380)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 hits — nothing found in clear" in done.stdout
    assert "show them: True" in done.stdout
