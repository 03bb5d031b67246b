"""Byte search (issue #22): is a reported name or phone number anywhere at rest in clear?

Runs `yuqing dev` in a fresh YUQING_HOME with a fresh key (both deleted afterwards),
reports an incident whose content names a person and a phone number, sends a message,
archives the history (`yuqing audit export`), stops the server, then searches every byte
of the data directory (the dev server's SQLite database and its WAL, the outbox, the
archive, the keys aside) for the name and the number in UTF-8, UTF-16 and the JSON
escapes. Prints each hit; exit 1 if any, or if `yuqing outbox` / `yuqing status` (with the
keys) do not show them (the control).

    .venv/bin/python scripts/byte_search.py
"""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from settings.keys import throwaway_home  # noqa: E402
from workers.dev_server import free_ports  # noqa: E402

NAME, PHONE = "王小明", "13812345678"
YUQING = str(Path(sys.executable).parent / "yuqing")


def needles() -> dict[str, bytes]:
    found = {}
    for label, text in (("name", NAME), ("phone", PHONE)):
        found[f"{label} utf-8"] = text.encode()
        found[f"{label} utf-16"] = text.encode("utf-16-le")
        found[f"{label} json-escaped"] = json.dumps(text).strip('"').encode()
    return found


def run(*args: str, env: dict) -> str:
    done = subprocess.run([YUQING, *args], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"yuqing {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def search(home: Path) -> list[str]:
    hits = []
    for path in sorted(p for p in home.rglob("*") if p.is_file() and p.name != "keys.json"):
        data = path.read_bytes()
        hits += [f"{path.relative_to(home)}: {label}"
                 for label, needle in needles().items() if needle in data]
    return hits


def main() -> int:
    with throwaway_home(prefix="yuqing-byte-search-") as home:
        return byte_search(home)


def byte_search(home: Path) -> int:
    port, ui_port = free_ports(2)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEMPORAL_", "YUQING_"))}
    env.update(YUQING_HOME=str(home), TEMPORAL_ADDRESS=f"127.0.0.1:{port}",
               TEMPORAL_CONFIG_FILE=os.devnull)
    log = (home / "dev.log").open("w")
    dev = subprocess.Popen([YUQING, "dev", "--port", str(port), "--ui-port", str(ui_port)],
                           env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while "worker started" not in (home / "dev.log").read_text(errors="replace"):
            if time.monotonic() > deadline or dev.poll() is not None:
                raise SystemExit("yuqing dev did not start:\n" + (home / "dev.log").read_text())
            time.sleep(0.5)
        start = json.loads((ROOT / "examples/nantong-routine.json").read_text(encoding="utf-8"))
        start["incident_id"] = "NT-BYTES-0001"
        start["report"]["content"] = f"网民{NAME}反映电梯故障，联系电话{PHONE}"
        start["report"]["detected_at"] = datetime.now(timezone(timedelta(hours=8))).isoformat()
        report = home / "report.json"
        report.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
        run("report", str(report), env=env)
        report.unlink()  # the caller's own file, not the system's data
        run("send", "NT-BYTES-0001", "acknowledge",
            json.dumps({"unit_id": "nt-zjj", "actor": "住建局 经办人"}), env=env)
        time.sleep(3)  # the 交办单 lands in the outbox
        run("audit", "export", "--id", "incident-NT-BYTES-0001", env=env)
        status = run("status", "NT-BYTES-0001", env=env)
    finally:
        os.killpg(dev.pid, signal.SIGINT)
        dev.wait(timeout=60)
        log.close()
    files = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    print(f"data directory {home}: {len(files)} files searched ({', '.join(files)})")
    hits = search(home)
    # The control: the content is there, sealed; whoever holds the keys reads it.
    readable = NAME in run("outbox", env=env) and PHONE in status
    print(f"with the keys, `yuqing outbox` and `yuqing status` show them: {readable}")
    for hit in hits:
        print(f"FOUND {hit}")
    print(f"{NAME} / {PHONE}: {len(hits)} hits" + ("" if hits else " — nothing found in clear"))
    return 1 if hits or not readable else 0


if __name__ == "__main__":
    sys.exit(main())
