"""What runs the procedure's paragraphs (``domain.procedure``): plain Python, no Temporal.

- ``step``: what every step shares — the incident's state, the context (time, versions),
  the effects a step collects, the refusal.
- ``registry``: every message of the contract once; ``take`` parses, checks and applies one.
- ``opening``: 立案 — the start checked, the deployment's settings adopted, the first report.
- ``deadlines``: windows as the paragraphs use them — find one, meet one, re-plan them all.
- ``message_ids``: exactly once (只受理一次) — the ``message_id`` of every message taken.
- ``standing``: where an incident stands after a step (stage, next deadline, overdue
  units) and the answers that show it (an update's receipt, the status fitted to a payload).
- ``intake``: one message as the workflow takes it (受理) — a retry, a refusal or a step.
- ``waiting``: what an incident waits for (等待), kept in its state — timed windows, grace
  periods, notices not yet answered; the nearest of them, and what falls when one is due.
- ``continuation``: what one run hands to the next (续跑), and when it is time to.
- ``resting``: the start and state kept as compressed JSON between pieces of work (静置).

The paragraphs import ``step`` and ``deadlines``; ``registry`` and ``opening`` import the
paragraphs, and nothing else does.
"""
