"""Turn SIGINT/SIGTERM into an event, so workers finish their tasks before the process ends."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from contextlib import contextmanager

SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def shutdown_requested() -> Iterator[asyncio.Event]:
    """Within a running loop: an event set by the first SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    event = asyncio.Event()
    for sig in SHUTDOWN_SIGNALS:
        loop.add_signal_handler(sig, event.set)
    try:
        yield event
    finally:
        for sig in SHUTDOWN_SIGNALS:
            loop.remove_signal_handler(sig)
