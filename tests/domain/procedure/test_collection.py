"""收集 (004 二(一)): opening an incident and merging reports, without a server."""

from datetime import timedelta

import pytest

from domain.procedure import collection
from domain.procedure.step import Refusal
from tests.domain.procedure.drive import (
    DETECTED, armed, at, reported, refused, send, timeline, window,
)


def test_a_start_that_does_not_validate_is_refused_with_each_problem():
    with pytest.raises(Refusal) as refusal:
        collection.validate_start({"incident_id": "NT-1", "profile": "nowhere"})
    assert refusal.value.reason.startswith("报送内容无效，未能立案")
    assert "profile：取值无效" in refusal.value.reason and "title：缺少必填字段" in refusal.value.reason


def test_an_analysed_report_assigns_at_once_and_arms_w_resp_w_ack_w_handle():
    state, effects = reported()
    assert armed(effects) == [("W-RESP", None, 1), ("W-ACK", "u1", 1), ("W-HANDLE", "u1", 1)]
    assert [t.action for t in state.status.timeline][:3] == ["report", "analyze", "routing"]
    assert window(state, "W-RESP").deadline == at(48)


def test_an_unanalysed_report_waits_in_analysis_with_w_analyze():
    state, effects = reported(analysed=False)
    assert armed(effects) == [("W-ANALYZE", None, 1)]
    assert window(state, "W-ANALYZE").deadline == at(2) and not state.status.assignments


def test_an_unacceptable_analysis_with_the_report_is_recorded_and_the_incident_waits():
    state, effects = reported(response_hours=60)
    assert state.status.analyzed_at is None and armed(effects) == [("W-ANALYZE", None, 1)]
    [rejected] = state.status.rejected_inputs
    assert rejected.message == "analyze" and rejected.reason.startswith("随报送附带的研判未被采纳")


def test_a_new_item_joins_and_an_earlier_detection_moves_the_statutory_windows():
    state, _ = reported()
    earlier = (DETECTED - timedelta(hours=3)).isoformat()
    effects = send(state, "add_report", 1, report={"platform": "微博", "url": "https://w/2",
                                                   "detected_at": earlier})
    assert len(state.status.reports) == 2 and window(state, "W-RESP").deadline == at(45)
    assert ("W-RESP", None, 1) in armed(effects)
    assert timeline(state, "add_report")[0].detail.startswith("新增舆情信息：微博 https://w/2")


def test_the_same_item_again_records_nothing_and_another_sighting_is_merged():
    state, _ = reported()
    same = {"platform": "人民网地方领导留言板", "url": "https://example.org/t/1",
            "detected_at": DETECTED.isoformat()}
    assert send(state, "add_report", 1, report=same) == [] and not timeline(state, "add_report")
    send(state, "add_report", 2, report={**same, "detected_at": at(1).isoformat()})
    assert timeline(state, "add_report")[0].detail.startswith("重复报送，已合并")
    assert len(state.status.reports) == 1


def test_a_report_from_the_future_is_refused():
    state, _ = reported()
    reason = refused(state, "add_report", 1, report={"platform": "微博",
                                                     "detected_at": at(2).isoformat()})
    assert reason == "detected_at 晚于当前时间 (detected_at is in the future)"
