"""A generated month of real incidents, for the what-if's tests and its benchmark.

``plan`` draws, from a seed, incidents under every profile with one or two units whose
behaviour varies: prompt, slow to sign (1.5 h: on time under the shipped 2 h, late under
1 h), late on every window, or silent (the 催办 → 督办 ladder runs and the incident stays
open); some send a message for a unit the incident does not have (refused), and the
office's reviews go as validated updates. ``run_month`` drives them through the real workflow on the time-skipping server
in one timeline, as backends would, and returns each incident's histories and status.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.messages import IncidentStart
from domain.status import IncidentStatus
from starter.api import MessageRefused, report_incident, send_message

UNITS = [("u-zjj", "住建局"), ("u-sgj", "市场监管局"), ("u-jtj", "交通局"),
         ("u-wjw", "卫健委"), ("u-hbj", "生态环境局"), ("u-jyj", "教育局")]
SLOW_SIGN_HOURS = 1.5
PROFILES = ["nantong-2017", "national-2016", "liuzhou-2017"]


@dataclass
class Planned:
    number: int
    offset: timedelta  # detection, after the month's first
    profile: str
    category: str
    severity: str
    units: list[tuple[str, str]]
    behaviour: dict[str, str]
    steps: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)

    @property
    def incident_id(self) -> str:
        return f"GEN-{self.number:03d}"


def _unit_steps(unit_id: str, behaviour: str, closing: bool) -> list[tuple[float, str, dict]]:
    if behaviour == "silent":
        return []
    ack, respond, feed = {"prompt": (0.5, 3, 20), "slow_signer": (SLOW_SIGN_HOURS, 4, 30),
                          "late": (3, 60, 80)}[behaviour]
    steps = [(ack, "acknowledge", {"unit_id": unit_id}),
             (respond, "record_response", {"unit_id": unit_id, "channel": "platform_reply",
                                           "summary": "已在原平台回复"}),
             (feed, "submit_feedback", {"unit_id": unit_id, "summary": "已办理",
                                        "resolved": True})]
    if closing:
        steps.append((feed + 1, "review_feedback", {"unit_id": unit_id, "accepted": True}))
    return steps


def plan(count: int, seed: int = 27) -> list[Planned]:
    rng = random.Random(seed)
    incidents = []
    for number in range(count):
        units = rng.sample(UNITS, rng.choice([1, 1, 2]))
        major = rng.random() < 0.2
        # An emergency is phoned first: its W-ACK runs from the written form (backfill), so
        # only routine incidents have slow signers, whose W-ACK runs from the 研判.
        behaviour = {u: rng.choice(["prompt", "prompt", "late", "silent"] if major else
                                   ["prompt", "prompt", "slow_signer", "late", "silent"])
                     for u, _ in units}
        planned = Planned(number, timedelta(minutes=7 * number), rng.choice(PROFILES),
                          "E1" if major else "R2", "重大" if major else "一般", units, behaviour)
        closing = "silent" not in behaviour.values()
        for unit_id, _ in units:
            planned.steps += _unit_steps(unit_id, behaviour[unit_id], closing)
        if number % 5 == 0:  # refused: no such unit on this incident
            planned.steps.append((0.2, "acknowledge", {"unit_id": "u-unknown"}))
        if major:
            planned.steps.append((0.8, "record_response", {
                "unit_id": units[0][0], "channel": "press_conference", "summary": "新闻发布会",
                "head_or_spokesperson_attended": True}))
        planned.steps.sort(key=lambda s: s[0])
        incidents.append(planned)
    return incidents


def start_of(planned: Planned, first: datetime) -> IncidentStart:
    return IncidentStart.model_validate({
        "incident_id": planned.incident_id, "profile": planned.profile,
        "title": f"生成的舆情 {planned.number}", "actor": "网信办监测平台",
        "report": {"platform": "留言板", "url": f"https://example.org/gen/{planned.number}",
                   "detected_at": (first + planned.offset).isoformat()},
        "analysis": {"category": planned.category, "severity": planned.severity,
                     "units": [{"unit_id": u, "name": n, "lead": i == 0}
                               for i, (u, n) in enumerate(planned.units)]}})


@dataclass
class Recorded:
    planned: Planned
    histories: list  # the runs' WorkflowHistory, oldest first
    status: IncidentStatus
    running: bool


async def run_month(env: WorkflowEnvironment, incidents: list[Planned],
                    settle_hours: float = 150) -> list[Recorded]:
    """Every planned incident through the workflow; ``settle_hours`` after the last step."""
    first = await env.get_current_time()
    timeline: list[tuple[datetime, int, Planned, str | None, dict]] = []
    for p in incidents:
        detected = first + p.offset
        timeline.append((detected, 0, p, None, {}))
        timeline += [(detected + timedelta(hours=h), i + 1, p, name, fields)
                     for i, (h, name, fields) in enumerate(p.steps)]
    timeline.sort(key=lambda item: (item[0], item[2].number, item[1]))
    handles: dict[int, WorkflowHandle] = {}
    for when, _, p, name, fields in timeline:
        wait = (when - await env.get_current_time()).total_seconds()
        if wait > 0:
            await env.sleep(wait)
        if name is None:
            handles[p.number] = await report_incident(
                env.client, start_of(p, first), now=when)  # the worker's defaults
        elif name == "review_feedback":  # as a validated update, as `yuqing send` sends it
            try:
                await send_message(env.client, p.incident_id, name,
                                   {"actor": "网信办 审核员", **fields})
            except MessageRefused:
                pass
        else:
            await handles[p.number].signal(name, {"actor": "单位经办人", **fields})
    await env.sleep(timedelta(hours=settle_hours))
    recorded = []
    for p in incidents:
        handle = env.client.get_workflow_handle(f"incident-{p.incident_id}")
        history, status = await _history_and_status(handle)
        running = history.events[-1].event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
        recorded.append(Recorded(p, [history], status, running))
    return recorded


async def _history_and_status(handle: WorkflowHandle) -> tuple:
    """A running incident's history and its status as of that same history: a workflow
    task still under way (a delivery's answer) between the two reads would otherwise give
    a status the fetched history does not explain; read again until nothing moved."""
    while True:
        history = await handle.fetch_history()
        status = await handle.query("status", result_type=IncidentStatus)
        again = await handle.fetch_history()
        if len(again.events) == len(history.events):
            return history, status
