"""收集 (004 二(一)): opening an incident and merging reports, without a server.

Mirrors tests/workflows/test_start_validation.py, test_duplicate_report.py and the
start-payload cases of test_windows_*.py, on ``collection.validate_start``,
``collection.open_incident`` and the ``add_report`` step.
"""

from datetime import timedelta

import pytest

from domain.procedure import collection
from domain.engine.step import Refusal
from tests.domain.procedure.drive import (
    ACTOR, DETECTED, armed, at, deliveries, disarmed, forms, refused, reported, send, shown,
    start, timeline, unit, window,
)

MONITOR = "网信办监测平台"  # the start payload's actor
FIRST_URL = "https://example.org/t/1"
INVALID_START = "报送内容无效，未能立案 (invalid incident start): "


def item(url: str, hours: float, platform: str = "微博", region: str = "海安市",
         **fields: str) -> dict:
    """An add_report ``report`` first seen ``hours`` after the incident's first detection."""
    return {"platform": platform, "url": url, "region": region,
            "detected_at": at(hours).isoformat(), **fields}


def the_first_item(hours: float) -> dict:
    """The very item the incident was opened with, seen at another moment."""
    return {"platform": "人民网地方领导留言板", "url": FIRST_URL, "detected_at": at(hours).isoformat()}


# ------------------------------------------------------------------ validate_start

def test_an_unusable_start_is_refused_naming_each_problem_chinese_first():
    """A bad start (README, "Reporting an incident"; test_start_validation): the incident is
    not opened; every problem is named with its field, Chinese first."""
    with pytest.raises(Refusal) as refusal:
        collection.validate_start({"incident_id": "NT-1", "profile": "beijing-2099"})
    reason = refusal.value.reason
    assert reason.startswith(INVALID_START + "profile：取值无效 (")
    assert reason.split("；")[1:] == ["title：缺少必填字段 (required)",
                                     "report：缺少必填字段 (required)",
                                     "actor：缺少必填字段 (required)"]


def _with(**changes) -> dict:
    payload = start().model_dump(mode="json")
    for key, value in changes.items():
        if key == "detected_at":
            payload["report"] = {**payload["report"], "detected_at": value}
        else:
            payload[key] = value
    return payload


@pytest.mark.parametrize("payload, problem", [
    ("x", "消息：须为 JSON 对象 {...}"),
    (_with(detected_at="2026-11-21T09:00:00"), "report.detected_at：须带时区，如 +08:00"),
    (_with(incident_id="南通 1"), "incident_id：格式不符"),
    (_with(title="   "), "title：不能为空 (must not be blank)"),
    (_with(reporter="张三"), "reporter：未知字段，请检查拼写 (unknown field)"),
    (_with(local_defaults={"ack_hours": 0}), "local_defaults.ack_hours：须大于下限"),
    (_with(analysis={"category": "R2", "severity": "一般"}),
     "analysis.units：缺少必填字段 (required)"),
    (_with(analysis={"category": "R2", "severity": "一般", "units": [unit("u1"), unit("u1")]}),
     "analysis：units 中单位重复：每个单位一张交办单 (R-5)"),
], ids=["not-an-object", "naive-detected-at", "incident-id", "blank-title", "unknown-field",
        "local-default-not-positive", "analysis-without-units", "analysis-duplicate-units"])
def test_validate_start_refusals(payload, problem):
    with pytest.raises(Refusal) as refusal:
        collection.validate_start(payload)
    assert refusal.value.reason.startswith(INVALID_START + problem)


def test_the_contract_start_payload_validates_as_sent():
    assert collection.validate_start(start().model_dump(mode="json")) == start()
    assert collection.validate_start(start(analysed=False).model_dump(mode="json")).analysis is None


# ------------------------------------------------------------------ open_incident

def test_an_analysed_report_is_recorded_analysed_and_assigned_at_once():
    """The first report, its 研判 (R-2 routing) and the 交办单 (R-5), all by the monitor;
    W-RESP, W-ACK and W-HANDLE armed, no W-ANALYZE."""
    state, effects = reported()
    status = shown(state)
    assert [(t.action, t.actor, t.rule) for t in status.timeline] == [
        ("report", MONITOR, None), ("analyze", MONITOR, None), ("routing", MONITOR, "R-2"),
        ("handling_default", MONITOR, "W-HANDLE"), ("issue_form", MONITOR, "R-5")]
    assert status.timeline[0].detail == f"上报：人民网地方领导留言板 {FIRST_URL}"
    assert status.timeline[1].detail == "研判：分类 —→R2；级别 —→一般"
    assert armed(effects) == [("W-RESP", None, 1), ("W-ACK", "u1", 1), ("W-HANDLE", "u1", 1)]
    assert disarmed(effects) == [] and window(state, "W-ANALYZE") is None
    assert [f.form_id for f in forms(effects)] == ["NT-1-u1-1"]
    assert status.analyzed_at == at(0) and status.stage.value == "assignment"
    assert status.rejected_inputs == [] and status.reports[0].url == FIRST_URL


