"""The what-if over a generated month of real incidents (time-skipping server, real worker).

With no proposal it must give exactly the bulletin `yuqing bulletin` gives; halving the
sign-for time (ack_hours 2 → 1) must turn late exactly the units planned to sign at 1.5 h,
in exactly their incidents.
"""

import json
from collections import Counter
from datetime import datetime, timezone

import pytest
import pytest_asyncio

from activities.archive import HistoryArchive
from activities.bulletin_source import final_status
from domain.bulletin import compute, month_of
from domain.whatif.compare import WhatIf
from domain.whatif.inputs import read_incident
from domain.whatif.report import report_json
from domain.whatif.settings import parse_proposal
from starter.whatif_source import decrypter, evaluate, from_archive
from tests.support.generated_month import SLOW_SIGN_HOURS, plan, run_month
from tests.support.time_skipping import start_time_skipping_server
from tests.support.worker import incident_worker

NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)
pytestmark = pytest.mark.timeout(600)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def month(outbox_dir, tmp_path_factory):
    """The month's incidents: the closed ones archived, the running ones with their status.

    On a time-skipping server of its own: on the shared one, another test's wait left
    behind can let time skip while a step is being sent, so a unit planned to sign in time
    signs late and the comparison with the plan no longer holds."""
    environment = await start_time_skipping_server()
    try:
        async with incident_worker(environment.client, outbox_dir):
            recorded = await run_month(environment, plan(15))
    finally:
        await environment.shutdown()
    folder = tmp_path_factory.mktemp("archive")
    closed = [r for r in recorded if not r.running]
    HistoryArchive(folder).save_all([(h, None) for r in closed for h in r.histories])
    the_month = month_of(recorded[0].status.first_detected_at)
    return the_month, folder, recorded


def _whatif(month_data, settings: list[str]) -> dict:
    the_month, folder, recorded = month_data
    proposal = parse_proposal(settings)
    whatif = from_archive(folder, the_month, proposal, NOW, processes=1)
    running = WhatIf(the_month, NOW, proposal)
    for r in recorded:
        if r.running:
            runs = [json.loads(h.to_json())["events"] for h in r.histories]
            evaluate(read_incident(r.histories[0].workflow_id, runs, decrypter()), proposal,
                     running, r.status)
    whatif.combine(running)
    return report_json(whatif)


def _issued_bulletin(month_data) -> dict:
    """As `yuqing bulletin` computes it: closed incidents' results, running ones' status."""
    the_month, _, recorded = month_data
    statuses = [r.status if r.running else final_status(r.histories[-1]) for r in recorded]
    return compute(statuses, the_month, NOW).model_dump(mode="json")


async def test_no_proposal_gives_exactly_the_issued_bulletin(month):
    report = _whatif(month, [])
    issued = _issued_bulletin(month)
    assert report["actual"] == issued
    assert report["proposed"] == issued
    assert report["changed_incidents"] == []
    limits = report["limits"]
    assert limits["incidents"] == issued["incidents"]["reported"] >= 10
    assert limits["replayed"] == limits["incidents"] and limits["not_replayed"] == 0
    assert 0 < issued["incidents"]["open"] < issued["incidents"]["reported"]  # both kinds
    assert any(u["urged"] for u in issued["units"]) and any(u["supervised"] for u in issued["units"])


async def test_halving_the_sign_for_time_turns_exactly_the_slow_signers_late(month):
    the_month, _, recorded = month
    slow = {r.planned.incident_id: sorted(u for u, b in r.planned.behaviour.items()
                                          if b == "slow_signer")
            for r in recorded if month_of(r.status.first_detected_at) == the_month}
    slow = {incident: units for incident, units in slow.items() if units}
    assert slow, "the plan must have units signing at 1.5 h"
    report = _whatif(month, ["ack_hours=1"])
    changed = {c["incident_id"]: c["units"] for c in report["changed_incidents"]}
    assert changed == slow
    per_unit = Counter(u for units in slow.values() for u in units)
    rows = {r["unit_id"]: r for r in report["units"]}
    for unit_id, row in rows.items():
        assert row["difference"]["acknowledged_on_time"] == -per_unit.get(unit_id, 0)
        assert row["changed"] == (unit_id in per_unit)
        assert row["difference"]["urged"] == row["difference"]["supervised"] == 0
    assert report["limits"]["late_now_windows"] == sum(per_unit.values())
    assert report["limits"]["refused_now_messages"] == 0
    for change in report["changed_incidents"]:
        assert "W-ACK" in change["first_difference"] and "超期" in change["first_difference"]
    assert f"{SLOW_SIGN_HOURS}" and report["settings"] == {"ack_hours": 1.0}
