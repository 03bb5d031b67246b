"""The current rules and workflow versions the README, docs/rules.md and workflows/loop.py
name are written from ``CURRENT_RULES`` and ``workflow_versions.CURRENT``
(scripts/current_versions.py), so moving either on leaves no document naming the old one."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import current_versions

ROOT = Path(__file__).resolve().parents[2]


def test_the_documents_name_the_current_versions():
    run = subprocess.run([sys.executable, "scripts/current_versions.py", "--check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, "run scripts/current_versions.py" + run.stdout + run.stderr


@pytest.mark.parametrize("name", list(current_versions.PHRASES))
def test_the_next_versions_are_written_into_every_phrase_and_nowhere_else(name: str):
    """So the check above fails for a document left naming the versions before."""
    text = (ROOT / name).read_text(encoding="utf-8")
    changed = current_versions.written(name, text, rules=41, workflow=42)
    flowing = " ".join(changed.split())  # a phrase may break across lines
    for phrase, which in current_versions.PHRASES[name]:
        assert phrase.format(41 if which == "rules" else 42) in flowing
    assert re.sub(r"\d+", "#", changed) == re.sub(r"\d+", "#", text)  # numbers only


def test_a_phrase_a_document_no_longer_has_is_an_error():
    with pytest.raises(LookupError, match="README.md no longer says"):
        current_versions.written("README.md", "the rules version is 3", rules=3, workflow=8)
