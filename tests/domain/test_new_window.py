"""A new window for one profile: one entry in the profile and one core function, nothing else.

The example of docs/architecture.md ("A new window", tests/support/new_window.py): a 12-hour
核实 (W-VERIFY) for major emergencies in a copy of the Nantong profile, met when the 会商研判
records its outcome. The ``verifying`` fixture stands the copy in ``PROFILES`` for one test,
where every incident looks its profile up by name, so a state put to rest and read back (as
the workflow does after each piece of work) still runs under it. The incident is driven
through the procedure without a server: planned, met, or missed and escalated 催办 → 督办 →
问责, and counted in the bulletin and the what-if's figures as SPEC §4's windows are.
"""

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from domain import bulletin
from domain.engine.resting import Kept
from domain.engine.step import IncidentState
from domain.messages import IncidentStart
from domain.procedure import collection
from domain.profiles import (
    PROFILES, RUNS_FROM_AND_OWED_BY, WindowId, runs_from_and_owed_by,
)
from domain.rules_version import CURRENT_RULES
from domain.status import Window
from domain.whatif.report import window_rows
from tests.domain.procedure.drive import (
    armed, at, context, deliveries, expire, grace_ends, graces, send, start, timeline, window,
)
from tests.support.new_window import NANTONG_VERIFYING

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "support" / "new_window.py"
with_the_new_window = pytest.mark.usefixtures("verifying")


def major_emergency() -> IncidentStart:
    """A major emergency (E2 重大, an emergency event) analysed at detection; u1 leads."""
    return start(category="E2", severity="重大", emergency_event=True,
                 rules_version=CURRENT_RULES)


def opened_with_effects() -> tuple[IncidentState, list]:
    opening = major_emergency()
    state = collection.new_incident(opening)
    return state, collection.open_incident(state, opening, context(0))


def opened() -> IncidentState:
    return opened_with_effects()[0]


@with_the_new_window
def test_the_window_is_planned_from_its_entry():
    state, effects = opened_with_effects()
    verify = window(state, "W-VERIFY")
    assert (verify.label, verify.hours, verify.deadline, verify.statutory, verify.owed_by) == (
        "核实", 12, at(12), True, ["u1"])
    assert ("W-VERIFY", None, 1) in armed(effects)


def test_the_profile_as_shipped_has_no_such_window():
    assert window(opened(), "W-VERIFY") is None


@with_the_new_window
def test_the_message_its_entry_names_meets_it():
    state = opened()
    send(state, "record_consultation", 6, assessment="事实已核实", measures="按预案处置")
    verify = window(state, "W-VERIFY")
    assert (verify.state.value, verify.met_at, verify.met_by) == ("met", at(6),
                                                                  "record_consultation")
    assert expire(state, "W-VERIFY") is None  # its timer finds it met
    assert window(state, "W-AUTH").state.value == "pending"  # met only what the entry says


@with_the_new_window
def test_the_state_put_to_rest_and_read_back_still_runs_under_it():
    """The workflow rests the state as JSON after each piece of work (domain.engine.resting)
    and thaws it for the next: the incident finds its profile again by name."""
    reloaded = IncidentState.model_validate_json(opened().model_dump_json())
    kept = Kept(major_emergency(), opened(), noted=lambda _: None, replaying=lambda: False)
    with kept.work():
        pass
    assert kept.resting and not kept.awake  # at rest, as JSON
    with kept.work() as thawed:
        for state in (reloaded, thawed):
            send(state, "record_consultation", 6, assessment="事实已核实", measures="按预案处置")
            assert window(state, "W-VERIFY").state.value == "met"


@with_the_new_window
def test_missed_it_climbs_the_ladder_and_a_late_consultation_makes_it_good():
    state = opened()
    effects = expire(state, "W-VERIFY")
    assert window(state, "W-VERIFY").state.value == "missed"
    [urge] = deliveries(effects, "urge")
    assert [r.recipient_id for r in urge.recipients] == ["u1"]
    assert timeline(state, "urge", rule="E-URGE")[0].detail.startswith("催办 单位u1：W-VERIFY「核实」")
    [grace] = graces(effects)
    supervised = grace_ends(state, grace, 36)
    assert state.status.escalation.value == "supervised" and deliveries(supervised, "supervise")
    [then] = graces(supervised)
    grace_ends(state, then, 108)
    assert state.status.accountability_recommended
    assert "单位u1" in timeline(state, "recommend_accountability")[0].detail
    send(state, "record_consultation", 110, assessment="补核实", measures="整改")
    verify = window(state, "W-VERIFY")
    assert (verify.state.value, verify.met_at) == ("missed", at(110))


@with_the_new_window
def test_the_bulletin_and_the_whatif_count_it_like_any_window():
    kept, missed = opened(), opened()
    send(kept, "record_consultation", 6, assessment="已核实", measures="处置")
    expire(missed, "W-VERIFY")
    month = bulletin.month_of(at(0))
    issued = bulletin.compute([kept.status], month, at(200))
    proposed = bulletin.compute([missed.status], month, at(200))
    assert [w.id for w in issued.windows][-1] == "W-VERIFY"  # after SPEC §4's, in order
    both = bulletin.compute([kept.status, missed.status], month, at(200))
    verify = next(w for w in both.windows if w.id == "W-VERIFY")
    assert (verify.due, verify.met, verify.missed, verify.local_default) == (2, 1, 1, 0)
    assert next(u for u in both.units if u.unit_id == "u1").urged == 1
    row = next(r for r in window_rows(issued, proposed) if r["id"] == "W-VERIFY")
    assert row["difference"] == {"due": 0, "met": -1, "missed": 1} and row["changed"]


@with_the_new_window
def test_its_ids_rows_and_states_come_from_the_entry():
    assert WindowId("W-VERIFY") == "W-VERIFY" and "W-VERIFY" not in list(WindowId)
    assert runs_from_and_owed_by([NANTONG_VERIFYING])[WindowId("W-VERIFY")] == (
        RUNS_FROM_AND_OWED_BY[WindowId.AUTH])  # from detection, the lead unit (A-HOLD)
    stored = opened().status.model_dump(mode="json")
    assert IncidentState(status=stored).status.windows == opened().status.windows
    with pytest.raises(ValidationError):
        Window.model_validate({**stored["windows"][0], "id": "ack"})


def test_nothing_outside_the_entry_and_its_function_was_touched():
    """No module-level table learnt of W-VERIFY once the test that stood it in ``PROFILES``
    ended: the shipped profiles, the README's rows and the product's source never name it;
    only the tests and the docs quoting the example do."""
    assert all(r.window != "W-VERIFY" for p in PROFILES.values() for r in p.statutory_windows)
    assert "W-VERIFY" not in RUNS_FROM_AND_OWED_BY
    product = [p for folder in ("domain", "workflows", "workers", "activities", "starter",
                                "scripts") for p in (ROOT / folder).rglob("*.py")]
    assert product and not [p for p in product if "W-VERIFY" in p.read_text(encoding="utf-8")]


def test_docs_quote_the_example_verbatim():
    source = EXAMPLE.read_text(encoding="utf-8")
    example = re.search(r"# example: a new window -+\n(.*?)# end of example", source, re.S)
    docs = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert example and example.group(1).strip() in docs
