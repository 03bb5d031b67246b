"""A new message, as docs/architecture.md says to add one.

The example of docs/architecture.md ("A new message"): ``record_hearing`` (听证记录), a unit
records a hearing (听证会) it held on the matter, in the handling paragraph. It is registered
for these tests only (nothing global is edited) and driven through the registry and the
intake without a server: accepted with its effects, or refused with its reason and nothing
changed. The document quotes its two blocks from here and its numbered steps name exactly
the files tests/support/new_message.py changes; tests/docs/test_new_message_steps.py carries
those steps out in a copy of the repository and runs the document's commands there.
"""

import re
import sys

import pytest
from pydantic import Field

from domain import roster
from domain.engine import intake, registry
from domain.engine.step import Context, Deliver, IncidentState, Refusal, Step
from domain.fields import Moment, Text
from domain.messages import UnitMessage
from domain.presentation import local_time
from domain.procedure.assignment import active_assignment
from domain.procedure.collection import CLOCK_SKEW
from domain.procedure.handling import RESPONDING
from tests.domain.procedure.drive import ACTOR, at, context, refused, reported, send, timeline
from tests.support.new_message import GENERATED, ROOT, examples, section, steps


# example: a new message, in domain/messages.py ------------------------------------------
class RecordHearing(UnitMessage):
    """听证记录 record a hearing the unit held on the matter"""

    held_at: Moment = Field(description="听证会召开时间（须带时区）")
    summary: Text = Field(description="听证情况")
# end of example --------------------------------------------------------------------------


# example: its check and step, in domain/procedure/handling.py ----------------------------
def check_record_hearing(state: IncidentState, message: RecordHearing, ctx: Context) -> None:
    active_assignment(state.status, message.unit_id, *RESPONDING)
    if message.held_at > ctx.now + CLOCK_SKEW:
        raise Refusal("held_at 晚于当前时间 (held_at is in the future)")


def apply_record_hearing(step: Step, message: RecordHearing) -> None:
    step.record(message.actor, "record_hearing",
                f"听证会 {local_time(message.held_at)}（北京时间）：{message.summary}",
                unit_id=message.unit_id)
    step.notify_active_units("hearing", "听证记录", f"单位{message.unit_id}：{message.summary}")
# end of example --------------------------------------------------------------------------


HEARING = {"unit_id": "u1", "held_at": at(1).isoformat(), "summary": "已召开听证会，听取居民意见"}


@pytest.fixture
def registered(monkeypatch):
    """The example as the registry and the roster take it, for one test: this module stands
    in for its paragraph, so the registry finds ``check_``/``apply_record_hearing`` by name."""
    spec = registry.message_spec(sys.modules[__name__], RecordHearing)
    monkeypatch.setitem(registry.MESSAGES, spec.name, spec)
    monkeypatch.setattr(roster, "UNIT_MESSAGES", roster.UNIT_MESSAGES | {spec.name})
    return spec


def test_the_registry_names_describes_and_finds_its_check_and_step(registered):
    assert registered.name == "record_hearing"
    assert (registered.check, registered.apply) == (check_record_hearing, apply_record_hearing)
    assert registered.description == ("听证记录 record a hearing the unit held on the matter: "
                                      "{actor, unit_id, held_at, summary, message_id?}")


def test_taken_it_is_recorded_and_told_to_the_units(registered):
    state, _ = reported(units=("u1", "u2"))
    effects = send(state, "record_hearing", 2, **HEARING)
    [entry] = timeline(state, "record_hearing")
    assert (entry.unit_id, entry.at, entry.actor) == ("u1", at(2), ACTOR)
    assert entry.detail == f"听证会 {local_time(at(1))}（北京时间）：已召开听证会，听取居民意见"
    [notice] = [e.payload for e in effects if isinstance(e, Deliver)]
    assert (notice.kind, notice.subject, [r.recipient_id for r in notice.recipients]) == (
        "hearing", "【听证记录】某小区电梯频繁故障", ["u1", "u2"])


