"""Workflow log lines leave the workflow through a lock-free queue (工作流日志队列).

Workflow code runs on the SDK's workflow threads, which the SDK may interrupt (a
deadlock timeout, an eviction). Had such a thread been inside a logging handler, it
would hold that handler's lock for ever and every other thread that logs — the
shutdown handler too — would block. So workflow code only puts its events on a
``SimpleQueue`` (a C-level put, no Python lock), and one daemon thread of the
worker process writes them through structlog.
"""

import queue
import threading
from typing import Any

import structlog

EVENTS: "queue.SimpleQueue[tuple[str, str, dict[str, Any]]]" = queue.SimpleQueue()
_drain_started = threading.Event()
_start_lock = threading.Lock()


def put(level: str, event: str, fields: dict[str, Any]) -> None:
    """Called from workflow code: never blocks, never takes a lock."""
    EVENTS.put((level, event, fields))


def _drain() -> None:
    log = structlog.get_logger("yuqing.workflow")
    while True:
        level, event, fields = EVENTS.get()
        try:
            getattr(log, level)(event, **fields)
        except Exception:  # a log line must never stop the drain
            pass


def start_drain() -> None:
    """Start the one writer thread of this process (idempotent); every worker calls it."""
    with _start_lock:
        if not _drain_started.is_set():
            threading.Thread(target=_drain, name="yuqing-workflow-log", daemon=True).start()
            _drain_started.set()
