"""Workflow versions (工作流版本): how the shell carries out the procedure, fixed per incident.

The starter names the current one in the start (``IncidentStart.workflow_version``; none
is version 1), kept across continue-as-new. Each changed how deadlines, search attributes
or deliveries are carried out, never a rule (rules have their own versions,
``domain.rules_version``):

1. A durable timer for every pending window; every change of a search attribute upserted.
2. Only the nearest deadline holds a timer; a next deadline within a minute of the one
   shown is not upserted again; the starter sets the search attributes the incident opens with.
3. ``NextDeadline`` of an incident overdue now shows since when it is late.
4. Receipts: the delivery activity's result (each channel's answer) is recorded, and a
   notice no channel delivered alerts the office.
5. The roster and local defaults are the deployment's, read when the incident opens.
6. One run loop (``workflows.loop``) does all of 2–5; grace periods and deliveries are
   waits in the state. A run of versions 1–5 stays on their frozen shell (``legacy``),
   replayed and live until it closes or continues, unless it recorded
   ``ONE_RUN_LOOP_PATCH`` (a new start or a continued run does).
7. Whatever fell due before a message's task falls before the message is taken (a timer
   the server delivers late, or into the message's own task, cannot put a late message
   before its deadline on the record).
8. A signal of a name the contract does not have, sent while the deployment's settings are
   read, is held with the known ones and refused once the incident opens (before, its
   refusal showed the unopened state: two upserts, and the incident out of its filters).

The shell and the what-if (``domain.whatif.driver``) both read these, but nothing makes the
what-if read a new one: a version that changes what an incident records needs a case where the
what-if must match a run of it (a recorded history, or a live run as in
tests/workflows/test_unknown_before_open.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from domain.roster import sealed_principal

if TYPE_CHECKING:  # the start message names CURRENT as its bound: imported back only to type
    from domain.messages import IncidentStart

NEAREST_DEADLINE_ONLY = 2
DEADLINE_TO_THE_MINUTE = 2
OVERDUE_SINCE_SHOWN = 3
DELIVERY_RECEIPTS = 4
DEPLOYMENT_OWNS_SETTINGS = 5
ONE_RUN_LOOP = 6
DEADLINES_BEFORE_MESSAGES = 7
CURRENT = UNKNOWN_HELD_UNTIL_OPEN = 8
ONE_RUN_LOOP_PATCH = "one-run-loop"  # the marker of a version 1–5 run the loop serves


def version_of(start: IncidentStart | None) -> int:
    return (start.workflow_version if start is not None else None) or 1


def named_in(payload: Any) -> int:
    """The version a start payload names (1 when it names none or cannot be read)."""
    payload, _ = sealed_principal(payload)
    version = payload.get("workflow_version") if isinstance(payload, dict) else None
    return version if isinstance(version, int) else 1


def frozen_shell_serves(version: int, patched: Callable[[str], bool]) -> bool:
    """Whether a run is served by the frozen shell of versions 1–5 (``legacy``): one opened
    by a release before version 6, without the ``ONE_RUN_LOOP_PATCH`` marker, replayed and
    then live until it closes or continues. A new start naming an older version, or a
    continued run, records the marker (``patched`` asks for it, recording it, and is asked
    only below version 6) and takes the loop (docs/architecture.md, Versions)."""
    return version < ONE_RUN_LOOP and not patched(ONE_RUN_LOOP_PATCH)


def deadlines_before_messages(version: int) -> bool:
    """Whether what fell due before a message's task falls before the message is taken."""
    return version >= DEADLINES_BEFORE_MESSAGES


def shows_overdue_since(version: int) -> bool:
    """Whether ``NextDeadline`` of an incident overdue now shows since when it is late."""
    return version >= OVERDUE_SINCE_SHOWN


def holds_unknown_until_open(version: int) -> bool:
    """Whether an unknown signal sent before the incident opens waits for it to be refused."""
    return version >= UNKNOWN_HELD_UNTIL_OPEN
