"""Benchmark: `yuqing whatif --from-archive` over a month of 1,000 and 10,000 archived
incidents (not a timed test). Goal: 10,000 within 60 s on a 2-core machine, memory bounded.

Usage: .venv/bin/python scripts/bench_whatif.py [N ...]   (default: 1000 10000)

The month's incidents are real: a generated month (tests/support/generated_month.py:
prompt, slow, late and silent units, refusals, updates, the 催办 → 督办 ladder) runs
through the real workflow on the time-skipping server, and its closed histories are
copied under new incident ids, every payload encrypted with a benchmark key as in
production, into an audit archive of N incidents with its manifest. Then the what-if's
own work is timed: with no proposal (one replay per incident) and with `--set
ack_hours=1` (two: the proposal and the unchanged baseline), including the files.
"""

import asyncio
import base64
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_KEY = base64.b64encode(bytes(range(32))).decode()
os.environ["YUQING_KEYS"] = f"bench:{BENCH_KEY}"  # before the codec is loaded anywhere

from temporalio.api.common.v1 import Payload  # noqa: E402

from activities.archive import ArchiveEntry, Manifest  # noqa: E402
from domain.bulletin import month_of  # noqa: E402
from domain.file_names import file_stem  # noqa: E402
from domain.whatif.report import report_json  # noqa: E402
from domain.whatif.settings import parse_proposal  # noqa: E402
from starter import whatif_files  # noqa: E402
from starter.whatif_source import from_archive  # noqa: E402
from tests.support.generated_month import plan, run_month  # noqa: E402
from tests.support.time_skipping import start_time_skipping_server  # noqa: E402
from tests.support.worker import incident_worker  # noqa: E402
from settings.keys import load_keyring  # noqa: E402
from temporal.codec import EncryptionCodec  # noqa: E402
from workers.logging import configure_logging  # noqa: E402

TEMPLATES = 40


async def recorded_templates(outbox: Path) -> tuple[str, list[tuple[str, dict]]]:
    """The generated month's closed incidents: (incident id, history JSON)."""
    env = await start_time_skipping_server()
    try:
        async with incident_worker(env.client, outbox):
            recorded = await run_month(env, plan(TEMPLATES))
    finally:
        await env.shutdown()
    month = month_of(recorded[0].status.first_detected_at)
    return month, [(r.planned.incident_id, json.loads(r.histories[0].to_json()))
                   for r in recorded if not r.running]


def _payloads(node):
    """Every payload (a dict with metadata and data) in an event's JSON."""
    if isinstance(node, dict):
        if "metadata" in node and "data" in node and "encoding" in node["metadata"]:
            yield node
            return
        for value in node.values():
            yield from _payloads(value)
    elif isinstance(node, list):
        for value in node:
            yield from _payloads(value)


def copy_of(history: dict, old_id: str, new_id: str, codec: EncryptionCodec) -> bytes:
    """The history under a new incident id and run id, every payload encrypted."""
    events = json.loads(json.dumps(history["events"]))
    for event in events:
        if "upsertWorkflowSearchAttributesEventAttributes" in event:
            continue  # search attributes are never encoded
        attributes = event.get("workflowExecutionStartedEventAttributes", {})
        attributes.pop("searchAttributes", None)
        for payload in _payloads(event):
            metadata = {k: base64.b64decode(v) for k, v in payload["metadata"].items()}
            data = base64.b64decode(payload["data"]).replace(old_id.encode(), new_id.encode())
            sealed = codec.encrypt(Payload(metadata=metadata, data=data))
            payload["metadata"] = {k: base64.b64encode(v).decode() for k, v in
                                   sealed.metadata.items()}
            payload["data"] = base64.b64encode(sealed.data).decode()
        if attributes:
            attributes["originalExecutionRunId"] = str(uuid.uuid4())
    return json.dumps({"events": events}).encode("utf-8")


def build_archive(folder: Path, templates: list[tuple[str, dict]], count: int) -> None:
    codec = EncryptionCodec(load_keyring())
    manifest = Manifest()
    for number in range(count):
        old_id, history = templates[number % len(templates)]
        new_id = f"B{number:05d}-{old_id}"
        data = copy_of(history, old_id, new_id, codec)
        workflow_id = f"incident-{new_id}"
        run_id = json.loads(data)["events"][0]["workflowExecutionStartedEventAttributes"][
            "originalExecutionRunId"]
        relative = f"{file_stem(workflow_id)}/{run_id}.json"
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
        manifest.entries[relative] = ArchiveEntry(
            path=relative, workflow_id=workflow_id, run_id=run_id,
            sha256=hashlib.sha256(data).hexdigest(), events=len(history["events"]),
            archived_at=datetime.now(timezone.utc))
    (folder / "manifest.json").write_text(manifest.model_dump_json(), "utf-8")


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def cpu_seconds() -> float:
    """User and system time of this process and its finished workers."""
    own, workers = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                        resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def measure(folder: Path, month: str, count: int, settings: list[str], out: Path) -> None:
    load, cpu = os.getloadavg(), cpu_seconds()
    began = time.perf_counter()
    whatif = from_archive(folder, month, parse_proposal(settings), datetime.now(timezone.utc))
    report = report_json(whatif)
    whatif_files.write(report, out)
    took, cpu = time.perf_counter() - began, cpu_seconds() - cpu
    own, child = peak_mb()
    label = " ".join(f"--set {s}" for s in settings) or "no --set"
    print(f"{count:>6} incidents, {label:<22}: {took:6.1f} s ({took / count * 1000:5.2f} s per "
          f"1,000; CPU {cpu:.1f} s, {cpu / count * 1000:.2f} s per 1,000); replayed "
          f"{report['limits']['replayed']}, changed "
          f"{len(report['changed_incidents'])}; peak RSS main {own:.0f} MB, largest worker "
          f"{child:.0f} MB; load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
          flush=True)


def main(counts: list[int]) -> None:
    configure_logging("WARNING")  # the recorded month's workflow log is not the result
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        began = time.perf_counter()
        month, templates = asyncio.run(recorded_templates(root / "outbox"))
        print(f"recorded {len(templates)} closed incidents of {month} on the time-skipping "
              f"server in {time.perf_counter() - began:.1f} s; cores "
              f"{len(os.sched_getaffinity(0))}", flush=True)
        for count in counts:
            folder = root / f"archive-{count}"
            began = time.perf_counter()
            build_archive(folder, templates, count)
            print(f"archived {count} encrypted histories in {time.perf_counter() - began:.1f} s"
                  " (not timed)", flush=True)
            for settings in ([], ["ack_hours=1"]):
                measure(folder, month, count, settings, root / "out")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
