"""Structured, key=value logging for every yuqing process (日志): one format, one queue.

Every record — the app's structlog loggers, the SDK's ``temporalio.workflow`` and
``temporalio.activity`` loggers, anything else on the standard library — goes to the root
logger's ``QueueHandler``; one ``QueueListener`` thread formats it with structlog's
``ProcessorFormatter`` and writes it to stderr.

Why the queue: workflow code runs on the SDK's workflow threads, which must never block on
I/O or on a contended lock — a task blocked past the SDK's deadlock timeout fails, and a
thread the SDK interrupts inside a stream handler (its lock held, a slow terminal, a full
pipe) would stall every other thread that logs, the shutdown path too. The queue handler
only appends to an unbounded in-memory queue; formatting and writing happen on the
listener's thread.

Workflow code logs with the SDK's ``workflow.logger`` (it logs nothing while a history is
replayed), the event name as the message and its fields in ``extra=``; the SDK's
``temporal_workflow`` / ``temporal_activity`` extra is flattened here into ``workflow_id``,
``run_id`` and ``incident_id``.
"""

from __future__ import annotations

import atexit
import copy
import logging
import logging.handlers
import queue
import sys
from datetime import datetime

import structlog
from structlog.typing import EventDict, WrappedLogger
from temporalio import activity, workflow

from temporal.names import workflow_id_for

INCIDENT_PREFIX = workflow_id_for("")  # an incident's workflow id is this prefix + its id
_listener: logging.handlers.QueueListener | None = None


class RecordQueueHandler(logging.handlers.QueueHandler):
    """Enqueues the record itself for the listener's ``ProcessorFormatter``.

    The standard ``prepare`` formats the record into a string here, on the caller's
    thread, which would flatten a structlog event dict; this one only resolves ``%``
    arguments (so later changes to them do not show) and leaves formatting to the listener.
    """

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record = copy.copy(record)
        if isinstance(record.msg, dict):  # a structlog event: formatted from the dict
            record.msg = dict(record.msg)
        else:
            record.msg, record.args = record.getMessage(), None
        return record


def flatten_temporal_context(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """The SDK's ``temporal_workflow``/``temporal_activity`` extra as flat ids."""
    run = event.pop("temporal_workflow", None)
    task = event.pop("temporal_activity", None)
    if run:
        workflow_id, run_id = run.get("workflow_id"), run.get("run_id")
        if run.get("update_name"):
            event.setdefault("update_name", run["update_name"])
    elif task:
        workflow_id, run_id = task.get("workflow_id"), task.get("workflow_run_id")
        event.setdefault("activity_type", task.get("activity_type"))
    else:
        return event
    if workflow_id and workflow_id.startswith(INCIDENT_PREFIX):
        event.setdefault("incident_id", workflow_id.removeprefix(INCIDENT_PREFIX))
    event.setdefault("workflow_id", workflow_id)
    event.setdefault("run_id", run_id)
    return event


def stamp_record_time(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """When the record was made (not when the listener got to it), with its zone."""
    record = event.get("_record")
    if record is not None:
        event["timestamp"] = datetime.fromtimestamp(record.created).astimezone().isoformat()
    return event


def key_value_formatter() -> structlog.stdlib.ProcessorFormatter:
    """One grep-able logfmt line per event, Chinese left as is."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.stdlib.ExtraAdder(),
            flatten_temporal_context,
        ],
        processors=[
            stamp_record_time,
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.LogfmtRenderer(
                key_order=["timestamp", "level", "logger", "event", "incident_id"],
                bool_as_flag=False, drop_missing=True,
            ),
        ],
    )


def configure_logging(level: str | int = "INFO", output: logging.Handler | None = None) -> None:
    """Root → ``RecordQueueHandler`` → ``QueueListener`` → ``output`` (stderr by default),
    formatted as key-value lines.

    Idempotent: a second call replaces the first listener (after writing what it holds).
    """
    global _listener
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    stop_logging()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            # on the caller's thread: the listener's has no exception to find for exc_info=True
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    # the ids travel in extra (flattened above), not appended to each message
    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False
    output = output or logging.StreamHandler(sys.stderr)
    output.setFormatter(key_value_formatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    root = logging.getLogger()
    root.handlers[:] = [RecordQueueHandler(records)]
    root.setLevel(level)
    _listener = logging.handlers.QueueListener(records, output, respect_handler_level=True)
    _listener.start()


def stop_logging() -> None:
    """Write what the queue holds and stop the listener (also at interpreter exit)."""
    global _listener
    listener, _listener = _listener, None
    if listener is not None:
        listener.stop()


atexit.register(stop_logging)
