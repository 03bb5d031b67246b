"""考核 (004 三(二); 000 五): sanctions and praise, recorded and counted."""

from tests.domain.procedure.drive import deliveries, refused, reported, send, timeline


def test_a_sanction_is_recorded_with_unit_office_and_reason():
    state, _ = reported()
    effects = send(state, "sanction", 80, unit_id="u1", kind="notice_criticism",
                   reason="逾期未反馈", office="市政府办公室")
    [record] = state.status.sanctions
    assert (record.unit_id, record.kind.value, record.office, record.reason) == (
        "u1", "notice_criticism", "市政府办公室", "逾期未反馈")
    [entry] = timeline(state, "sanction")
    assert entry.unit_id == "u1" and entry.rule.startswith("E-NOTICE")
    assert entry.detail == "通报批评（市政府办公室决定）：逾期未反馈"
    assert [r.recipient_id for r in deliveries(effects, "sanction")[0].recipients] == ["u1"]


def test_an_interview_needs_the_finding_that_the_unit_failed_to_rectify():
    state, _ = reported()
    assert "整改不到位" in refused(state, "sanction", 80, unit_id="u1", kind="interview",
                                   reason="多次逾期")
    send(state, "sanction", 80, unit_id="u1", kind="interview", reason="多次逾期",
         failed_to_rectify=True)
    assert state.status.sanctions[0].kind.value == "interview"


def test_praise_and_unknown_units():
    state, _ = reported()
    send(state, "sanction", 5, unit_id="u1", kind="commendation", reason="回应及时")
    assert state.status.sanctions[0].office == "网信办 测试员"  # the actor, when no office
    assert "未知单位" in refused(state, "sanction", 6, unit_id="u9", kind="commendation",
                                 reason="x")
