"""Where the what-if's histories come from: the audit archive (streamed, one incident at a
time, on every core) or the live server (read only). Each incident is read, replayed and
reduced to figures before the next is read, so memory stays bounded by one incident."""

import asyncio
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path

from temporalio.api.common.v1 import Payload
from temporalio.client import Client, WorkflowExecutionStatus

from activities.archive import HistoryArchive
from domain.bulletin import month_of
from domain.file_names import inside
from domain.status import IncidentStatus
from domain.whatif.compare import IncidentRun, WhatIf
from domain.whatif.driver import Resumed, replay
from domain.whatif.inputs import Decrypt, IncidentInputs, read_incident
from domain.whatif.settings import Proposal
from temporal.codec import ENCODING as ENCRYPTED
from settings.keys import load_keyring
from temporal.codec import EncryptionCodec

SHARE = 250  # incidents per task handed to a process


def decrypter() -> Decrypt:
    """The deployment's keys; an encrypted payload without them stops the command."""
    keyring = load_keyring()
    codec = EncryptionCodec(keyring) if keyring is not None else None

    def decrypt(metadata: dict[str, bytes], data: bytes) -> tuple[dict[str, bytes], bytes]:
        if metadata.get("encoding") != ENCRYPTED:
            return metadata, data
        if codec is None:
            raise SystemExit("yuqing whatif: 历史已加密，但没有配置密钥 (encrypted history, no "
                             "keys: set YUQING_KEYS or YUQING_KEYS_FILE)")
        plain = codec.decrypt(Payload(metadata=metadata, data=data))
        return dict(plain.metadata), plain.data

    return decrypt


def evaluate(inputs: IncidentInputs, proposal: Proposal, whatif: WhatIf,
             actual: IncidentStatus | None = None) -> None:
    """One incident: its recorded status, replayed under the proposal (and, when there is
    one, unchanged too), added to ``whatif``. ``actual``: a running incident's status."""
    if actual is None:
        if not inputs.closed or inputs.result is None:
            return  # still running (or continued beyond the archive): not in the bulletin
        actual = IncidentStatus.model_validate_json(inputs.result)
    if month_of(actual.first_detected_at) != whatif.month:
        return
    run = IncidentRun(actual.incident_id, actual, problem=inputs.problem)
    if not inputs.problem:
        try:
            _resume_carried(inputs)
            start = inputs.start
            proposed_start = proposal.applied_to(start) if start is not None else None
            if isinstance(inputs.carried, Resumed) and not proposal.empty:
                raise ValueError("前几轮运行不在归档中，无法按拟议规则从头重放 "
                                 "(earlier runs missing: cannot replay from the start)")
            run.proposed = replay(inputs, proposed_start, proposal.local_defaults)
            if not proposal.empty and whatif.differs(run):  # what changed, message by message
                run.baseline = replay(inputs)
        except (ValueError, KeyError, TypeError) as error:
            run.proposed, run.baseline = None, None
            run.problem = f"{type(error).__name__}: {str(error)[:200]}"
    whatif.add(run)


def _resume_carried(inputs: IncidentInputs) -> None:
    if isinstance(inputs.carried, dict):
        from domain.engine.continuation import continued_from
        carried = continued_from(inputs.carried)
        if carried is None:
            raise ValueError("无法读取续跑携带的状态 (unreadable carried state)")
        inputs.carried = Resumed(carried.start, carried.state,
                                 [(g.name, g.ends_at, g.then) for g in carried.graces])


# ------------------------------------------------------------------ the archive

