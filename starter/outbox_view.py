"""`yuqing outbox`: what the notification adapters delivered, oldest first, readable for operators."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from starter.cli_support import beijing_text, print_json
from settings.keys import require_keyring
from settings.sealed_files import unseal


def register(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from starter.server_cli import add_outbox_argument
    outbox = commands.add_parser("outbox", parents=[common],
                                 help="查看已发送的通知 / list what notification adapters delivered")
    outbox.add_argument("--tail", type=int, metavar="N", help="只看最新 N 条 / only the newest N")
    add_outbox_argument(outbox)
    outbox.set_defaults(handler=run_outbox, quiet=True)


def run_outbox(args: argparse.Namespace, connect) -> int:
    from starter.server_cli import outbox_dir
    return print_outbox(outbox_dir(args), args.tail, args.output == "json")


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
    header = f"── {path.relative_to(outbox_dir)}  ({beijing_text(written)})"
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        body = json.dumps(unseal(text), ensure_ascii=False, indent=2)
    except json.JSONDecodeError:
        body = text  # still show it; an operator may need to see a broken file
    except ValueError as error:  # sealed with a key not configured here
        body = f"（无法解密 / cannot decrypt: {error}）"
    return f"{header}\n{body}"


def print_outbox(outbox_dir: Path, tail: int | None, as_json: bool = False) -> int:
    """`yuqing outbox`: every delivery, oldest first; ``tail`` keeps only the newest N."""
    require_keyring()  # no keys: one line, before any file is shown
    files = delivered_files(outbox_dir)
    if tail is not None:
        files = files[-tail:] if tail > 0 else []
    if as_json:
        print_json([{"file": str(p.relative_to(outbox_dir)),
                     "written_at": datetime.fromtimestamp(p.stat().st_mtime).astimezone(),
                     "content": _content(p)} for p in files])
        return 0
    if not files:
        print(f"（发件箱为空 / nothing delivered yet: {outbox_dir}）")
    for path in files:
        print(render_delivery(path, outbox_dir), end="\n\n")
    return 0


def _content(path: Path) -> object:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        return unseal(text)
    except json.JSONDecodeError:
        return text
    except ValueError as error:  # sealed with a key not configured here
        return {"error": f"无法解密 / cannot decrypt: {error}"}
