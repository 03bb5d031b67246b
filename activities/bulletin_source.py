"""Where the bulletin's statuses come from: the live server, or the audit archive.

A closed incident's final status is its workflow's result, read straight from the last
event of its history (no replay needed, so 10,000 incidents take seconds); a running
one answers its ``status`` query. A run that continued as new is superseded by the next.
"""

import asyncio
import re
from datetime import datetime, timedelta, timezone
from typing import cast

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHistory

from activities.archive import HistoryArchive
from domain.presentation import BEIJING
from temporal.names import WORKFLOW_TYPE
from domain.status import IncidentStatus
from temporal.codec import EncryptionCodec
from settings.keys import configured_codec

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
CONCURRENCY = 32


def parse_month(text: str, now: datetime | None = None) -> str:
    """``YYYY-MM``, from 2000 to the current month (Beijing time); ValueError otherwise."""
    match = MONTH.match(text.strip())
    if not match:
        raise ValueError(f"月份须为 YYYY-MM，如 2026-11 (month must be YYYY-MM): {text!r}")
    month = f"{match.group(1)}-{match.group(2)}"
    current = (now or datetime.now(timezone.utc)).astimezone(BEIJING).strftime("%Y-%m")
    if month > current or month < "2000-01":
        raise ValueError(f"月份 {month} 不在 2000-01 至本月 {current} 之间 (month out of range)")
    return month


def month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=BEIJING)


def final_status(history: WorkflowHistory,
                 codec: EncryptionCodec | None = None) -> IncidentStatus | None:
    """The status a closed run returned; None for a run that continued as new or still runs.

    Read straight from the last event (decrypted with ``codec`` when payloads are encrypted).
    """
    last = history.events[-1]
    if last.event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        return None
    payloads = last.workflow_execution_completed_event_attributes.result.payloads
    if not payloads:
        return None
    payload = codec.decrypt(payloads[0]) if codec is not None else payloads[0]
    return IncidentStatus.model_validate_json(payload.data)


def statuses_from_archive(archive: HistoryArchive) -> list[IncidentStatus]:
    codec = configured_codec()
    found = (final_status(h, codec) for h in archive.histories())
    return [s for s in found if s is not None]


def incidents_since(since: datetime) -> str:
    """The visibility query of every incident started since ``since`` (an incident is first
    detected before it starts), one run per incident."""
    return (f'WorkflowType="{WORKFLOW_TYPE}" AND ExecutionStatus!="ContinuedAsNew" '
            f'AND StartTime >= "{since.astimezone(timezone.utc).isoformat()}"')


async def status_of(client: Client, workflow_id: str, run_id: str,
                    running: bool) -> IncidentStatus | None:
    """A running incident answers its query; a closed one's status is its result."""
    handle = client.get_workflow_handle(workflow_id, run_id=run_id)
    if running:
        return await handle.query("status", result_type=IncidentStatus)
    # our clients' converter is configured_converter()'s: its codec, if any, is ours
    codec = cast(EncryptionCodec | None, client.data_converter.payload_codec)
    return final_status(await handle.fetch_history(), codec)


async def statuses_from_server(client: Client, since: datetime) -> list[IncidentStatus]:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(workflow_id: str, run_id: str, running: bool) -> IncidentStatus | None:
        async with gate:
            return await status_of(client, workflow_id, run_id, running)

    jobs = [one(e.id, e.run_id, e.status == WorkflowExecutionStatus.RUNNING)
            async for e in client.list_workflows(incidents_since(since))]
    return [s for s in await asyncio.gather(*jobs) if s is not None]


def trend_start(month: str, months: int) -> datetime:
    """The first day of the earliest month a trend of ``months`` shows."""
    start = month_start(month)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return start
