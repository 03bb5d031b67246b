"""Helpers to run the installed `yuqing` command as a user would: a subprocess, clean env."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def yuqing_executable() -> str:
    """The command beside this interpreter, never another one on PATH (which would run
    another environment's packages: scripts/replay_newest.sh tests a newer temporalio)."""
    candidate = Path(sys.executable).parent / "yuqing"
    if not candidate.exists():
        pytest.fail(f"the yuqing console script is not installed beside {sys.executable}: "
                    "run scripts/bootstrap")
    return str(candidate)


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
