"""The README's worked example of `yuqing whatif`: a generated month, archived.

Usage: .venv/bin/python scripts/whatif_example.py [DIR]   (default var/example-archive)

Runs the generated month of tests/support/generated_month.py (15 incidents: prompt,
slow-signing, late and silent units) through the real workflow on the time-skipping
server, and archives the closed incidents into DIR exactly as `yuqing audit export` does.
Then: `yuqing whatif --month <the month it prints> --from-archive DIR --set ack_hours=1`.
"""

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from activities.archive import HistoryArchive  # noqa: E402
from domain.bulletin import month_of  # noqa: E402
from tests.support.generated_month import plan, run_month  # noqa: E402
from tests.support.time_skipping import start_time_skipping_server  # noqa: E402
from tests.support.worker import incident_worker  # noqa: E402
from workers.logging import configure_logging  # noqa: E402


async def main(folder: Path) -> None:
    configure_logging("WARNING")
    env = await start_time_skipping_server()
    try:
        with tempfile.TemporaryDirectory() as outbox:
            async with incident_worker(env.client, Path(outbox)):
                recorded = await run_month(env, plan(15))
    finally:
        await env.shutdown()
    closed = [h for r in recorded if not r.running for h in r.histories]
    HistoryArchive(folder).save_all([(h, None) for h in closed])
    month = month_of(recorded[0].status.first_detected_at)
    print(f"{len(closed)} closed incidents of {month} archived in {folder} "
          f"({len(recorded) - len(closed)} still open are not archived)")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/example-archive")))
