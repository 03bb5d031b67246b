"""Workflow versions (工作流版本): how the shell carries out the procedure, fixed per incident.

The starter names the current one in the start (``IncidentStart.workflow_version``; none
is version 1), kept across continue-as-new. Version 6 is one run loop (``workflows.loop``);
version 7 lets every deadline and grace period already past fall before a message is taken
(so a timer the server delivers late, or into the message's own task, cannot put a late
message before its deadline on the record); what 1–5 changed is in ``legacy.versions``. The seam (``served_by_legacy``, chosen once per
run) and when ``legacy`` goes: docs/architecture.md, "Versions".
"""

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.messages import IncidentStart
    from domain.roster import sealed_principal

ONE_RUN_LOOP = 6
CURRENT = DEADLINES_BEFORE_MESSAGES = 7
ONE_RUN_LOOP_PATCH = "one-run-loop"


def version_of(start: IncidentStart) -> int:
    return start.workflow_version or 1


def named_in(payload: Any) -> int:
    """The version a start payload names (1 when it names none or cannot be read)."""
    payload, _ = sealed_principal(payload)
    version = payload.get("workflow_version") if isinstance(payload, dict) else None
    return version if isinstance(version, int) else 1


def served_by_legacy(version: int) -> bool:
    """Whether this run is one of versions 1–5 as their own shell ran it: only the replay of
    a run recorded without the marker; a new start or a continued run records it."""
    return version < ONE_RUN_LOOP and not workflow.patched(ONE_RUN_LOOP_PATCH)


def deadlines_before_messages(version: int) -> bool:
    """Whether what fell due before a message's task falls before the message is taken."""
    return version >= DEADLINES_BEFORE_MESSAGES
