"""Write the current rules and workflow versions where README.md, docs/rules.md and the run
loop's docstring (workflows/loop.py) name them.

Usage: .venv/bin/python scripts/current_versions.py [--check]
The numbers come from ``domain.rules_version.CURRENT_RULES`` and
``domain.workflow_versions.CURRENT``; each phrase below is written with them, wherever it
stands in those files (a line may break inside it). ``--check`` exits 1 when a
document is out of date (tests/docs/test_current_versions.py runs it); a phrase a document
no longer has is an error, so rewording it cannot drop it from the check unnoticed.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain import workflow_versions  # noqa: E402
from domain.rules_version import CURRENT_RULES  # noqa: E402

# Each phrase with {} for its number, and which number: the rules version or the workflow version.
PHRASES = {
    "README.md": (("the `rules_version` ({}) and the", "rules"),
                  ("`workflow_version` ({}) this release runs", "workflow"),
                  ("New incidents open under rules version {}.", "rules"),
                  ("the run loop (`loop.py`, workflow versions 6–{},", "workflow"),
                  ("without the changes of workflow versions 7–{},", "workflow")),
    "docs/rules.md": (("new incidents open under rules version {}.", "rules"),),
    "workflows/loop.py": (("The run loop (workflow versions 6–{},", "workflow"),),
}


def pattern(phrase: str) -> re.Pattern[str]:
    """The phrase with any number in place of {}, and any run of spaces or a line break for a space."""
    before, after = (r"\s+".join(re.escape(word) for word in part.split(" "))
                     for part in phrase.split("{}"))
    return re.compile(f"({before})\\d+({after})")


def written(name: str, text: str, rules: int, workflow: int) -> str:
    """``text`` of document ``name`` with each of its phrases naming these versions."""
    numbers = {"rules": rules, "workflow": workflow}
    for phrase, which in PHRASES[name]:
        text, found = pattern(phrase).subn(rf"\g<1>{numbers[which]}\g<2>", text)
        if not found:
            raise LookupError(f"{name} no longer says {phrase!r}: "
                              "reword scripts/current_versions.py with it")
    return text


def main(check: bool) -> int:
    stale = []
    for name in PHRASES:
        path = ROOT / name
        current = path.read_text(encoding="utf-8")
        wanted = written(name, current, CURRENT_RULES, workflow_versions.CURRENT)
        if wanted != current:
            stale.append(name)
            if not check:
                path.write_text(wanted, encoding="utf-8")
    if check and stale:
        print(f"{', '.join(stale)}: the current versions are out of date: "
              "run scripts/current_versions.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
