"""What resting saves: an opened routine incident's state and start, as Python objects and as
the compressed JSON they rest as between workflow tasks (``domain.engine.resting``).

Opens ``examples/nantong-routine.json`` with the procedure's own functions (no server), then
measures each with ``tracemalloc`` (the objects built by reading its JSON back) and as the
bytes ``Kept`` stores. A measurement, not a test. Usage: .venv/bin/python scripts/state_size.py
"""

import json
import sys
import tracemalloc
import zlib
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from domain.engine.resting import COMPRESSION_LEVEL  # noqa: E402
from domain.engine.step import Context, IncidentState  # noqa: E402
from domain.messages import IncidentStart  # noqa: E402
from domain.engine import opening  # noqa: E402


def object_bytes(model: type, text: str) -> int:
    """What building ``model`` from its JSON allocates and keeps (after one warm-up build)."""
    model.model_validate_json(text)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    built = model.model_validate_json(text)
    grown = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    del built
    return grown


def main() -> None:
    start = IncidentStart.model_validate(
        json.loads((ROOT / "examples" / "nantong-routine.json").read_text(encoding="utf-8")))
    context = Context(now=datetime.now(timezone.utc), patched=lambda _: True)
    state = opening.new_incident(start)
    opening.open_with_settings(state, opening.DeploymentSettings(), start, context)
    for name, model, value in (("state", IncidentState, state), ("start", IncidentStart, start)):
        text = value.model_dump_json()
        resting = len(zlib.compress(text.encode(), COMPRESSION_LEVEL))
        print(f"{name}: {object_bytes(model, text) / 1024:.1f} KB as Python objects, "
              f"{len(text) / 1024:.1f} KB of JSON, resting {resting / 1024:.1f} KB compressed")


if __name__ == "__main__":
    main()
