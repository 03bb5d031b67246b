"""Closing: 撤销, the key-response rule (C-K, C-X) and the rumour transfer."""

from domain.classification import KeyCriterion
from domain.notifications import RumourTransfer
from tests.domain.procedure.drive import (
    at, deliveries, disarmed, refused, reported, send, timeline, window,
)


def test_withdraw_notifies_the_units_and_ends_the_incident():
    state, _ = reported()
    effects = send(state, "withdraw", 1, reason="经核实为重复舆情")
    [notice] = deliveries(effects, "withdraw")
    assert [r.recipient_id for r in notice.recipients] == ["u1"]
    assert state.status.stage.value == "withdrawn" and timeline(state, "withdrawn")


def test_an_emergency_cannot_be_withdrawn_without_a_response_k4():
    state, _ = reported(category="E1")
    assert refused(state, "withdraw", 1, reason="r") == (
        "重点回应舆情尚未回应，不能撤销（C-K4 涉及突发事件处置和自然灾害应对）")


def test_a_rumour_is_transferred_once_with_its_leads_c_x():
    state, _ = reported()
    effects = send(state, "transfer_to_police", 1, reason="造谣传谣")
    [transfer] = [d for d in deliveries(effects) if isinstance(d, RumourTransfer)]
    assert [r.name for r in transfer.receivers] == ["公安机关", "网络监管部门"]
    assert transfer.leads == ["人民网地方领导留言板 https://example.org/t/1 网民反映"]
    assert state.status.rumour_transferred_at == at(1)
    assert refused(state, "transfer_to_police", 2, reason="again") == (
        "已于 11-21 10:00 移交，无需重复移交")


def test_a_rumour_without_a_response_cannot_be_withdrawn():
    state, _ = reported()
    send(state, "analyze", 1, rumour=True)
    assert timeline(state, "transfer_to_police", rule="C-X")
    assert refused(state, "withdraw", 2, reason="r").endswith("（C-X 造谣传谣须及时回应）")


# ----------------------------------- closing never hides a missed response (SPEC §4)

def _closed_without_response(**start):
    state, _ = reported(category="R4", **start)
    send(state, "acknowledge", 1, unit_id="u1")
    send(state, "submit_feedback", 5, unit_id="u1", summary="已处理", resolved=True)
    effects = send(state, "review_feedback", 6, unit_id="u1", accepted=True)
    return state, effects


def test_closing_without_a_public_response_leaves_w_resp_missed():
    state, effects = _closed_without_response()
    resp = window(state, "W-RESP")
    assert (resp.state.value, resp.note, resp.met_at) == ("missed", "办结时仍未回应", None)
    assert ("W-RESP", None, 1) in disarmed(effects)
    [missed] = timeline(state, "window_missed", rule="W-RESP")
    assert missed.at == at(6) and "办结时仍未回应" in missed.detail


def test_withdrawing_makes_w_resp_not_applicable():
    state, _ = reported(category="R4")
    send(state, "withdraw", 1, reason="经核实不属于政务舆情")
    assert window(state, "W-RESP").state.value == "not_applicable"


def test_rules_version_one_closed_w_resp_as_not_applicable():
    state, _ = _closed_without_response(patched=False)
    assert window(state, "W-RESP").state.value == "not_applicable"


def test_a_morally_shocking_livelihood_case_cannot_be_withdrawn_unanswered_k3():
    """C-R5 (严重冲击社会道德底线的民生舆情) is C-K3 whatever 研判 declares."""
    state, _ = reported(category="R5")
    assert state.status.key_criteria == [KeyCriterion.K3]
    assert "C-K3" in refused(state, "withdraw", 1, reason="无需回应")


def test_closing_after_a_response_lets_the_pending_windows_lapse():
    """Answered (an authoritative release): a pending W-PRESS lapses with the case."""
    state, _ = reported(profile="liuzhou-2017", category="E1", severity="重大")
    send(state, "acknowledge", 0.5, unit_id="u1")
    send(state, "record_response", 0.8, unit_id="u1", channel="authoritative_release",
         summary="发布")
    send(state, "submit_feedback", 3, unit_id="u1", summary="已处理", resolved=True)
    send(state, "review_feedback", 4, unit_id="u1", accepted=True)
    assert window(state, "W-PRESS").state.value == "not_applicable"
    assert not timeline(state, "window_missed")
