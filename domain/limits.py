"""Input limits (输入限制): what every message is held to at the boundary, and why.

Each limit keeps a Temporal limit far away, so no input, however hostile, can make
the server terminate an incident or a workflow task fail: a search attribute value
stays under 2 KB, a payload under 2 MB (we refuse far earlier), a history under its
size and event limits (the incident continues as new long before), a query answer
under gRPC's 4 MB. A value outside a limit is refused with a reason that names it.
"""

from datetime import datetime, timedelta, timezone

MAX_INCIDENT_ID_CHARS = 128  # the workflow id pattern: ASCII letters, digits, _ . : -
INCIDENT_ID_PATTERN = rf"[A-Za-z0-9][A-Za-z0-9_.:-]{{0,{MAX_INCIDENT_ID_CHARS - 1}}}"
MAX_UNIT_ID_BYTES = 64  # UTF-8 bytes: ResponsibleUnits (KeywordList) stays under 2 KB
MAX_MESSAGE_ID_CHARS = 128  # also the update id
MAX_NAME_CHARS = 100  # actor, unit name, platform, region, reply form
MAX_TITLE_CHARS = 200
MAX_TEXT_CHARS = 4000  # content, summary, reason, note, comment, instruction, assessment
MAX_URL_CHARS = 2048
MAX_UNITS_PER_ANALYSIS = 20
MAX_ACTIVE_UNITS = 20  # responsible units at once: 20 × 64 bytes ≈ 1.3 KB
MAX_HOURS = 24 * 366  # any window, default or grace: at most a year
MAX_MESSAGE_BYTES = 64 * 1024  # one message's JSON (UTF-8)
MAX_REPORTS_KEPT = 200  # merged reports listed in the status; further ones are counted
MAX_DETAIL_CHARS = 500  # a timeline entry's text; the message itself is in the history
MAX_REASON_CHARS = 500  # a refusal's reason
# The server's cap on one payload (limit.blobSize.error: workers/dev_server.py and
# deploy/dynamicconfig.yaml), matched to the message limit: the largest message the
# procedure accepts fits even written with \u escapes (6 bytes for a 3-byte character)
# and encrypted, and anything larger is refused by the server before it reaches a
# history. So a burst of 260 signals at the cap adds at most 35 MB, inside the 50 MB a
# run may hold, while the incident waits for a pause to continue as new.
MAX_PAYLOAD_BYTES = 2 * MAX_MESSAGE_BYTES + 8 * 1024
# Updates in flight at one incident (history.maxInFlightUpdatePayloads): the server
# refuses a larger update at once. Admitted, a refused update is echoed back whole in
# the SDK's rejection, which must stay under the payload cap or the task fails.
MAX_UPDATE_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES - 4 * 1024
# The final status as the workflow's result, the carried state and the status query:
# well inside the cap, which the SDK applies to everything a worker sends.
MAX_RESULT_BYTES = 120 * 1024
MAX_SIGNALS_PER_RUN = 2_000  # continue as new after this many signals and updates (Temporal: 10k)
MAX_EVENTS_PER_RUN = 10_000  # … or history events (Temporal: 51,200)
MAX_HISTORY_BYTES_PER_RUN = 10 * 1024 * 1024  # … or history bytes, or bytes of messages taken (Temporal: 50 MB)

# Absolute bounds on any time given (no year 1 or 9999), and bounds relative to the
# incident's clock (workflow time), checked by the procedure.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
MAX_LOOKBACK = timedelta(days=366)  # a first detection or publication at most a year ago
MAX_HORIZON = timedelta(days=366)  # an extension or expected date at most a year ahead
