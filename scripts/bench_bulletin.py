"""Benchmark: the monthly bulletin over 1,000 and 10,000 closed incidents (not a timed test).

Usage: .venv/bin/python scripts/bench_bulletin.py [N ...]   (default: 1000 10000)

Generates N incidents of one month through the procedure core (varied units, outcomes,
misses, explanations, sanctions), stores each as an archived history whose last event
is the workflow's result, exactly as `yuqing audit export` does, then times
`yuqing bulletin --from-archive`'s work: read the archive, compute the month and its
five previous months, and write every file (JSON, Markdown, HTML with charts, XLSX,
public version). Goal: 10,000 incidents within 60 s on a 2-core machine.
"""

import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from temporalio.api.enums.v1 import EventType  # noqa: E402
from temporalio.api.history.v1 import HistoryEvent  # noqa: E402
from temporalio.client import WorkflowHistory  # noqa: E402

from activities.archive import HistoryArchive  # noqa: E402
from domain.messages import IncidentStart  # noqa: E402
from domain.engine import opening, registry  # noqa: E402
from domain.engine.step import Context  # noqa: E402
from activities.bulletin_source import statuses_from_archive  # noqa: E402
from domain.bulletin import TREND_MONTHS  # noqa: E402
from starter.office_cli import bulletin_of  # noqa: E402
from activities import bulletin_files  # noqa: E402

MONTH_START = datetime(2026, 11, 1, 9, tzinfo=timezone(timedelta(hours=8)))
UNITS = [(f"nt-{i:02d}", f"南通市第{i}局") for i in range(30)]


def incident(number: int, rng: random.Random):
    detected = MONTH_START + timedelta(minutes=rng.randrange(0, 29 * 24 * 60))
    units = rng.sample(UNITS, rng.choice([1, 1, 1, 2, 3]))
    start = IncidentStart.model_validate({
        "incident_id": f"BENCH-{number:06d}", "profile": "nantong-2017", "title": f"舆情 {number}",
        "actor": "监测平台", "report": {"platform": "留言板", "url": f"https://example.org/{number}",
                                    "detected_at": detected.isoformat()},
        "analysis": {"category": rng.choice(["R2", "R4", "R5", "E1"]),
                     "severity": rng.choice(["一般", "一般", "较大", "重大"]),
                     "handling_hours": 72,
                     "units": [{"unit_id": u, "name": n, "lead": i == 0}
                               for i, (u, n) in enumerate(units)]}})
    state = opening.new_incident(start)
    opening.open_incident(state, start, Context(now=detected))

    def send(hours: float, name: str, **fields) -> None:
        try:
            registry.take(state, name, ({"actor": "局办", **fields},),
                          Context(now=detected + timedelta(hours=hours)))
        except Exception:
            pass  # a refusal is part of real traffic too

    for unit, _ in units:
        if rng.random() < 0.85:
            send(rng.uniform(0.1, 3), "acknowledge", unit_id=unit)
    send(rng.uniform(1, 60), "record_response", unit_id=units[0][0], channel="platform_reply",
         summary="已回复")
    if rng.random() < 0.15:
        for window in list(state.status.windows):
            if window.state.value == "pending" and window.deadline < detected + timedelta(hours=80):
                registry.deadline_passed(state, window.key, window.deadline,
                                         Context(now=window.deadline))
    for unit, _ in units:
        if rng.random() < 0.1:
            send(70, "submit_feedback", unit_id=unit, summary="待条件", resolved=False,
                 expected_by=(detected + timedelta(days=40)).isoformat())
        else:
            send(70, "submit_feedback", unit_id=unit, summary="已办结", resolved=True,
                 outcome=rng.choice(["suggestion_adopted", "difficulty_solved",
                                     "major_issue_investigated", "other"]))
        send(71, "review_feedback", unit_id=unit, accepted=True)
    if rng.random() < 0.05:
        send(80, "sanction", unit_id=units[0][0], kind="notice_criticism", reason="逾期")
    return state.status


def history_of(status) -> WorkflowHistory:
    started, completed = HistoryEvent(event_id=1), HistoryEvent(event_id=2)
    started.event_type = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
    started.workflow_execution_started_event_attributes.original_execution_run_id = (
        f"run-{status.incident_id}")
    completed.event_type = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
    payload = completed.workflow_execution_completed_event_attributes.result.payloads.add()
    payload.metadata["encoding"] = b"json/plain"
    payload.data = status.model_dump_json().encode("utf-8")
    return WorkflowHistory(f"incident-{status.incident_id}", [started, completed])


def bench(count: int) -> None:
    rng = random.Random(count)
    with tempfile.TemporaryDirectory(prefix="yuqing-bench-") as folder:
        archive = HistoryArchive(Path(folder) / "archive")
        began = time.perf_counter()
        archive.save_all([(history_of(incident(number, rng)), None) for number in range(count)])
        made = time.perf_counter() - began

        began = time.perf_counter()
        statuses = statuses_from_archive(archive)
        loaded = time.perf_counter() - began
        bulletin, history = bulletin_of("2026-11", statuses, datetime.now(timezone.utc))
        computed = time.perf_counter() - began - loaded
        files = bulletin_files.write(bulletin, history, Path(folder) / "out")
        total = time.perf_counter() - began
        print(f"{count:>6} incidents ({len(bulletin.units)} units, {TREND_MONTHS} months): "
              f"read archive {loaded:.1f} s, compute {computed:.1f} s, "
              f"write {len(files)} files {total - loaded - computed:.1f} s, "
              f"bulletin total {total:.1f} s  (generating them took {made:.1f} s)")


if __name__ == "__main__":
    for n in [int(a) for a in sys.argv[1:]] or [1000, 10000]:
        bench(n)
