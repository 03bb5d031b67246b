"""`yuqing whatif` against a live `yuqing dev`: encrypted histories, a running incident,
messages sent as updates; nothing is written to the server."""

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.runtime.cli_helpers import run_yuqing
from tests.runtime.dev_process import DevProcess

pytestmark = pytest.mark.timeout(240)

BEIJING = timezone(timedelta(hours=8))
INCIDENT_ID = f"NT-WHATIF-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def worked(running_dev: DevProcess) -> str:
    """An incident reported now and signed for seconds later, still open."""
    start = {
        "incident_id": INCIDENT_ID, "profile": "nantong-2017", "title": "政策推演测试",
        "report": {"platform": "留言板", "url": "https://example.org/whatif",
                   "detected_at": datetime.now(BEIJING).isoformat()},
        "analysis": {"category": "R2", "severity": "一般", "handling_hours": 72,
                     "units": [{"unit_id": "nt-zjj", "name": "住建局", "lead": True}]},
        "actor": "网信办监测平台"}
    path = running_dev.workdir / "whatif-incident.json"
    path.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
    assert run_yuqing("report", str(path), env=running_dev.env()).returncode == 0
    signed = run_yuqing("send", INCIDENT_ID, "acknowledge",
                        json.dumps({"unit_id": "nt-zjj", "actor": "住建局 王五"}),
                        env=running_dev.env())
    assert signed.returncode == 0, signed.stderr
    return datetime.now(BEIJING).strftime("%Y-%m")


def _whatif(dev: DevProcess, month: str, *settings: str) -> dict:
    out = dev.workdir / f"whatif-{len(settings)}"
    result = run_yuqing("whatif", "--month", month, "--out", str(out),
                        *(a for s in settings for a in ("--set", s)), env=dev.env())
    assert result.returncode == 0, result.stderr
    return json.loads((out / f"whatif-{month}.json").read_text("utf-8"))


def _events(dev: DevProcess) -> int:
    shown = run_yuqing("status", INCIDENT_ID, env=dev.env())
    return len(json.loads(shown.stdout)["timeline"])


def test_live_no_proposal_equals_the_bulletin_and_writes_nothing(running_dev, worked):
    before = _events(running_dev)
    report = _whatif(running_dev, worked)
    assert report["proposed"] == report["actual"] and report["changed_incidents"] == []
    assert report["limits"]["incidents"] >= 1
    assert report["limits"]["replayed"] == report["limits"]["incidents"]
    assert _events(running_dev) == before


def test_live_a_sign_for_time_of_seconds_marks_the_running_incident(running_dev, worked):
    report = _whatif(running_dev, worked, "ack_hours=0.0001")  # 0.36 s: signed too late
    [changed] = [c for c in report["changed_incidents"] if c["incident_id"] == INCIDENT_ID]
    assert changed["units"] == ["nt-zjj"] and changed["open"] is True
    assert changed["late_now"] == 1 and "W-ACK" in changed["first_difference"]
    assert report["felt_by_running_incidents"] == {"ack_hours": False}
