"""What the incident list shows of an incident after a step (``temporal.search_attributes``).

Mirrors tests/workflows/test_search_attributes.py (the attributes follow the incident),
on ``search_attribute_values`` and ``shown_differs``, without a server.
"""

from datetime import datetime, timedelta, timezone

from temporal.search_attributes import NEXT_DEADLINE, search_attribute_values, shown_differs
from domain.engine.standing import refresh
from tests.domain.procedure.drive import (
    at, expire, late_analysis, reported, send, shown, unit, window,
)

ATTRIBUTES = ["IncidentStage", "IncidentSeverity", "IncidentCategory", "EscalationLevel",
              "PolicyProfile", "ResponsibleUnits", "NextDeadline", "Overdue", "OverdueUnits",
              "OverdueWindows"]


def attributes(state) -> dict:
    """The list attributes as the workflow publishes them after a step."""
    return search_attribute_values(shown(state))


# ------------------------------------------------------------ search attributes

def test_the_attributes_of_a_new_analysed_incident():
    state, _ = reported(profile="liuzhou-2017", category="R2", severity="较大")
    assert attributes(state) == {
        "IncidentStage": "assignment", "IncidentSeverity": "较大", "IncidentCategory": "R2",
        "EscalationLevel": "none", "PolicyProfile": "liuzhou-2017", "ResponsibleUnits": ["u1"],
        "NextDeadline": at(2), "Overdue": False, "OverdueUnits": None,
        "OverdueWindows": None}
    assert list(attributes(state)) == ATTRIBUTES


def test_the_attributes_follow_the_incident():
    """test_attributes_follow_the_incident: start → sign → miss (E-URGE) → late response →
    a unit added and returned → feedback → closed."""
    state, _ = reported(profile="liuzhou-2017", category="R2", severity="较大")
    send(state, "acknowledge", 0.5, unit_id="u1")
    values = attributes(state)
    assert (values["IncidentStage"], values["NextDeadline"]) == ("handling", at(48))  # W-RESP

    expire(state, "W-RESP")
    values = attributes(state)
    assert (values["Overdue"], values["EscalationLevel"]) == (True, "urged")
    assert values["NextDeadline"] == at(72)  # W-HANDLE

    send(state, "record_response", 49, unit_id="u1", channel="platform_reply",
         summary="迟到的回复")
    values = attributes(state)
    assert (values["Overdue"], values["EscalationLevel"]) == (False, "urged")

    send(state, "analyze", 49.5, units=[unit("u-b")], severity="一般")
    values = attributes(state)
    assert (values["ResponsibleUnits"], values["IncidentSeverity"]) == (["u1", "u-b"], "一般")
    assert values["NextDeadline"] == window(state, "W-ACK", "u-b").deadline == at(51.5)

    send(state, "return_assignment", 50, unit_id="u-b", reason="非本单位职责")
    assert attributes(state)["ResponsibleUnits"] == ["u1"]

    send(state, "submit_feedback", 51, unit_id="u1", summary="已处理", resolved=True)
    assert attributes(state)["IncidentStage"] == "feedback"
    send(state, "review_feedback", 52, unit_id="u1", accepted=True)
    values = attributes(state)
    assert (values["IncidentStage"], values["Overdue"], values["NextDeadline"]) == (
        "closed", False, None)


def test_the_attributes_of_an_unanalysed_incident_are_unset_until_analysed():
    """test_attributes_of_unanalysed_incident: stage analysis, no units / category / severity
    (None: unset), W-ANALYZE next; the first 研判 sets them."""
    state, _ = reported(analysed=False)
    values = attributes(state)
    assert values["IncidentStage"] == "analysis" and values["NextDeadline"] == at(2)
    assert (values["ResponsibleUnits"], values["IncidentCategory"], values["IncidentSeverity"]) == (
        None, None, None)
    send(state, "analyze", 1, category="E1", severity="重大", units=[unit("u1", lead=True)])
    values = attributes(state)
    assert (values["IncidentStage"], values["IncidentCategory"], values["IncidentSeverity"],
            values["ResponsibleUnits"]) == ("assignment", "E1", "重大", ["u1"])


