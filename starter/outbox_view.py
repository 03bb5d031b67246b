"""`yuqing outbox`: what the notification adapters delivered, oldest first, readable for operators."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from workers.codec import require_keyring
from workers.sealed_files import unseal


def delivered_files(outbox_dir: Path) -> list[Path]:
    """Every delivery (one JSON file each, in per-kind folders), newest last.

    Half-written ``.tmp`` files are skipped: adapters write then rename.
    """
    if not outbox_dir.is_dir():
        return []
    files = [p for p in outbox_dir.rglob("*.json") if p.is_file()]
    return sorted(files, key=lambda p: (p.stat().st_mtime, str(p)))


def render_delivery(path: Path, outbox_dir: Path) -> str:
    written = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    header = f"── {path.relative_to(outbox_dir)}  ({written.isoformat(timespec='seconds')})"
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        body = json.dumps(unseal(text), ensure_ascii=False, indent=2)
    except json.JSONDecodeError:
        body = text  # still show it; an operator may need to see a broken file
    except ValueError as error:  # sealed with a key not configured here
        body = f"（无法解密 / cannot decrypt: {error}）"
    return f"{header}\n{body}"


def print_outbox(outbox_dir: Path, tail: int | None) -> int:
    """`yuqing outbox`: every delivery, oldest first; ``tail`` keeps only the newest N."""
    require_keyring()  # no keys: one line, before any file is shown
    files = delivered_files(outbox_dir)
    if tail is not None:
        files = files[-tail:] if tail > 0 else []
    if not files:
        print(f"（发件箱为空 / nothing delivered yet: {outbox_dir}）")
    for path in files:
        print(render_delivery(path, outbox_dir), end="\n\n")
    return 0
