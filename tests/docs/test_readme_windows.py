"""The README's windows table is generated from the profiles, so it cannot drift from them."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_windows_table_is_generated_from_the_profiles():
    run = subprocess.run([sys.executable, "scripts/readme_windows.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, "run scripts/readme_windows.py" + run.stdout + run.stderr


def test_every_window_says_when_it_runs_from_and_who_owes_it():
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("<!-- windows:", 1)[1].split("<!-- /windows -->", 1)[0]
    assert "| W-BACKFILL 补充填报交办单 |" in table and "交办方 the assigning office |" in table
    assert "交办单送达 the written form reaching the unit" in table
