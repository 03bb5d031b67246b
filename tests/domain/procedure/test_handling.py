"""办理回应 (004 二(三)): responses meet windows; extensions move W-HANDLE."""

import pytest

from tests.domain.procedure.drive import (
    armed, at, disarmed, expire, refused, reported, send, timeline, window,
)


def acknowledged(**start):
    state, _ = reported(**start)
    send(state, "acknowledge", 1, unit_id="u1")
    return state


def test_any_public_response_meets_w_resp():
    state = acknowledged()
    effects = send(state, "record_response", 10, unit_id="u1", channel="platform_reply",
                   summary="已回复")
    assert window(state, "W-RESP").met_by == "record_response:platform_reply"
    assert ("W-RESP", None, 1) in disarmed(effects)
    assert timeline(state, "record_response")[0].detail == "原平台回复：已回复（满足 W-RESP）"
    assert state.status.assignment("u1").state.value == "responded"


def test_a_press_conference_meets_w_auth_and_w_press_of_a_major_emergency():
    state = acknowledged(category="E1", severity="重大")
    send(state, "record_response", 4, unit_id="u1", channel="press_conference", summary="发布会")
    assert {w.id.value for w in state.status.windows if w.state.value == "met"} >= {
        "W-AUTH", "W-PRESS", "W-CONT"}


def test_w_cont_restarts_from_each_release():
    state = acknowledged(category="E1", severity="重大")
    effects = send(state, "record_response", 4, unit_id="u1", channel="authoritative_release",
                   summary="通报")
    assert ("W-CONT", None, 2) in armed(effects) and window(state, "W-CONT", seq=2).deadline == at(28)


def test_a_late_response_keeps_the_miss_and_records_when_it_came():
    state = acknowledged()
    expire(state, "W-RESP")
    send(state, "record_response", 50, unit_id="u1", channel="platform_reply", summary="迟复")
    late = window(state, "W-RESP")
    assert late.state.value == "missed" and late.met_at == at(50)


def test_response_times_outside_the_incident_are_refused():
    state = acknowledged()
    fields = dict(unit_id="u1", channel="platform_reply", summary="x")
    assert refused(state, "record_response", 2, published_at=at(3).isoformat(), **fields) == (
        "published_at 晚于当前时间 (published_at is in the future)")
    assert refused(state, "record_response", 2, published_at=at(-1).isoformat(), **fields) == (
        "published_at 早于舆情首次发现时间")


def test_an_approved_extension_moves_w_handle():
    state = acknowledged()
    send(state, "request_extension", 2, unit_id="u1", reason="待检测", until=at(100).isoformat())
    effects = send(state, "decide_extension", 3, unit_id="u1", approved=True)
    assert window(state, "W-HANDLE", "u1").deadline == at(100)
    assert ("W-HANDLE", "u1", 1) in armed(effects)
    assert state.status.assignment("u1").extension_request is None
    assert state.status.assignment("u1").handling_deadline == at(100)


def test_a_rejected_extension_keeps_the_deadline():
    state = acknowledged()
    send(state, "request_extension", 2, unit_id="u1", reason="待检测", until=at(100).isoformat())
    assert armed(send(state, "decide_extension", 3, unit_id="u1", approved=False)) == []
    assert window(state, "W-HANDLE", "u1").deadline == at(72)


def test_extension_refusals():
    state = acknowledged()
    assert refused(state, "decide_extension", 2, unit_id="u1", approved=True) == (
        "单位 u1 没有待审批的延期申请")
    assert refused(state, "request_extension", 2, unit_id="u1", reason="r",
                   until=at(70).isoformat()).startswith("延期至 11-24 07:00 不晚于现办理期限")
    send(state, "request_extension", 2, unit_id="u1", reason="r", until=at(100).isoformat())
    assert refused(state, "decide_extension", 3, unit_id="u1", approved=True,
                   until=at(60).isoformat()).startswith("批准的延期期限")


def test_no_extension_after_the_handling_deadline_passed():
    state = acknowledged()
    expire(state, "W-HANDLE", "u1")
    assert refused(state, "request_extension", 80, unit_id="u1", reason="r",
                   until=at(120).isoformat()) == "办理时限已过，不能再申请延期，请提交情况反馈说明情况"


# --------------------- any authoritative release meets W-AUTH and W-CONT (SPEC §4, 000 三)

@pytest.mark.parametrize("channel, attended, met", [
    ("authoritative_release", None, {"W-FACTS", "W-AUTH", "W-CONT"}),
    ("briefing", True, {"W-FACTS", "W-AUTH", "W-CONT"}),
    ("media_interview", None, {"W-FACTS", "W-AUTH", "W-CONT"}),
    ("press_conference", None, {"W-FACTS", "W-AUTH", "W-PRESS", "W-CONT"}),
    ("press_conference", False, {"W-FACTS"}),  # no head or spokesperson: not authoritative
    ("briefing", False, {"W-FACTS"}),
    ("platform_reply", None, set()),
    ("expert_interpretation", None, set()),
])
def test_what_each_channel_meets(channel, attended, met):
    state, _ = reported(profile="liuzhou-2017", category="E1", severity="重大")
    state.status.windows.append(  # Liuzhou has W-FACTS, Nantong W-AUTH: check both at once
        window(reported(category="E1", severity="重大")[0], "W-AUTH"))
    fields = {} if attended is None else {"head_or_spokesperson_attended": attended}
    send(state, "record_response", 0.5, unit_id="u1", channel=channel, summary="发布", **fields)
    assert {w.id.value for w in state.status.windows if w.state.value == "met"} == met


def test_a_late_response_is_not_called_meeting_the_window_it_missed():
    state, _ = reported(profile="liuzhou-2017", category="E1", severity="重大")
    expire(state, "W-FACTS")
    send(state, "record_response", 2, unit_id="u1", channel="authoritative_release",
         summary="发布")
    [entry] = timeline(state, "record_response")
    assert entry.detail == "发布权威信息：发布（满足 W-CONT；逾期补办 W-FACTS）"
