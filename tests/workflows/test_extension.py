"""W-HANDLE extension (延期申请 / 延期审批): request + approval moves the handling deadline."""

from tests.workflows.scenario import UNIT, assigned, close_to, entries, refusals, window


async def test_approved_extension_moves_w_handle(env, worker, incident_id):
    """W-HANDLE: approved extension to 96 h → deadline 96 h, no miss at 48 h, missed at 96 h."""
    incident = await assigned(env, incident_id, handling_hours=48)
    await incident.at(hours=40)
    await incident.send("request_extension", unit_id=UNIT, reason="需现场核查",
                        until=incident.after(hours=96).isoformat())
    status = await incident.status()
    assert status.assignment(UNIT).extension_request is not None
    assert entries(status, "request_extension")
    assert close_to(window(status, "W-HANDLE", UNIT).deadline, incident.after(hours=48))  # not yet moved

    await incident.send("decide_extension", unit_id=UNIT, approved=True)
    status = await incident.status()
    handle = window(status, "W-HANDLE", UNIT)
    assert handle.deadline == incident.after(hours=96) and handle.state.value == "pending"
    assert status.assignment(UNIT).handling_deadline == incident.after(hours=96)
    assert status.assignment(UNIT).extension_request is None
    assert entries(status, "decide_extension")

    await incident.at(hours=49)
    assert window(await incident.status(), "W-HANDLE", UNIT).state.value == "pending"
    await incident.at(hours=96, minutes=1)
    status = await incident.status()
    assert window(status, "W-HANDLE", UNIT).state.value == "missed"
    assert len(entries(status, "window_missed", rule="W-HANDLE")) == 1


async def test_approver_may_set_another_date(env, worker, incident_id):
    """W-HANDLE: decide_extension.until overrides the requested date."""
    incident = await assigned(env, incident_id, handling_hours=48)
    await incident.send("request_extension", unit_id=UNIT, reason="需协调",
                        until=incident.after(hours=120).isoformat())
    await incident.send("decide_extension", unit_id=UNIT, approved=True,
                        until=incident.after(hours=72).isoformat())
    assert window(await incident.status(), "W-HANDLE", UNIT).deadline == incident.after(hours=72)


async def test_declined_extension_keeps_deadline(env, worker, incident_id):
    """W-HANDLE: a declined extension leaves the deadline; the window misses at 48 h."""
    incident = await assigned(env, incident_id, handling_hours=48)
    await incident.send("request_extension", unit_id=UNIT, reason="人手不足",
                        until=incident.after(hours=96).isoformat())
    await incident.send("decide_extension", unit_id=UNIT, approved=False, comment="不同意")
    status = await incident.status()
    assert close_to(window(status, "W-HANDLE", UNIT).deadline, incident.after(hours=48))
    assert status.assignment(UNIT).extension_request is None
    await incident.at(hours=48, minutes=1)
    assert window(await incident.status(), "W-HANDLE", UNIT).state.value == "missed"


async def test_extension_until_earlier_than_deadline_refused(env, worker, incident_id):
    """request_extension with until before the current deadline is refused, nothing recorded."""
    incident = await assigned(env, incident_id, handling_hours=48)
    await incident.send("request_extension", unit_id=UNIT, reason="需协调",
                        until=incident.after(hours=30).isoformat())
    status = await incident.status()
    assert len(refusals(status, "request_extension")) == 1
    assert status.assignment(UNIT).extension_request is None
    assert close_to(window(status, "W-HANDLE", UNIT).deadline, incident.after(hours=48))


async def test_decision_without_request_refused(env, worker, incident_id):
    """decide_extension with no pending request is refused; the deadline does not move."""
    incident = await assigned(env, incident_id, handling_hours=48)
    await incident.send("decide_extension", unit_id=UNIT, approved=True,
                        until=incident.after(hours=96).isoformat())
    status = await incident.status()
    assert len(refusals(status, "decide_extension")) == 1
    assert close_to(window(status, "W-HANDLE", UNIT).deadline, incident.after(hours=48))


async def test_extension_after_deadline_refused(env, worker, incident_id):
    """Once W-HANDLE is missed, an extension request is refused (explain via feedback)."""
    incident = await assigned(env, incident_id, handling_hours=24)
    await incident.at(hours=25)
    await incident.send("request_extension", unit_id=UNIT, reason="来不及",
                        until=incident.after(hours=96).isoformat())
    status = await incident.status()
    assert len(refusals(status, "request_extension")) == 1
    assert window(status, "W-HANDLE", UNIT).state.value == "missed"


async def test_approval_cannot_shorten_the_deadline(env, worker, incident_id):
    """延期 extends: an approval whose until is earlier than the current deadline is refused
    and the deadline stays where it was."""
    incident = await assigned(env, incident_id, handling_hours=48)
    await incident.send("request_extension", unit_id=UNIT, reason="需协调",
                        until=incident.after(hours=96).isoformat())
    await incident.send("decide_extension", unit_id=UNIT, approved=True,
                        until=incident.after(hours=30).isoformat())
    status = await incident.status()
    assert len(refusals(status, "decide_extension")) == 1
    assert close_to(window(status, "W-HANDLE", UNIT).deadline, incident.after(hours=48))