def test_as_an_update_it_gets_a_receipt_and_a_retry_changes_nothing(registered):
    """Through the intake, as the workflow takes it: exactly once by its message_id."""
    state, _ = reported()
    payload = {**HEARING, "actor": ACTOR, "message_id": "hearing-1"}
    taken = intake.take(state, "record_hearing", (payload,), context(2), update=True)
    assert taken.refusal is None and taken.effects
    assert [e.action for e in taken.receipt.effects] == ["record_hearing"]
    again = intake.take(state, "record_hearing", (payload,), context(3), update=True)
    assert again.repeated and not again.effects and len(timeline(state, "record_hearing")) == 1


@pytest.mark.parametrize("fields, reason", [
    ({**HEARING, "held_at": at(5).isoformat()}, "held_at 晚于当前时间 (held_at is in the future)"),
    ({**HEARING, "unit_id": "u9"}, "未知单位 u9："),
    ({**HEARING, "held_at": "2026-11-21T10:00:00"}, "held_at：须带时区，如 +08:00 ("),
    ({"unit_id": "u1", "held_at": at(1).isoformat()}, "summary：缺少必填字段 (required)"),
    ({**HEARING, "venue": "区政府"}, "venue：未知字段，请检查拼写 (unknown field)"),
], ids=["future", "unknown-unit", "naive-time", "missing-summary", "unknown-field"])
def test_refused_with_its_reason_and_nothing_changed(registered, fields, reason):
    state, _ = reported()
    assert refused(state, "record_hearing", 2, **fields).startswith(reason)


def test_the_roster_decides_who_may_send_it(registered):
    state, _ = reported()
    state.status.roster = roster.Roster(units={"u1": ["wangwu@zjj.example.gov.cn"]})
    assert refused(state, "record_hearing", 2, **HEARING).startswith(
        f"操作人「{ACTOR}」不在单位 u1 的名册中")
    registry.take(state, "record_hearing",
                  ({**HEARING, "actor": "wangwu@zjj.example.gov.cn"},), context(2))
    assert timeline(state, "record_hearing")


def test_without_its_roster_step_no_one_may_send_it(registered, monkeypatch):
    """Step 4 forgotten: the message is in no roster list, so it is refused from everyone,
    even without a roster (fail closed), and nothing changes."""
    monkeypatch.setattr(roster, "UNIT_MESSAGES", roster.UNIT_MESSAGES - {"record_hearing"})
    state, _ = reported()
    assert refused(state, "record_hearing", 2, **HEARING).startswith(
        "未规定谁可发送 record_hearing（名册规则未列出该消息），已拒绝")


def test_a_closed_incident_refuses_it(registered):
    state, _ = reported(category="R4")
    send(state, "withdraw", 1, reason="重复交办")
    assert refused(state, "record_hearing", 2, **HEARING) == "事件已撤销，不再接受消息"


def test_nothing_global_learnt_of_it():
    """Registered only inside the tests above: the product's source never names it."""
    assert "record_hearing" not in registry.MESSAGES
    assert "record_hearing" not in roster.UNIT_MESSAGES
    product = [p for folder in ("domain", "workflows", "workers", "activities", "starter",
                                "scripts", "examples") for p in (ROOT / folder).rglob("*.*")]
    assert product and not [p for p in product if p.suffix in {".py", ".json", ".md"}
                            and "record_hearing" in p.read_text(encoding="utf-8")]


# ------------------------------------------------------------ the document

def test_docs_quote_the_example_verbatim():
    code = examples()
    assert list(code) == ["domain/messages.py", "domain/procedure/handling.py"]
    assert all(block.strip() in section() for block in code.values())


def test_the_documented_steps_name_every_file_a_new_message_changes():
    documented = re.findall(r"^\d+\. `([^`]+)`", section(), re.M)
    assert documented == [*steps(), *GENERATED]

