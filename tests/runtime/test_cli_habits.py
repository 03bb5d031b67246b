"""Issue #24: the CLI in the `temporal` CLI's habits, against a real `yuqing dev`.

Global flags anywhere on the line, JSON times at +08:00 and durations as numbers, one-line
errors for closed and unknown incidents, `audit export --id INCIDENT_ID`, examples sent
as they are, and schedules that are deployment, never a worker's reason to die.
"""

import json
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.runtime.cli_helpers import (
    ROOT, assert_explained, cli_env, contract_example, run_yuqing, yuqing_executable,
)
from tests.runtime.dev_process import DevProcess

pytestmark = pytest.mark.timeout(240)

PLUS_EIGHT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$")


def reported_incident(dev: DevProcess, incident_id: str) -> None:
    start = contract_example(incident_id)
    path = dev.workdir / f"{incident_id}.json"
    path.write_text(json.dumps(start, ensure_ascii=False), encoding="utf-8")
    result = run_yuqing("report", str(path), env=dev.env())
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def incident(running_dev: DevProcess) -> str:
    incident_id = f"NT-CLI-{uuid.uuid4().hex[:6]}"
    reported_incident(running_dev, incident_id)
    return incident_id


def test_global_flags_are_accepted_before_and_after_the_command(
        running_dev: DevProcess, incident: str) -> None:
    env = {k: v for k, v in running_dev.env().items()  # the flags alone find the server
           if k not in ("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE")}
    before = run_yuqing("--address", running_dev.address, "--namespace", "default", "-o", "json",
                        "status", incident, env=env)
    after = run_yuqing("status", incident, "-o", "json", "--address", running_dev.address,
                       "-n", "default", env=env)
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    assert json.loads(before.stdout)["incident_id"] == json.loads(after.stdout)["incident_id"]
    other = run_yuqing("status", incident, "--address", running_dev.address,
                       "--namespace", "nowhere", env=env)
    assert other.returncode == 1 and "nowhere" in other.stderr


def test_status_json_says_every_time_at_plus_eight(running_dev: DevProcess, incident: str) -> None:
    status = json.loads(run_yuqing("status", incident, env=running_dev.env()).stdout)
    times = [w["deadline"] for w in status["windows"]] + [e["at"] for e in status["timeline"]]
    assert times and all(PLUS_EIGHT.match(t) for t in times), times


def test_examples_are_sent_as_they_are_and_a_closed_incident_says_how_it_ended(
        running_dev: DevProcess) -> None:
    incident_id = f"NT-CLOSED-{uuid.uuid4().hex[:6]}"
    reported_incident(running_dev, incident_id)
    for name in ("acknowledge", "withdraw"):
        sent = run_yuqing("send", incident_id, name, f"@{ROOT}/examples/messages/{name}.json",
                          env=running_dev.env())
        assert sent.returncode == 0, sent.stderr
    deadline = time.monotonic() + 30
    while True:
        # a new message (its own id): the same content again would be the first one's retry,
        # which the incident took, and is answered with its receipt (issue #20)
        late = run_yuqing("send", incident_id, "acknowledge", "--message-id", "after-withdraw",
                          f"@{ROOT}/examples/messages/acknowledge.json", env=running_dev.env())
        if late.returncode != 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert late.returncode == 2
    assert_explained(late, "已撤销", incident_id)


def test_unknown_incident_and_bad_address_are_one_line(running_dev: DevProcess) -> None:
    unknown = run_yuqing("send", "NT-NOBODY", "acknowledge", '{"unit_id": "x", "actor": "y"}',
                         env=running_dev.env())
    assert unknown.returncode == 1
    assert_explained(unknown, "没有该事件", "NT-NOBODY")
    url = run_yuqing("status", "NT-1", env=cli_env(TEMPORAL_ADDRESS="http://localhost:7233"))
    assert url.returncode == 2
    assert_explained(url, "TEMPORAL_ADDRESS", "http://localhost:7233", "host:port")


def test_audit_export_takes_an_incident_id(running_dev: DevProcess, incident: str,
                                           tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    exported = run_yuqing("audit", "export", "--id", incident, "--archive", str(archive),
                          env=running_dev.env())
    assert exported.returncode == 0, exported.stderr
    assert f"incident-{incident}" in exported.stdout
    as_json = run_yuqing("-o", "json", "audit", "export", "--id", incident, "--archive",
                         str(archive), env=running_dev.env())
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["manifest"].endswith("manifest.json")
    missing = run_yuqing("audit", "export", "--id", "NT-NOBODY", "--archive", str(archive),
                         env=running_dev.env())
    assert missing.returncode == 2
    assert_explained(missing, "NT-NOBODY")


def test_schedules_apply_is_idempotent_and_json(running_dev: DevProcess) -> None:
    for _ in range(2):
        result = run_yuqing("schedules", "apply", "-o", "json", env=running_dev.env())
        assert result.returncode == 0, result.stderr
        assert {a["outcome"] for a in json.loads(result.stdout)} <= {"created", "updated"}
    assert [a["outcome"] for a in json.loads(result.stdout)] == ["updated", "updated"]


async def test_a_worker_lives_where_schedules_are_refused(env, running_dev: DevProcess,
                                                          tmp_path: Path) -> None:
    """The time-skipping server has no CreateSchedule: `schedules apply` says so in one line,
    and `yuqing worker` against it starts, keeps running and stops cleanly when told."""
    address = env.client.service_client.config.target_host
    keys = {"YUQING_KEYS_FILE": running_dev.env()["YUQING_KEYS_FILE"]}
    refused = run_yuqing("schedules", "apply", "--address", address, env=cli_env(**keys))
    assert refused.returncode == 1
    assert_explained(refused, "the server refused the schedules")
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen([yuqing_executable(), "worker", "--address", address],
                                  env=cli_env(**keys), cwd=ROOT, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90  # a loaded machine starts slowly
        while "worker started" not in log.read_text() and worker.poll() is None:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        time.sleep(2)
        assert worker.poll() is None, log.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(90)
    output = log.read_text()
    assert worker.returncode == 0 and "worker stopped" in output, output
    assert "Traceback" not in output, output
