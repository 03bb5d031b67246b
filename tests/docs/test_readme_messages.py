"""The README's message list is derived from the registry, and every example is accepted."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from domain.engine.registry import MESSAGES

ROOT = Path(__file__).resolve().parents[2]


def test_readme_message_list_is_generated_from_the_registry():
    run = subprocess.run([sys.executable, "scripts/readme_messages.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_message_has_an_example_file_and_no_stray_ones():
    files = {p.name.split(".")[0] for p in (ROOT / "examples" / "messages").glob("*.json")}
    assert files == set(MESSAGES)


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "messages").glob("*.json")),
                         ids=lambda p: p.name)
def test_every_example_file_can_be_sent_as_it_is(path):
    """Issue #24: `yuqing send ID NAME @examples/messages/NAME.json` — one message, no notes."""
    example = json.loads(path.read_text("utf-8"))
    assert isinstance(example, dict) and "examples" not in example  # models forbid extras
    MESSAGES[path.name.split(".")[0]].model.model_validate(example)