def test_an_analysed_report_opened_late_runs_public_windows_from_detection_unit_ones_from_now():
    """W-RESP runs from the first report's detected_at; the unit, assigned on arrival at 3 h,
    signs and handles from then (004 二(二))."""
    state, _ = reported(hours=3)
    assert state.status.analyzed_at == at(3)
    assert {t.at for t in state.status.timeline} == {at(3)}
    assert window(state, "W-RESP").deadline == at(48)
    assert window(state, "W-ACK", "u1").deadline == at(5)
    assert window(state, "W-HANDLE", "u1").deadline == at(75)
    assert state.status.assignment("u1").windows_from == at(3)


def test_rules_version_one_ran_unit_windows_from_detection():
    """An incident opened before the marker keeps its rules: unit clocks from detection."""
    state, _ = reported(hours=3, patched=False)
    assert state.status.rules_version == 1
    assert window(state, "W-ACK", "u1").deadline == at(2)
    assert state.status.assignment("u1").windows_from == DETECTED


def test_an_unanalysed_report_waits_in_analysis_with_w_analyze():
    """Without 研判: stage analysis, no unit, no category or severity; W-ANALYZE (local
    default 2 h, not statutory) is the only timer; nothing is delivered."""
    state, effects = reported(analysed=False)
    status = shown(state)
    assert [t.action for t in status.timeline] == ["report"]
    assert armed(effects) == [("W-ANALYZE", None, 1)] and deliveries(effects) == []
    analyze = window(state, "W-ANALYZE")
    assert (analyze.deadline, analyze.hours, analyze.statutory) == (at(2), 2, False)
    assert status.stage.value == "analysis" and status.assignments == []
    assert (status.category, status.severity, status.analyzed_at) == (None, None, None)
    assert status.next_deadline == at(2)


@pytest.mark.parametrize("profile", ["national-2016", "nantong-2017"])
def test_an_unacceptable_analysis_sent_with_the_report_is_refused_not_fatal(profile):
    """test_start_validation / test_windows_nantong_2017: response_hours 72 > the statutory
    48 h. The report is recorded, the 研判 is refused into rejected_inputs (with who sent it)
    and nothing of it is applied: the incident waits in 研判 with W-ANALYZE."""
    state, effects = reported(profile=profile, response_hours=72)
    status = shown(state)
    [rejected] = status.rejected_inputs
    assert (rejected.message, rejected.actor, rejected.at) == ("analyze", MONITOR, at(0))
    assert rejected.reason == "随报送附带的研判未被采纳：response_hours 不得超过法定回应时限 48 小时"
    assert [t.action for t in status.timeline] == ["report"]
    assert armed(effects) == [("W-ANALYZE", None, 1)] and deliveries(effects) == []
    assert status.stage.value == "analysis" and status.analyzed_at is None
    assert (status.category, status.severity, status.response_hours) == (None, None, None)
    assert status.assignments == [] and window(state, "W-RESP") is None

    send(state, "analyze", 0.5, category="R2", severity="一般", units=[unit("u1")],
         response_hours=24)
    resp = window(state, "W-RESP")
    assert shown(state).stage.value == "assignment"
    assert (resp.hours, resp.deadline) == (24, at(24))
    assert window(state, "W-ANALYZE").state.value == "met"


def test_a_start_with_a_shorter_response_window_is_accepted():
    """W-RESP may be set shorter at assignment (response_hours=12): statutory, detected + 12 h."""
    state, _ = reported(response_hours=12)
    resp = window(state, "W-RESP")
    assert (resp.deadline, resp.hours, resp.statutory) == (at(12), 12, True)
    assert state.status.rejected_inputs == []


# ------------------------------------------------------------------ add_report

def test_a_new_item_joins_the_incident_and_a_later_sighting_moves_nothing():
    """test_duplicate_report: same incident, new URL → reports grows, one add_report entry;
    still one assignment, windows from the first detection, no timer touched."""
    state, _ = reported()
    effects = send(state, "add_report", 1, report=item("https://weibo.example/post/2", 0.5))
    status = state.status
    assert [r.url for r in status.reports] == [FIRST_URL, "https://weibo.example/post/2"]
    [added] = timeline(state, "add_report")
    assert (added.actor, added.at) == (ACTOR, at(1))
    assert added.detail == "新增舆情信息：微博 https://weibo.example/post/2（海安市）"
    assert effects == [] and status.rejected_inputs == []
    assert len(status.assignments) == 1 and window(state, "W-RESP").deadline == at(48)


def test_the_very_same_item_again_records_nothing():
    """test_identical_report_changes_nothing: reports and timeline unchanged, nothing refused."""
    state, _ = reported()
    before = state.model_copy(deep=True)
    assert send(state, "add_report", 1, report=the_first_item(0)) == []
    assert state == before


