"""Record the histories the replay test guards: one per path in tests/support/recorded_scenarios.py.

Usage: .venv/bin/python scripts/record_histories.py NAME [NAME ...]   (or --all, every scenario)
Writes tests/histories/NAME.json (the JSON `WorkflowHistory.from_json` reads). A name is
required: recording them all would rewrite every history the replay test guards.
Never re-record a history to make its replay pass: a change of behaviour goes behind a new
rules or workflow version (or, where neither fits, a marker: docs/architecture.md, "Versions"),
and its new path gets a new scenario and history of its own.
The two recorded across releases (``ACROSS_RELEASES``) are scripts/record_legacy_adoption.py's.
"""

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from settings.keys import throwaway_home  # noqa: E402
from tests.support.recorded_scenarios import SCENARIOS  # noqa: E402
from tests.support.time_skipping import start_time_skipping_server  # noqa: E402
from tests.support.worker import incident_worker  # noqa: E402

HISTORIES = ROOT / "tests" / "histories"


async def main(names: list[str]) -> None:
    HISTORIES.mkdir(parents=True, exist_ok=True)
    async with await start_time_skipping_server() as env:
        with tempfile.TemporaryDirectory() as outbox:
            async with incident_worker(env.client, Path(outbox)):
                for name in names:
                    handle = await SCENARIOS[name](env)
                    status = await handle.result()
                    # the last run of the chain (an incident may have continued as new)
                    history = await env.client.get_workflow_handle(handle.id).fetch_history()
                    (HISTORIES / f"{name}.json").write_text(history.to_json(), encoding="utf-8")
                    stage = status["stage"] if isinstance(status, dict) else status.stage.value
                    print(f"{name}: {len(history.events)} events, final stage {stage}")


if __name__ == "__main__":
    chosen = list(SCENARIOS) if sys.argv[1:] == ["--all"] else sys.argv[1:]
    unknown = [name for name in chosen if name not in SCENARIOS]
    if not chosen or unknown:
        sys.exit(f"{__doc__.splitlines()[2]}\n" + (f"no such scenario: {', '.join(unknown)}"
                                                   if unknown else "name the scenario to record"))
    with throwaway_home(prefix="yuqing-record-"):  # the outbox seals with a key of its own
        asyncio.run(main(chosen))
