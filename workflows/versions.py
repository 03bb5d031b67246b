"""Workflow versions (工作流版本): how the shell carries out the procedure, fixed per incident.

The starter names the current version in the start (``IncidentStart.workflow_version``),
and the incident keeps it to its end, across continue-as-new, so its history always
replays. Naming it costs nothing, where a version marker would add a command, an event
and a ``TemporalChangeVersion`` upsert to every incident. A start without it is version 1.

1. A durable timer for every pending window; every change of a search attribute upserted.
2. Only the nearest deadline holds a timer (``workflows.timers``). The starter sets the
   search attributes the opened incident will show, and a next deadline within a minute
   of the one shown is not upserted again (``domain.engine.standing``): the first
   workflow task then upserts nothing.
3. ``NextDeadline`` of an incident overdue now shows since when it is late (the earliest
   deadline still missed), never a future time.
4. Receipts (``domain.receipts``): the workflow keeps the delivery activity's result, each
   channel's answer on the timeline and in the current details; a notice no channel
   delivered after its tries (the activity counts them) alerts the office. The receipt
   rides on the activity's own result: no signal, no extra action.
5. The roster and local defaults are the deployment's: the worker reads them when the
   incident opens (a local activity, ``workflows.opening``) and records them; a start
   carrying its own is refused. A new start naming an older version takes this path too,
   behind the marker ``deployment-owns-roster`` (histories recorded before have none).
"""

from domain.messages import IncidentStart

CURRENT = 5
NEAREST_DEADLINE_ONLY = 2
DEADLINE_TO_THE_MINUTE = 2
OVERDUE_SINCE_SHOWN = 3
DELIVERY_RECEIPTS = 4
DEPLOYMENT_OWNS_SETTINGS = 5


def version_of(start: IncidentStart) -> int:
    return start.workflow_version or 1
