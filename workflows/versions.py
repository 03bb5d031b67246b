"""Workflow versions (工作流版本): how the shell carries out the procedure, fixed per incident.

The starter names the current version in the start (``IncidentStart.workflow_version``);
the incident keeps it across continue-as-new. A start without it is version 1.

1. A durable timer for every pending window; every change of a search attribute upserted.
2. Only the nearest deadline holds a timer; a next deadline within a minute of the one
   shown is not upserted again; the starter sets the search attributes the incident opens with.
3. ``NextDeadline`` of an incident overdue now shows since when it is late.
4. Receipts: the delivery activity's result (each channel's answer) is recorded, and a
   notice no channel delivered alerts the office.
5. The roster and local defaults are the deployment's, read when the incident opens.
6. One run loop (``workflows.loop``): what the incident waits for is in its state
   (``domain.procedure.waiting``), one wait with the nearest deadline as its timeout,
   continue-as-new carries only start and state; everything of 2–5 included.

The seam, chosen once per run in ``IncidentWorkflow.__init__`` (``served_by_legacy``):
versions 1–5 are served by the frozen shell of package ``legacy`` only where their
history says so, i.e. when replaying a run that started without the marker
``one-run-loop``. Anything new that names an older version (a new start, the next run
of a continued legacy incident) records the marker and takes the loop, which adopts the
grace periods and deliveries the earlier run carried beside its state. Once no incident
of versions 1–5 is open and no recorded history of theirs is to be replayed, delete
``legacy`` and this check. We chose this over a worker build pinned by Worker
Versioning: one worker, no second deployment to keep alive for months-long incidents.
"""

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.roster import sealed_principal

CURRENT = 6
NEAREST_DEADLINE_ONLY = 2
DEADLINE_TO_THE_MINUTE = 2
OVERDUE_SINCE_SHOWN = 3
DELIVERY_RECEIPTS = 4
DEPLOYMENT_OWNS_SETTINGS = 5
ONE_RUN_LOOP = 6
ONE_RUN_LOOP_PATCH = "one-run-loop"


def version_of(start: IncidentStart) -> int:
    return start.workflow_version or 1


def named_in(payload: Any) -> int:
    """The version a start payload names (1 when it names none or cannot be read)."""
    payload, _ = sealed_principal(payload)
    version = payload.get("workflow_version") if isinstance(payload, dict) else None
    return version if isinstance(version, int) else 1


def served_by_legacy(version: int) -> bool:
    """Whether this run is one of versions 1–5 as their own shell ran it (see above)."""
    return version < ONE_RUN_LOOP and not workflow.patched(ONE_RUN_LOOP_PATCH)
