"""C-X rumour: respond and transfer to public security / network regulator, once."""

from tests.workflows.scenario import (
    UNIT, entries, outbox_files, refusals, report, wait_for_outbox,
)


async def test_rumour_analysis_transfers_automatically(env, worker, incident_id, outbox_dir):
    """C-X: analyze rumour=true → automatic transfer_to_police entry (rule C-X) and a transfer
    file carrying the report links as leads."""
    incident = await report(env, incident_id, category="E2", severity="较大",
                            url="https://weibo.example/rumour/9")
    await incident.at(hours=1)
    await incident.send("analyze", rumour=True, note="经核实为不实信息")
    status = await incident.status()
    assert status.rumour is True and status.rumour_transferred_at is not None
    transfers = entries(status, "transfer_to_police", rule="C-X")
    assert len(transfers) == 1 and transfers[0].actor == "系统"
    files = await wait_for_outbox(outbox_dir, "rumour_transfers", incident_id)
    assert len(files) == 1
    assert any("https://weibo.example/rumour/9" in lead for lead in files[0]["leads"])


async def test_rumour_in_start_payload_transfers(env, worker, incident_id, outbox_dir):
    """C-X: a report analysed as rumour from the start is transferred at once."""
    incident = await report(env, incident_id, category="E2", severity="一般", rumour=True)
    status = await incident.status()
    assert len(entries(status, "transfer_to_police", rule="C-X")) == 1
    assert await wait_for_outbox(outbox_dir, "rumour_transfers", incident_id)


async def test_second_transfer_refused(env, worker, incident_id, outbox_dir):
    """C-X: the transfer is its own step, done once; a manual second transfer is refused."""
    incident = await report(env, incident_id, category="E2", severity="一般", rumour=True)
    await incident.send("transfer_to_police", reason="再次移交")
    status = await incident.status()
    assert len(entries(status, "transfer_to_police")) == 1
    assert len(refusals(status, "transfer_to_police")) == 1
    await wait_for_outbox(outbox_dir, "rumour_transfers", incident_id)
    assert len(outbox_files(outbox_dir, "rumour_transfers", incident_id)) == 1


async def test_manual_transfer(env, worker, incident_id, outbox_dir):
    """C-X: the office may transfer by hand; the entry names the person and rule C-X."""
    incident = await report(env, incident_id, category="R3", severity="较大")
    await incident.send("transfer_to_police", reason="涉嫌造谣，移交线索")
    status = await incident.status()
    transfer = entries(status, "transfer_to_police", rule="C-X")
    assert len(transfer) == 1 and transfer[0].actor != "系统"
    assert await wait_for_outbox(outbox_dir, "rumour_transfers", incident_id)


async def test_rumour_must_also_be_responded_to(env, worker, incident_id):
    """C-X: respond **and** transfer — withdrawing a rumour incident without a response is
    refused; after a response it is allowed."""
    incident = await report(env, incident_id, category="R3", severity="一般", rumour=True)
    await incident.send("withdraw", reason="已移交公安")
    status = await incident.status()
    assert any("C-X" in r for r in refusals(status, "withdraw"))
    assert await incident.running()
    await incident.send("record_response", unit_id=UNIT, channel="authoritative_release",
                        summary="辟谣")
    await incident.send("withdraw", reason="已辟谣并移交")
    assert (await incident.handle.result()).stage.value == "withdrawn"


async def test_rumour_analysis_after_manual_transfer_does_not_transfer_again(
        env, worker, incident_id, outbox_dir):
    """C-X: a case already transferred by hand is not transferred a second time when a later
    研判 finds it is a rumour."""
    incident = await report(env, incident_id, category="R3", severity="较大")
    await incident.send("transfer_to_police", reason="涉嫌造谣，移交线索")
    await incident.at(hours=1)
    await incident.send("analyze", rumour=True)
    status = await incident.status()
    assert status.rumour is True
    assert len(entries(status, "transfer_to_police")) == 1
