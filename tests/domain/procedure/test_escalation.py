"""催办 · 督办 · 问责 (004 二(五)): what a missed window sets off, and who escalates."""

from tests.domain.procedure.drive import (
    at, deliveries, expire, grace_ends, graces, refused, reported, send, shown, timeline,
    window,
)


def test_a_missed_handling_window_urges_the_unit_e_urge():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    effects = expire(state, "W-HANDLE", "u1")
    assert window(state, "W-HANDLE", "u1").state.value == "missed"
    [urge] = deliveries(effects, "urge")
    assert [c.value for c in urge.channels] == ["phone", "sms", "message"]
    assert state.status.escalation.value == "urged" and timeline(state, "urge", rule="E-URGE")
    [grace] = graces(effects)
    assert grace.name == "urge:W-HANDLE:u1:1" and grace.hours == 24


def test_a_stale_timer_does_nothing():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    assert expire(state, "W-ACK", "u1") is None


def test_a_missed_analysis_window_alerts_the_office_without_urging():
    state, _ = reported(analysed=False)
    effects = expire(state, "W-ANALYZE")
    assert [d.kind for d in deliveries(effects)] == ["analysis_overdue"]
    assert state.status.escalation.value == "none"


def test_still_unresolved_after_the_urge_grace_the_supervision_office_supervises():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    [grace] = graces(expire(state, "W-HANDLE", "u1"))
    effects = grace_ends(state, grace, 96)
    [notice] = deliveries(effects, "supervise")
    assert notice.recipients[0].name == "市政府督查室"
    assert state.status.escalation.value == "supervised"
    [supervise_grace] = graces(effects)
    assert supervise_grace.name == "supervise" and supervise_grace.hours == 72
    grace_ends(state, supervise_grace, 168)
    assert state.status.accountability_recommended
    assert timeline(state, "recommend_accountability", rule="E-ACCOUNT")


def test_resolved_during_the_urge_grace_stops_the_ladder():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    [grace] = graces(expire(state, "W-HANDLE", "u1"))
    send(state, "submit_feedback", 80, unit_id="u1", summary="补报", resolved=True)
    assert grace_ends(state, grace, 96) == [] and state.status.escalation.value == "urged"


def test_a_closed_incident_ignores_its_grace_periods():
    state, _ = reported()
    [grace] = graces(expire(state, "W-HANDLE", "u1"))
    send(state, "withdraw", 80, reason="重复")
    assert grace_ends(state, grace, 100) is None


def test_people_supervise_instruct_and_start_accountability():
    state, _ = reported()
    assert deliveries(send(state, "leader_instruction", 1, text="尽快办理"), "leader_instruction")
    send(state, "supervise", 2, reason="领导关注")
    assert state.status.escalation.value == "supervised"
    assert refused(state, "start_accountability", 3, reason="r", unit_id="zz") == (
        "未知单位 zz (unknown unit)")
    effects = send(state, "start_accountability", 3, reason="应对不力", unit_id="u1")
    assert deliveries(effects, "accountability")[0].recipients[0].name == "监察机关"
    assert state.status.escalation.value == "accountability" and at(3) == state.status.timeline[-1].at


# --------------------------- the ladder: only 不回应 / 不反馈 climb (SPEC §7, rules version 2)

def test_a_missed_w_ack_reminds_the_unit_and_does_not_climb():
    state, _ = reported()
    effects = expire(state, "W-ACK", "u1")
    [reminder] = deliveries(effects, "reminder")
    assert [r.recipient_id for r in reminder.recipients] == ["u1"]
    assert graces(effects) == [] and deliveries(effects, "urge") == []
    assert state.status.escalation.value == "none"
    [entry] = timeline(state, "remind", rule="W-ACK")
    assert entry.local_default and entry.unit_id == "u1"


def test_a_missed_continuing_release_reminds_the_lead_unit():
    state, _ = reported(category="E1", severity="重大", units=("u1", "u2"))
    effects = expire(state, "W-CONT")
    assert [r.recipient_id for r in deliveries(effects, "reminder")[0].recipients] == ["u1"]
    assert state.status.escalation.value == "none"


def test_a_missed_backfill_alerts_the_assigning_office_never_the_unit():
    state, _ = reported(category="E3", severity="一般")
    effects = expire(state, "W-BACKFILL", "u1")
    [alert] = deliveries(effects, "backfill_overdue")
    assert [r.name for r in alert.recipients] == ["网信办", "市政府办公室"]
    assert graces(effects) == [] and state.status.escalation.value == "none"
    assert timeline(state, "alert_office", rule="W-BACKFILL") and not timeline(state, "urge")


def test_a_missed_fast_window_urges_the_lead_unit_w_resp_every_unit():
    state, _ = reported(category="E1", severity="重大", units=("u1", "u2"))
    [urge] = deliveries(expire(state, "W-AUTH"), "urge")
    assert [r.recipient_id for r in urge.recipients] == ["u1"]
    state, _ = reported(units=("u1", "u2"))
    [urge] = deliveries(expire(state, "W-RESP"), "urge")
    assert [r.recipient_id for r in urge.recipients] == ["u1", "u2"]


def test_what_the_grace_periods_set_off_is_marked_as_a_local_default():
    state, _ = reported()
    send(state, "acknowledge", 1, unit_id="u1")
    [urge_grace] = graces(expire(state, "W-HANDLE", "u1"))
    [supervise_grace] = graces(grace_ends(state, urge_grace, 96))
    [supervise] = timeline(state, "supervise", rule="E-SUPERVISE")
    assert supervise.local_default and "本地默认" in supervise.detail
    grace_ends(state, supervise_grace, 170)
    [recommend] = timeline(state, "recommend_accountability", rule="E-ACCOUNT")
    assert recommend.local_default and "本地默认" in recommend.detail


def test_rules_version_one_urged_a_missed_w_ack():
    state, _ = reported(patched=False)
    effects = expire(state, "W-ACK", "u1")
    assert deliveries(effects, "urge") and state.status.escalation.value == "urged"


def test_the_offices_own_miss_makes_no_unit_overdue_nor_leads_to_accountability():
    state, _ = reported(category="E1", severity="一般")
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")
    expire(state, "W-BACKFILL", "u1")
    assert shown(state).overdue is False
    [grace] = graces(send(state, "supervise", 25, reason="领导关注"))
    grace_ends(state, grace, 100)
    assert state.status.accountability_recommended is False
