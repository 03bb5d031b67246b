"""The new window of docs/architecture.md (tests/support/new_window.py) run by the workflow.

The ``verifying`` fixture stands the Nantong copy with W-VERIFY in ``PROFILES``, the table the
worker's incidents find their profile in (the tests' worker runs sandboxed, but ``domain`` is
passed through the sandbox, so the workflow reads this process's table); nothing is passed
to the workflow. The incident opens, rests between tasks, and is met by
``record_consultation`` or misses and is urged, like any window of SPEC §4.

While the copy stands, incidents other tests left running on the shared worker see it too.
That changes none of them: a window is planned only when a message is taken
(``domain.engine.deadlines.reconcile``), and none is sent to them meanwhile; the fixture
puts the table back and each test here terminates its own incident.
"""

from datetime import timedelta

import pytest

from tests.workflows.scenario import (
    UNIT, assert_outcome, entries, missed_at_deadline, report, window,
)


@pytest.mark.usefixtures("verifying")
@pytest.mark.parametrize("met", [True, False], ids=["met", "missed"])
async def test_the_workflow_plans_it_and_meets_or_urges_it(env, worker, incident_id, met):
    incident = await report(env, incident_id, category="E2", severity="重大",
                            emergency_event=True, rules_version=None)
    try:
        verify = window(await incident.status(), "W-VERIFY")
        assert (verify.label, verify.deadline, verify.statutory, verify.owed_by) == (
            "核实", incident.after(hours=12), True, [UNIT])
        if met:
            await incident.at(hours=6)
            await incident.send("record_consultation", assessment="事实已核实",
                                measures="按预案处置")
            await incident.at(hours=12, minutes=1)
            assert_outcome(incident, await incident.status(), "W-VERIFY",
                           met_after=timedelta(hours=6), met_by="record_consultation")
        else:
            status = await missed_at_deadline(incident, "W-VERIFY", hours=12)
            urged = [u.detail for u in entries(status, "urge", rule="E-URGE")]
            assert len([d for d in urged if d.startswith(f"催办 单位{UNIT}：W-VERIFY「核实」")]) == 1
    finally:  # the profile goes back as the test ends: no incident of it runs on
        await incident.handle.terminate("test over")
