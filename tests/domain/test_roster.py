"""名册 (issue #13): with a roster, no one acts for a unit or an office they do not belong to."""

import pytest

from domain.procedure import collection
from domain import roster
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


# Every kind of roster a deployment may have, and senders in and out of each list.
ROSTERS = [Roster(), Roster.model_validate(ROSTER),
           Roster.model_validate({"units": ROSTER["units"]}),
           Roster.model_validate({"offices": ROSTER["offices"]}),
           Roster.model_validate({**ROSTER, "administrators": ["管理员"], "require_verified": True})]
SENDERS = [("住建局 王五", None), ("网信办 测试员", None), ("市监察局 钱七", None), ("冒充者", None),
           ("冒充者", "住建局 王五"), ("冒充者", "管理员")]


def test_failing_closed_changes_the_outcome_of_no_registry_message(monkeypatch):
    """Every message of the registry, from every sender under every kind of roster, is taken
    or refused exactly as before the rule that refuses a message no list names: with that
    rule taken away (every message open) the outcomes are the same. So no version marker."""
    from domain.engine import registry
    grid = [(name, given, actor, principal, unit_id) for name in registry.MESSAGES
            for given in ROSTERS for actor, principal in SENDERS for unit_id in ("u1", "u2", None)]
    now = [given.refusal(name, actor, unit_id, principal)
           for name, given, actor, principal, unit_id in grid]
    monkeypatch.setattr(roster, "OPEN_TO_ANY_SENDER", frozenset(registry.MESSAGES))
    before = [given.refusal(name, actor, unit_id, principal)
              for name, given, actor, principal, unit_id in grid]
    assert now == before
    assert None in now and any(now), "the grid must hold senders taken and refused"


@pytest.mark.parametrize("given", ROSTERS, ids=["none", "full", "units", "offices", "verified"])
def test_a_message_no_list_names_is_refused_from_everyone(given):
    """Fail closed: a message nobody said who may send (a new one whose roster step was
    forgotten) is refused, even on a development machine without a roster."""
    unlisted = ("未规定谁可发送 record_hearing（名册规则未列出该消息），已拒绝 "
                "(no roster rule says who may send record_hearing)")
    unverified = "消息未带经验证的登录身份，已拒绝 (no verified identity: log in first)"
    reasons = {given.refusal("record_hearing", actor, "u1", principal)
               for actor, principal in SENDERS}
    assert unlisted in reasons and reasons <= {unlisted, unverified}
