"""How many Temporal Cloud actions does one routine single-unit incident cost?

Runs the incident from report to accepted feedback on the time-skipping test
server with the real workflow and activities, then counts the billable actions
in its history. Usage: .venv/bin/python scripts/count_actions.py
Exit status 1 if the count exceeds the budget of 20 (issue #2).
"""

import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from settings.keys import throwaway_home  # noqa: E402
from tests.support.action_count import count_actions  # noqa: E402
from tests.support.recorded_scenarios import run_routine_incident  # noqa: E402
from tests.support.time_skipping import start_time_skipping_server  # noqa: E402
from tests.support.worker import incident_worker  # noqa: E402

BUDGET = 20


async def main() -> int:
    # A data directory of its own with a fresh key, unless one is named: keys fail closed,
    # and a delivery that cannot seal its outbox file would retry and inflate the count.
    named = os.environ.get("YUQING_HOME", "").strip()
    with throwaway_home(Path(named) if named else None, prefix="yuqing-count-"):
        async with await start_time_skipping_server() as env:
            with tempfile.TemporaryDirectory() as outbox:
                async with incident_worker(env.client, Path(outbox)):
                    history = await run_routine_incident(env)
    counts = count_actions(history)
    total = sum(counts.values())
    print("routine single-unit incident, report → accepted feedback (nantong-2017, R2 一般)")
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<40} {n:>3}")
    print(f"  {'total billable actions':<40} {total:>3}   (budget {BUDGET})")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    code = asyncio.run(main())
    sys.stdout.flush()
    # The SDK's Rust threads can abort CPython's finalization (a fatal GIL error):
    # leave without it, as the CLI does.
    os._exit(code)
