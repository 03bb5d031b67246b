"""The README's message list is derived from the registry, and every example is accepted."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from domain.procedure.registry import MESSAGES

ROOT = Path(__file__).resolve().parents[2]


def test_readme_message_list_is_generated_from_the_registry():
    run = subprocess.run([sys.executable, "scripts/readme_messages.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_message_has_an_example_file_and_no_stray_ones():
    files = {p.stem for p in (ROOT / "examples" / "messages").glob("*.json")}
    assert files == set(MESSAGES)


@pytest.mark.parametrize("name", list(MESSAGES))
def test_every_example_fits_its_message_model(name):
    doc = json.loads((ROOT / "examples" / "messages" / f"{name}.json").read_text("utf-8"))
    assert doc["examples"]
    for example in doc["examples"]:
        MESSAGES[name].model.model_validate(example)
