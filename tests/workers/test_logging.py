"""Logging through the standard library (issue #26): QueueHandler → QueueListener →
structlog's ProcessorFormatter; workflow code logs with the SDK's ``workflow.logger``."""

import io
import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import Worker

from temporal.names import workflow_id_for
from tests.workflows.scenario import ACTOR, report
from workers.logging import configure_logging, stop_logging
from workers.audit.replay_pool import replayer

HISTORIES = Path(__file__).parents[1] / "histories"


@workflow.defn(sandboxed=False)
class LoggingProbe:
    """Logs one event the way incident code does."""

    @workflow.run
    async def run(self) -> str:
        workflow.logger.info("probe_logged", extra={"message_name": "acknowledge",
                                                    "unit_id": "u-zjj"})
        return "done"


class Captured(logging.StreamHandler):
    """The listener's output into a string; ``gate``: emit waits until it is set."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        super().__init__(io.StringIO())
        self.gate, self.entered = gate, threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.entered.set()
        if self.gate is not None:
            self.gate.wait()
        super().emit(record)

    def lines(self) -> list[str]:
        stop_logging()  # the listener writes what it holds first
        return self.stream.getvalue().splitlines()


@pytest.fixture
def captured() -> Iterator[Captured]:
    handler = Captured()
    configure_logging(output=handler)
    try:
        yield handler
    finally:
        configure_logging()  # back to stderr, as tests/conftest.py set it


async def run_probe(client, incident_id: str) -> str:
    queue = f"log-probe-{uuid.uuid4().hex[:8]}"
    async with Worker(client, task_queue=queue, workflows=[LoggingProbe]):
        return await client.execute_workflow(LoggingProbe.run, id=workflow_id_for(incident_id),
                                             task_queue=queue)


async def test_a_workflow_event_is_one_key_value_line_with_the_incident_id(env, captured):
    await run_probe(env.client, "T-log-1")
    [line] = [line for line in captured.lines() if "probe_logged" in line]
    assert line.startswith("timestamp=") and "level=info logger=temporalio.workflow" in line
    assert "event=probe_logged incident_id=T-log-1" in line
    assert "workflow_id=incident-T-log-1" in line and "run_id=" in line
    assert "message_name=acknowledge unit_id=u-zjj" in line
    assert "temporal_workflow" not in line and "{" not in line  # no info dict on the message


async def test_app_loggers_share_the_format_and_the_queue(captured):
    structlog.get_logger("yuqing.test").info("bound event", incident_id="T-log-2", count=3)
    logging.getLogger("some.library").warning("plain %s", "record")
    lines = captured.lines()
    assert any(line.startswith("timestamp=") and 'event="bound event" incident_id=T-log-2'
               in line and "count=3" in line for line in lines), lines
    assert any('level=warning logger=some.library event="plain record"' in line
               for line in lines), lines


async def test_an_exception_is_written_by_the_listener_from_either_logger(captured):
    """The traceback is taken on the caller's thread: the listener's has none to find."""
    for log in (structlog.get_logger("yuqing.test"), logging.getLogger("some.library")):
        try:
            raise ZeroDivisionError("on purpose")
        except ZeroDivisionError:
            log.exception("failed")
    failed = [line for line in captured.lines() if "event=failed" in line]
    assert len(failed) == 2 and all("ZeroDivisionError: on purpose" in line for line in failed)


async def test_a_workflow_thread_never_waits_for_a_slow_handler(env):
    """The handler is held shut while the workflow logs and finishes: only the queue is
    between them (without it the workflow task would hang here)."""
    gate = threading.Event()
    handler = Captured(gate)
    configure_logging(output=handler)
    try:
        assert await run_probe(env.client, "T-log-3") == "done"
        assert handler.entered.wait(timeout=30)  # the listener is inside the handler, held
        assert "probe_logged" not in handler.stream.getvalue()
    finally:
        gate.set()
        lines = handler.lines()
        configure_logging()
    assert any("event=probe_logged incident_id=T-log-3" in line for line in lines)


@pytest.mark.parametrize("name", ["routine-nantong", "escalation-ladder-liuzhou"])
async def test_a_replayed_history_logs_nothing(name, captured):
    """Replaying the same history with the SDK's replay switch off does log: the history
    reaches log calls, so silence under replay is the SDK skipping them."""
    history = WorkflowHistory.from_json(name, (HISTORIES / f"{name}.json").read_text("utf-8"))
    replaying = replayer()  # the audit's replayer: as the worker runs the workflow
    await replaying.replay_workflow(history)
    assert not [line for line in captured.lines() if "logger=temporalio.workflow" in line]

    configure_logging(output=captured)
    workflow.logger.log_during_replay = True
    try:
        await replaying.replay_workflow(history)
    finally:
        workflow.logger.log_during_replay = False
    assert [line for line in captured.lines() if "logger=temporalio.workflow" in line]


async def test_incident_logs_carry_ids_never_names(env, worker, incident_id, captured):
    """A refused message whose payload names people: the log line has the incident id,
    the message and the reason; no personal name (the actor, a signer)."""
    incident = await report(env, incident_id)
    await incident.send_raw("acknowledge", {"unit_id": "u-zjj", "actor": ACTOR,
                                            "signed_by": "李四"})
    await incident.status()
    lines = [line for line in captured.lines() if "logger=temporalio.workflow" in line]
    refused = [line for line in lines if "event=message_refused" in line]
    assert refused and f"incident_id={incident_id}" in refused[0], lines
    assert "message_name=acknowledge" in refused[0], refused[0]
    for name in (ACTOR, ACTOR.split()[-1], "李四"):
        assert not [line for line in lines if name in line]
