"""名册 (issue #13): with a roster, no one acts for a unit or an office they do not belong to."""

import pytest

from domain.procedure import collection
from domain.roster import Roster
from tests.domain.procedure.drive import at, context, send, start

ROSTER = {"units": {"u1": ["住建局 王五"]},
          "offices": {"cyberspace_office": ["网信办 测试员"],
                      "supervisory_organ": ["市监察局 钱七"]}}


def with_roster():
    opening = start().model_copy(update={"roster": Roster.model_validate(ROSTER)})
    state = collection.new_incident(opening)
    collection.open_incident(state, opening, context(0))
    return state


def test_a_unit_message_from_outside_the_unit_is_refused():
    from domain.engine import registry
    state = with_roster()
    with pytest.raises(Exception, match="不在单位 u1 的名册中"):
        registry.take(state, "acknowledge", ({"actor": "冒充者", "unit_id": "u1"},), context(1))
    registry.take(state, "acknowledge", ({"actor": "住建局 王五", "unit_id": "u1"},), context(1))
    assert state.status.assignment("u1").state.value == "acknowledged"
    # the cyberspace office may record for a unit (e.g. a response it published for it)
    send(state, "record_response", 2, unit_id="u1", channel="platform_reply", summary="已回复")


def test_an_office_decision_needs_someone_of_that_office():
    from domain.engine import registry
    state = with_roster()
    with pytest.raises(Exception, match="监察机关名册"):
        registry.take(state, "start_accountability",
                      ({"actor": "市监察局 钱七（冒充）", "reason": "x"},), context(2))
    registry.take(state, "start_accountability", ({"actor": "市监察局 钱七", "reason": "应对不力"},),
                  context(2))
    assert state.status.escalation.value == "accountability"


def test_without_a_roster_the_declared_actor_is_taken_as_given():
    state = collection.new_incident(start())
    collection.open_incident(state, start(), context(0))
    send(state, "start_accountability", 2, reason="应对不力")
    assert state.status.escalation.value == "accountability"
    assert at(0)