def test_the_escalation_level_follows_supervision_and_accountability():
    """test_supervision_and_accountability_levels."""
    state, _ = reported()
    send(state, "supervise", 1, reason="督查室督办")
    assert attributes(state)["EscalationLevel"] == "supervised"
    send(state, "start_accountability", 2, reason="问责")
    assert attributes(state)["EscalationLevel"] == "accountability"


def test_a_next_deadline_within_a_minute_of_the_shown_one_is_not_upserted_again():
    shown = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    assert not shown_differs(NEXT_DEADLINE, shown, shown + timedelta(milliseconds=15), True)
    assert shown_differs(NEXT_DEADLINE, shown, shown + timedelta(minutes=1), True)
    assert shown_differs(NEXT_DEADLINE, None, shown, True)  # not shown yet
    assert shown_differs(NEXT_DEADLINE, shown, None, True)  # no deadline left
    # workflow version 1 upserts every change; other attributes always compare exactly
    assert shown_differs(NEXT_DEADLINE, shown, shown + timedelta(milliseconds=15), False)
    assert shown_differs("IncidentStage", "assignment", "handling", True)
    assert not shown_differs("Overdue", False, False, True)


# ------------------------------------------------------------ who is late (rules version 3)
# SPEC §4 A-HOLD, §8: the paragraphs' own tests are in tests/domain/procedure/test_answerable*.py

V3 = {"rules_version": 3}


def test_a_hold_a_window_due_before_assignment_is_listed_as_the_offices():
    state, _ = late_analysis(50)
    expire(state, "W-RESP")
    status = shown(state)
    values = search_attribute_values(status)
    assert status.overdue and values["OverdueWindows"] == ["W-RESP"]
    assert values["OverdueUnits"] is None


def test_overdue_units_drops_a_unit_that_returned_its_assignment():
    state, _ = reported(units=("u1", "u2"), **V3)
    expire(state, "W-ACK", "u1")
    assert search_attribute_values(shown(state))["OverdueUnits"] == ["u1"]
    send(state, "return_assignment", 3, unit_id="u1", reason="非本单位职责")
    values = search_attribute_values(shown(state))
    assert values["OverdueUnits"] is None


def test_overdue_windows_include_the_offices_backfill_and_analysis():
    state, _ = reported(category="E3", severity="一般", **V3)
    expire(state, "W-BACKFILL", "u1")
    values = search_attribute_values(shown(state))
    assert values["Overdue"] and values["OverdueWindows"] == ["W-BACKFILL"]
    assert values["OverdueUnits"] is None
    unanalysed, _ = reported(analysed=False, **V3)
    expire(unanalysed, "W-ANALYZE")
    values = search_attribute_values(shown(unanalysed))
    assert values["Overdue"] and values["OverdueWindows"] == ["W-ANALYZE"]


def test_p_month_a_returned_units_miss_is_not_overdue_now():
    """OverdueUnits drops a returned unit; Overdue and OverdueWindows say the same (§8)."""
    state, _ = reported(**V3)
    expire(state, "W-RESP", "u1")
    send(state, "return_assignment", 50, unit_id="u1", reason="非本单位职责")
    status = shown(state)
    values = search_attribute_values(status)
    assert values["OverdueUnits"] is None
    assert not status.overdue and values["OverdueWindows"] is None


def test_next_deadline_of_an_overdue_incident_is_never_in_the_future():
    state, _ = reported(units=("u1",))
    expire(state, "W-ACK", "u1")
    refresh(state.status)
    assert search_attribute_values(state.status)[NEXT_DEADLINE] == at(48)  # workflow v1–2
    assert search_attribute_values(state.status, overdue_since=True)[NEXT_DEADLINE] == at(2)
    send(state, "acknowledge", 3, unit_id="u1")
    refresh(state.status)
    assert search_attribute_values(state.status, overdue_since=True)[NEXT_DEADLINE] == at(48)
