"""Helpers to run the installed `yuqing` command as a user would: a subprocess, clean env;
what it says when it refuses, and the contract's start example to send it."""

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
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


def assert_explained(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    """A refusal said as the CLI says one: a paragraph on stderr, no traceback."""
    assert "Traceback" not in result.stderr, result.stderr
    message = result.stderr.strip()
    assert message.startswith("yuqing "), message
    assert "\n" not in message, f"expected one paragraph, got:\n{message}"
    for fragment in fragments:
        assert fragment in message, message


def contract_example(incident_id: str, url: str = "https://example.org/thread/123") -> dict:
    """The start example (README: Reporting an incident), detected now."""
    return {
        "incident_id": incident_id,
        "profile": "nantong-2017",
        "title": "某小区电梯频繁故障无人维修",
        "report": {
            "platform": "人民网地方领导留言板",
            "url": url,
            "content": "……",
            "region": "崇川区",
            "detected_at": datetime.now(timezone(timedelta(hours=8))).isoformat(),
        },
        "analysis": {
            "category": "R2",
            "severity": "一般",
            "units": [{"unit_id": "nt-zjj", "name": "南通市住房和城乡建设局", "lead": True}],
            "reply_form": "网上回复",
            "handling_hours": 72,
        },
        "actor": "网信办监测平台",
    }
