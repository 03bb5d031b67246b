"""Workflow versions 1–5 (工作流版本): what each changed in how the shell carries out the
procedure, fixed per incident by the version its start names (``workflows.versions``).

1. A durable timer for every pending window; every change of a search attribute upserted.
2. Only the nearest deadline holds a timer; a next deadline within a minute of the one
   shown is not upserted again; the starter sets the search attributes the incident opens with.
3. ``NextDeadline`` of an incident overdue now shows since when it is late.
4. Receipts: the delivery activity's result (each channel's answer) is recorded, and a
   notice no channel delivered alerts the office.
5. The roster and local defaults are the deployment's, read when the incident opens.

Version 6 (``workflows.loop``) does all of 2–5 in one run loop; this package replays the
runs recorded under 1–5 (``workflows.versions.served_by_legacy``).
"""

NEAREST_DEADLINE_ONLY = 2
DEADLINE_TO_THE_MINUTE = 2
OVERDUE_SINCE_SHOWN = 3
DELIVERY_RECEIPTS = 4
DEPLOYMENT_OWNS_SETTINGS = 5