def test_the_same_item_with_another_detected_at_is_merged_and_recorded():
    """A repeat seen at another moment: one entry 重复报送，已合并; the item is not added again
    and keeps its first detected_at; no window moves."""
    state, _ = reported()
    effects = send(state, "add_report", 2, report=the_first_item(1))
    [merged] = timeline(state, "add_report")
    assert merged.detail == f"重复报送，已合并：人民网地方领导留言板 {FIRST_URL}"
    assert [r.detected_at for r in state.status.reports] == [DETECTED]
    assert effects == [] and window(state, "W-RESP").deadline == at(48)


def test_an_item_without_url_is_the_same_item_when_its_text_is():
    state, _ = reported()
    send(state, "add_report", 1, report=item("", 0.5, content="楼下电梯又坏了"))
    send(state, "add_report", 2, report=item("", 1, content="楼下电梯又坏了"))
    send(state, "add_report", 3, report=item("", 1, content="物业不作为"))
    assert [r.content for r in state.status.reports[1:]] == ["楼下电梯又坏了", "物业不作为"]
    assert [t.detail[:6] for t in timeline(state, "add_report")] == [
        "新增舆情信息", "重复报送，已", "新增舆情信息"]


def test_an_earlier_detection_moves_the_statutory_windows():
    """test_earlier_sighting_moves_windows: windows run from the first detection; an item
    seen 6 h earlier pulls W-RESP to detected + 42 h (its timer re-armed). The unit's
    W-ACK / W-HANDLE keep the start they were given at assignment."""
    state, _ = reported()
    effects = send(state, "add_report", 1, report=item("https://tieba.example/3", -6))
    assert state.status.first_detected_at == at(-6)
    resp = window(state, "W-RESP")
    assert (resp.deadline, resp.state.value) == (at(42), "pending")
    assert resp.note == "时限重算：新增舆情信息，首次发现时间更新"
    assert disarmed(effects) == armed(effects) == [("W-RESP", None, 1)]
    assert window(state, "W-ACK", "u1").deadline == at(2)
    assert window(state, "W-HANDLE", "u1").deadline == at(72)


def test_an_earlier_detection_moves_w_analyze_of_an_unanalysed_incident():
    state, _ = reported(analysed=False)
    effects = send(state, "add_report", 0.5, report=item("https://tieba.example/3", -1))
    assert window(state, "W-ANALYZE").deadline == at(1)
    assert armed(effects) == [("W-ANALYZE", None, 1)]


@pytest.mark.parametrize("ahead", [timedelta(days=2), timedelta(minutes=6)],
                         ids=["two-days", "beyond-clock-skew"])
def test_a_report_detected_in_the_future_is_refused(ahead):
    """test_add_report_from_the_future_refused: refused with the reason; nothing changes."""
    state, _ = reported()
    future = (at(1) + ahead).isoformat()
    reason = refused(state, "add_report", 1, report={
        "platform": "微博", "url": "https://weibo.example/9", "detected_at": future})
    assert reason == "detected_at 晚于当前时间 (detected_at is in the future)"


def test_a_monitoring_clock_a_few_minutes_ahead_is_tolerated():
    """CLOCK_SKEW: a monitoring system's clock may run up to 5 minutes ahead."""
    state, _ = reported()
    moment = at(1) + timedelta(minutes=4)
    send(state, "add_report", 1, report={"platform": "微博", "url": "https://w/4",
                                         "detected_at": moment.isoformat()})
    assert state.status.reports[-1].detected_at == moment


def test_a_report_without_time_zone_is_refused_with_the_field():
    state, _ = reported()
    reason = refused(state, "add_report", 1, report={"platform": "微博",
                                                     "detected_at": "2026-11-21T09:00:00"})
    assert reason.startswith("report.detected_at：须带时区，如 +08:00")


def test_a_repeat_seen_earlier_moves_the_first_detection_and_the_public_windows():
    state, _ = reported()
    report = {"platform": "人民网地方领导留言板", "url": FIRST_URL,
              "detected_at": at(-6).isoformat()}
    effects = send(state, "add_report", 1, report=report)
    assert state.status.first_detected_at == at(-6)
    assert window(state, "W-RESP").deadline == at(42) and ("W-RESP", None, 1) in armed(effects)
    assert len(state.status.reports) == 1


def test_a_start_naming_the_rules_version_needs_no_marker():
    """The starter names the current rules in the start: no version marker is asked for
    (none recorded, none billed); a start cannot ask for the old rules."""
    from domain.engine.step import Context

    def no_marker(name: str) -> bool:
        raise AssertionError(f"asked for marker {name}")

    opening = start().model_copy(update={"rules_version": 2})
    state = collection.new_incident(opening)
    collection.open_incident(state, opening, Context(now=at(0), patched=no_marker))
    assert state.status.rules_version == 2
    payload = start().model_dump(mode="json") | {"rules_version": 1}
    with pytest.raises(Refusal):
        collection.validate_start(payload)