def archived_incidents(folder: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each incident's archived runs (path, checksum), grouped by workflow id."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for relative, entry in HistoryArchive(folder).manifest().entries.items():
        grouped.setdefault(entry.workflow_id, []).append((relative, entry.sha256))
    return sorted(grouped.items())


def _runs_in_order(folder: Path, runs: list[tuple[str, str]]) -> list[list[dict]]:
    """The runs' events, oldest run first (each names the run it continues)."""
    loaded = []
    for relative, sha256 in runs:
        data = inside(folder, relative).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"归档文件与清单校验值不符 (altered since archived): {relative}")
        events = json.loads(data)["events"]
        attrs = events[0].get("workflowExecutionStartedEventAttributes", {})
        loaded.append((attrs.get("originalExecutionRunId", ""),
                       attrs.get("continuedExecutionRunId", ""), events))
    by_previous = {previous: (run_id, events) for run_id, previous, events in loaded}
    ordered: list[list[dict]] = []
    previous = ""
    while previous in by_previous and len(ordered) < len(loaded):
        previous, events = by_previous.pop(previous)
        ordered.append(events)
    return ordered + [events for _, events in by_previous.values()]


def evaluate_archived(folder: Path, share: list[tuple[str, list[tuple[str, str]]]],
                      month: str, proposal: Proposal, generated_at: datetime) -> WhatIf:
    """One process's share of the archive, as figures."""
    whatif, decrypt = WhatIf(month, generated_at, proposal), decrypter()
    for workflow_id, runs in share:
        inputs = read_incident(workflow_id, _runs_in_order(folder, runs), decrypt)
        evaluate(inputs, proposal, whatif)
    return whatif


def from_archive(folder: Path, month: str, proposal: Proposal, generated_at: datetime,
                 processes: int | None = None) -> WhatIf:
    """The month from the audit archive, on every core."""
    if not (folder / "manifest.json").exists():
        raise ValueError(f"没有审计归档 (no audit archive): {folder}/manifest.json")
    incidents = archived_incidents(folder)
    shares = [incidents[i:i + SHARE] for i in range(0, len(incidents), SHARE)]
    processes = processes or min(len(os.sched_getaffinity(0)), max(1, len(shares)))
    total = WhatIf(month, generated_at, proposal)
    if processes <= 1 or len(shares) <= 1:
        for share in shares:
            total.combine(evaluate_archived(folder, share, month, proposal, generated_at))
        return total
    with ProcessPoolExecutor(processes) as pool:
        for part in pool.map(evaluate_archived, *zip(*[
                (folder, share, month, proposal, generated_at) for share in shares])):
            total.combine(part)
    return total


# ------------------------------------------------------------------ the live server

async def _history_chain(client: Client, workflow_id: str, run_id: str) -> list[list[dict]]:
    chain = []
    while run_id:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        chain.append(json.loads(history.to_json())["events"])
        started = history.events[0].workflow_execution_started_event_attributes
        run_id = started.continued_execution_run_id
    return chain[::-1]


async def _fetched(client: Client, execution) -> tuple[str, list[list[dict]], IncidentStatus | None]:
    """One incident's runs, and a running one's status (closed: its result is in the history)."""
    runs = await _history_chain(client, execution.id, execution.run_id)
    actual = None
    if execution.status == WorkflowExecutionStatus.RUNNING:
        handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
        actual = await handle.query("status", result_type=IncidentStatus)
    return execution.id, runs, actual


async def from_server(client: Client, month: str, proposal: Proposal,
                      generated_at: datetime) -> WhatIf:
    """The month from the live server; only reads (histories, and running incidents' status),
    ``CONCURRENCY`` incidents at a time."""
    from activities.bulletin_source import CONCURRENCY, incidents_since, month_start
    whatif, decrypt = WhatIf(month, generated_at, proposal), decrypter()

    async def evaluate_batch(batch: list) -> None:
        for workflow_id, runs, actual in await asyncio.gather(
                *(_fetched(client, execution) for execution in batch)):
            evaluate(read_incident(workflow_id, runs, decrypt), proposal, whatif, actual)

    batch = []
    async for execution in client.list_workflows(incidents_since(month_start(month))):
        batch.append(execution)
        if len(batch) >= CONCURRENCY:
            await evaluate_batch(batch)
            batch = []
    await evaluate_batch(batch)
    return whatif
