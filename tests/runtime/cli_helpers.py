"""Helpers to run the installed `yuqing` command as a user would: a subprocess, clean env."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def yuqing_executable() -> str:
    candidate = Path(sys.executable).parent / "yuqing"
    found = str(candidate) if candidate.exists() else shutil.which("yuqing")
    if not found:
        pytest.fail("the yuqing console script is not installed: run scripts/bootstrap")
    return found


def cli_env(**overrides: str) -> dict[str, str]:
    """The caller's environment minus any Temporal/yuqing settings that would steer the CLI elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "YUQING_"))}
    env["TEMPORAL_CONFIG_FILE"] = os.devnull  # ignore a developer's ~/.config/temporal profiles
    if os.environ.get("YUQING_HOME"):  # the tests' data directory and key (tests/conftest.py)
        env["YUQING_HOME"] = os.environ["YUQING_HOME"]
    env.update(overrides)
    return env


def run_yuqing(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
               timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [yuqing_executable(), *args], env=env or cli_env(), cwd=cwd or ROOT,
        capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )
