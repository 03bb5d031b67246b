"""Incidents along every path the scenario tests cover, for recording replayable histories.

``scripts/record_histories.py`` runs each on the time-skipping server and saves
its history under ``tests/histories/``; the replay test then proves every
release still replays them. Add a scenario here when behaviour changes on purpose.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from temporalio.client import WorkflowHandle, WorkflowHistory
from temporalio.testing import WorkflowEnvironment

from domain.messages import IncidentStart
from starter.api import report_incident
from tests.support.start_signal import with_start_signal

Scenario = Callable[[WorkflowEnvironment], Awaitable[WorkflowHandle]]


class Driver:
    def __init__(self, env: WorkflowEnvironment, handle: WorkflowHandle) -> None:
        self.env, self.handle = env, handle

    async def send(self, name: str, after_hours: float = 0.5, **fields: Any) -> None:
        await self.env.sleep(timedelta(hours=after_hours))
        await self.handle.signal(name, {"actor": "录制脚本", **fields})


async def _start(env: WorkflowEnvironment, name: str, profile: str, analysis: dict | None,
                 units: tuple[str, ...] = ("u1",), run_budget: dict | None = None,
                 start_signal: tuple[str, Any] | None = None) -> Driver:
    now = await env.get_current_time()
    payload: dict[str, Any] = {
        "incident_id": f"REC-{name}-{uuid.uuid4().hex[:6]}", "profile": profile,
        "title": f"录制场景 {name}", "actor": "网信办监测平台",
        "report": {"platform": "留言板", "url": f"https://example.org/{name}",
                   "detected_at": now.isoformat()}}
    if run_budget is not None:
        payload["run_budget"] = run_budget
    if analysis is not None:
        payload["analysis"] = {"units": [{"unit_id": u, "lead": i == 0}
                                         for i, u in enumerate(units)], **analysis}
    client = with_start_signal(env.client, *start_signal) if start_signal else env.client
    return Driver(env, await report_incident(client, IncidentStart.model_validate(payload),
                                             now=now))


async def _finish(d: Driver, *units: str) -> WorkflowHandle:
    for unit in units:
        await d.send("submit_feedback", unit_id=unit, summary="已办理", resolved=True)
        await d.send("review_feedback", unit_id=unit, accepted=True)
    return d.handle


async def routine_nantong(env: WorkflowEnvironment) -> WorkflowHandle:
    return await _routine(await _start(env, "routine", "nantong-2017", {
        "category": "R2", "severity": "一般", "handling_hours": 72}))


async def _routine(d: Driver) -> WorkflowHandle:
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", unit_id="u1", channel="platform_reply", summary="已回复")
    return await _finish(d, "u1")


async def major_emergency_national(env: WorkflowEnvironment) -> WorkflowHandle:
    d = await _start(env, "major", "national-2016", {"category": "E1", "severity": "特别重大"})
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", after_hours=10, unit_id="u1", channel="press_conference",
                 summary="新闻发布会")
    await d.send("record_response", after_hours=20, unit_id="u1",
                 channel="authoritative_release", summary="持续发布")
    return await _finish(d, "u1")


async def escalation_ladder_liuzhou(env: WorkflowEnvironment) -> WorkflowHandle:
    d = await _start(env, "ladder", "liuzhou-2017", {"category": "E2", "severity": "重大"})
    await env.sleep(timedelta(hours=100))  # W-FACTS, W-ACK missed → 催办 → 督办 → 建议问责
    await d.send("start_accountability", reason="应对不力", unit_id="u1")
    await d.send("record_response", unit_id="u1", channel="facts_release", summary="补发事实")
    await d.send("withdraw", reason="转入问责程序处理")
    return d.handle


async def multi_unit_return(env: WorkflowEnvironment) -> WorkflowHandle:
    d = await _start(env, "multi", "nantong-2017", {"category": "R4", "severity": "较大"},
                     units=("u1", "u2"))
    await d.send("acknowledge", unit_id="u1")
    await d.send("return_assignment", unit_id="u2", reason="非本单位职责")
    await d.send("analyze", units=[{"unit_id": "u3", "name": "市场监管局"}], note="重新交办")
    await d.send("acknowledge", unit_id="u3")
    await d.send("record_response", unit_id="u1", channel="platform_reply", summary="已回复")
    return await _finish(d, "u1", "u3")


async def extension_and_rework(env: WorkflowEnvironment) -> WorkflowHandle:
    d = await _start(env, "extension", "national-2016", {"category": "R2", "severity": "一般",
                                                         "handling_hours": 24})
    now = await env.get_current_time()
    await d.send("acknowledge", unit_id="u1")
    await d.send("request_extension", unit_id="u1", reason="待检测结果",
                 until=(now + timedelta(hours=60)).isoformat())
    await d.send("decide_extension", unit_id="u1", approved=True)
    await d.send("record_response", unit_id="u1", channel="media_interview", summary="接受采访")
    await d.send("submit_feedback", unit_id="u1", summary="初步处理", resolved=False)
    await d.send("review_feedback", unit_id="u1", accepted=False, comment="请补充")
    return await _finish(d, "u1")


async def rework_after_deadline(env: WorkflowEnvironment) -> WorkflowHandle:
    """退回重办 after the handling deadline, without a new deadline (the patched path)."""
    d = await _start(env, "rework", "nantong-2017", {"category": "R2", "severity": "一般",
                                                     "handling_hours": 24})
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", unit_id="u1", channel="platform_reply", summary="已回复")
    await d.send("submit_feedback", after_hours=20, unit_id="u1", summary="已处理",
                 resolved=True)
    await d.send("review_feedback", after_hours=10, unit_id="u1", accepted=False,
                 comment="处理不彻底")
    return await _finish(d, "u1")


async def rumour_unanalysed(env: WorkflowEnvironment) -> WorkflowHandle:
    d = await _start(env, "rumour", "nantong-2017", None)
    await d.send("add_report", report={"platform": "微博", "url": "https://example.org/r2",
                                       "detected_at": (await env.get_current_time()).isoformat()})
    await d.send("acknowledge", unit_id="u1")  # refused: not analysed yet
    await d.send("analyze", category="E2", severity="较大", rumour=True,
                 units=[{"unit_id": "u1", "lead": True}])
    await d.send("analyze", severity="重大", note="传播扩大")
    await d.send("record_response", unit_id="u1", channel="authoritative_release",
                 summary="辟谣")
    await d.send("withdraw", reason="已辟谣并移交")
    return d.handle


async def emergency_backfill_nantong(env: WorkflowEnvironment) -> WorkflowHandle:
    d = await _start(env, "backfill", "nantong-2017", {"category": "E3", "severity": "一般"})
    await d.send("acknowledge", unit_id="u1")
    await d.send("backfill_form", unit_id="u1")
    await d.send("leader_instruction", text="务必妥善处置")
    await d.send("supervise", reason="领导关注，督办")
    await d.send("record_response", unit_id="u1", channel="platform_reply", summary="已回复")
    return await _finish(d, "u1")


async def unknown_signal_first_nantong(env: WorkflowEnvironment) -> WorkflowHandle:
    """Workflow version 8: a signal of a name the contract does not have rides with the start
    (the UI's "Send a Signal", a backend's misspelling), so it comes while the deployment's
    settings are read; held until the incident opens, then refused, nothing upserted."""
    return await _routine(await _start(
        env, "unknown-first", "nantong-2017",
        {"category": "R2", "severity": "一般", "handling_hours": 72},
        start_signal=("no_such_message", {"actor": "误发的后台"})))


# ------------------------------------------- rules version 2 (domain.rules_version)

async def explained_late_analysis_nantong(env: WorkflowEnvironment) -> WorkflowHandle:
    """Analysed 2.5 h after detection: unit clocks from the assignment; 暂不具备办理条件 accepted
    as "explained", its expected date missed (催办), then handled and closed."""
    d = await _start(env, "explained", "nantong-2017", None)
    await d.send("analyze", after_hours=2.5, category="R2", severity="一般", handling_hours=24,
                 reply_form="网上回复", units=[{"unit_id": "u1", "lead": True}])
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", unit_id="u1", channel="platform_reply", summary="已回复")
    expected = await env.get_current_time() + timedelta(hours=30)
    await d.send("submit_feedback", after_hours=10, unit_id="u1", summary="待资金到位",
                 resolved=False, expected_by=expected.isoformat())
    await d.send("review_feedback", unit_id="u1", accepted=True)
    await env.sleep(timedelta(hours=30))  # the expected date passes: 逾期不反馈 → 催办
    await d.send("submit_feedback", unit_id="u1", summary="已办结", resolved=True,
                 outcome="difficulty_solved")
    await d.send("review_feedback", unit_id="u1", accepted=True)
    return d.handle


async def upgrade_and_consultation_liuzhou(env: WorkflowEnvironment) -> WorkflowHandle:
    """A release before an upgrade meets the window it creates; 会商 with Liuzhou's organisers
    and the units, its outcome recorded; a missed W-ACK only reminds."""
    d = await _start(env, "upgrade", "liuzhou-2017", {"category": "R6", "severity": "较大"},
                     units=("u1", "u2"))
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", unit_id="u1", channel="briefing", summary="吹风会",
                 head_or_spokesperson_attended=True)
    await d.send("analyze", after_hours=3, severity="特别重大", key_criteria=["K4"],
                 note="涉及事故处置")
    await d.send("record_consultation", assessment="热度上升", measures="发布会澄清")
    await d.send("record_response", after_hours=10, unit_id="u1", channel="press_conference",
                 summary="新闻发布会", head_or_spokesperson_attended=True)
    await d.send("withdraw", reason="已回应，转常规处置")
    return d.handle


async def emergency_office_duties_nantong(env: WorkflowEnvironment) -> WorkflowHandle:
    """紧急交办 of a major emergency: leaders told, 24-hour monitoring; the backfill missed alerts
    the office, never the unit; closing without a press conference leaves it missed."""
    d = await _start(env, "duties", "nantong-2017", {"category": "E1", "severity": "重大",
                                                     "handling_hours": 12})
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", after_hours=4, unit_id="u1",
                 channel="authoritative_release", summary="权威发布")
    await env.sleep(timedelta(hours=21))  # W-BACKFILL (24 h) missed: the office is alerted
    await d.send("backfill_form", unit_id="u1")
    return await _finish(d, "u1")


async def continued_as_new_nantong(env: WorkflowEnvironment) -> WorkflowHandle:
    """Past its run budget the incident continues as new; the new run finishes the case.

    Recorded last: after a hand-over the Java test server stops skipping time, so
    nothing here sleeps once the flood has started.
    """
    d = await _start(env, "continued", "nantong-2017", {"category": "R2", "severity": "一般"},
                     run_budget={"max_signals": 10})
    for _ in range(12):  # refused (unknown unit): each is a signal of this run
        await d.handle.signal("acknowledge", {"actor": "洪水", "unit_id": "x"})
    latest = env.client.get_workflow_handle(d.handle.id)
    while (await latest.describe()).run_id == d.handle.result_run_id:
        await asyncio.sleep(0.2)  # real time: the hand-over completes once the flood stops
    for name, fields in [("acknowledge", {"unit_id": "u1"}),
                         ("record_response", {"unit_id": "u1", "channel": "platform_reply",
                                              "summary": "已回复"}),
                         ("submit_feedback", {"unit_id": "u1", "summary": "已办理",
                                              "resolved": True}),
                         ("review_feedback", {"unit_id": "u1", "accepted": True})]:
        await latest.signal(name, {"actor": "录制脚本", **fields})
    return latest


# ------------------------------ rules version 3: who answers for what (domain.rules_version)

REVIEW = {"checks": ["political", "policy", "legal", "wording", "confidentiality"],
          "reviewed_by": "市政府新闻办", "consulted": ["市公安局"]}


async def late_analysis_v3(env: WorkflowEnvironment) -> WorkflowHandle:
    """A-HOLD: analysed 50 h after detection; W-RESP fell due with the office, whose miss it is
    (alerted, never urging the unit); the unit owes its form's answer time (a local default)."""
    d = await _start(env, "late-analysis", "nantong-2017", None)
    await d.send("analyze", after_hours=50, category="R2", severity="一般", handling_hours=72,
                 reply_form="网上回复", units=[{"unit_id": "u1", "lead": True}])
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", after_hours=10, unit_id="u1", channel="platform_reply",
                 summary="已回复")
    return await _finish(d, "u1")


async def two_units_one_silent_v3(env: WorkflowEnvironment) -> WorkflowHandle:
    """A-EACH: u1 answers at 5 h; u2 stays silent, its own W-RESP is missed, it alone is urged
    and then supervised by name (u1 is neither); u2 answers late and both complete."""
    d = await _start(env, "two-units", "nantong-2017", {"category": "R2", "severity": "一般",
                                                        "handling_hours": 96}, units=("u1", "u2"))
    await d.send("acknowledge", unit_id="u1")
    await d.send("acknowledge", unit_id="u2")
    await d.send("record_response", after_hours=4, unit_id="u1", channel="platform_reply",
                 summary="u1 已回复")
    await d.send("submit_feedback", after_hours=10, unit_id="u1", summary="已办理", resolved=True)
    await d.send("review_feedback", unit_id="u1", accepted=True)
    await env.sleep(timedelta(hours=60))  # u2's W-RESP (48 h) missed, urged; 24 h on: 督办
    await d.send("record_response", unit_id="u2", channel="platform_reply", summary="u2 补充回复")
    return await _finish(d, "u2")


async def early_close_major_emergency_v3(env: WorkflowEnvironment) -> WorkflowHandle:
    """Closing discharges no statutory window: a major emergency closed at 3.5 h after a platform
    reply ends with W-AUTH and W-PRESS missed (办结时仍未发布/召开)."""
    d = await _start(env, "early-close", "nantong-2017", {"category": "E1", "severity": "重大",
                                                          "handling_hours": 12})
    await d.send("backfill_form", unit_id="u1")
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", after_hours=1, unit_id="u1", channel="platform_reply",
                 summary="原平台回复")
    await d.send("submit_feedback", after_hours=1, unit_id="u1", summary="已处置", resolved=True)
    await d.send("review_feedback", unit_id="u1", accepted=True)
    return d.handle


async def liuzhou_release_review_v3(env: WorkflowEnvironment) -> WorkflowHandle:
    """Liuzhou: a major emergency reported upward (001 一(一)1); every release records its
    review (五关, G-REVIEW) and the press conference says who attended."""
    d = await _start(env, "review", "liuzhou-2017", {"category": "E1", "severity": "重大",
                                                     "handling_hours": 48})
    await d.send("acknowledge", unit_id="u1")
    await d.send("record_response", after_hours=0.2, unit_id="u1",
                 channel="authoritative_release", summary="事实信息发布", review=REVIEW)
    await d.send("record_response", after_hours=10, unit_id="u1", channel="press_conference",
                 summary="新闻发布会", head_or_spokesperson_attended=True, review=REVIEW)
    return await _finish(d, "u1")


SCENARIOS: dict[str, Scenario] = {
    "routine-nantong": routine_nantong,
    "major-emergency-national": major_emergency_national,
    "escalation-ladder-liuzhou": escalation_ladder_liuzhou,
    "multi-unit-return-nantong": multi_unit_return,
    "extension-rework-national": extension_and_rework,
    "rework-after-deadline-nantong": rework_after_deadline,
    "rumour-unanalysed-nantong": rumour_unanalysed,
    "emergency-backfill-nantong": emergency_backfill_nantong,
    "explained-late-analysis-nantong": explained_late_analysis_nantong,
    "upgrade-consultation-liuzhou": upgrade_and_consultation_liuzhou,
    "emergency-office-duties-nantong": emergency_office_duties_nantong,
    "late-analysis-v3-nantong": late_analysis_v3,
    "two-units-one-silent-v3-nantong": two_units_one_silent_v3,
    "early-close-major-emergency-v3-nantong": early_close_major_emergency_v3,
    "liuzhou-release-review-v3": liuzhou_release_review_v3,
    "continued-as-new-nantong": continued_as_new_nantong,
    # workflow version 2: only the nearest deadline holds a timer (legacy/timers.py; the loop: waiting.nearest)
    "nearest-deadline-routine-nantong": routine_nantong,
    "nearest-deadline-ladder-liuzhou": escalation_ladder_liuzhou,
    # workflow version 3: NextDeadline of an overdue incident shows since when it is late
    "overdue-since-shown-v3-nantong": two_units_one_silent_v3,
    # workflow version 4: the delivery activity's result recorded as receipts (domain/receipts.py)
    "delivery-receipts-routine-nantong": routine_nantong,
    "delivery-receipts-ladder-liuzhou": escalation_ladder_liuzhou,
    # workflow version 6: one run loop, what the incident waits for kept in its state
    # (workflows/loop.py); the continued one last (the test server stops skipping time)
    "one-run-loop-routine-nantong": routine_nantong,
    "one-run-loop-ladder-liuzhou": escalation_ladder_liuzhou,
    # workflow version 7: what was past when a message's task began falls first
    "deadlines-first-routine-nantong": routine_nantong,
    "deadlines-first-ladder-liuzhou": escalation_ladder_liuzhou,
    # workflow version 8: an unknown signal before the incident opens is held, then refused
    "unknown-held-routine-nantong": unknown_signal_first_nantong,
    "one-run-loop-continued-nantong": continued_as_new_nantong,
}

# Recorded across two releases, so not by scripts/record_histories.py: a run of workflow
# version 5 served by the release before version 6 that continued as new with a grace period
# and a notice outstanding, and its next run, served by the loop (scripts/
# record_legacy_adoption.py records both; tests/histories/test_legacy_adopted.py).
ACROSS_RELEASES = ("legacy-continued-v5-nantong", "legacy-continued-adopted-v6-nantong")


async def run_routine_incident(env: WorkflowEnvironment) -> WorkflowHistory:
    """The routine path to its end, for the action count: exactly what the replay guard protects."""
    handle = await routine_nantong(env)
    await handle.result()
    return await handle.fetch_history()
