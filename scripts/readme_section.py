"""A generated section of README.md, between its two marker lines: write it, or check it."""

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def update_section(begin: str, end: str, body: str, check: bool, stale: str) -> int:
    """Put ``body`` between the markers; with ``check``, only say (exit 1) when it differs."""
    current = README.read_text(encoding="utf-8")
    head, rest = current.split(begin, 1)
    _, tail = rest.split(end, 1)
    wanted = f"{head}{begin}\n{body}\n{end}{tail}"
    if check:
        if current != wanted:
            print(stale)
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0
